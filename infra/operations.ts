import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUSINESS_METRICS } from '../shared/metrics/business-metrics';
import type { ApiFunction } from './api-function';

/** Thresholds of the alarms, in one place (docs/DEPLOY.md lists them). */
export const ALARM_THRESHOLDS = {
  /** Share of API responses that are 5xx over 5 minutes, in percent. */
  api5xxPercent: 5,
  /** The aggregator's stream iterator age (how far behind the case stream it is), in milliseconds. */
  aggregatorIteratorAgeMs: 5 * 60 * 1000,
  /** The sealer's lag: its audit stream iterator age, in milliseconds (digests seal whole hours). */
  sealerIteratorAgeMs: 2 * 60 * 60 * 1000,
} as const;

export interface OperationsProps {
  readonly key: kms.Key;
  readonly api: HttpApi;
  /** Every function of the stack, by function id. */
  readonly functions: ReadonlyMap<string, ApiFunction>;
  readonly tables: ReadonlyMap<string, dynamodb.Table>;
  /** Stream consumers' on-failure (dead-letter) queues, by consumer id. */
  readonly deadLetterQueues: ReadonlyMap<string, sqs.Queue>;
  /** The metrics namespace the functions emit business metrics to (POWERTOOLS_METRICS_NAMESPACE). */
  readonly metricsNamespace: string;
}

/**
 * Alarms (each to one encrypted SNS topic, which the operations team
 * subscribes to outside the stack) and a dashboard.
 */
export class Operations extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `${stack.stackName}: operational alarms`,
      masterKey: props.key,
      enforceSSL: true,
    });
    // CloudWatch alarms publish to the encrypted topic: the key lets CloudWatch (this account's alarms only) use it.
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    const alarm = (alarmId: string, description: string, metric: cloudwatch.IMetric, threshold: number, evaluationPeriods = 1): cloudwatch.Alarm =>
      this.addAlarm(alarmId, description, metric, threshold, { evaluationPeriods });
    const fiveMinutes = Duration.minutes(5);

    // Lambda errors and throttles, per function. A function with reserved concurrency (the sealer: one at a time) is
    // throttled by design when several stream shards deliver at once; the ESM retries, and its lag alarms say if it falls behind.
    for (const [fnId, fn] of props.functions) {
      alarm(`Errors-${fnId}`, `${fnId}: one or more invocations failed in 5 minutes`, fn.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' }), 1);
      if (fn.reservedConcurrency === undefined) {
        alarm(`Throttles-${fnId}`, `${fnId}: one or more invocations throttled in 5 minutes`, fn.function.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }), 1);
      }
    }

    // API 5xx rate.
    const api5xxRate = new cloudwatch.MathExpression({
      label: 'API 5xx %',
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: props.api.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
        requests: props.api.metricCount({ period: fiveMinutes, statistic: 'Sum' }),
      },
      period: fiveMinutes,
    });
    alarm('Api5xxRate', `API: ${ALARM_THRESHOLDS.api5xxPercent}% or more of responses were 5xx in 5 minutes`, api5xxRate, ALARM_THRESHOLDS.api5xxPercent);

    // DynamoDB throttles, per table (reads and writes).
    for (const [tableId, table] of props.tables) {
      const dims = { TableName: table.tableName };
      const throttles = new cloudwatch.MathExpression({
        label: `${tableId} throttle events`,
        expression: 'reads + writes',
        usingMetrics: {
          reads: new cloudwatch.Metric({ namespace: 'AWS/DynamoDB', metricName: 'ReadThrottleEvents', dimensionsMap: dims, statistic: 'Sum', period: fiveMinutes }),
          writes: new cloudwatch.Metric({ namespace: 'AWS/DynamoDB', metricName: 'WriteThrottleEvents', dimensionsMap: dims, statistic: 'Sum', period: fiveMinutes }),
        },
        period: fiveMinutes,
      });
      alarm(`DynamoDbThrottles-${tableId}`, `${tableId} table: requests throttled in 5 minutes`, throttles, 1);
    }

    // Stream consumers: how far behind they are, and batches that failed every retry.
    const iteratorAge = (fnId: string) =>
      props.functions.get(fnId)?.function.metric('IteratorAge', { statistic: 'Maximum', period: fiveMinutes });
    const aggregatorAge = iteratorAge('aggregator');
    if (aggregatorAge) {
      alarm('AggregatorIteratorAge', 'The reporting aggregator is more than 5 minutes behind the case table\'s stream', aggregatorAge, ALARM_THRESHOLDS.aggregatorIteratorAgeMs, 3);
    }
    const sealerAge = iteratorAge('audit-sealer');
    if (sealerAge) {
      alarm('SealerLag', 'The audit sealer is more than 2 hours behind the audit stream: hours are going unsealed', sealerAge, ALARM_THRESHOLDS.sealerIteratorAgeMs, 3);
    }
    for (const [consumerId, queue] of props.deadLetterQueues) {
      alarm(
        `DeadLetters-${consumerId}`,
        `${consumerId}: stream batches that failed every retry are waiting in its dead-letter queue`,
        queue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }),
        1,
      );
    }

    // Business metrics (embedded metric format, Powertools Metrics; shared/metrics/business-metrics.ts).
    const business = (name: string, statistic: string) =>
      new cloudwatch.Metric({ namespace: props.metricsNamespace, metricName: name, dimensionsMap: { service: 'waymark' }, statistic, period: Duration.hours(1) });
    alarm(
      'OverdueEscalations',
      'A supervisor\'s caseload showed escalations still awaiting triage after their triage due time (observed when caseloads are read)',
      business(BUSINESS_METRICS.escalationsOverdue, 'Maximum'),
      1,
    );

    // Dashboard.
    const fns = [...props.functions.values()];
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `${stack.stackName}-operations` });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Business: contacts logged, escalations raised (per hour)',
        left: [business(BUSINESS_METRICS.contactsLogged, 'Sum'), business(BUSINESS_METRICS.escalationsRaised, 'Sum')],
        width: 12,
      }),
      new cloudwatch.GraphWidget({ title: 'Overdue escalations (seen in caseloads)', left: [business(BUSINESS_METRICS.escalationsOverdue, 'Maximum')], width: 12 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests, 4xx, 5xx',
        left: [props.api.metricCount({ period: fiveMinutes }), props.api.metricClientError({ period: fiveMinutes }), props.api.metricServerError({ period: fiveMinutes })],
        width: 12,
      }),
      new cloudwatch.GraphWidget({ title: 'API latency (p50, p99)', left: [props.api.metricLatency({ statistic: 'p50' }), props.api.metricLatency({ statistic: 'p99' })], width: 12 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Lambda errors', left: fns.map((f) => f.function.metricErrors({ period: fiveMinutes })), width: 12 }),
      new cloudwatch.GraphWidget({ title: 'Lambda throttles', left: fns.map((f) => f.function.metricThrottles({ period: fiveMinutes })), width: 12 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Stream iterator age (ms)', left: [aggregatorAge, sealerAge].filter((m): m is cloudwatch.Metric => m !== undefined), width: 12 }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queue depth',
        left: [...props.deadLetterQueues.values()].map((q) => q.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes })),
        width: 12,
      }),
    );
    // Lazily: alarms other constructs add later (infra/failure-alarms.ts) are on the widget too.
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
  }

  /**
   * An alarm to the alarm topic, with OK notifications too. Missing data is not breaching unless said: most
   * metrics here exist only when something happens; a heartbeat (a scheduled job's own metric) passes BREACHING.
   */
  addAlarm(
    alarmId: string,
    description: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    options: { evaluationPeriods?: number; treatMissingData?: cloudwatch.TreatMissingData; comparisonOperator?: cloudwatch.ComparisonOperator } = {},
  ): cloudwatch.Alarm {
    const a = new cloudwatch.Alarm(this, alarmId, {
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: options.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = new cwActions.SnsAction(this.alarmTopic);
    a.addAlarmAction(action);
    a.addOkAction(action);
    this.alarms.push(a);
    return a;
  }
}
