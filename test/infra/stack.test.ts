import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';
import { FUNCTION_RUNTIME, kmsActionsFor } from '../../infra/api-function';
import type { WaymarkStack } from '../../infra/waymark-stack';
import { checksAccounts, cognitoManageActions, cognitoReadActions, functionDefinitions, routeKey, routes, snsSubscriptionActions } from '../../shared/api/routes';
import { scheduledFunctions } from '../../shared/api/scheduled-functions';
import { streamConsumers } from '../../shared/api/stream-consumers';
import { DEFAULT_DIGEST_RETENTION_DAYS, digestRetentionDays } from '../../infra/waymark-stack';
import { roles } from '../../shared/domain/roles';
import { OPERATIONAL_METRICS } from '../../shared/metrics/operational';
import { auditTable, caseTable, tables } from '../../shared/store/tables';
import { PROD_CONTEXT } from '../support/cdk-context';

/** Synthesis bundles every function with esbuild; allow for a slow machine. */
const SYNTH_TIMEOUT_MS = 300_000;

type Json = Record<string, any>;

let outdir: string;
let app: ReturnType<typeof buildApp>['app'];
let stack: WaymarkStack;
let template: Template;
let resources: Record<string, Json>;

const logicalId = (construct: Parameters<Stack['getLogicalId']>[0]): string => stack.getLogicalId(construct);

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Every policy statement attached to a role: its inline policies and any AWS::IAM::Policy naming it. */
function statementsOfRole(roleLogicalId: string): Json[] {
  const role = resources[roleLogicalId];
  expect(role?.Type).toBe('AWS::IAM::Role');
  const inline = asArray<Json>(role!.Properties?.Policies).flatMap((p) => asArray<Json>(p.PolicyDocument.Statement));
  const attached = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => asArray<Json>(r.Properties.Roles).some((ref) => ref.Ref === roleLogicalId))
    .flatMap((r) => asArray<Json>(r.Properties.PolicyDocument.Statement));
  return [...inline, ...attached];
}

/** Does a (resolved) resource reference point at the given table or one of its indexes? */
function refersTo(resource: unknown, tableLogicalId: string): boolean {
  return JSON.stringify(resource).includes(`"${tableLogicalId}"`);
}

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'waymark-cdk-'));
  ({ app, stack } = buildApp({ outdir, context: PROD_CONTEXT }));
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Record<string, Json>;
}, SYNTH_TIMEOUT_MS);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('stack', () => {
  it('is in eu-west-2', () => {
    expect(stack.region).toBe('eu-west-2');
  });
});

describe('key', () => {
  it('is customer managed, rotated and retained', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
    });
  });

  it('lets CloudWatch Logs in eu-west-2 use it for this stack\'s log groups only', () => {
    const key = resources[logicalId(stack.key.node.defaultChild as never)]!;
    const logsStatement = asArray<Json>(key.Properties.KeyPolicy.Statement).find(
      (s) => s.Principal?.Service === 'logs.eu-west-2.amazonaws.com',
    );
    expect(logsStatement).toBeDefined();
    expect(JSON.stringify(logsStatement!.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'])).toContain(
      'log-group:/waymark/Waymark/*',
    );
  });

  it('encrypts every log group', () => {
    const logGroups = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::LogGroup');
    expect(logGroups.length).toBe(functionDefinitions.length + streamConsumers.length + scheduledFunctions.length + 2); // + pre-token + API access logs
    for (const lg of logGroups) {
      expect(lg.Properties.KmsKeyId).toBeDefined();
      expect(lg.Properties.RetentionInDays).toBeGreaterThan(0);
      expect(lg.Properties.LogGroupName).toMatch(/^\/waymark\/Waymark\//);
    }
  });
});

describe('tables', () => {
  const keyId = () => logicalId(stack.key.node.defaultChild as never);
  const tableResource = (id: (typeof tables)[number]['id']) =>
    resources[logicalId(stack.tables.get(id)!.node.defaultChild as never)]!;

  it.each(tables.map((t) => [t.id, t] as const))('%s table is built from shared/store/tables.ts', (id, def) => {
    const table = tableResource(id);
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    const p = table.Properties;
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [keyId(), 'Arn'] },
    });
    expect(p.PointInTimeRecoverySpecification).toMatchObject({ PointInTimeRecoveryEnabled: true });
    expect(p.DeletionProtectionEnabled).toBe(true);
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: def.timeToLiveAttribute, Enabled: true });
    expect(p.StreamSpecification).toEqual(def.stream ? { StreamViewType: def.stream } : undefined);
    expect(p.KeySchema).toEqual([
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: def.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(((p.GlobalSecondaryIndexes ?? []) as Json[]).map((g) => g.IndexName).sort()).toEqual(
      def.globalSecondaryIndexes.map((g) => g.indexName).sort(),
    );
  });

  it('streams new and old images from the case table', () => {
    expect(tableResource('Case').Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });
});

describe('identity', () => {
  it('requires MFA (OTP, no SMS), a strong password and full threat protection', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
        AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
        Policies: Match.objectLike({
          PasswordPolicy: Match.objectLike({
            MinimumLength: 14,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
            TemporaryPasswordValidityDays: 3,
          }),
        }),
        LambdaConfig: Match.objectLike({
          PreTokenGenerationConfig: Match.objectLike({ LambdaVersion: 'V2_0' }),
        }),
      }),
    });
  });

  it('has one group per role', () => {
    const groups = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup')
      .map((r) => r.Properties.GroupName)
      .sort();
    expect(groups).toEqual([...roles].sort());
    expect(groups).toEqual(['admin', 'champion', 'commissioner', 'supervisor']);
  });

  it('has a public SRP/code+PKCE client that cannot write the team attribute', () => {
    const clients = Object.values(resources).filter((r) => r.Type === 'AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(1);
    const p = clients[0]!.Properties;
    expect(p.GenerateSecret).toBe(false);
    expect(p.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(p.AllowedOAuthFlows).toEqual(['code']);
    expect(p.PreventUserExistenceErrors).toBe('ENABLED');
    expect(p.AccessTokenValidity).toBe(15);
    expect(p.TokenValidityUnits).toMatchObject({ AccessToken: 'minutes' });
    expect(p.WriteAttributes).toBeDefined();
    expect(p.WriteAttributes).not.toContain('custom:team');
  });
});

describe('HTTP API', () => {
  const routeResources = () => Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');

  it('has exactly the routes of shared/api/routes.ts', () => {
    expect(routeResources().map((r) => r.Properties.RouteKey).sort()).toEqual(routes.map(routeKey).sort());
  });

  it.each(routes.map((r) => [routeKey(r), r] as const))('%s has the authorization the route table asks for', (key) => {
    const route = routeResources().find((r) => r.Properties.RouteKey === key);
    expect(route).toBeDefined();
    if (key === 'GET /health') {
      expect(route!.Properties.AuthorizationType).toBe('NONE');
    } else {
      expect(route!.Properties.AuthorizationType).toBe('JWT');
      expect(route!.Properties.AuthorizerId).toBeDefined();
    }
  });

  it('only GET /health is open', () => {
    expect(routes.filter((r) => r.auth === 'none').map(routeKey)).toEqual(['GET /health']);
  });

  it('verifies Cognito access tokens for the web client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: Match.anyValue() }],
        Issuer: Match.anyValue(),
      },
    });
  });

  it('throttles and access-logs the stage without bodies or headers', () => {
    const stages = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const p = stages[0]!.Properties;
    expect(p.StageName).toBe('$default');
    expect(p.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    expect(p.AccessLogSettings.DestinationArn).toBeDefined();
    const format = JSON.parse(p.AccessLogSettings.Format as string) as Record<string, string>;
    expect(Object.keys(format)).toEqual(expect.arrayContaining(['requestId', 'routeKey', 'status', 'latency', 'ip']));
    const values = Object.values(format).join(' ');
    expect(values).not.toMatch(/requestBody|body|authorization|header/i);
  });

  it('allows CORS from the web origin only', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: [PROD_CONTEXT.webOrigin] }),
    });
  });
});

describe('functions', () => {
  const lambdaFunctions = () => Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');

  it('one function per function definition and stream consumer, plus the pre-token trigger', () => {
    expect(lambdaFunctions()).toHaveLength(functionDefinitions.length + streamConsumers.length + scheduledFunctions.length + 1);
    for (const def of streamConsumers) expect(stack.streamFunctions.get(def.id)).toBeDefined();
    for (const def of functionDefinitions) expect(stack.functions.get(def.id)).toBeDefined();
  });

  it('every function runs on nodejs24.x, arm64, with its own log group and the shared settings', () => {
    expect(FUNCTION_RUNTIME.name).toBe('nodejs24.x');
    for (const fn of lambdaFunctions()) {
      const p = fn.Properties;
      expect(p.Runtime).toBe('nodejs24.x');
      expect(p.Architectures).toEqual(['arm64']);
      const consumer = [...streamConsumers, ...scheduledFunctions].find((c) => JSON.stringify(p.Description).includes(`Waymark ${c.id}:`));
      // 512 MB, but for a function whose definition says otherwise (CPU-bound disclosure control).
      const def = [...functionDefinitions, ...scheduledFunctions].find((f) => JSON.stringify(p.Description).includes(`Waymark ${f.id}:`));
      expect(p.MemorySize).toBe(def?.memoryMb ?? 512);
      expect(p.Timeout).toBe(consumer?.timeoutSeconds ?? 10);
      expect(p.Handler).toBe('index.handler');
      expect(p.LoggingConfig.LogGroup).toBeDefined();
      expect(p.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'waymark',
        NODE_OPTIONS: '--enable-source-maps',
      });
    }
  });

  it('API functions learn the table names and how to verify tokens', () => {
    for (const def of functionDefinitions) {
      const fn = resources[logicalId(stack.functions.get(def.id)!.function.node.defaultChild as never)]!;
      const vars = fn.Properties.Environment.Variables as Json;
      for (const t of tables) expect(vars[t.envVar]).toEqual({ Ref: logicalId(stack.tables.get(t.id)!.node.defaultChild as never) });
      expect(vars.JWT_ALGORITHMS).toBe('RS256');
      expect(vars.JWT_AUDIENCE).toBeDefined();
      expect(JSON.stringify(vars.JWT_ISSUER)).toContain('https://cognito-idp.eu-west-2.amazonaws.com/');
      expect(JSON.stringify(vars.JWKS_URL)).toContain('/.well-known/jwks.json');
    }
  });

  it('no function role uses an AWS managed policy', () => {
    // (AWS Backup's role, infra/backups.ts, uses AWS's service-role policies for backup and restore: test/infra/production.test.ts.)
    const assumedByLambda = (r: Json) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com');
    for (const role of Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Role' && assumedByLambda(r))) {
      expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
    }
  });

  it.each(functionDefinitions.map((d) => [d.id, d] as const))(
    '%s is granted exactly the table actions of its definition',
    (id, def) => {
      const fn = stack.functions.get(id)!;
      const statements = statementsOfRole(logicalId(fn.role.node.defaultChild as never));
      const granted = new Set(
        statements.flatMap((s) => asArray<string>(s.Action)).filter((a) => a.startsWith('dynamodb:')),
      );
      const expected = new Set(def.grants.flatMap((g) => [...g.actions]));
      expect([...granted].sort()).toEqual([...expected].sort());

      for (const grant of def.grants) {
        const tableId = logicalId(stack.tables.get(grant.table)!.node.defaultChild as never);
        const onTable = statements.filter((s) => asArray(s.Resource).some((r) => refersTo(r, tableId)));
        expect(onTable.flatMap((s) => asArray<string>(s.Action)).sort()).toEqual([...grant.actions].sort());
        const indexResources = onTable.flatMap((s) => asArray(s.Resource)).filter((r) => JSON.stringify(r).includes('/index/'));
        expect(indexResources).toHaveLength(grant.indexes?.length ?? 0);
        for (const r of indexResources) expect(JSON.stringify(r)).not.toContain('index/*');
      }

      const kms = statements.flatMap((s) => asArray<string>(s.Action)).filter((a) => a.startsWith('kms:'));
      // Every API function reads the origin header's secret (encrypted with the stack key).
      expect(kms.sort()).toEqual(kmsActionsFor(def.grants, def.digestGrants, def.publishesNotifications === true, true).sort());

      const other = statements
        .flatMap((s) => asArray<string>(s.Action))
        .filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('kms:'));
      expect(other.sort()).toEqual(
        [
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'secretsmanager:GetSecretValue',
          ...(def.digestGrants ?? []),
          ...(def.publishesNotifications ? ['sns:Publish'] : []),
          ...(def.managesSubscriptions ? snsSubscriptionActions : []),
          ...(def.pages ? ['secretsmanager:GetSecretValue'] : []),
          ...(!checksAccounts(def.id) ? [] : def.managesAccounts ? cognitoManageActions : cognitoReadActions),
        ].sort(),
      );
    },
  );

  it('page links are sealed with a generated secret under the stack key, readable by the functions that answer lists, on that secret alone', () => {
    const secrets = Object.entries(template.findResources('AWS::SecretsManager::Secret')).filter(([, r]) => /page links/.test(r.Properties.Description));
    expect(secrets).toHaveLength(1);
    const [secretId, secret] = secrets[0]!;
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(refersTo(secret.Properties.KmsKeyId, logicalId(stack.key.node.defaultChild as never))).toBe(true);
    for (const def of functionDefinitions) {
      const fn = stack.functions.get(def.id)!;
      const reads = statementsOfRole(logicalId(fn.role.node.defaultChild as never)).filter(
        (st) => asArray<string>(st.Action).includes('secretsmanager:GetSecretValue') && refersTo(st.Resource, secretId),
      );
      expect(reads.length, def.id).toBe(def.pages ? 1 : 0);
      for (const st of reads) expect(st.Resource).toEqual({ Ref: secretId });
      const env = resources[logicalId(fn.function.node.defaultChild as never)]!.Properties.Environment.Variables;
      expect(env.CURSOR_KEY_SECRET_ARN, def.id).toEqual(def.pages ? { Ref: secretId } : undefined);
    }
  });

  it('every signed-in function reads the directory (ListUsers, AdminListGroupsForUser) on the user pool for the per-request account check; only the users function changes accounts, with exactly the actions its adapter calls', () => {
    const poolId = logicalId(stack.userPool.node.defaultChild as never);
    for (const def of functionDefinitions) {
      const fn = stack.functions.get(def.id)!;
      const cognito = statementsOfRole(logicalId(fn.role.node.defaultChild as never)).filter((st) => asArray<string>(st.Action).some((a) => a.startsWith('cognito-idp:')));
      expect(cognito.length, def.id).toBe(checksAccounts(def.id) ? 1 : 0);
      for (const st of cognito) {
        expect(refersTo(st.Resource, poolId)).toBe(true);
        expect(asArray<string>(st.Action).sort(), def.id).toEqual([...(def.managesAccounts ? cognitoManageActions : cognitoReadActions)].sort());
      }
      const env = resources[logicalId(fn.function.node.defaultChild as never)]!.Properties.Environment.Variables;
      expect(env.USER_POOL_ID !== undefined, def.id).toBe(checksAccounts(def.id));
    }
    expect(functionDefinitions.filter((d) => d.managesAccounts).map((d) => d.id)).toEqual(['users']);
    expect(functionDefinitions.filter((d) => !checksAccounts(d.id)).map((d) => d.id)).toEqual(['health']);
  });
});

describe('the audit trail: least privilege, proven on the template', () => {
  const auditId = () => logicalId(stack.tables.get(auditTable.id)!.node.defaultChild as never);
  const sealer = () => stack.streamFunctions.get('audit-sealer')!;
  /** Every function role of the stack, by function id (API functions, stream consumers, scheduled functions). */
  const functionRoles = () => {
    const out = new Map<string, string>();
    for (const [id, fn] of stack.functions) out.set(id, logicalId(fn.role.node.defaultChild as never));
    for (const [id, fn] of stack.streamFunctions) out.set(id, logicalId(fn.role.node.defaultChild as never));
    for (const [id, fn] of stack.scheduled.functions) out.set(id, logicalId(fn.role.node.defaultChild as never));
    return out;
  };
  const isStreamRef = (r: unknown) => JSON.stringify(r).includes('StreamArn');
  /** DynamoDB actions a role has on the audit table or its indexes (not its stream). */
  const auditTableActions = (roleId: string) =>
    statementsOfRole(roleId)
      .filter((s) => asArray(s.Resource).some((r) => refersTo(r, auditId()) && !isStreamRef(r)))
      .flatMap((s) => asArray<string>(s.Action))
      .filter((a) => a.startsWith('dynamodb:'));

  it('every role in the stack is a function role we know of (no policy is missed below)', () => {
    const roleIds = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role').map(([id]) => id);
    const known = new Set([...functionRoles().values(), logicalId(stack.node.findChild('PreTokenFunction').node.findChild('Role').node.defaultChild as never)]);
    for (const id of roleIds) expect(known.has(id) || !resources[id]!.Properties.AssumeRolePolicyDocument.Statement.some((s: Json) => JSON.stringify(s.Principal).includes('lambda'))).toBe(true);
  });

  it('only the sealer can read the audit table\'s stream, and only the sealer\'s event source mapping reads it', () => {
    const readers: string[] = [];
    for (const r of Object.values(resources)) {
      const docs =
        r.Type === 'AWS::IAM::Role' ? asArray<Json>(r.Properties.Policies).map((p) => p.PolicyDocument)
        : r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy' ? [r.Properties.PolicyDocument]
        : [];
      for (const doc of docs) {
        for (const s of asArray<Json>(doc.Statement)) {
          const onAuditStream = asArray(s.Resource).some((res) => refersTo(res, auditId()) && isStreamRef(res)) || asArray(s.Resource).includes('*');
          const streamActions = asArray<string>(s.Action).filter((a) => /^dynamodb:(GetRecords|GetShardIterator|DescribeStream|ListStreams|\*)$/.test(a));
          if (onAuditStream && streamActions.length > 0) readers.push(JSON.stringify(r.Properties.RoleName ?? r.Properties.Roles ?? r));
        }
      }
    }
    expect(readers).toHaveLength(1);
    const sealerStatements = statementsOfRole(logicalId(sealer().role.node.defaultChild as never));
    const streamStatement = sealerStatements.find((s) => asArray(s.Resource).some(isStreamRef))!;
    expect(asArray<string>(streamStatement.Action).sort()).toEqual(
      ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
    );
    expect(streamStatement.Resource).toEqual({ 'Fn::GetAtt': [auditId(), 'StreamArn'] });

    const mappings = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
    const onAudit = mappings.filter((m) => refersTo(m.Properties.EventSourceArn, auditId()));
    expect(onAudit).toHaveLength(1);
    expect(onAudit[0]!.Properties.FunctionName).toEqual({ Ref: logicalId(sealer().function.node.defaultChild as never) });
  });

  it('the sealer\'s event source mapping reports item failures, bisects, retries a bounded number of times and dead-letters to an encrypted, TLS-only queue', () => {
    const def = streamConsumers.find((c) => c.id === 'audit-sealer')!;
    const mapping = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && refersTo(r.Properties.EventSourceArn, auditId()))!;
    expect(mapping.Properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: def.retryAttempts,
      BatchSize: def.batchSize,
      StartingPosition: 'TRIM_HORIZON',
    });
    const queueArn = mapping.Properties.DestinationConfig.OnFailure.Destination;
    const queueId = queueArn['Fn::GetAtt'][0] as string;
    expect(resources[queueId]!.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [logicalId(stack.key.node.defaultChild as never), 'Arn'] });
    const queuePolicy = Object.values(resources).find((r) => r.Type === 'AWS::SQS::QueuePolicy' && JSON.stringify(r.Properties.Queues).includes(queueId))!;
    expect(JSON.stringify(queuePolicy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    // The sealer may send to its queue and nothing else there.
    const sqsActions = statementsOfRole(logicalId(sealer().role.node.defaultChild as never)).flatMap((s) => asArray<string>(s.Action)).filter((a) => a.startsWith('sqs:'));
    expect(sqsActions).toEqual(['sqs:SendMessage']);
    // One sealer at a time; a schedule for quiet spells.
    const fn = resources[logicalId(sealer().function.node.defaultChild as never)]!;
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(1);
    const rules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule' && JSON.stringify(r.Properties.Targets).includes(logicalId(sealer().function.node.defaultChild as never)));
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties.ScheduleExpression).toBe(`rate(${def.scheduleMinutes} minutes)`);
  });

  it('appenders have only PutItem on the audit table; only the audit-query function and the sealer Query it; nobody can update or delete', () => {
    for (const [id, roleId] of functionRoles()) {
      const actions = [...new Set(auditTableActions(roleId))].sort();
      if (id === 'audit' || id === 'audit-sealer') {
        expect(actions, id).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
      } else if (actions.length > 0) {
        expect(actions, id).toEqual(['dynamodb:PutItem']);
      }
    }
    // Across every policy document in the template, whoever it belongs to.
    for (const r of Object.values(resources)) {
      const docs =
        r.Type === 'AWS::IAM::Role' ? asArray<Json>(r.Properties.Policies).map((p) => p.PolicyDocument)
        : r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy' ? [r.Properties.PolicyDocument]
        : [];
      for (const doc of docs) {
        for (const s of asArray<Json>(doc.Statement)) {
          if (!asArray(s.Resource).some((res) => refersTo(res, auditId()))) continue;
          for (const a of asArray<string>(s.Action)) {
            expect(a).not.toMatch(/^dynamodb:(UpdateItem|DeleteItem|BatchWriteItem|PartiQL.*|\*|Scan|DeleteTable|UpdateTable|UpdateTimeToLive)$/);
          }
        }
      }
    }
  });

  it('the digest bucket is private, TLS-only, encrypted with the stack key, and write-once with Object Lock in compliance mode', () => {
    const bucket = resources[logicalId(stack.digestBucket.node.defaultChild as never)]!;
    expect(bucket.DeletionPolicy).toBe('Retain');
    const p = bucket.Properties;
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(p.ObjectLockEnabled).toBe(true);
    expect(p.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: DEFAULT_DIGEST_RETENTION_DAYS } },
    });
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(stack.key.node.defaultChild as never), 'Arn'] },
    });
    expect(p.LoggingConfiguration).toBeDefined();
    const policy = Object.values(resources).find(
      (r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === logicalId(stack.digestBucket.node.defaultChild as never),
    )!;
    const deny = asArray<Json>(policy.Properties.PolicyDocument.Statement).find((s) => s.Effect === 'Deny')!;
    expect(deny.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    // Nobody may delete digests or change their retention.
    for (const r of Object.values(resources).filter((x) => x.Type === 'AWS::IAM::Role')) {
      const actions = asArray<Json>(r.Properties.Policies).flatMap((pol) => asArray<Json>(pol.PolicyDocument.Statement)).flatMap((s) => asArray<string>(s.Action));
      for (const a of actions) expect(a).not.toMatch(/^s3:(Delete|PutObjectRetention|PutObjectLegalHold|BypassGovernanceRetention|PutBucket|\*)/);
    }
    // The sealer writes and reads digests; the audit function only reads them; no other function touches them.
    const s3Actions = (fn: { role: { node: { defaultChild?: unknown } } }) =>
      statementsOfRole(logicalId(fn.role.node.defaultChild as never)).flatMap((s) => asArray<string>(s.Action)).filter((a) => a.startsWith('s3:')).sort();
    expect(s3Actions(sealer())).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(s3Actions(stack.functions.get('audit')!)).toEqual(['s3:GetObject', 's3:ListBucket']);
    for (const [id, fn] of stack.functions) if (id !== 'audit') expect(s3Actions(fn), id).toEqual([]);
  });

  it('the digest retention outlives the audit events (and so the case records) and is configurable', () => {
    expect(DEFAULT_DIGEST_RETENTION_DAYS).toBe(2922);
    expect(digestRetentionDays(undefined)).toBe(DEFAULT_DIGEST_RETENTION_DAYS);
    expect(digestRetentionDays('3650')).toBe(3650);
    expect(() => digestRetentionDays(2557)).toThrow(/above 2557/);
    expect(() => digestRetentionDays('ten years')).toThrow();
  });
});

describe('the reporting aggregator', () => {
  it('reads the case stream through a mapping that reports item failures, bisects, retries and dead-letters; writes only the Aggregates table', () => {
    const aggregator = stack.streamFunctions.get('aggregator')!;
    const caseId = logicalId(stack.tables.get('Case')!.node.defaultChild as never);
    const aggregatesId = logicalId(stack.tables.get('Aggregates')!.node.defaultChild as never);
    const def = streamConsumers.find((c) => c.id === 'aggregator')!;
    const mapping = Object.values(resources).find(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties.FunctionName?.Ref === logicalId(aggregator.function.node.defaultChild as never),
    )!;
    expect(refersTo(mapping.Properties.EventSourceArn, caseId)).toBe(true);
    expect(mapping.Properties).toMatchObject({ FunctionResponseTypes: ['ReportBatchItemFailures'], BisectBatchOnFunctionError: true, MaximumRetryAttempts: def.retryAttempts });
    expect(mapping.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
    const statements = statementsOfRole(logicalId(aggregator.role.node.defaultChild as never));
    const onCaseTable = statements.filter((s) => asArray(s.Resource).some((r) => refersTo(r, caseId) && !JSON.stringify(r).includes('StreamArn')));
    expect(onCaseTable).toEqual([]);
    const onAggregates = statements.filter((s) => asArray(s.Resource).some((r) => refersTo(r, aggregatesId))).flatMap((s) => asArray<string>(s.Action));
    expect(onAggregates.sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    // The Aggregates table has no stream (counter writes never feed a consumer), and no API function writes it (they
    // read counters and stored protections; the aggregator and the scheduled functions write).
    expect(resources[aggregatesId]!.Properties.StreamSpecification).toBeUndefined();
    for (const [id, fn] of stack.functions) {
      const writes = statementsOfRole(logicalId(fn.role.node.defaultChild as never))
        .filter((s) => asArray(s.Resource).some((r) => refersTo(r, aggregatesId)))
        .flatMap((s) => asArray<string>(s.Action))
        .filter((a) => a !== 'dynamodb:Query' && a !== 'dynamodb:BatchGetItem');
      expect(writes, id).toEqual([]);
    }
  });
});

describe('the scheduled reconciliation of notification subscriptions (issue 22)', () => {
  const fn = () => stack.scheduled.functions.get('subscriptions')!;
  const fnId = () => logicalId(fn().function.node.defaultChild as never);

  it('runs hourly from an EventBridge rule, one run at a time, with the topic and the user pool in its configuration', () => {
    const rules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule' && JSON.stringify(r.Properties.Targets).includes(`"${fnId()}"`));
    expect(rules.map((r) => r.Properties.ScheduleExpression)).toEqual(['rate(1 hour)']);
    const props = resources[fnId()]!.Properties;
    expect(props.ReservedConcurrentExecutions).toBe(1);
    expect(props.Environment.Variables.NOTIFICATION_TOPIC_ARN).toEqual({ Ref: logicalId(stack.notificationTopic.node.defaultChild as never) });
    expect(props.Environment.Variables.USER_POOL_ID).toEqual({ Ref: logicalId(stack.userPool.node.defaultChild as never) });
  });

  it('may keep the subscriptions of the topic alone, read addresses (AdminGetUser) of the pool alone, and read people and the on-call setting', () => {
    const statements = statementsOfRole(logicalId(fn().role.node.defaultChild as never));
    const topicId = logicalId(stack.notificationTopic.node.defaultChild as never);
    const poolId = logicalId(stack.userPool.node.defaultChild as never);
    const sns = statements.filter((st) => asArray<string>(st.Action).some((a) => a.startsWith('sns:')));
    expect(sns.map((st) => [asArray<string>(st.Action).sort(), asArray(st.Resource)])).toEqual([[[...snsSubscriptionActions].sort(), [{ Ref: topicId }]]]);
    const cognito = statements.filter((st) => asArray<string>(st.Action).some((a) => a.startsWith('cognito-idp:')));
    expect(cognito.map((st) => [asArray<string>(st.Action), asArray(st.Resource)])).toEqual([[['cognito-idp:AdminGetUser'], [{ 'Fn::GetAtt': [poolId, 'Arn'] }]]]);
    const caseId = logicalId(stack.tables.get('Case')!.node.defaultChild as never);
    const onCase = [...new Set(statements.filter((st) => asArray(st.Resource).some((r) => refersTo(r, caseId))).flatMap((st) => asArray<string>(st.Action)))].sort();
    expect(onCase).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(statements.flatMap((st) => asArray<string>(st.Action)).filter((a) => /^(dynamodb:(Put|Update|Delete)|sns:Publish|secretsmanager:)/.test(a))).toEqual([]);
  });
});

describe('the scheduled reconciliation', () => {
  const def = scheduledFunctions.find((f) => f.id === 'reconciler')!;
  const reconciler = () => stack.scheduled.functions.get('reconciler')!;
  const fnId = () => logicalId(reconciler().function.node.defaultChild as never);

  it('runs daily from an EventBridge rule, one run at a time', () => {
    expect(def.scheduleHours).toBe(24);
    const rules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule' && JSON.stringify(r.Properties.Targets).includes(`"${fnId()}"`));
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties.ScheduleExpression).toBe('rate(1 day)');
    expect(rules[0]!.Properties.State ?? 'ENABLED').toBe('ENABLED');
    // EventBridge may invoke it (and nothing else is granted to invoke it).
    const permissions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Permission' && JSON.stringify(r.Properties.FunctionName).includes(`"${fnId()}"`));
    expect(permissions.map((p) => p.Properties.Principal)).toEqual(['events.amazonaws.com']);
    const fn = resources[fnId()]!;
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(1);
    expect(fn.Properties.Timeout).toBe(def.timeoutSeconds);
  });

  it('reads the case table with Query only (no Scan), and writes the Aggregates table only by update and its cursor', () => {
    const caseId = logicalId(stack.tables.get('Case')!.node.defaultChild as never);
    const aggregatesId = logicalId(stack.tables.get('Aggregates')!.node.defaultChild as never);
    const statements = statementsOfRole(logicalId(reconciler().role.node.defaultChild as never));
    const on = (tableId: string) => [...new Set(statements.filter((s) => asArray(s.Resource).some((r) => refersTo(r, tableId))).flatMap((s) => asArray<string>(s.Action)))].sort();
    expect(on(caseId)).toEqual(['dynamodb:Query']);
    expect(on(aggregatesId)).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    const auditId = logicalId(stack.tables.get('Audit')!.node.defaultChild as never);
    expect(on(auditId)).toEqual([]);
  });

  it('raises an alarm, to the operations topic, whenever a run repaired a counter', () => {
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === 'CountersRepaired');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({
      Namespace: stack.stackName,
      Dimensions: [{ Name: 'service', Value: 'waymark' }],
      Statistic: 'Maximum',
      Period: 86_400,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    const topicId = logicalId(stack.operations.alarmTopic.node.defaultChild as never);
    expect(JSON.stringify(alarms[0]!.Properties.AlarmActions)).toContain(`"${topicId}"`);
  });

  it('raises an alarm, to the operations topic, when a notification subscription could not be kept in step (issue 22)', () => {
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === OPERATIONAL_METRICS.notificationSubscriptionsNotUpdated);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({
      Namespace: stack.stackName,
      Dimensions: [{ Name: 'service', Value: 'waymark' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    const topicId = logicalId(stack.operations.alarmTopic.node.defaultChild as never);
    expect(JSON.stringify(alarms[0]!.Properties.AlarmActions)).toContain(`"${topicId}"`);
    expect(JSON.stringify(alarms[0]!.Properties.OKActions)).toContain(`"${topicId}"`);
  });
});

describe('outputs', () => {
  it('the notification topic is encrypted with the stack key and TLS-only; only functions that publish notifications may publish, to it alone', () => {
    const topicId = logicalId(stack.notificationTopic.node.defaultChild as never);
    const keyId = logicalId(stack.key.node.defaultChild as never);
    expect(resources[topicId]!.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    const topicPolicy = Object.values(resources).find((r) => r.Type === 'AWS::SNS::TopicPolicy' && JSON.stringify(r.Properties.Topics).includes(topicId));
    const denyInsecure = asArray<Json>(topicPolicy?.Properties.PolicyDocument.Statement).find((st) => st.Effect === 'Deny');
    expect(denyInsecure?.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    const publishers: string[] = [];
    for (const [id, fn] of [...stack.functions, ...stack.streamFunctions]) {
      const publish = statementsOfRole(logicalId(fn.role.node.defaultChild as never)).filter((st) => asArray<string>(st.Action).includes('sns:Publish'));
      if (publish.length === 0) continue;
      publishers.push(id);
      for (const st of publish) {
        expect(asArray<string>(st.Action)).toEqual(['sns:Publish']);
        expect(asArray(st.Resource)).toEqual([{ Ref: topicId }]);
      }
      const vars = resources[logicalId(fn.function.node.defaultChild as never)]!.Properties.Environment.Variables as Json;
      expect(vars.NOTIFICATION_TOPIC_ARN).toEqual({ Ref: topicId });
    }
    expect(publishers.sort()).toEqual(functionDefinitions.filter((d) => d.publishesNotifications).map((d) => d.id).sort());
    expect(publishers).toEqual(['escalations']);
  });

  it('only the functions that change people and settings keep the notification subscriptions, on that topic alone (issue 22)', () => {
    const topicId = logicalId(stack.notificationTopic.node.defaultChild as never);
    const keepers: string[] = [];
    for (const [id, fn] of stack.functions) {
      const statements = statementsOfRole(logicalId(fn.role.node.defaultChild as never)).filter((st) => asArray<string>(st.Action).some((a) => a.startsWith('sns:') && a !== 'sns:Publish'));
      if (statements.length === 0) continue;
      keepers.push(id);
      for (const st of statements) {
        expect(asArray<string>(st.Action).sort()).toEqual([...snsSubscriptionActions].sort());
        expect(asArray(st.Resource)).toEqual([{ Ref: topicId }]);
      }
      const vars = resources[logicalId(fn.function.node.defaultChild as never)]!.Properties.Environment.Variables as Json;
      expect(vars.NOTIFICATION_TOPIC_ARN).toEqual({ Ref: topicId });
    }
    expect(keepers.sort()).toEqual(['settings', 'users']);
    expect(functionDefinitions.filter((d) => d.managesSubscriptions).map((d) => d.id).sort()).toEqual(['settings', 'users']);
  });

  it('publishes the API URL, user pool id and client id', () => {
    const outputs = template.toJSON().Outputs as Json;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ApiUrl', 'UserPoolId', 'UserPoolClientId']));
  });
});

describe('cdk-nag', () => {
  it('AwsSolutionsChecks is registered on the app', () => {
    // Validations.of(app).addPlugins(...) stores plugins on the stage.
    const plugins = (app as unknown as { _validationPlugins?: unknown[] })._validationPlugins ?? [];
    expect(plugins.some((p) => p instanceof AwsSolutionsChecks)).toBe(true);
  });

  it('every acknowledgement carries a specific reason, and is written into the template', () => {
    const acknowledgements = app.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))),
      )
      // NIST 800-53 R5 acknowledgements are listed in test/infra/production.test.ts.
      .filter((a) => !a.id.includes('NIST.800.53.R5'));
    // Exactly the accepted exceptions; adding one must be a deliberate change to this list.
    expect(acknowledgements.map((a) => `${a.path} ${a.id.replace(/^annotation::/i, '').replace(/<AuditDigests[0-9A-F]+\.Arn>/, '<AuditDigests.Arn>')}`).sort()).toEqual([
      'Waymark/Api/GET--health AwsSolutions-APIG4',
      'Waymark/AuditDigestAccessLogs AwsSolutions-S1',
      'Waymark/Backups/Plan/Tables AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      'Waymark/Backups/Plan/Tables AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]',
      'Waymark/Function-audit/Role AwsSolutions-IAM5[Resource::<AuditDigests.Arn>/digests/*]',
      // Rotated by the operator with CloudFront's origin header (docs/DEPLOY.md), not by a rotation function.
      'Waymark/OriginVerify/Secret AwsSolutions-SMG4',
      // The page-link secret (infra/cursor-key.ts): rotating it would only invalidate page links in flight.
      'Waymark/CursorKey/Secret AwsSolutions-SMG4',
      'Waymark/StreamFailures-audit-sealer AwsSolutions-SQS3',
      'Waymark/StreamFailures-aggregator AwsSolutions-SQS3',
      'Waymark/StreamFunction-audit-sealer/Role AwsSolutions-IAM5[Resource::<AuditDigests.Arn>/digests/*]',
      // The web app's nested stack (infra/web-hosting.ts): its bucket and distribution, and CDK's BucketDeployment function.
      'Waymark/Web/Bucket AwsSolutions-S1',
      'Waymark/Web/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB AwsSolutions-L1',
      'Waymark/Web/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB/ServiceRole AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'Waymark/Web/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB/ServiceRole AwsSolutions-IAM5[Action::s3:Abort*]',
      'Waymark/Web/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB/ServiceRole AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'Waymark/Web/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB/ServiceRole AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'Waymark/Web/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB/ServiceRole AwsSolutions-IAM5[Action::s3:GetObject*]',
      'Waymark/Web/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB/ServiceRole AwsSolutions-IAM5[Action::s3:List*]',
      'Waymark/Web/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB/ServiceRole AwsSolutions-IAM5[Resource::*]',
      'Waymark/Web/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB/ServiceRole AwsSolutions-IAM5[Resource::<Bucket83908E77.Arn>/*]',
      // The asset bucket as this synthesis names it (infra/nag.ts): a concrete account or another qualifier names it otherwise.
      'Waymark/Web/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C256MiB/ServiceRole AwsSolutions-IAM5[Resource::arn:aws:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-eu-west-2/*]',
      'Waymark/Web/Distribution AwsSolutions-CFR1',
      'Waymark/Web/Distribution AwsSolutions-CFR3',
      // No CFR4: prod has its own domain and certificate (TLS 1.2 at least).
    ].sort());
    for (const a of acknowledgements) expect(a.reason.length).toBeGreaterThan(40);

    const healthRoute = Object.values(resources).find(
      (r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties.RouteKey === 'GET /health',
    )!;
    expect(healthRoute.Metadata?.cdk_nag?.rules_to_suppress).toEqual([
      { id: 'AwsSolutions-APIG4', reason: expect.stringContaining('liveness probe') },
    ]);
  });

  it('reports no unacknowledged finding', () => {
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const findings = report.violations.map(
      (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });
});
