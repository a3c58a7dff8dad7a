import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, productionSettings } from '../../infra/app';
import { PROD_CONTEXT } from '../support/cdk-context';

/**
 * Synthesis in the environments a council deploys into: a concrete account (as `cdk deploy` has with real
 * credentials) and its own bootstrap qualifier. Acknowledgements that name resources must follow the stack's
 * own values, or cdk-nag fails synthesis there while passing here.
 */
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
const ACCOUNT = '123456789012';
const outdirs: string[] = [];
afterAll(() => {
  for (const d of outdirs) rmSync(d, { recursive: true, force: true });
});

function synthesize(context: Record<string, unknown>, account?: string) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'waymark-env-'));
  outdirs.push(outdir);
  const built = buildApp({ outdir, context: { ...NO_BUNDLING, ...context }, ...(account ? { account } : {}) });
  built.app.synth();
  const violations = [new AwsSolutionsChecks(built.app), new NIST80053R5Checks(built.app)].flatMap((pack) =>
    pack.validateScope(built.app).violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
  );
  return { ...built, violations };
}

const cases: { name: string; context: Record<string, unknown>; account?: string }[] = [
  { name: 'dev, concrete account', context: { stage: 'dev' }, account: ACCOUNT },
  { name: 'prod, concrete account', context: PROD_CONTEXT, account: ACCOUNT },
  { name: 'prod, concrete account, custom bootstrap qualifier', context: { ...PROD_CONTEXT, '@aws-cdk/core:bootstrapQualifier': 'council7' }, account: ACCOUNT },
  { name: 'dev, no account, custom bootstrap qualifier', context: { stage: 'dev', '@aws-cdk/core:bootstrapQualifier': 'council7' } },
];

describe.each(cases)('synthesis: $name', ({ context, account }) => {
  it('passes AwsSolutions and NIST 800-53 R5 with no unacknowledged finding', () => {
    const s = synthesize(context, account);
    expect(s.violations).toEqual([]);
    if (account) expect([s.stack.account, s.edge.account]).toEqual([account, account]);
    const qualifier = context['@aws-cdk/core:bootstrapQualifier'];
    if (qualifier) {
      // The deployment's grant on the asset bucket names the council's qualifier, and its acknowledgement follows it.
      const web = JSON.stringify(Template.fromStack(s.stack.web).toJSON());
      expect(web).toContain(`cdk-${String(qualifier)}-assets-`);
      expect(web).not.toContain('cdk-hnb659fds-assets-');
    }
  }, 120_000);
});

describe('prod refuses what is not a real deployment', () => {
  it('without a web origin, with localhost or a cloudfront.net address, or without a certificate in us-east-1', () => {
    const cert = PROD_CONTEXT.webCertificateArn;
    expect(() => productionSettings(undefined, cert)).toThrow(/prod needs the address users reach Waymark at/);
    expect(() => productionSettings('http://localhost:3000', cert)).toThrow(/custom domain/);
    expect(() => productionSettings('https://d111111abcdef8.cloudfront.net', cert)).toThrow(/custom domain/);
    expect(() => productionSettings('https://waymark.council.gov.uk', undefined)).toThrow(/webCertificateArn/);
    expect(() => productionSettings('https://waymark.council.gov.uk', 'arn:aws:acm:eu-west-2:123456789012:certificate/abc')).toThrow(/us-east-1/);
    expect(productionSettings('https://waymark.council.gov.uk/', cert).webOrigin).toBe('https://waymark.council.gov.uk');
    expect(() => buildApp({ context: { ...NO_BUNDLING, stage: 'prod' } })).toThrow(/prod needs/);
  });
});
