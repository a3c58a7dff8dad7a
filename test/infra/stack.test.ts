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
import { functionDefinitions, routeKey, routes } from '../../shared/api/routes';
import { roles } from '../../shared/domain/roles';
import { auditTable, caseTable, tables } from '../../shared/store/tables';

/** Synthesis bundles every function with esbuild; allow for a slow machine. */
const SYNTH_TIMEOUT_MS = 120_000;

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
  ({ app, stack } = buildApp({ outdir }));
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
    expect(logGroups.length).toBe(functionDefinitions.length + 2); // + pre-token + API access logs
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
    expect(p.StreamSpecification).toEqual({ StreamViewType: def.stream });
    expect(p.KeySchema).toEqual([
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: def.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect((p.GlobalSecondaryIndexes as Json[]).map((g) => g.IndexName).sort()).toEqual(
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
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['http://localhost:3000'] }),
    });
  });
});

describe('functions', () => {
  const lambdaFunctions = () => Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');

  it('one function per function definition, plus the pre-token trigger', () => {
    expect(lambdaFunctions()).toHaveLength(functionDefinitions.length + 1);
    for (const def of functionDefinitions) expect(stack.functions.get(def.id)).toBeDefined();
  });

  it('every function runs on nodejs24.x, arm64, with its own log group and the shared settings', () => {
    expect(FUNCTION_RUNTIME.name).toBe('nodejs24.x');
    for (const fn of lambdaFunctions()) {
      const p = fn.Properties;
      expect(p.Runtime).toBe('nodejs24.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.MemorySize).toBe(512);
      expect(p.Timeout).toBe(10);
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
    for (const role of Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Role')) {
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
      expect(kms.sort()).toEqual(kmsActionsFor(def.grants).sort());

      const other = statements
        .flatMap((s) => asArray<string>(s.Action))
        .filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('kms:'));
      expect(other.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    },
  );

  it('no policy in the stack grants more than PutItem on the audit table, nor its stream', () => {
    const auditId = logicalId(stack.tables.get(auditTable.id)!.node.defaultChild as never);
    const policies = Object.values(resources).flatMap((r) => {
      if (r.Type === 'AWS::IAM::Role') return asArray<Json>(r.Properties.Policies).map((p) => p.PolicyDocument);
      if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') return [r.Properties.PolicyDocument];
      return [];
    });
    for (const doc of policies) {
      for (const s of asArray<Json>(doc.Statement)) {
        const actions = asArray<string>(s.Action);
        if (!asArray(s.Resource).some((r) => refersTo(r, auditId))) continue;
        for (const a of actions.filter((x) => x.startsWith('dynamodb:'))) expect(a).toBe('dynamodb:PutItem');
        expect(JSON.stringify(s.Resource)).not.toContain('StreamArn');
      }
    }
    // ...and no event source mapping reads the audit stream.
    for (const esm of Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping')) {
      expect(JSON.stringify(esm.Properties.EventSourceArn)).not.toContain(auditId);
    }
    // The case table exists too and is the only one with a consumer-facing stream view of old images.
    expect(caseTable.stream).toBe('NEW_AND_OLD_IMAGES');
  });
});

describe('outputs', () => {
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
      );
    // Exactly the accepted exceptions; adding one must be a deliberate change to this list.
    expect(acknowledgements.map((a) => `${a.path} ${a.id.replace(/^annotation::/i, '')}`)).toEqual([
      'Waymark/Api/GET--health AwsSolutions-APIG4',
    ]);
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
