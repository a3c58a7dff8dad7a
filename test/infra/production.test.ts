import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, EDGE_REGION } from '../../infra/app';
import { DEFAULT_BACKUP_RETENTION_DAYS, backupRetentionDays } from '../../infra/backups';
import { DEFAULT_WAF_RATE_LIMIT, MANAGED_RULE_GROUPS, wafRateLimit } from '../../infra/edge';
import { ALARM_THRESHOLDS } from '../../infra/operations';
import { stageFromContext } from '../../infra/stage';
import { API_PATH_PREFIX } from '../../infra/web-hosting';
import { functionDefinitions } from '../../shared/api/routes';
import { scheduledFunctions } from '../../shared/api/scheduled-functions';
import { streamConsumers } from '../../shared/api/stream-consumers';
import { BUSINESS_METRICS } from '../../shared/metrics/business-metrics';
import { tables } from '../../shared/store/tables';
import { PROD_CONTEXT } from '../support/cdk-context';

type Json = Record<string, any>;

/** Template assertions only: skip bundling the functions (placeholder assets), so both stages synthesize quickly. */
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

interface Built {
  app: ReturnType<typeof buildApp>['app'];
  main: ReturnType<typeof buildApp>['stack'];
  edge: ReturnType<typeof buildApp>['edge'];
  resources: Record<string, Json>;
  web: Record<string, Json>;
  edgeResources: Record<string, Json>;
  outdir: string;
}

function build(context: Record<string, unknown>): Built {
  const outdir = mkdtempSync(path.join(tmpdir(), 'waymark-prod-'));
  const { app, stack: main, edge } = buildApp({ outdir, context: { ...NO_BUNDLING, ...context } });
  const resources = Template.fromStack(main).toJSON().Resources as Record<string, Json>;
  const web = Template.fromStack(main.web).toJSON().Resources as Record<string, Json>;
  const edgeResources = Template.fromStack(edge).toJSON().Resources as Record<string, Json>;
  return { app, main, edge, resources, web, edgeResources, outdir };
}

const built: Record<'dev' | 'prod', Built> = {} as never;
beforeAll(() => {
  built.prod = build(PROD_CONTEXT);
  built.dev = build({ stage: 'dev' });
}, 120_000);
afterAll(() => {
  for (const b of Object.values(built)) rmSync(b.outdir, { recursive: true, force: true });
});

const ofType = (resources: Record<string, Json>, type: string) => Object.values(resources).filter((r) => r.Type === type);
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const lambdaCount = functionDefinitions.length + streamConsumers.length + scheduledFunctions.length + 1; // + pre-token

describe('stage switch', () => {
  it('defaults to dev (prod must be asked for, with its origin and certificate), accepts prod, refuses anything else', () => {
    expect(stageFromContext(undefined).name).toBe('dev');
    expect(stageFromContext('prod').name).toBe('prod');
    expect(stageFromContext('dev').name).toBe('dev');
    expect(() => stageFromContext('staging')).toThrow(/dev or prod/);
    expect(built.prod.main.stackName).toBe('Waymark');
    expect(built.dev.main.stackName).toBe('Waymark-dev');
    expect(built.prod.edge.stackName).toBe('Waymark-Edge');
    expect(built.dev.edge.stackName).toBe('Waymark-dev-Edge');
  });
});

describe.each(['prod', 'dev'] as const)('%s', (stage) => {
  const b = () => built[stage];
  const prod = stage === 'prod';
  const keyId = () => b().main.getLogicalId(b().main.key.node.defaultChild as never);

  describe('environment', () => {
    it(`tags every taggable resource with Stage=${stage}`, () => {
      for (const table of ofType(b().resources, 'AWS::DynamoDB::Table')) expect(table.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'Stage', Value: stage }, { Key: 'Application', Value: 'Waymark' }]));
      expect(ofType(b().resources, 'AWS::Cognito::UserPool')[0]!.Properties.UserPoolTags).toMatchObject({ Stage: stage });
      expect(ofType(b().edgeResources, 'AWS::WAFv2::WebACL')[0]!.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'Stage', Value: stage }]));
    });

    it(prod ? 'retains tables, key, buckets, queues, log groups and the user pool, with deletion protection' : 'destroys everything with the stack (except the write-once digest bucket)', () => {
      const policy = prod ? 'Retain' : 'Delete';
      for (const type of ['AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::Cognito::UserPool']) {
        const found = ofType(b().resources, type);
        expect(found.length).toBeGreaterThan(0);
        for (const r of found) expect([type, r.DeletionPolicy]).toEqual([type, policy]);
      }
      for (const t of ofType(b().resources, 'AWS::DynamoDB::Table')) expect(t.Properties.DeletionProtectionEnabled).toBe(prod);
      expect(ofType(b().resources, 'AWS::Cognito::UserPool')[0]!.Properties.DeletionProtection).toBe(prod ? 'ACTIVE' : 'INACTIVE');
      const buckets = ofType(b().resources, 'AWS::S3::Bucket');
      const digests = buckets.find((r) => r.Properties.ObjectLockEnabled)!;
      expect(digests.DeletionPolicy).toBe('Retain'); // Object Lock: never deletable by a stack deletion
      for (const r of buckets.filter((x) => x !== digests)) expect(r.DeletionPolicy).toBe(policy);
      for (const r of ofType(b().web, 'AWS::S3::Bucket')) expect(r.DeletionPolicy).toBe(policy);
      // dev: buckets are emptied on deletion so that `cdk destroy` completes.
      expect(ofType(b().resources, 'Custom::S3AutoDeleteObjects').length > 0).toBe(!prod);
      expect(ofType(b().web, 'Custom::S3AutoDeleteObjects').length > 0).toBe(!prod);
    });
  });

  describe('identity', () => {
    it('admin-created users only, MFA required, threat protection enforced, 15-minute access tokens with refresh, hosted sign-in with code + PKCE', () => {
      const pool = ofType(b().resources, 'AWS::Cognito::UserPool')[0]!.Properties;
      expect(pool.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
      expect(pool.MfaConfiguration).toBe('ON');
      expect(pool.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
      expect(pool.UserPoolTier).toBe('PLUS');
      const client = ofType(b().resources, 'AWS::Cognito::UserPoolClient')[0]!.Properties;
      expect(client.GenerateSecret).toBe(false); // a public client: PKCE
      expect(client.AllowedOAuthFlows).toEqual(['code']);
      expect(client.AccessTokenValidity).toBe(15);
      expect(client.TokenValidityUnits).toMatchObject({ AccessToken: 'minutes' });
      expect(client.RefreshTokenValidity).toBeGreaterThan(0);
      expect(client.EnableTokenRevocation).toBe(true);
      expect(ofType(b().web, 'AWS::Cognito::UserPoolDomain').length + ofType(b().resources, 'AWS::Cognito::UserPoolDomain').length).toBe(1);
    });
  });

  describe('edge', () => {
    it(`the web ACL is CLOUDFRONT-scoped in ${EDGE_REGION} with the managed common, known-bad-inputs and IP reputation rules and a rate rule`, () => {
      expect(b().edge.region).toBe(EDGE_REGION);
      const acl = ofType(b().edgeResources, 'AWS::WAFv2::WebACL')[0]!.Properties;
      expect(acl.Scope).toBe('CLOUDFRONT');
      expect(acl.DefaultAction).toEqual({ Allow: {} });
      const managed = asArray<Json>(acl.Rules).filter((r) => r.Statement.ManagedRuleGroupStatement).map((r) => r.Statement.ManagedRuleGroupStatement);
      expect(managed.map((m) => m.Name).sort()).toEqual([...MANAGED_RULE_GROUPS].sort());
      expect(MANAGED_RULE_GROUPS).toEqual(expect.arrayContaining(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList']));
      const rate = asArray<Json>(acl.Rules).find((r) => r.Statement.RateBasedStatement)!;
      expect(rate.Action).toEqual({ Block: {} });
      expect(rate.Statement.RateBasedStatement).toMatchObject({ Limit: DEFAULT_WAF_RATE_LIMIT, AggregateKeyType: 'IP' });
      // The edge stack holds the rules only: no data store of any kind.
      expect(Object.values(b().edgeResources).map((r) => r.Type).filter((t) => t !== 'AWS::CDK::Metadata')).toEqual(['AWS::WAFv2::WebACL']);
    });

    it('the distribution uses the web ACL, and serves the API under /api/* uncached, with every viewer header except Host, over TLS 1.2 to the origin', () => {
      const dist = ofType(b().web, 'AWS::CloudFront::Distribution')[0]!.Properties.DistributionConfig;
      expect(JSON.stringify(dist.WebACLId)).toContain(b().edge.stackName);
      const api = asArray<Json>(dist.CacheBehaviors).find((c) => c.PathPattern === `${API_PATH_PREFIX}/*`)!;
      expect(api).toBeDefined();
      expect(api.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
      expect(api.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac'); // Managed-AllViewerExceptHostHeader
      expect(api.AllowedMethods).toEqual(expect.arrayContaining(['POST', 'PATCH', 'PUT', 'DELETE']));
      expect(api.ViewerProtocolPolicy).toBe('https-only');
      expect(api.FunctionAssociations).toHaveLength(1);
      const origin = asArray<Json>(dist.Origins).find((o) => o.Id === api.TargetOriginId)!;
      expect(JSON.stringify(origin.DomainName)).toContain('.execute-api.eu-west-2.');
      expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
      const fn = ofType(b().web, 'AWS::CloudFront::Function')[0]!.Properties;
      expect(fn.FunctionCode).toContain(`substring(${API_PATH_PREFIX.length})`);
    });

    it('rate limit is configurable and checked', () => {
      expect(wafRateLimit(undefined)).toBe(DEFAULT_WAF_RATE_LIMIT);
      expect(wafRateLimit('500')).toBe(500);
      expect(() => wafRateLimit('5')).toThrow();
    });
  });

  describe('operations', () => {
    it('every Lambda logs to its own log group with a set retention, encrypted with the stack key', () => {
      // dev only: CDK's provider that empties buckets on `cdk destroy` (runs only then) is not one of ours.
      const fns = Object.entries(b().resources)
        .filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && !id.startsWith('CustomS3AutoDeleteObjectsCustomResourceProvider'))
        .map(([, r]) => r);
      expect(fns).toHaveLength(lambdaCount);
      expect(Object.keys(b().resources).some((id) => id.startsWith('CustomS3AutoDeleteObjectsCustomResourceProvider'))).toBe(!prod);
      for (const fn of fns) {
        const groupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
        const group = b().resources[groupId]!;
        expect(group.Properties.RetentionInDays).toBe(180);
        expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId(), 'Arn'] });
        expect(fn.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe(b().main.stackName);
      }
    });

    it('alarms on Lambda errors and throttles, API 5xx rate, DynamoDB throttles, iterator age, dead letters, sealer lag and overdue escalations, all to the encrypted alarm topic', () => {
      const topicId = b().main.getLogicalId(b().main.operations.alarmTopic.node.defaultChild as never);
      const topic = b().resources[topicId]!;
      expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId(), 'Arn'] });
      const alarms = ofType(b().resources, 'AWS::CloudWatch::Alarm');
      for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      const metricNames = (a: Json): string[] =>
        a.Properties.MetricName ? [a.Properties.MetricName] : asArray<Json>(a.Properties.Metrics).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric.MetricName);
      const count = (name: string) => alarms.filter((a) => metricNames(a).includes(name)).length;
      expect(count('Errors')).toBe(lambdaCount);
      // A function with reserved concurrency (the sealer, one at a time) is throttled by design; its lag is alarmed instead.
      // Functions with reserved concurrency (the sealer; the reconciler, one run at a time) are throttled by design.
      expect(count('Throttles')).toBe(lambdaCount - streamConsumers.filter((c) => c.maxConcurrency !== undefined).length - scheduledFunctions.length);
      expect(count('5xx')).toBe(1);
      expect(count('ReadThrottleEvents')).toBe(tables.length);
      expect(count('WriteThrottleEvents')).toBe(tables.length);
      expect(count('IteratorAge')).toBe(2); // the aggregator, and the sealer's lag
      expect(alarms.filter((a) => a.Properties.MetricName === 'IteratorAge').map((a) => a.Properties.Threshold).sort()).toEqual(
        [ALARM_THRESHOLDS.aggregatorIteratorAgeMs, ALARM_THRESHOLDS.sealerIteratorAgeMs].sort(),
      );
      expect(count('ApproximateNumberOfMessagesVisible')).toBe(streamConsumers.length);
      const overdue = alarms.filter((a) => a.Properties.MetricName === BUSINESS_METRICS.escalationsOverdue);
      expect(overdue).toHaveLength(1);
      expect(overdue[0]!.Properties.Namespace).toBe(b().main.stackName);
      // The key lets CloudWatch alarms publish to the encrypted topic.
      const key = b().resources[keyId()]!;
      expect(JSON.stringify(key.Properties.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
    });

    it('has a dashboard with the business metrics', () => {
      const dashboards = ofType(b().resources, 'AWS::CloudWatch::Dashboard');
      expect(dashboards).toHaveLength(1);
      const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
      for (const name of Object.values(BUSINESS_METRICS)) expect(body).toContain(name);
    });
  });

  describe('backups', () => {
    if (prod) {
      it('a daily AWS Backup plan for every table, into a vault encrypted with the stack key, kept the configured days', () => {
        const vault = ofType(b().resources, 'AWS::Backup::BackupVault')[0]!;
        expect(vault.Properties.EncryptionKeyArn).toEqual({ 'Fn::GetAtt': [keyId(), 'Arn'] });
        expect(vault.DeletionPolicy).toBe('Retain');
        const [rule] = ofType(b().resources, 'AWS::Backup::BackupPlan')[0]!.Properties.BackupPlan.BackupPlanRule;
        expect(rule.ScheduleExpression).toBe('cron(0 2 * * ? *)');
        expect(rule.Lifecycle).toEqual({ DeleteAfterDays: DEFAULT_BACKUP_RETENTION_DAYS });
        expect(rule.CopyActions).toBeUndefined(); // no copy out of eu-west-2
        const selection = JSON.stringify(ofType(b().resources, 'AWS::Backup::BackupSelection')[0]!.Properties);
        for (const t of b().main.tables.values()) expect(selection).toContain(b().main.getLogicalId(t.node.defaultChild as never));
        expect(backupRetentionDays('90')).toBe(90);
        expect(() => backupRetentionDays('1')).toThrow();
      });
    } else {
      it('no backup plan in dev (a vault with recovery points would block `cdk destroy`); point-in-time recovery stays on', () => {
        expect(ofType(b().resources, 'AWS::Backup::BackupPlan')).toHaveLength(0);
        for (const t of ofType(b().resources, 'AWS::DynamoDB::Table')) expect(t.Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true);
      });
    }
  });

  describe('checks', () => {
    it('AwsSolutionsChecks and NIST80053R5Checks are both clean', () => {
      for (const pack of [new AwsSolutionsChecks(b().app), new NIST80053R5Checks(b().app)]) {
        const report = pack.validateScope(b().app);
        expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
      }
    });

    it('every NIST acknowledgement is on a construct (never the app or a stack) with a specific reason', () => {
      const acks = b().app.node
        .findAll()
        .flatMap((c) =>
          c.node.metadata
            .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
            .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))),
        )
        .filter((a) => a.id.includes('NIST.800.53.R5'));
      for (const a of acks) {
        expect(a.path.split('/').length, a.path).toBeGreaterThan(1);
        expect(a.reason.length).toBeGreaterThan(60);
      }
      const rules = [...new Set(acks.map((a) => a.id.replace(/^.*NIST\.800\.53\.R5-/, '')))].sort();
      expect(rules).toEqual(
        [
          'CloudWatchLogGroupEncrypted', // CDK's BucketDeployment log group (static build copy only)
          'IAMNoInlinePolicy', // one generated least-privilege policy per function role
          'LambdaConcurrency', // bounded by the API throttle / the stream's shards
          'LambdaDLQ', // synchronous invocations; stream consumers dead-letter through their mappings
          'LambdaInsideVPC', // AWS endpoints only, IAM-scoped
          'S3BucketLoggingEnabled', // the web bucket (static build)
          'S3BucketReplicationEnabled', // data stays in eu-west-2
          'S3BucketVersioningEnabled', // the web bucket (static build)
          'S3DefaultEncryptionKMS', // access-log delivery needs SSE-S3; the web bucket is public static files
          'SecretsManagerRotationEnabled', // the origin secret: rotated by the operator with CloudFront's header (docs/DEPLOY.md)
          'WAFv2LoggingEnabled', // WAF logs of a CloudFront ACL would be in us-east-1
          ...(prod ? [] : ['DynamoDBInBackupPlan']), // dev only
        ].sort(),
      );
    });
  });
});
