import { Duration, type RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import type { CfnStage, HttpApi, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { routeKey, type RouteDefinition } from '../shared/api/routes';
import type { Operations } from './operations';

export interface Throttle {
  /** Steady requests per second. */
  readonly rateLimit: number;
  /** Requests in a burst. */
  readonly burstLimit: number;
}

/** The stage's default for every route (HTTP API route throttles are per route; the account's Lambda concurrency is shared). */
export const API_THROTTLE: Throttle = { rateLimit: 50, burstLimit: 100 };

/**
 * Routes throttled below the default, each for its reason: the one route that needs no token (so that no
 * client can spend the API's capacity on it), and the reads that scan a period of records.
 */
export const ROUTE_THROTTLES: Readonly<Record<string, Throttle>> = {
  // Liveness only; a load balancer or uptime check needs a request every few seconds at most.
  'GET /health': { rateLimit: 5, burstLimit: 10 },
  // Re-hashes a range of the audit trail against its digests.
  'POST /audit/verify': { rateLimit: 1, burstLimit: 2 },
  // Read many records or counters per request.
  'GET /audit/events': { rateLimit: 10, burstLimit: 20 },
  'GET /reports/metrics': { rateLimit: 10, burstLimit: 20 },
};

/** Thresholds of the API's client-error alarms. */
export const API_ALARM_THRESHOLDS = {
  /** Requests refused with 429 (a route's or the stage's throttle) in 5 minutes. */
  throttled429: 20,
  /** Share of responses that are 4xx over 5 minutes, in percent, once at least `minRequests` were made. */
  clientErrorPercent: 25,
  minRequests: 50,
} as const;

/** The metric the access-log filter writes for each 429. */
export const THROTTLED_METRIC = 'ApiRequestsThrottled';

export interface ApiProtectionProps {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly routes: readonly RouteDefinition[];
  readonly accessLogs: logs.ILogGroup;
  readonly operations: Operations;
  readonly metricsNamespace: string;
}

/**
 * What keeps one client from spending the API: a throttle per route (the open `/health` far below the rest),
 * and alarms when requests are refused with 429 or the 4xx share jumps (probing, a broken client, a token problem).
 */
export class ApiProtection extends Construct {
  constructor(scope: Construct, id: string, props: ApiProtectionProps) {
    super(scope, id);
    const cfnStage = props.stage.node.defaultChild as CfnStage;
    const known = new Set(props.routes.map(routeKey));
    for (const key of Object.keys(ROUTE_THROTTLES)) if (!known.has(key)) throw new Error(`ROUTE_THROTTLES names ${key}, which shared/api/routes.ts does not define`);
    // RouteSettings is a JSON map in CloudFormation (route key to settings), written as the template spells it.
    cfnStage.routeSettings = Object.fromEntries(
      Object.entries(ROUTE_THROTTLES).map(([key, t]) => [key, { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit }]),
    );

    const fiveMinutes = Duration.minutes(5);
    // HTTP APIs publish 4xx but not 429 alone: the access log has the status of every response.
    new logs.MetricFilter(this, 'Throttled', {
      logGroup: props.accessLogs,
      filterPattern: logs.FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: props.metricsNamespace,
      metricName: THROTTLED_METRIC,
      metricValue: '1',
      defaultValue: 0,
    });
    props.operations.addAlarm(
      'ApiThrottled',
      `API: ${API_ALARM_THRESHOLDS.throttled429} or more requests refused with 429 in 5 minutes (a client over its route's throttle, or the API at capacity)`,
      new cloudwatch.Metric({ namespace: props.metricsNamespace, metricName: THROTTLED_METRIC, statistic: 'Sum', period: fiveMinutes }),
      API_ALARM_THRESHOLDS.throttled429,
    );
    props.operations.addAlarm(
      'Api4xxRate',
      `API: ${API_ALARM_THRESHOLDS.clientErrorPercent}% or more of responses were 4xx in 5 minutes (at least ${API_ALARM_THRESHOLDS.minRequests} requests)`,
      new cloudwatch.MathExpression({
        label: 'API 4xx %',
        expression: `IF(requests >= ${API_ALARM_THRESHOLDS.minRequests}, 100 * errors / requests, 0)`,
        usingMetrics: {
          errors: props.api.metricClientError({ period: fiveMinutes, statistic: 'Sum' }),
          requests: props.api.metricCount({ period: fiveMinutes, statistic: 'Sum' }),
        },
        period: fiveMinutes,
      }),
      API_ALARM_THRESHOLDS.clientErrorPercent,
    );
  }
}

export interface OriginSecretProps {
  readonly key: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  /** After a rotation (docs/DEPLOY.md): the version CloudFront is to send, so that the template changes and CloudFront is updated. */
  readonly versionId?: string;
}

/**
 * The value CloudFront adds to every API request as the origin header (shared/http/origin-verify.ts), and the
 * API requires: generated by Secrets Manager, encrypted with the stack's key, read by the API functions (current
 * and previous version, so a rotation in flight refuses nothing). CloudFront takes it at deploy time through a
 * dynamic reference: the value is never in the template or the cloud assembly.
 */
export class OriginSecret extends Construct {
  readonly secret: secretsmanager.Secret;
  /** The dynamic reference CloudFront's origin header is set to. */
  readonly headerValue: string;

  constructor(scope: Construct, id: string, props: OriginSecretProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Waymark: the header CloudFront adds to API requests, which the API requires (requests must come through CloudFront and its WAF)',
      encryptionKey: props.key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: props.removalPolicy,
    });
    const reason =
      'Rotated by the operator (docs/DEPLOY.md: put-secret-value, then deploy with -c originSecretVersionId=<the new version>), because CloudFront\'s origin header must change with it; the API accepts the current and the previous version meanwhile. The value only proves a request came through CloudFront: it grants no access to data (every route but /health still needs a Cognito token).';
    Validations.of(this.secret).acknowledge({ id: 'AwsSolutions-SMG4', reason });
    Validations.of(this.secret).acknowledge({ id: 'NIST.800.53.R5-SecretsManagerRotationEnabled', reason });
    this.headerValue = SecretValue.secretsManager(this.secret.secretArn, props.versionId ? { versionId: props.versionId } : {}).unsafeUnwrap();
  }
}
