import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ScheduledFunctionDefinition } from '../shared/api/scheduled-functions';
import { BUSINESS_METRICS } from '../shared/metrics/business-metrics';
import type { TableId } from '../shared/store/tables';
import { ApiFunction } from './api-function';

export interface ScheduledFunctionsProps {
  readonly definitions: readonly ScheduledFunctionDefinition[];
  readonly key: kms.Key;
  readonly logGroupPrefix: string;
  readonly removalPolicy?: RemovalPolicy;
  readonly tables: ReadonlyMap<TableId, dynamodb.ITable>;
  /** What every function gets (table names, token settings). */
  readonly environment: Record<string, string>;
  /** The notification topic, for a definition that `managesSubscriptions` (the actions of `snsSubscriptionActions` on it only). */
  readonly notificationTopicArn: string;
  /** The user pool, for a definition that `readsAccountEmails` (AdminGetUser on it only). */
  readonly userPool: { arn: string; id: string };
}

/**
 * Functions that run on a schedule only (shared/api/scheduled-functions.ts):
 * each through ApiFunction (its own role, exactly its grants), invoked by an
 * EventBridge rule; `alarmOn` adds, once the alarm topic exists, an alarm on
 * the business metric a definition names, raised whenever it is not zero.
 */
export class ScheduledFunctions extends Construct {
  readonly functions = new Map<string, ApiFunction>();
  readonly rules = new Map<string, events.Rule>();
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly definitions: readonly ScheduledFunctionDefinition[];

  constructor(scope: Construct, id: string, props: ScheduledFunctionsProps) {
    super(scope, id);
    this.definitions = props.definitions;
    for (const def of props.definitions) {
      const fn = new ApiFunction(this, `Function-${def.id}`, {
        functionId: def.id,
        description: `Waymark ${def.id}: ${def.description}`,
        key: props.key,
        logGroupPrefix: props.logGroupPrefix,
        ...(props.removalPolicy ? { removalPolicy: props.removalPolicy } : {}),
        grants: def.grants,
        tables: props.tables,
        timeoutSeconds: def.timeoutSeconds,
        ...(def.memoryMb !== undefined ? { memoryMb: def.memoryMb } : {}),
        // One run at a time: a second would repair the same differences (or subscribe the same people) again.
        reservedConcurrency: 1,
        ...(def.managesSubscriptions ? { subscriptionTopicArn: props.notificationTopicArn } : {}),
        ...(def.readsAccountEmails ? { accountEmailsPoolArn: props.userPool.arn } : {}),
        environment: {
          ...props.environment,
          ...(def.managesSubscriptions ? { NOTIFICATION_TOPIC_ARN: props.notificationTopicArn } : {}),
          ...(def.readsAccountEmails ? { USER_POOL_ID: props.userPool.id } : {}),
        },
      });
      this.functions.set(def.id, fn);
      this.rules.set(
        def.id,
        new events.Rule(this, `Schedule-${def.id}`, {
          description: `Invokes ${def.id} every ${def.scheduleHours} hours`,
          schedule: events.Schedule.rate(Duration.hours(def.scheduleHours)),
          targets: [new eventTargets.LambdaFunction(fn.function, { retryAttempts: 2 })],
        }),
      );
    }
  }

  /** Alarms (to `topic`) on each definition's `alarmWhenNonZero` metric, in the stack's metrics namespace, and its graph on the dashboard. */
  alarmOn(topic: sns.ITopic, metricsNamespace: string, dashboard: cloudwatch.Dashboard): void {
    for (const def of this.definitions) {
      if (!def.alarmWhenNonZero) continue;
      const metric = new cloudwatch.Metric({
        namespace: metricsNamespace,
        metricName: def.alarmWhenNonZero,
        dimensionsMap: { service: 'waymark' },
        statistic: 'Maximum',
        period: Duration.hours(def.scheduleHours),
      });
      const alarm = new cloudwatch.Alarm(this, `NonZero-${def.id}`, {
        alarmDescription: `${def.id}: reporting counters were wrong and have been repaired (${BUSINESS_METRICS.countersRepaired} > 0): some counter updates had been lost; see docs/RELIABILITY.md`,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new cwActions.SnsAction(topic));
      alarm.addOkAction(new cwActions.SnsAction(topic));
      this.alarms.push(alarm);
      dashboard.addWidgets(new cloudwatch.GraphWidget({ title: `${def.id}: ${def.alarmWhenNonZero} per run (0 when healthy)`, left: [metric], width: 12 }));
    }
  }
}
