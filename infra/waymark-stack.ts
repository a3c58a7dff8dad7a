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
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { checksAccounts, functionDefinitions, routeKey, routes, type HttpMethod as RouteMethod } from '../shared/api/routes';
import { scheduledFunctions } from '../shared/api/scheduled-functions';
import { streamConsumers } from '../shared/api/stream-consumers';
import { roleLabels, roles } from '../shared/domain/roles';
import { tables, type AttributeType, type TableId } from '../shared/store/tables';
import { ApiFunction, LOG_RETENTION } from './api-function';
import { API_THROTTLE, ApiProtection, OriginSecret } from './api-protection';
import { CursorKey } from './cursor-key';
import { Backups, DEFAULT_BACKUP_RETENTION_DAYS } from './backups';
import { dataKeyPolicy, type DataKeyPolicy } from './data-key';
import { deploymentOptions, type DeploymentOptions } from './deployment-options';
import { FailureAlarms } from './failure-alarms';
import { Operations } from './operations';
import { ScheduledFunctions } from './scheduled-functions';
import { stageFromContext, type Stage } from './stage';
import { WebHosting } from './web-hosting';

export interface WaymarkStackProps extends StackProps {
  /** Origin of the web app (scheme://host[:port], no path): CORS origin and OAuth callback. */
  readonly webOrigin: string;
  /** Object Lock retention of audit digests, in days (default DEFAULT_DIGEST_RETENTION_DAYS). */
  readonly auditDigestRetentionDays?: number;
  /** dev or prod (infra/stage.ts); default prod. */
  readonly stage?: Stage;
  /** ARN of the CloudFront web ACL (infra/edge.ts, us-east-1). */
  readonly webAclArn?: string;
  /** Days a daily AWS Backup recovery point is kept (default DEFAULT_BACKUP_RETENTION_DAYS). */
  readonly backupRetentionDays?: number;
  /** Per-deployment choices from context (infra/deployment-options.ts); defaults when absent. */
  readonly options?: DeploymentOptions;
}

/**
 * Audit digests are kept (Object Lock, compliance mode) for 8 years: longer
 * than the audit events they seal (AUDIT_RETENTION_DAYS, 7 years) and so
 * longer than the case records, which are kept for less than the audit.
 * Override with `-c auditDigestRetentionDays=<days>`.
 */
export const DEFAULT_DIGEST_RETENTION_DAYS = 2922;
/** Audit events' retention (shared/config.ts default): digests must outlive it. */
const AUDIT_EVENT_RETENTION_DAYS = 2557;

/** The digest retention asked for in context, checked: a whole number of days longer than the audit retention. */
export function digestRetentionDays(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return DEFAULT_DIGEST_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days <= AUDIT_EVENT_RETENTION_DAYS || days > 36_500) {
    throw new Error(`auditDigestRetentionDays must be a whole number of days above ${AUDIT_EVENT_RETENTION_DAYS} (the audit events' retention) and at most 36500: ${String(raw)}`);
  }
  return days;
}

/** The on-failure destination of a stream consumer, with no grants of its own (the consumer's role gets exact ones). */
class OnFailureQueue implements lambda.IEventSourceDlq {
  constructor(private readonly queue: sqs.IQueue) {}
  bind(): lambda.DlqDestinationConfig {
    return { destination: this.queue.queueArn };
  }
}

/** The one route that is open without a token. */
export const HEALTH_ROUTE_KEY = 'GET /health';


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
  readonly digestBucket: s3.Bucket;
  /** Escalation notifications (no case detail): the DASV team subscribes (e-mail, chat) outside the stack. */
  readonly notificationTopic: sns.Topic;
  readonly streamFunctions: ReadonlyMap<string, ApiFunction>;
  /** Stream consumers' on-failure (dead-letter) queues, by consumer id. */
  readonly deadLetterQueues: ReadonlyMap<string, sqs.Queue>;
  /** Functions run on a schedule only (the reconciliation), with their rules and alarms. */
  readonly scheduled: ScheduledFunctions;
  readonly stage: Stage;
  readonly operations: Operations;
  /** prod only: a dev vault holding recovery points could not be deleted with the stack. */
  readonly backups?: Backups;
  readonly web: WebHosting;
  readonly options: DeploymentOptions;
  /** The origin header's value (CloudFront adds it, the API requires it). */
  readonly originSecret: secretsmanager.ISecret;
  /** Who administers the data key and who alone may schedule its deletion. */
  readonly keyPolicy: DataKeyPolicy;

  constructor(scope: Construct, id: string, props: WaymarkStackProps) {
    super(scope, id, props);
    const webOrigin = props.webOrigin;
    this.stage = props.stage ?? stageFromContext(undefined);
    // prod: RETAIN (and deletion protection); dev: DESTROY, so `cdk destroy` leaves nothing behind.
    const removalPolicy = this.stage.removalPolicy;
    const options = props.options ?? deploymentOptions(() => undefined, undefined);
    this.options = options;

    // Every log group of this stack is named under this prefix, so that the key
    // policy can let CloudWatch Logs use the key for these log groups only.
    const logGroupPrefix = `/waymark/${this.stackName}/`;

    // ---- Key (its policy: infra/data-key.ts) ------------------------------
    this.keyPolicy = dataKeyPolicy(this, {
      breakGlassRoleName: options.breakGlassRoleName,
      adminRoleNames: options.keyAdminRoleNames,
      deploymentMayDelete: this.stage.name === 'dev',
    });
    this.key = new kms.Key(this, 'DataKey', {
      description: 'Waymark: encrypts case and audit tables and the stack\'s log groups',
      enableKeyRotation: true,
      alias: `alias/${this.stackName.toLowerCase()}/data`,
      pendingWindow: Duration.days(this.stage.name === 'prod' ? 30 : 7),
      removalPolicy,
      policy: this.keyPolicy.document,
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
        deletionProtection: this.stage.deletionProtection,
        removalPolicy,
        timeToLiveAttribute: def.timeToLiveAttribute,
        ...(def.stream ? { stream: dynamodb.StreamViewType[def.stream] } : {}),
      });
      for (const gsi of def.globalSecondaryIndexes) {
        table.addGlobalSecondaryIndex({
          indexName: gsi.indexName,
          partitionKey: { name: gsi.partitionKey.name, type: attributeType(gsi.partitionKey.type) },
          sortKey: { name: gsi.sortKey.name, type: attributeType(gsi.sortKey.type) },
          projectionType: dynamodb.ProjectionType.ALL,
        });
      }
      if (this.stage.name === 'dev') {
        Validations.of(table).acknowledge({
          id: 'NIST.800.53.R5-DynamoDBInBackupPlan',
          reason: 'dev only: the table holds test data and keeps point-in-time recovery (35 days); an AWS Backup vault holding recovery points cannot be deleted, so dev would no longer be destroyed cleanly. prod tables are in the daily backup plan (infra/backups.ts).',
        });
      }
      tableMap.set(def.id, table);
    }
    this.tables = tableMap;

    // ---- Audit digests ---------------------------------------------------
    // Write once, read many: Object Lock in compliance mode (nobody, root included, can shorten the
    // retention or delete a locked version), versioned, encrypted with the stack's key, private, TLS only.
    const retentionDays = props.auditDigestRetentionDays ?? DEFAULT_DIGEST_RETENTION_DAYS;
    const digestAccessLogs = new s3.Bucket(this, 'AuditDigestAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED, // server access log delivery supports SSE-S3 only
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(retentionDays), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy,
      autoDeleteObjects: this.stage.name === 'dev',
    });
    Validations.of(digestAccessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the server access log target of the audit digest bucket; logging the log bucket to itself would log its own log deliveries without end.',
    });
    Validations.of(digestAccessLogs).acknowledge({
      id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
      reason: 'S3 server access log delivery writes only to buckets encrypted with SSE-S3 (AES-256), not SSE-KMS; the logs hold request metadata of the digest bucket, never case data.',
    });
    Validations.of(digestAccessLogs).acknowledge({
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason: 'Access logs of the digest bucket stay in eu-west-2 (cross-region replication would take them out of the UK); losing them loses request metadata only, while the digests themselves are write-once and verifiable.',
    });
    this.digestBucket = new s3.Bucket(this, 'AuditDigests', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(retentionDays)),
      serverAccessLogsBucket: digestAccessLogs,
      serverAccessLogsPrefix: 'audit-digests/',
      // Retained in dev too: Object Lock (compliance mode) forbids deleting a locked digest before its retention ends,
      // so no stack deletion could empty it; a dev deployment leaves this bucket behind by design (docs/DEPLOY.md).
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.digestBucket).acknowledge({
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason: 'Digests are versioned and write-once (Object Lock, compliance mode) in eu-west-2, and any loss or change is detected by chain verification (npm run audit:verify); the audit events they seal are in the Audit table under PITR and AWS Backup. Cross-region replication would take audit data out of the UK.',
    });

    // ---- Identity --------------------------------------------------------
    // Copies the user's `custom:team` attribute into the access token.
    const preToken = new ApiFunction(this, 'PreTokenFunction', {
      functionId: 'pre-token',
      description: 'Cognito pre token generation (V2): adds the team claim to the access token',
      key: this.key,
      logGroupPrefix,
      removalPolicy,
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
      deletionProtection: this.stage.deletionProtection,
      removalPolicy,
      // Cognito's own sender allows few e-mails a day; with `sesFromAddress`, SES in the UK region sends them.
      ...(options.sesFromAddress
        ? { email: cognito.UserPoolEmail.withSES({ fromEmail: options.sesFromAddress, fromName: 'Waymark', sesRegion: this.region }) }
        : {}),
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

    // ---- Notifications ---------------------------------------------------
    // Encrypted with the stack's key, TLS only; only functions whose definition says publishesNotifications may publish.
    this.notificationTopic = new sns.Topic(this, 'EscalationNotifications', {
      displayName: 'Waymark: escalations awaiting triage',
      masterKey: this.key,
      enforceSSL: true,
    });

    // ---- The origin header CloudFront adds and the API requires (infra/api-protection.ts) ----
    const originSecret = new OriginSecret(this, 'OriginVerify', {
      key: this.key,
      removalPolicy,
      ...(options.originSecretVersionId ? { versionId: options.originSecretVersionId } : {}),
    });
    this.originSecret = originSecret.secret;

    // ---- Functions -------------------------------------------------------
    const tableEnvironment = Object.fromEntries(tables.map((def) => [def.envVar, tableMap.get(def.id)!.tableName]));
    const functionMap = new Map<string, ApiFunction>();
    const cursorKey = new CursorKey(this, 'CursorKey', { key: this.key, removalPolicy });
    for (const def of functionDefinitions) {
      functionMap.set(
        def.id,
        new ApiFunction(this, `Function-${def.id}`, {
          functionId: def.id,
          description: `Waymark ${def.id}: ${def.description}`,
          key: this.key,
          logGroupPrefix,
          removalPolicy,
          grants: def.grants,
          tables: tableMap,
          ...(def.memoryMb !== undefined ? { memoryMb: def.memoryMb } : {}),
          ...(def.digestGrants ? { digestGrants: def.digestGrants, digestBucket: this.digestBucket } : {}),
          ...(def.publishesNotifications ? { notificationTopicArn: this.notificationTopic.topicArn } : {}),
          ...(def.managesSubscriptions ? { subscriptionTopicArn: this.notificationTopic.topicArn } : {}),
          originSecretArn: originSecret.secret.secretArn,
          ...(def.pages ? { cursorKeySecretArn: cursorKey.secret.secretArn } : {}),
          ...(checksAccounts(def.id) ? { userPoolArn: this.userPool.userPoolArn, managesAccounts: def.managesAccounts === true } : {}),
          environment: {
            ...tableEnvironment,
            JWT_ISSUER: jwtIssuer,
            JWKS_URL: `${jwtIssuer}/.well-known/jwks.json`,
            JWT_AUDIENCE: this.userPoolClient.userPoolClientId,
            JWT_ALGORITHMS: 'RS256',
            ...(def.digestGrants ? { AUDIT_DIGEST_BUCKET: this.digestBucket.bucketName } : {}),
            ...(def.publishesNotifications || def.managesSubscriptions ? { NOTIFICATION_TOPIC_ARN: this.notificationTopic.topicArn } : {}),
            ORIGIN_VERIFY_SECRET_ARN: originSecret.secret.secretArn,
            ...(def.pages ? { CURSOR_KEY_SECRET_ARN: cursorKey.secret.secretArn } : {}),
            ...(checksAccounts(def.id) ? { USER_POOL_ID: this.userPool.userPoolId } : {}),
          },
        }),
      );
    }
    this.functions = functionMap;

    // ---- Stream consumers ------------------------------------------------
    // Each reads exactly its table's stream (ReportBatchItemFailures, bisect on error, bounded retries),
    // sends what still fails to its own encrypted queue, and may also run on a schedule.
    const streamFunctionMap = new Map<string, ApiFunction>();
    const deadLetterQueues = new Map<string, sqs.Queue>();
    for (const def of streamConsumers) {
      const source = tableMap.get(def.source)!;
      const failures = new sqs.Queue(this, `StreamFailures-${def.id}`, {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.key,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy,
      });
      deadLetterQueues.set(def.id, failures);
      Validations.of(failures).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself the on-failure (dead-letter) destination of the ${def.id} event source mapping: it holds the stream positions of batches that failed every retry, for an operator to replay; a dead-letter queue of its own would add nothing.`,
      });
      const fn = new ApiFunction(this, `StreamFunction-${def.id}`, {
        functionId: def.id,
        description: `Waymark ${def.id}: ${def.description}`,
        key: this.key,
        logGroupPrefix,
        removalPolicy,
        grants: def.grants,
        tables: tableMap,
        streamSource: { id: def.source, table: source },
        onFailureQueueArn: failures.queueArn,
        ...(def.digestGrants ? { digestGrants: def.digestGrants, digestBucket: this.digestBucket } : {}),
        ...(def.timeoutSeconds ? { timeoutSeconds: def.timeoutSeconds } : {}),
        // Reserved only where the account's concurrency quota allows it (docs/DEPLOY.md, prerequisites).
        ...(def.maxConcurrency && options.reserveConcurrency ? { reservedConcurrency: def.maxConcurrency } : {}),
        environment: {
          ...tableEnvironment,
          JWT_ISSUER: jwtIssuer,
          JWKS_URL: `${jwtIssuer}/.well-known/jwks.json`,
          JWT_AUDIENCE: this.userPoolClient.userPoolClientId,
          JWT_ALGORITHMS: 'RS256',
          ...(def.digestGrants ? { AUDIT_DIGEST_BUCKET: this.digestBucket.bucketName } : {}),
        },
      });
      new lambda.EventSourceMapping(this, `StreamSource-${def.id}`, {
        target: fn.function,
        eventSourceArn: source.tableStreamArn!,
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: def.batchSize,
        bisectBatchOnError: true,
        retryAttempts: def.retryAttempts,
        reportBatchItemFailures: true,
        onFailure: new OnFailureQueue(failures),
      });
      if (def.scheduleMinutes !== undefined) {
        new events.Rule(this, `Schedule-${def.id}`, {
          description: `Invokes ${def.id} every ${def.scheduleMinutes} minutes`,
          schedule: events.Schedule.rate(Duration.minutes(def.scheduleMinutes)),
          targets: [new eventTargets.LambdaFunction(fn.function, { retryAttempts: 2 })],
        });
      }
      streamFunctionMap.set(def.id, fn);
    }
    this.streamFunctions = streamFunctionMap;
    this.deadLetterQueues = deadLetterQueues;

    // ---- Scheduled functions (infra/scheduled-functions.ts): the daily reconciliation of the reporting counters, the hourly one of notification subscriptions ----
    this.scheduled = new ScheduledFunctions(this, 'Scheduled', {
      definitions: scheduledFunctions,
      key: this.key,
      logGroupPrefix,
      removalPolicy,
      tables: tableMap,
      environment: {
        ...tableEnvironment,
        JWT_ISSUER: jwtIssuer,
        JWKS_URL: `${jwtIssuer}/.well-known/jwks.json`,
        JWT_AUDIENCE: this.userPoolClient.userPoolClientId,
        JWT_ALGORITHMS: 'RS256',
      },
      notificationTopicArn: this.notificationTopic.topicArn,
      userPool: { arn: this.userPool.userPoolArn, id: this.userPool.userPoolId },
    });

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
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        allowCredentials: false,
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      logGroupName: `${logGroupPrefix}api-access`,
      retention: LOG_RETENTION,
      encryptionKey: this.key,
      removalPolicy,
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
            'GET /health is the deliberately unauthenticated liveness probe (auth none in shared/api/routes.ts): it reports only whether the service and its table are reachable, returns no case or personal data, and has its own route throttle (5 requests/s, burst 10; infra/api-protection.ts) far below the other routes\'.',
        });
      }
    }

    // ---- Outputs ---------------------------------------------------------
    new CfnOutput(this, 'ApiUrl', { value: stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    // ---- Web app (S3 + CloudFront; infra/web-hosting.ts) ----------------
    this.web = new WebHosting(this, 'Web', {
      api: this.api,
      userPool: this.userPool,
      userPoolClient: this.userPoolClient,
      webOrigin,
      removalPolicy,
      originVerifyValue: originSecret.headerValue,
      ...(props.webAclArn ? { webAclArn: props.webAclArn } : {}),
    });

    // ---- Operations (infra/operations.ts) and backups (infra/backups.ts) ----
    this.operations = new Operations(this, 'Operations', {
      key: this.key,
      api: this.api,
      functions: new Map([...functionMap, ...streamFunctionMap, ...this.scheduled.functions, ['pre-token', preToken]]),
      tables: tableMap,
      deadLetterQueues,
      metricsNamespace: this.stackName,
    });
    this.scheduled.alarmOn(this.operations.alarmTopic, this.stackName, this.operations.dashboard);
    new CfnOutput(this, 'AlarmTopicArn', { value: this.operations.alarmTopic.topicArn, description: 'Subscribe the operations team (e-mail, chat) to this topic' });
    if (this.stage.name === 'prod') {
      this.backups = new Backups(this, 'Backups', {
        key: this.key,
        tables: [...tableMap.values()],
        retentionDays: props.backupRetentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS,
        removalPolicy,
        lock: options.backupVaultLock,
        ...(options.backupCopyVaultArn ? { copyVaultArn: options.backupCopyVaultArn } : {}),
      });
      new CfnOutput(this, 'BackupVaultName', { value: this.backups.vault.backupVaultName, description: 'AWS Backup vault of the daily recovery points' });
      new CfnOutput(this, 'BackupRoleArn', { value: this.backups.role.roleArn, description: 'The role AWS Backup restores with (start-restore-job --iam-role-arn)' });
    }
    new FailureAlarms(this, 'FailureAlarms', {
      operations: this.operations,
      metricsNamespace: this.stackName,
      notificationTopic: this.notificationTopic,
      notificationPublishers: functionDefinitions.filter((d) => d.publishesNotifications).map((d) => functionMap.get(d.id)!),
      streamConsumers: streamFunctionMap,
      // The consumer of the audit stream is the sealer.
      sealerId: streamConsumers.find((c) => c.source === 'Audit')!.id,
      tables: tableMap,
      userPool: this.userPool,
      watchBackups: this.backups !== undefined,
    });
    new ApiProtection(this, 'ApiProtection', {
      api: this.api,
      stage,
      routes,
      accessLogs,
      operations: this.operations,
      metricsNamespace: this.stackName,
    });
    new CfnOutput(this, 'EscalationTopicArn', { value: this.notificationTopic.topicArn, description: 'The DASV team subscribes here to escalations awaiting triage (no case detail)' });
    for (const def of tables) {
      new CfnOutput(this, `${def.id}TableName`, { value: tableMap.get(def.id)!.tableName, description: `The ${def.id} table (restores, reports:rebuild, audit:verify)` });
    }
    new CfnOutput(this, 'AuditDigestBucketName', { value: this.digestBucket.bucketName, description: 'Write-once audit digests (Object Lock)' });
    new CfnOutput(this, 'OriginSecretArn', { value: originSecret.secret.secretArn, description: 'The origin header CloudFront adds and the API requires (rotation: docs/DEPLOY.md)' });
    new CfnOutput(this, 'DataKeyArn', { value: this.key.keyArn, description: 'The customer-managed key (restores: --sse-specification-override)' });
  }
}
