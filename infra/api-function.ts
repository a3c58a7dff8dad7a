import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { cognitoManageActions, cognitoReadActions, functionEntry, snsSubscriptionActions, type DigestAction, type DynamoAction, type TableGrant } from '../shared/api/routes';
import type { TableId } from '../shared/store/tables';
import { FUNCTION_BUNDLE } from './function-bundle';

/** The project root (the folder holding package.json), independent of the working directory. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** The runtime every function runs on: the newest Node.js that aws-cdk-lib offers. */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * How long function and API access logs are kept. Six months follows the NCSC
 * logging guidance for incident investigation; it is no longer because the logs
 * hold source IPs and principal ids (personal data) while the record of who did
 * what lives in the Audit table, which has its own, longer, retention.
 */
export const LOG_RETENTION = logs.RetentionDays.SIX_MONTHS;

/** Actions that write items; a function granted one of them may also encrypt under the table key. */
const WRITE_ACTIONS: ReadonlySet<DynamoAction> = new Set(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']);

/** KMS actions DynamoDB needs on the caller's behalf to read items encrypted with the table key. */
export const KMS_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'] as const;
/** ...and, in addition, to write them. */
export const KMS_WRITE_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey'] as const;

/** The KMS actions a set of table grants needs (reads always; writes only when a write action is granted). */
export function kmsActionsFor(grants: readonly TableGrant[], digestGrants: readonly DigestAction[] = [], sendsToQueue = false, readsSecret = false): string[] {
  if (grants.length === 0 && digestGrants.length === 0 && !sendsToQueue && !readsSecret) return [];
  const writes = grants.some((g) => g.actions.some((a) => WRITE_ACTIONS.has(a))) || digestGrants.includes('s3:PutObject') || sendsToQueue;
  return [...KMS_READ_ACTIONS, ...(writes ? KMS_WRITE_ACTIONS : [])];
}

/** What a stream consumer needs to read its table's stream (granted on that one stream's ARN). */
export const STREAM_READ_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
] as const;

/** The prefix under which digests are kept in the digest bucket (see shared/store/digest-store.ts). */
export const DIGEST_PREFIX = 'digests/';

export interface ApiFunctionProps {
  /** Folder under functions/ holding `handler.ts` (a `FunctionDefinition` id, or a trigger such as `pre-token`). */
  readonly functionId: string;
  readonly description: string;
  /** The stack's customer-managed key: encrypts the log group; tables are encrypted with it too. */
  readonly key: kms.IKey;
  /** Log group name prefix covered by the key policy's CloudWatch Logs statement. */
  readonly logGroupPrefix: string;
  /** Exactly the table actions the function performs (from shared/api/routes.ts). */
  readonly grants?: readonly TableGrant[];
  /** The stack's tables by definition id; required when `grants` is not empty. */
  readonly tables?: ReadonlyMap<TableId, dynamodb.ITable>;
  readonly environment?: Record<string, string>;
  /** Actions on the audit digest bucket (objects under `digests/`), and the bucket; required together. */
  readonly digestGrants?: readonly DigestAction[];
  readonly digestBucket?: s3.IBucket;
  /** For a stream consumer: the table whose stream it reads (read actions on that stream's ARN only). */
  readonly streamSource?: { id: TableId; table: dynamodb.ITable };
  /** For a stream consumer: its on-failure queue (encrypted with the key), to which it may send only. */
  readonly onFailureQueueArn?: string;
  /** The notification topic the function publishes to (`sns:Publish` on that topic only). */
  readonly notificationTopicArn?: string;
  /** The notification topic whose email subscriptions the function keeps (the actions of `snsSubscriptionActions`, on it only). */
  readonly subscriptionTopicArn?: string;
  /** The origin header's secret (infra/api-protection.ts), which an API function reads (GetSecretValue on it only). */
  readonly originSecretArn?: string;
  /** The secret page links are sealed with (infra/cursor-key.ts), for a function that answers lists a page at a time. */
  readonly cursorKeySecretArn?: string;
  /** The user pool whose accounts the function looks up on every request (ListUsers by sub, AdminListGroupsForUser). */
  readonly userPoolArn?: string;
  /** The user pool whose accounts' email addresses the function reads (`cognito-idp:AdminGetUser` on it only): the subscription reconciliation. */
  readonly accountEmailsPoolArn?: string;
  /** The function manages accounts in that pool: exactly `cognitoManageActions` on it. */
  readonly managesAccounts?: boolean;
  /** Longest run in seconds (default 10). */
  readonly timeoutSeconds?: number;
  /** Memory in MB, and with it CPU (default 512). */
  readonly memoryMb?: number;
  /** Reserved concurrency (default: none reserved). */
  readonly reservedConcurrency?: number;
  /** What happens to the log group when the stack is deleted (infra/stage.ts); default RETAIN. */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The one way a Lambda function enters the stack: bundled handler, runtime,
 * architecture, limits, its own KMS-encrypted log group and its own role whose
 * only permissions are writing to that log group and exactly the table actions
 * it was granted (no AWS managed policies, no `index/*` wildcards).
 */
export class ApiFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** Reserved concurrency, if any (the sealer's, where the account allows it). */
  readonly reservedConcurrency: number | undefined;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    this.reservedConcurrency = props.reservedConcurrency;
    const grants = props.grants ?? [];

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `${props.logGroupPrefix}lambda/${props.functionId}`,
      retention: LOG_RETENTION,
      encryptionKey: props.key,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    const statements: iam.PolicyStatement[] = [
      new iam.PolicyStatement({
        sid: 'WriteOwnLogGroup',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // The log group's Arn attribute already covers its log streams (`...:log-group:name:*`).
        resources: [this.logGroup.logGroupArn],
      }),
    ];

    grants.forEach((grant, i) => {
      const table = props.tables?.get(grant.table);
      if (!table) throw new Error(`${props.functionId}: grant on unknown table ${grant.table}`);
      statements.push(
        new iam.PolicyStatement({
          sid: `${grant.table}Table${i}`,
          actions: [...grant.actions],
          resources: [
            table.tableArn,
            ...(grant.indexes ?? []).map((indexName) => `${table.tableArn}/index/${indexName}`),
          ],
        }),
      );
    });

    const digestGrants = props.digestGrants ?? [];
    let digestObjectsFinding: string | undefined;
    if (digestGrants.length > 0) {
      const bucket = props.digestBucket;
      if (!bucket) throw new Error(`${props.functionId}: digest grants without the digest bucket`);
      const objectActions = digestGrants.filter((a) => a !== 's3:ListBucket');
      if (objectActions.length > 0) {
        statements.push(
          new iam.PolicyStatement({ sid: 'AuditDigestObjects', actions: objectActions, resources: [bucket.arnForObjects(`${DIGEST_PREFIX}*`)] }),
        );
        digestObjectsFinding = `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(bucket.node.defaultChild as CfnElement)}.Arn>/${DIGEST_PREFIX}*]`;
      }
      if (digestGrants.includes('s3:ListBucket')) {
        statements.push(
          new iam.PolicyStatement({
            sid: 'AuditDigestList',
            actions: ['s3:ListBucket'],
            // The bucket holds only digests. No prefix condition: with ListBucket on the bucket, a GET of a
            // digest that is not there answers 404 (not 403), which is how the sealer finds the chain's end.
            resources: [bucket.bucketArn],
          }),
        );
      }
    }

    if (props.streamSource) {
      const streamArn = props.streamSource.table.tableStreamArn;
      if (!streamArn) throw new Error(`${props.functionId}: table ${props.streamSource.id} has no stream`);
      statements.push(
        new iam.PolicyStatement({ sid: `${props.streamSource.id}StreamRead`, actions: [...STREAM_READ_ACTIONS], resources: [streamArn] }),
      );
    }

    if (props.onFailureQueueArn) {
      statements.push(new iam.PolicyStatement({ sid: 'SendFailedBatches', actions: ['sqs:SendMessage'], resources: [props.onFailureQueueArn] }));
    }

    if (props.notificationTopicArn) {
      statements.push(new iam.PolicyStatement({ sid: 'PublishNotifications', actions: ['sns:Publish'], resources: [props.notificationTopicArn] }));
    }

    if (props.subscriptionTopicArn) {
      statements.push(new iam.PolicyStatement({ sid: 'ManageNotificationSubscriptions', actions: [...snsSubscriptionActions], resources: [props.subscriptionTopicArn] }));
    }

    if (props.originSecretArn) {
      statements.push(new iam.PolicyStatement({ sid: 'ReadOriginSecret', actions: ['secretsmanager:GetSecretValue'], resources: [props.originSecretArn] }));
    }

    if (props.cursorKeySecretArn) {
      statements.push(new iam.PolicyStatement({ sid: 'ReadPageLinkKey', actions: ['secretsmanager:GetSecretValue'], resources: [props.cursorKeySecretArn] }));
    }

    if (props.userPoolArn) {
      statements.push(
        props.managesAccounts
          ? new iam.PolicyStatement({ sid: 'ManageAccounts', actions: [...cognitoManageActions], resources: [props.userPoolArn] })
          : new iam.PolicyStatement({ sid: 'ReadSignInDirectory', actions: [...cognitoReadActions], resources: [props.userPoolArn] }),
      );
    }

    if (props.accountEmailsPoolArn) {
      statements.push(new iam.PolicyStatement({ sid: 'ReadAccountEmails', actions: ['cognito-idp:AdminGetUser'], resources: [props.accountEmailsPoolArn] }));
    }

    // Publishing to a topic encrypted with the key needs GenerateDataKey and Decrypt, as sending to an encrypted queue does.
    const kmsActions = kmsActionsFor(grants, digestGrants, props.onFailureQueueArn !== undefined || props.notificationTopicArn !== undefined, props.originSecretArn !== undefined);
    if (kmsActions.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'UseTableKey',
          actions: kmsActions,
          resources: [props.key.keyArn],
        }),
      );
    }

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${props.functionId} function`,
      inlinePolicies: { [`${props.functionId}-least-privilege`]: new iam.PolicyDocument({ statements }) },
    });
    if (digestObjectsFinding) {
      Validations.of(this.role).acknowledge({
        id: digestObjectsFinding,
        reason: `Digests are objects named by their sequence number under ${DIGEST_PREFIX} (one per sealed hour or correction), so no fixed list of object ARNs exists; the grant is limited to that prefix of the one digest bucket, whose Object Lock (compliance mode) forbids deleting or overwriting a locked version whatever the grant.`,
      });
    }

    this.function = new NodejsFunction(this, 'Function', {
      description: props.description,
      entry: path.join(projectRoot, functionEntry(props.functionId)),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb ?? 512,
      timeout: Duration.seconds(props.timeoutSeconds ?? 10),
      ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'waymark',
        // Business metrics (shared/metrics/emit.ts) go to a namespace per stack, so dev and prod never mix.
        POWERTOOLS_METRICS_NAMESPACE: Stack.of(this).stackName,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        // Source maps for stack traces only: no source text shipped in the bundle.
        sourcesContent: false,
        format: OutputFormat.ESM,
        target: FUNCTION_BUNDLE.target,
        mainFields: [...FUNCTION_BUNDLE.mainFields],
        banner: FUNCTION_BUNDLE.banner,
        // Bundle the AWS SDK too, so the version is the one in package-lock.json.
        externalModules: [],
      },
    });
    acknowledgeNistFindings(this, props);
  }
}

/**
 * NIST 800-53 R5 findings every Waymark function shares, acknowledged on the function and its role with the
 * reason that fits how the function is invoked (API, stream consumer, Cognito trigger).
 */
function acknowledgeNistFindings(fn: ApiFunction, props: ApiFunctionProps): void {
  const kind = props.streamSource ? 'stream' : props.functionId === 'pre-token' ? 'trigger' : 'api';
  const onFunction = (id: string, reason: string) => Validations.of(fn.function).acknowledge({ id: `NIST.800.53.R5-${id}`, reason });
  Validations.of(fn.role).acknowledge({
    id: 'NIST.800.53.R5-IAMNoInlinePolicy',
    reason:
      'Each function has its own role with exactly one inline policy, generated from its definition in shared/api/routes.ts and proven statement by statement in test/infra/stack.test.ts; inline keeps the grant bound to that one role (it cannot be attached to another principal) and deleted with it.',
  });
  onFunction(
    'LambdaInsideVPC',
    'The function reaches only AWS service endpoints (DynamoDB, KMS, S3, SNS, Cognito JWKS) over TLS with IAM-signed requests and holds no network-reachable resource; a VPC would add NAT or interface endpoints (cost) and cold-start time without narrowing what it can reach, which IAM already limits per function.',
  );
  const dlq: Record<typeof kind, string> = {
    api: 'Invoked synchronously by API Gateway: a failure is returned to the caller as a 5xx (and alarmed, infra/operations.ts); a dead-letter queue applies to asynchronous invocations only and would never receive anything.',
    trigger: 'Invoked synchronously by Cognito at token issue: a failure fails that sign-in, which the user retries; a dead-letter queue applies to asynchronous invocations only.',
    stream:
      'Stream batches that fail every retry go to the event source mapping\'s on-failure queue (encrypted, alarmed on depth); the only asynchronous invocations are the idempotent scheduled runs, retried twice by EventBridge and redone by the next run anyway.',
  };
  onFunction('LambdaDLQ', dlq[kind]);
  if (props.reservedConcurrency === undefined) {
    const concurrency: Record<typeof kind, string> = {
      api: 'Concurrency is bounded upstream by the API stage throttle (50 requests/s, burst 100) and the WAF rate rule; reserving concurrency per function would take capacity from the account pool and throttle legitimate peaks of one route while others sit idle.',
      trigger: 'Runs once per token issue, bounded by Cognito\'s own sign-in rate limits; reserving concurrency would only risk failing sign-ins.',
      stream: 'A stream consumer\'s concurrency is bounded by the stream: at most one concurrent batch per shard of its table\'s stream, so reserved concurrency adds no limit.',
    };
    onFunction('LambdaConcurrency', concurrency[kind]);
  }
}
