import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { functionDefinitions, routeKey, routes, type HttpMethod as RouteMethod } from '../shared/api/routes';
import { roleLabels, roles } from '../shared/domain/roles';
import { tables, type AttributeType, type TableId } from '../shared/store/tables';
import { ApiFunction, LOG_RETENTION } from './api-function';

export interface WaymarkStackProps extends StackProps {
  /** Origin of the web app (scheme://host[:port], no path): CORS origin and OAuth callback. */
  readonly webOrigin: string;
}

/** The one route that is open without a token. */
export const HEALTH_ROUTE_KEY = 'GET /health';

/** Stage throttling (requests per second, steady and burst) for the whole API. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/** Access-log line: who called what and how it went; never bodies, headers or tokens. */
export const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  responseLength: '$context.responseLength',
  ip: '$context.identity.sourceIp',
  protocol: '$context.protocol',
  authorizerError: '$context.authorizer.error',
  integrationError: '$context.integrationErrorMessage',
} as const;

const attributeType = (t: AttributeType): dynamodb.AttributeType =>
  t === 'N' ? dynamodb.AttributeType.NUMBER : dynamodb.AttributeType.STRING;

const httpMethod: Record<RouteMethod, HttpMethod> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  PATCH: HttpMethod.PATCH,
  DELETE: HttpMethod.DELETE,
};

/**
 * Waymark in AWS: one stack in eu-west-2. Tables, routes and function grants are
 * built from the shared definitions (shared/store/tables.ts, shared/api/routes.ts);
 * this file holds no product rule.
 */
export class WaymarkStack extends Stack {
  readonly key: kms.Key;
  readonly tables: ReadonlyMap<TableId, dynamodb.Table>;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly api: HttpApi;
  readonly functions: ReadonlyMap<string, ApiFunction>;

  constructor(scope: Construct, id: string, props: WaymarkStackProps) {
    super(scope, id, props);
    const webOrigin = props.webOrigin;

    // Every log group of this stack is named under this prefix, so that the key
    // policy can let CloudWatch Logs use the key for these log groups only.
    const logGroupPrefix = `/waymark/${this.stackName}/`;

    // ---- Key -------------------------------------------------------------
    this.key = new kms.Key(this, 'DataKey', {
      description: 'Waymark: encrypts case and audit tables and the stack\'s log groups',
      enableKeyRotation: true,
      alias: `alias/${this.stackName.toLowerCase()}/data`,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForThisStacksLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:${logGroupPrefix}*`,
          },
        },
      }),
    );

    // ---- Tables ----------------------------------------------------------
    const tableMap = new Map<TableId, dynamodb.Table>();
    for (const def of tables) {
      const table = new dynamodb.Table(this, def.id, {
        partitionKey: { name: def.partitionKey.name, type: attributeType(def.partitionKey.type) },
        sortKey: { name: def.sortKey.name, type: attributeType(def.sortKey.type) },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: this.key,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        timeToLiveAttribute: def.timeToLiveAttribute,
        stream: dynamodb.StreamViewType[def.stream],
      });
      for (const gsi of def.globalSecondaryIndexes) {
        table.addGlobalSecondaryIndex({
          indexName: gsi.indexName,
          partitionKey: { name: gsi.partitionKey.name, type: attributeType(gsi.partitionKey.type) },
          sortKey: { name: gsi.sortKey.name, type: attributeType(gsi.sortKey.type) },
          projectionType: dynamodb.ProjectionType.ALL,
        });
      }
      tableMap.set(def.id, table);
    }
    this.tables = tableMap;

    // ---- Identity --------------------------------------------------------
    // Copies the user's `custom:team` attribute into the access token.
    const preToken = new ApiFunction(this, 'PreTokenFunction', {
      functionId: 'pre-token',
      description: 'Cognito pre token generation (V2): adds the team claim to the access token',
      key: this.key,
      logGroupPrefix,
    });

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // Set by administrators only: the web client cannot write it (see writeAttributes below).
      customAttributes: { team: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }) },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        passwordHistorySize: 5,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // PLUS: access-token customisation (the team claim) and full threat protection.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.userPool.addTrigger(
      cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      preToken.function,
      cognito.LambdaVersion.V2_0,
    );

    roles.forEach((role, precedence) => {
      this.userPool.addGroup(`Group-${role}`, { groupName: role, description: roleLabels[role], precedence });
    });

    this.userPoolClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
        callbackUrls: [`${webOrigin}/`],
        logoutUrls: [`${webOrigin}/`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      accessTokenValidity: Duration.minutes(15),
      idTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('team'),
      // Never `custom:team`: a user who could write it could move themselves into another team.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
    });

    const jwtIssuer = `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`;

    // ---- Functions -------------------------------------------------------
    const tableEnvironment = Object.fromEntries(tables.map((def) => [def.envVar, tableMap.get(def.id)!.tableName]));
    const functionMap = new Map<string, ApiFunction>();
    for (const def of functionDefinitions) {
      functionMap.set(
        def.id,
        new ApiFunction(this, `Function-${def.id}`, {
          functionId: def.id,
          description: `Waymark ${def.id}: ${def.description}`,
          key: this.key,
          logGroupPrefix,
          grants: def.grants,
          tables: tableMap,
          environment: {
            ...tableEnvironment,
            JWT_ISSUER: jwtIssuer,
            JWKS_URL: `${jwtIssuer}/.well-known/jwks.json`,
            JWT_AUDIENCE: this.userPoolClient.userPoolClientId,
            JWT_ALGORITHMS: 'RS256',
          },
        }),
      );
    }
    this.functions = functionMap;

    // ---- HTTP API --------------------------------------------------------
    const jwtAuthorizer = new HttpJwtAuthorizer('CognitoAccessToken', jwtIssuer, {
      jwtAudience: [this.userPoolClient.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });

    const usedMethods = [...new Set(routes.map((r) => r.method))].map((m) => CorsHttpMethod[m]);
    this.api = new HttpApi(this, 'Api', {
      apiName: this.stackName,
      description: 'Waymark API',
      createDefaultStage: false,
      // Fail closed: a route added without an explicit authorizer still needs a token.
      defaultAuthorizer: jwtAuthorizer,
      corsPreflight: {
        allowOrigins: [webOrigin],
        allowMethods: [...usedMethods, CorsHttpMethod.OPTIONS],
        // Only the headers the web app sends; add a header here when a handler starts reading one.
        allowHeaders: ['authorization', 'content-type'],
        allowCredentials: false,
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      logGroupName: `${logGroupPrefix}api-access`,
      retention: LOG_RETENTION,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stage = new HttpStage(this, 'ApiStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { ...API_THROTTLE },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });

    const integrations = new Map(
      [...functionMap].map(([fnId, fn]) => [fnId, new HttpLambdaIntegration(`Integration-${fnId}`, fn.function)]),
    );
    const noAuth = new HttpNoneAuthorizer();
    for (const route of routes) {
      const integration = integrations.get(route.function);
      if (!integration) throw new Error(`${routeKey(route)}: no function definition '${route.function}'`);
      const authorizer: IHttpRouteAuthorizer = route.auth === 'jwt' ? jwtAuthorizer : noAuth;
      const [httpRoute] = this.api.addRoutes({
        path: route.path,
        methods: [httpMethod[route.method]],
        integration,
        authorizer,
      });
      // Only the liveness probe may be open; any other unauthenticated route stays a cdk-nag error.
      if (route.auth === 'none' && routeKey(route) === HEALTH_ROUTE_KEY && httpRoute) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'GET /health is the deliberately unauthenticated liveness probe (auth none in shared/api/routes.ts): it reports only whether the service and its table are reachable, returns no case or personal data, and is rate limited by the stage throttle.',
        });
      }
    }

    // ---- Outputs ---------------------------------------------------------
    new CfnOutput(this, 'ApiUrl', { value: stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
  }
}
