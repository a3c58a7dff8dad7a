import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../shared/domain/users';
import { BUSINESS_METRICS } from '../../shared/metrics/business-metrics';
import { OPERATIONAL_METRICS } from '../../shared/metrics/operational';
import { unsealedAgeMinutes } from '../../shared/store/audit-sealer';

/** Lines written to stdout while `run` runs (Powertools Metrics writes EMF there). */
async function captureStdout(run: () => void | Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
    log.mockRestore();
  }
  return lines;
}

describe('business metrics', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('emit nothing where no namespace is configured (one machine, tests)', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', '');
    const { emitBusinessMetric } = await import('../../shared/metrics/emit');
    const lines = await captureStdout(() => emitBusinessMetric(BUSINESS_METRICS.contactsLogged));
    expect(lines.filter((l) => l.includes('_aws'))).toEqual([]);
  });

  it('emit embedded metric format with the service as the only dimension', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Waymark');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'waymark');
    const { emitBusinessMetric } = await import('../../shared/metrics/emit');
    const lines = await captureStdout(() => emitBusinessMetric(BUSINESS_METRICS.escalationsOverdue, 3));
    const emf = lines.map((l) => { try { return JSON.parse(l); } catch { return undefined; } }).find((j) => j?._aws);
    expect(emf).toBeDefined();
    const directive = emf._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe('Waymark');
    expect(directive.Dimensions).toEqual([['service']]);
    expect(directive.Metrics).toEqual([{ Name: 'EscalationsOverdue', Unit: 'Count' }]);
    expect(emf.EscalationsOverdue).toBe(3);
    expect(emf.service).toBe('waymark');
  });
});

describe('operational metrics', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('emit one EMF line with the service and their own dimension (the consumer whose records failed)', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Waymark');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'waymark');
    const { emitOperationalMetric } = await import('../../shared/metrics/emit');
    const lines = await captureStdout(() => emitOperationalMetric(OPERATIONAL_METRICS.streamRecordsFailed, 4, { consumer: 'aggregator' }));
    const emf = lines.map((l) => { try { return JSON.parse(l); } catch { return undefined; } }).filter((j) => j?._aws);
    expect(emf).toHaveLength(1);
    const directive = emf[0]._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe('Waymark');
    expect(directive.Dimensions[0]).toEqual(expect.arrayContaining(['service', 'consumer']));
    expect(emf[0].StreamRecordsFailed).toBe(4);
    expect(emf[0].consumer).toBe('aggregator');
  });

  it('the age of the oldest unsealed due hour is measured from the end of that hour, 0 when none', () => {
    const now = new Date('2026-11-23T12:07:30Z');
    expect(unsealedAgeMinutes([], now)).toBe(0);
    expect(unsealedAgeMinutes(['2026-11-23T11'], now)).toBe(7);
    expect(unsealedAgeMinutes(['2026-11-23T09', '2026-11-23T11'], now)).toBe(127);
  });
});

describe('a notification subscription not kept in step (issue 22)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.doUnmock('../../shared/store/sns-subscriptions-client');
    vi.resetModules();
  });

  it('is logged with the person\'s id only and counted as NotificationSubscriptionsNotUpdated, for a supervisor and for the on-call address', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-subscriptions-'));
    const directory = join(dir, 'directory.json');
    writeFileSync(directory, JSON.stringify({ accounts: [{ sub: 'sup-1', groups: ['supervisor'], team: 'team-a', enabled: true, email: 'sup@example.org' }] }));
    for (const [k, v] of Object.entries({
      CASE_TABLE_NAME: 'c', AUDIT_TABLE_NAME: 'a', JWT_ISSUER: 'http://localhost/idp', JWT_AUDIENCE: 'client',
      SIGN_IN_DIRECTORY_FILE: directory, NOTIFICATION_TOPIC_ARN: 'arn:aws:sns:eu-west-2:123456789012:notifications',
      POWERTOOLS_METRICS_NAMESPACE: 'Waymark', POWERTOOLS_SERVICE_NAME: 'waymark',
    })) vi.stubEnv(k, v);
    // Fault injection at the SNS client's boundary: every call fails as SNS would when it is unavailable.
    vi.doMock('../../shared/store/sns-subscriptions-client', () => {
      const fail = class {
        constructor(readonly input: unknown) {}
      };
      return {
        SNSClient: class {
          send = async () => {
            throw Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
          };
        },
        ListSubscriptionsByTopicCommand: fail, SetSubscriptionAttributesCommand: fail, SubscribeCommand: fail, UnsubscribeCommand: fail,
      };
    });
    const { followPerson, followOnCall } = await import('../../shared/store/subscriptions');
    const supervisor: User = { id: 'sup-1', role: 'supervisor', teamId: 'team-a', displayName: 'S', status: 'active', championId: null, createdAt: '', updatedAt: '', version: 1 };
    // The logger writes errors to stderr (Powertools: console.error); the metrics go to stdout.
    const errors: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      errors.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
    const consoleError = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(' ')));
    const lines = await captureStdout(async () => {
      await followPerson(supervisor);
      await followOnCall(null, 'oncall@example.org');
    }).finally(() => {
      stderr.mockRestore();
      consoleError.mockRestore();
    });
    const emf = lines.map((l) => { try { return JSON.parse(l); } catch { return undefined; } }).filter((j) => j?._aws);
    expect(emf.map((e) => [e._aws.CloudWatchMetrics[0].Metrics[0].Name, e.NotificationSubscriptionsNotUpdated])).toEqual([
      ['NotificationSubscriptionsNotUpdated', 1],
      ['NotificationSubscriptionsNotUpdated', 1],
    ]);
    expect(emf.every((e) => e._aws.CloudWatchMetrics[0].Namespace === 'Waymark' && e.service === 'waymark')).toBe(true);
    const logged = [...lines, ...errors].filter((l) => l.includes('subscription not updated'));
    expect(logged).toHaveLength(2);
    expect(logged.join('\n')).toContain('sup-1');
    expect([...lines, ...errors].join('\n')).not.toMatch(/example\.org/);
  });
});
