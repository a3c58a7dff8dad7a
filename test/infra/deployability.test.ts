import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';
import { API_ALARM_THRESHOLDS, API_THROTTLE, ROUTE_THROTTLES, THROTTLED_METRIC } from '../../infra/api-protection';
import { VAULT_LOCK_COMPLIANCE_GRACE_DAYS, VAULT_LOCK_MIN_RETENTION_DAYS } from '../../infra/backups';
import { DEFAULT_BREAK_GLASS_ROLE_NAME, KEY_ADMIN_ACTIONS, KEY_USE_ACTIONS } from '../../infra/data-key';
import { deploymentOptions } from '../../infra/deployment-options';
import { FAILURE_ALARM_THRESHOLDS, NOTIFICATIONS_NOT_PUBLISHED_METRIC } from '../../infra/failure-alarms';
import { ORIGIN_VERIFY_HEADER } from '../../shared/http/origin-verify';
import { LOGGED_FAILURES, OPERATIONAL_METRICS } from '../../shared/metrics/operational';
import { streamConsumers } from '../../shared/api/stream-consumers';
import { tables } from '../../shared/store/tables';
import { PROD_CONTEXT } from '../support/cdk-context';

/**
 * What the cloud engineer's review of issue 26 asked for, on the synthesized templates: alarms for the
 * failures nothing counted, the API's throttles, the key policy, the backup vault, and the per-deployment
 * choices (SES, concurrency, cross-account copy), with a concrete account as `cdk deploy` has.
 */
type Json = Record<string, any>;
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
const ACCOUNT = '123456789012';
const outdirs: string[] = [];

function build(context: Record<string, unknown>) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'waymark-deploy-'));
  outdirs.push(outdir);
  const built = buildApp({ outdir, account: ACCOUNT, context: { ...NO_BUNDLING, ...context } });
  const resources = Template.fromStack(built.stack).toJSON() as Json;
  const edge = Template.fromStack(built.edge).toJSON() as Json;
  return { ...built, template: resources, resources: resources.Resources as Record<string, Json>, outputs: resources.Outputs as Record<string, Json>, edgeResources: edge.Resources as Record<string, Json> };
}

let prod: ReturnType<typeof build>;
let dev: ReturnType<typeof build>;
let custom: ReturnType<typeof build>;
const COPY_VAULT = 'arn:aws:backup:eu-west-2:210987654321:backup-vault:waymark-copies';
beforeAll(() => {
  prod = build(PROD_CONTEXT);
  dev = build({ stage: 'dev' });
  custom = build({
    ...PROD_CONTEXT,
    sesFromAddress: 'waymark@council.example.gov.uk',
    reserveConcurrency: 'false',
    backupCopyVaultArn: COPY_VAULT,
    backupVaultLock: 'compliance',
    breakGlassRoleName: 'CouncilBreakGlass',
    keyAdminRoleNames: 'CouncilKeyAdmin,CouncilSecurity',
  });
}, 180_000);
afterAll(() => {
  for (const d of outdirs) rmSync(d, { recursive: true, force: true });
});

const ofType = (resources: Record<string, Json>, type: string) => Object.values(resources).filter((r) => r.Type === type);
const alarms = (b: ReturnType<typeof build>) => ofType(b.resources, 'AWS::CloudWatch::Alarm');
const alarmsOn = (b: ReturnType<typeof build>, metricName: string) =>
  alarms(b).filter((a) => a.Properties.MetricName === metricName || JSON.stringify(a.Properties.Metrics ?? []).includes(metricName));
const queryOf = (a: Json): string => JSON.stringify(a.Properties.Metrics?.find((m: Json) => m.Expression)?.Expression ?? '');

describe('alarms on failures that are handled, logged or outside the functions', () => {
  it('a failed notification publish: a metric filter on the exact log message, and an alarm on it; SNS delivery failures too', () => {
    const filters = ofType(prod.resources, 'AWS::Logs::MetricFilter').filter((f) => f.Properties.MetricTransformations[0].MetricName === NOTIFICATIONS_NOT_PUBLISHED_METRIC);
    expect(filters).toHaveLength(1);
    expect(filters[0]!.Properties.FilterPattern).toBe(`{ $.message = "${LOGGED_FAILURES.notificationNotPublished}" }`);
    expect(JSON.stringify(filters[0]!.Properties.LogGroupName)).toContain('Functionescalations');
    expect(alarmsOn(prod, NOTIFICATIONS_NOT_PUBLISHED_METRIC)).toHaveLength(1);
    const delivery = alarmsOn(prod, 'NumberOfNotificationsFailed');
    expect(delivery).toHaveLength(1);
    expect(JSON.stringify(delivery[0]!.Properties.Dimensions)).toContain('EscalationNotifications');
  });

  it('records a stream consumer reported as failed, per consumer', () => {
    const found = alarmsOn(prod, OPERATIONAL_METRICS.streamRecordsFailed);
    expect(found.map((a) => a.Properties.Dimensions.find((d: Json) => d.Name === 'consumer').Value).sort()).toEqual(streamConsumers.map((c) => c.id).sort());
    for (const a of found) expect(a.Properties.Namespace).toBe('Waymark');
  });

  it('a sealer that stops running (missing data breaching) or leaves an hour unsealed', () => {
    const silent = alarms(prod).find((a) => a.Properties.MetricName === 'Invocations' && JSON.stringify(a.Properties.Dimensions).includes('StreamFunctionauditsealer'))!;
    expect(silent.Properties).toMatchObject({ ComparisonOperator: 'LessThanThreshold', Threshold: 1, TreatMissingData: 'breaching', Period: FAILURE_ALARM_THRESHOLDS.sealerSilentMinutes * 60 });
    const [age] = alarmsOn(prod, OPERATIONAL_METRICS.auditUnsealedHourAgeMinutes);
    expect(age!.Properties).toMatchObject({ Threshold: FAILURE_ALARM_THRESHOLDS.unsealedHourAgeMinutes, TreatMissingData: 'breaching', Statistic: 'Maximum' });
  });

  it('DynamoDB system errors on every table, every operation', () => {
    const found = alarms(prod).filter((a) => queryOf(a).includes('SUM(SystemErrors)'));
    expect(found).toHaveLength(tables.length);
    for (const def of tables) expect(found.some((a) => queryOf(a).includes(def.id))).toBe(true);
  });

  it('Cognito threat protection detections on this user pool', () => {
    for (const metric of ['AccountTakeoverRisk', 'CompromisedCredentialRisk']) {
      const [a] = alarms(prod).filter((x) => queryOf(x).includes(`SUM(${metric})`));
      expect(queryOf(a!)).toContain('UserPool');
    }
  });

  it('AWS Backup jobs that fail, abort or expire, and copy jobs that fail (prod; dev has no backup plan)', () => {
    for (const metric of ['NumberOfBackupJobsFailed', 'NumberOfBackupJobsAborted', 'NumberOfBackupJobsExpired', 'NumberOfCopyJobsFailed']) {
      expect(alarms(prod).filter((a) => queryOf(a).includes(`SUM(${metric}) FROM \\"AWS/Backup\\"`))).toHaveLength(1);
      expect(alarms(dev).filter((a) => queryOf(a).includes(metric))).toHaveLength(0);
    }
  });

  it('the operations dashboard graphs the handled failures and the unsealed hour', () => {
    const body = JSON.stringify(ofType(prod.resources, 'AWS::CloudWatch::Dashboard')[0]!.Properties.DashboardBody);
    for (const name of [OPERATIONAL_METRICS.streamRecordsFailed, OPERATIONAL_METRICS.auditUnsealedHourAgeMinutes, NOTIFICATIONS_NOT_PUBLISHED_METRIC]) expect(body).toContain(name);
  });

  it('every alarm goes to the alarm topic, with OK notifications', () => {
    for (const b of [prod, dev]) {
      const topicId = b.stack.getLogicalId(b.stack.operations.alarmTopic.node.defaultChild as never);
      for (const a of alarms(b)) {
        expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
        expect(a.Properties.OKActions).toEqual([{ Ref: topicId }]);
      }
    }
  });
});

describe('the API: only through CloudFront and its WAF', () => {
  it('CloudFront adds the origin header to every API request, its value a dynamic reference to the secret (never in the template)', () => {
    const web = Template.fromStack(prod.stack.web).toJSON() as Json;
    const dist = ofType(web.Resources, 'AWS::CloudFront::Distribution')[0]!.Properties.DistributionConfig;
    const api = dist.Origins.find((o: Json) => JSON.stringify(o.DomainName).includes('execute-api'));
    const [header] = api.OriginCustomHeaders;
    expect(header.HeaderName).toBe(ORIGIN_VERIFY_HEADER);
    expect(JSON.stringify(header.HeaderValue)).toContain('{{resolve:secretsmanager:');
    const secret = ofType(prod.resources, 'AWS::SecretsManager::Secret')[0]!.Properties;
    expect(secret.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
    expect(secret.KmsKeyId).toBeDefined();
  });

  it('every API function requires it (the secret named in its configuration, readable by its role alone); stream consumers never see requests', () => {
    const fns = Object.entries(prod.resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    // The origin secret is the one the API functions are configured with (the page-link key is another secret).
    const secretId = fns.find(([id]) => id.startsWith('Function'))![1].Properties.Environment.Variables.ORIGIN_VERIFY_SECRET_ARN.Ref as string;
    expect(prod.resources[secretId]?.Type).toBe('AWS::SecretsManager::Secret');
    for (const [id, fn] of fns) {
      const api = id.startsWith('Function');
      expect([id, fn.Properties.Environment.Variables.ORIGIN_VERIFY_SECRET_ARN]).toEqual([id, api ? { Ref: secretId } : undefined]);
      const role = prod.resources[fn.Properties.Role['Fn::GetAtt'][0]]!;
      const statements = role.Properties.Policies.flatMap((p: Json) => p.PolicyDocument.Statement);
      const read = statements.filter((st: Json) => JSON.stringify(st.Action).includes('secretsmanager:') && JSON.stringify(st.Resource).includes(secretId));
      expect([id, read.map((st: Json) => [st.Action, st.Resource])]).toEqual([id, api ? [['secretsmanager:GetSecretValue', { Ref: secretId }]] : []]);
    }
  });

  it('the web app names no API host in its content security policy (the API answers only through /api)', () => {
    const web = Template.fromStack(prod.stack.web).toJSON() as Json;
    const policy = ofType(web.Resources, 'AWS::CloudFront::ResponseHeadersPolicy')[0]!;
    expect(JSON.stringify(policy)).not.toContain('execute-api');
  });
});

describe('the API: throttles per route, alarms on 429 and 4xx', () => {
  it('throttles the open /health and the heavy reads below the default, per route', () => {
    const stage = ofType(prod.resources, 'AWS::ApiGatewayV2::Stage')[0]!.Properties;
    expect(stage.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: API_THROTTLE.rateLimit, ThrottlingBurstLimit: API_THROTTLE.burstLimit });
    expect(Object.keys(stage.RouteSettings).sort()).toEqual(Object.keys(ROUTE_THROTTLES).sort());
    expect(stage.RouteSettings['GET /health']).toEqual({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 });
    for (const t of Object.values(ROUTE_THROTTLES)) expect(t.rateLimit).toBeLessThan(API_THROTTLE.rateLimit);
  });

  it('counts 429s from the access log and alarms on them and on the 4xx share', () => {
    const [filter] = ofType(prod.resources, 'AWS::Logs::MetricFilter').filter((f) => f.Properties.MetricTransformations[0].MetricName === THROTTLED_METRIC);
    expect(filter!.Properties.FilterPattern).toBe('{ $.status = "429" }');
    expect(JSON.stringify(filter!.Properties.LogGroupName)).toContain('ApiAccessLogs');
    expect(alarmsOn(prod, THROTTLED_METRIC)[0]!.Properties.Threshold).toBe(API_ALARM_THRESHOLDS.throttled429);
    const rate = alarmsOn(prod, '4xx');
    expect(rate).toHaveLength(1);
    expect(rate[0]!.Properties.Threshold).toBe(API_ALARM_THRESHOLDS.clientErrorPercent);
  });
});

describe('the data key: administration apart from use, deletion only by break-glass', () => {
  const statements = (b: ReturnType<typeof build>) => {
    const key = ofType(b.resources, 'AWS::KMS::Key')[0]!;
    return key.Properties.KeyPolicy.Statement as Json[];
  };
  const bySid = (b: ReturnType<typeof build>, sid: string) => statements(b).find((s) => s.Sid === sid)!;

  it('no statement gives the account kms:* any more', () => {
    for (const s of statements(prod)) expect([s.Sid, s.Action]).not.toEqual([s.Sid, 'kms:*']);
  });

  it('administration: management actions only, for the deployment role of this qualifier, the key administrators and break-glass', () => {
    const admin = bySid(prod, 'KeyAdministrationByNamedRoles');
    expect([...admin.Action].sort()).toEqual([...KEY_ADMIN_ACTIONS].sort());
    for (const a of admin.Action as string[]) expect(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ScheduleKeyDeletion']).not.toContain(a);
    const roles = JSON.stringify(admin.Condition.ArnEquals['aws:PrincipalArn']);
    expect(roles).toContain(`role/cdk-hnb659fds-cfn-exec-role-${ACCOUNT}-eu-west-2`);
    expect(roles).toContain(`role/${DEFAULT_BREAK_GLASS_ROLE_NAME}`);
    const custom7 = JSON.stringify(bySid(custom, 'KeyAdministrationByNamedRoles').Condition);
    expect(custom7).toContain('role/CouncilKeyAdmin');
    expect(custom7).toContain('role/CouncilSecurity');
    expect(custom7).toContain('role/CouncilBreakGlass');
  });

  it('use: only through the services that hold the data, in this account', () => {
    const use = bySid(prod, 'KeyUseOnlyThroughWaymarksServices');
    expect([...use.Action].sort()).toEqual([...KEY_USE_ACTIONS].sort());
    expect(use.Condition.StringEquals['kms:CallerAccount']).toBe(ACCOUNT);
    expect(use.Condition.StringEquals['kms:ViaService']).toEqual(expect.arrayContaining(['dynamodb.eu-west-2.amazonaws.com', 'backup.eu-west-2.amazonaws.com']));
  });

  it('denies kms:ScheduleKeyDeletion to everyone but the break-glass role (dev: and the deployment, for cdk destroy)', () => {
    const deny = bySid(prod, 'DenyKeyDeletionExceptBreakGlass');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:ScheduleKeyDeletion' });
    expect(JSON.stringify(deny.Condition.ArnNotEquals['aws:PrincipalArn'])).toBe(JSON.stringify([`arn:aws:iam::${ACCOUNT}:role/${DEFAULT_BREAK_GLASS_ROLE_NAME}`]));
    const devDeny = JSON.stringify(bySid(dev, 'DenyKeyDeletionExceptBreakGlass').Condition);
    expect(devDeny).toContain('cfn-exec-role');
  });
});

describe('backups: vault lock, and a copy to another account by context', () => {
  const vault = (b: ReturnType<typeof build>) => ofType(b.resources, 'AWS::Backup::BackupVault')[0]!.Properties;
  const rule = (b: ReturnType<typeof build>) => ofType(b.resources, 'AWS::Backup::BackupPlan')[0]!.Properties.BackupPlan.BackupPlanRule[0];

  it('locks the vault (governance by default, compliance by context)', () => {
    expect(vault(prod).LockConfiguration).toEqual({ MinRetentionDays: VAULT_LOCK_MIN_RETENTION_DAYS });
    expect(vault(custom).LockConfiguration).toEqual({ MinRetentionDays: VAULT_LOCK_MIN_RETENTION_DAYS, ChangeableForDays: VAULT_LOCK_COMPLIANCE_GRACE_DAYS });
  });

  it('copies each recovery point to the vault of another account in eu-west-2 when asked, and refuses another region or the same account', () => {
    expect(rule(prod).CopyActions).toBeUndefined();
    expect(rule(custom).CopyActions).toEqual([{ DestinationBackupVaultArn: COPY_VAULT, Lifecycle: { DeleteAfterDays: expect.any(Number) } }]);
    const ctx = (values: Record<string, unknown>) => (key: string) => values[key];
    expect(() => deploymentOptions(ctx({ backupCopyVaultArn: 'arn:aws:backup:eu-west-1:210987654321:backup-vault:x1' }), ACCOUNT)).toThrow(/eu-west-2/);
    expect(() => deploymentOptions(ctx({ backupCopyVaultArn: `arn:aws:backup:eu-west-2:${ACCOUNT}:backup-vault:x1` }), ACCOUNT)).toThrow(/another account/);
  });
});

describe('per-deployment choices', () => {
  it('WAF keeps no sampled requests (they would hold bearer tokens in us-east-1)', () => {
    const acl = ofType(prod.edgeResources, 'AWS::WAFv2::WebACL')[0]!.Properties;
    expect(acl.VisibilityConfig.SampledRequestsEnabled).toBe(false);
    for (const r of acl.Rules) expect(r.VisibilityConfig.SampledRequestsEnabled).toBe(false);
  });

  it('Cognito sends e-mail through SES in eu-west-2 when sesFromAddress is set, and its default sender otherwise', () => {
    const pool = (b: ReturnType<typeof build>) => ofType(b.resources, 'AWS::Cognito::UserPool')[0]!.Properties;
    expect(pool(prod).EmailConfiguration?.EmailSendingAccount ?? 'COGNITO_DEFAULT').toBe('COGNITO_DEFAULT');
    const email = pool(custom).EmailConfiguration;
    expect(email.EmailSendingAccount).toBe('DEVELOPER');
    expect(JSON.stringify(email.SourceArn)).toContain(':ses:eu-west-2:');
    expect(email.From).toContain('waymark@council.example.gov.uk');
  });

  it('reserves the sealer one concurrent execution where the account allows it, none with reserveConcurrency=false', () => {
    const sealer = (b: ReturnType<typeof build>) => Object.entries(b.resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('StreamFunctionauditsealer'))![1];
    expect(sealer(prod).Properties.ReservedConcurrentExecutions).toBe(1);
    expect(sealer(custom).Properties.ReservedConcurrentExecutions).toBeUndefined();
    // Throttles of a function limited to one execution are by design (the stream retries); its lag is alarmed instead.
    expect(alarms(prod).filter((a) => a.Properties.MetricName === 'Throttles' && JSON.stringify(a.Properties.Dimensions).includes('auditsealer'))).toHaveLength(0);
    expect(alarms(custom).filter((a) => a.Properties.MetricName === 'Throttles' && JSON.stringify(a.Properties.Dimensions).includes('auditsealer'))).toHaveLength(1);
  });

  it('outputs what operators need: the escalation topic, every table, the digest bucket, the vault and the restore role', () => {
    const names = Object.keys(prod.outputs);
    expect(names).toEqual(expect.arrayContaining(['EscalationTopicArn', 'AlarmTopicArn', 'AuditDigestBucketName', 'BackupVaultName', 'BackupRoleArn', 'DataKeyArn', ...tables.map((t) => `${t.id}TableName`)]));
    expect(Object.keys(dev.outputs)).not.toContain('BackupVaultName');
  });
});
