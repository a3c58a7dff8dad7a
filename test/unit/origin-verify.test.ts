import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * The API answers only requests that came through CloudFront (the origin header it adds). The check is the
 * same code in AWS and on one machine; only where the accepted value comes from differs (configuration).
 */
const BASE_ENV = {
  CASE_TABLE_NAME: 'c',
  AUDIT_TABLE_NAME: 'a',
  JWT_ISSUER: 'http://localhost/idp',
  JWT_AUDIENCE: 'client',
};

async function load(env: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [k, v] of Object.entries({ ...BASE_ENV, ...env })) vi.stubEnv(k, v);
  return import('../../shared/http/origin-verify');
}

describe('origin verification', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
    vi.doUnmock('../../shared/store/aws-json');
  });

  it('does nothing where no origin secret is configured', async () => {
    const { verifyOrigin } = await load({ ORIGIN_VERIFY_SECRET: undefined, ORIGIN_VERIFY_SECRET_ARN: undefined });
    await expect(verifyOrigin({})).resolves.toBeUndefined();
  });

  it('with a configured value: refuses a request without the header or with another value (403), accepts the value', async () => {
    const value = 'v'.repeat(40);
    const { verifyOrigin, ORIGIN_VERIFY_HEADER } = await load({ ORIGIN_VERIFY_SECRET: value });
    await expect(verifyOrigin({})).rejects.toMatchObject({ status: 403, message: 'Requests must come through the Waymark web address' });
    await expect(verifyOrigin({ [ORIGIN_VERIFY_HEADER]: 'w'.repeat(40) })).rejects.toMatchObject({ status: 403 });
    await expect(verifyOrigin({ [ORIGIN_VERIFY_HEADER]: value })).resolves.toBeUndefined();
  });

  it('with a secret: accepts its current and previous versions (a rotation in flight), and re-reads it when a value matches neither', async () => {
    const versions: Record<string, string | undefined> = { AWSCURRENT: 'new'.padEnd(40, 'n'), AWSPREVIOUS: 'old'.padEnd(40, 'o') };
    const send = vi.fn(async (service: string, action: string, input: { VersionStage: string }) => {
      expect([service, action]).toEqual(['secretsmanager', 'GetSecretValue']);
      const value = versions[input.VersionStage];
      if (value === undefined) throw Object.assign(new Error('no such version'), { name: 'ResourceNotFoundException' });
      return { SecretString: value };
    });
    // At the signed call's boundary (shared/store/aws-json.ts): no Secrets Manager on one machine.
    vi.doMock('../../shared/store/aws-json', () => ({ awsJsonCall: send }));
    const { verifyOrigin, ORIGIN_VERIFY_HEADER } = await load({ ORIGIN_VERIFY_SECRET: undefined, ORIGIN_VERIFY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:origin' });
    const t0 = 1_000_000;
    await expect(verifyOrigin({ [ORIGIN_VERIFY_HEADER]: versions['AWSCURRENT'] }, t0)).resolves.toBeUndefined();
    await expect(verifyOrigin({ [ORIGIN_VERIFY_HEADER]: versions['AWSPREVIOUS'] }, t0 + 1000)).resolves.toBeUndefined();
    expect(send).toHaveBeenCalledTimes(2); // one read of each version, then cached
    // Rotated again: the value CloudFront now sends is read on the first miss after the refresh interval.
    versions['AWSPREVIOUS'] = versions['AWSCURRENT'];
    versions['AWSCURRENT'] = 'newer'.padEnd(40, 'x');
    await expect(verifyOrigin({ [ORIGIN_VERIFY_HEADER]: versions['AWSCURRENT'] }, t0 + 60_000)).resolves.toBeUndefined();
    await expect(verifyOrigin({ [ORIGIN_VERIFY_HEADER]: 'forged'.padEnd(40, 'f') }, t0 + 61_000)).rejects.toMatchObject({ status: 403 });
  });
});
