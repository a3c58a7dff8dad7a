import { Duration, Fn } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { LOGGED_FAILURES, OPERATIONAL_METRICS } from '../shared/metrics/operational';
import type { ApiFunction } from './api-function';
import type { Operations } from './operations';

/** Thresholds of the failure alarms (docs/DEPLOY.md lists them). */
export const FAILURE_ALARM_THRESHOLDS = {
  /** An hour of audit events still unsealed this many minutes after it ended (the schedule seals within 15 + grace). */
  unsealedHourAgeMinutes: 120,
  /** The sealer runs every 15 minutes: no invocation in this many minutes means it has stopped. */
  sealerSilentMinutes: 60,
} as const;

/** The metric name the notification-failure metric filter writes. */
export const NOTIFICATIONS_NOT_PUBLISHED_METRIC = 'EscalationNotificationsNotPublished';

export interface FailureAlarmsProps {
  readonly operations: Operations;
  /** The metrics namespace of the stack's functions (POWERTOOLS_METRICS_NAMESPACE). */
  readonly metricsNamespace: string;
  /** The escalation notification topic, and the functions that publish to it (their log groups are filtered). */
  readonly notificationTopic: sns.ITopic;
  readonly notificationPublishers: readonly ApiFunction[];
  /** Stream consumers by id; the one that seals the audit trail is named. */
  readonly streamConsumers: ReadonlyMap<string, ApiFunction>;
  readonly sealerId: string;
  readonly tables: ReadonlyMap<string, dynamodb.ITable>;
  readonly userPool: cognito.IUserPool;
  /** prod only: the backup plan's jobs are watched. */
  readonly watchBackups: boolean;
}

/**
 * Alarms for the failures that are handled, logged or happen outside the functions, which Lambda's `Errors`
 * metric never counts: a notification that was not published, a notification subscription not kept in step, SNS deliveries that failed, stream records a
 * consumer reported as failed, a sealer that stops running or leaves hours unsealed, DynamoDB system errors,
 * Cognito risk detections, and AWS Backup jobs that fail. Each goes to the alarm topic (infra/operations.ts).
 */
export class FailureAlarms extends Construct {
  constructor(scope: Construct, id: string, props: FailureAlarmsProps) {
    super(scope, id);
    const ops = props.operations;
    const fiveMinutes = Duration.minutes(5);
    const namespace = props.metricsNamespace;
    const subscriptionsNotUpdated = () =>
      new cloudwatch.Metric({ namespace, metricName: OPERATIONAL_METRICS.notificationSubscriptionsNotUpdated, dimensionsMap: { service: 'waymark' }, statistic: 'Sum', period: fiveMinutes });
    const insights = (label: string, query: string, period = fiveMinutes) => new cloudwatch.MathExpression({ label, expression: query, period, usingMetrics: {} });

    // The 1-hour triage service level depends on the notification: a failed publish is logged and the escalation kept.
    props.notificationPublishers.forEach((fn, i) => {
      new logs.MetricFilter(this, `NotificationNotPublished${i}`, {
        logGroup: fn.logGroup,
        filterPattern: logs.FilterPattern.stringValue('$.message', '=', LOGGED_FAILURES.notificationNotPublished),
        metricNamespace: namespace,
        metricName: NOTIFICATIONS_NOT_PUBLISHED_METRIC,
        metricValue: '1',
        defaultValue: 0,
      });
    });
    ops.addAlarm(
      'NotificationsNotPublished',
      'An escalation was stored but its notification to the DASV team could not be published: check the caseload for escalations awaiting triage',
      new cloudwatch.Metric({ namespace, metricName: NOTIFICATIONS_NOT_PUBLISHED_METRIC, statistic: 'Sum', period: fiveMinutes }),
      1,
    );
    ops.addAlarm(
      'NotificationDeliveriesFailed',
      'SNS could not deliver escalation notifications to a subscriber (e-mail, chat): the DASV team may not have been told',
      props.notificationTopic.metricNumberOfNotificationsFailed({ statistic: 'Sum', period: fiveMinutes }),
      1,
    );

    // A notification subscription left out of step with the directory (issue 22): the person's record is stored and the
    // daily reconciliation retries, but until then a supervisor may miss their team's concerns, or get another team's.
    ops.addAlarm(
      'NotificationSubscriptionsNotUpdated',
      'A supervisor\'s or the on-call address\'s notification subscription could not be kept in step (SNS or Cognito failed): the daily reconciliation retries; check the users and settings functions\' logs for the person\'s id',
      subscriptionsNotUpdated(),
      1,
    );

    // Handled batch failures: the consumers report them (ReportBatchItemFailures) rather than throw.
    for (const consumerId of props.streamConsumers.keys()) {
      ops.addAlarm(
        `StreamRecordsFailed-${consumerId}`,
        `${consumerId}: stream records failed and are being retried (handled, so the Errors alarm does not see them)`,
        new cloudwatch.Metric({ namespace, metricName: OPERATIONAL_METRICS.streamRecordsFailed, dimensionsMap: { service: 'waymark', consumer: consumerId }, statistic: 'Sum', period: fiveMinutes }),
        1,
      );
    }

    // The sealer: stopped (no invocations, missing data breaching) or leaving hours unsealed.
    const sealer = props.streamConsumers.get(props.sealerId);
    if (!sealer) throw new Error(`no stream consumer ${props.sealerId}`);
    const silent = Duration.minutes(FAILURE_ALARM_THRESHOLDS.sealerSilentMinutes);
    ops.addAlarm(
      'SealerNotRunning',
      `The audit sealer has not run for ${FAILURE_ALARM_THRESHOLDS.sealerSilentMinutes} minutes (it is scheduled every 15): audit hours are not being sealed`,
      sealer.function.metricInvocations({ statistic: 'Sum', period: silent }),
      1,
      { comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, treatMissingData: cloudwatch.TreatMissingData.BREACHING },
    );
    ops.addAlarm(
      'AuditUnsealedHourAge',
      `An hour of audit events has been due for sealing for ${FAILURE_ALARM_THRESHOLDS.unsealedHourAgeMinutes} minutes or more, or the sealer's scheduled runs report nothing`,
      new cloudwatch.Metric({ namespace, metricName: OPERATIONAL_METRICS.auditUnsealedHourAgeMinutes, dimensionsMap: { service: 'waymark' }, statistic: 'Maximum', period: Duration.minutes(30) }),
      FAILURE_ALARM_THRESHOLDS.unsealedHourAgeMinutes,
      { evaluationPeriods: 2, treatMissingData: cloudwatch.TreatMissingData.BREACHING },
    );

    // DynamoDB system errors (HTTP 500 from DynamoDB), every operation of each table: a Metrics Insights query sums them.
    for (const [tableId, table] of props.tables) {
      ops.addAlarm(
        `DynamoDbSystemErrors-${tableId}`,
        `${tableId} table: DynamoDB answered requests with system errors (500) in 5 minutes`,
        insights(`${tableId} system errors`, Fn.join('', [`SELECT SUM(SystemErrors) FROM "AWS/DynamoDB" WHERE TableName = '`, table.tableName, `'`])),
        1,
      );
    }

    // Cognito threat protection: sign-ins it judged at risk (account takeover, compromised credentials).
    for (const metricName of ['AccountTakeoverRisk', 'CompromisedCredentialRisk']) {
      ops.addAlarm(
        `Cognito${metricName}`,
        `Cognito threat protection detected ${metricName === 'AccountTakeoverRisk' ? 'account takeover risk' : 'compromised credentials'} on a sign-in: review the user's auth events`,
        insights(`${metricName}`, Fn.join('', [`SELECT SUM(${metricName}) FROM "AWS/Cognito" WHERE UserPoolId = '`, props.userPool.userPoolId, `'`])),
        1,
      );
    }

    // On the operations dashboard, beside the alarms: what the handled failures look like over time.
    ops.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Handled failures: stream records failed, notifications not published, subscriptions not updated',
        left: [
          ...[...props.streamConsumers.keys()].map(
            (consumer) => new cloudwatch.Metric({ namespace, metricName: OPERATIONAL_METRICS.streamRecordsFailed, dimensionsMap: { service: 'waymark', consumer }, statistic: 'Sum', period: fiveMinutes, label: `${consumer} records failed` }),
          ),
          new cloudwatch.Metric({ namespace, metricName: NOTIFICATIONS_NOT_PUBLISHED_METRIC, statistic: 'Sum', period: fiveMinutes }),
          subscriptionsNotUpdated(),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Oldest unsealed audit hour (minutes)',
        left: [new cloudwatch.Metric({ namespace, metricName: OPERATIONAL_METRICS.auditUnsealedHourAgeMinutes, dimensionsMap: { service: 'waymark' }, statistic: 'Maximum', period: Duration.minutes(15) })],
        width: 12,
      }),
    );

    // AWS Backup jobs of this account (Waymark's own account; docs/DEPLOY.md) that failed, were aborted or expired.
    if (props.watchBackups) {
      for (const metricName of ['NumberOfBackupJobsFailed', 'NumberOfBackupJobsAborted', 'NumberOfBackupJobsExpired', 'NumberOfCopyJobsFailed']) {
        ops.addAlarm(
          `Backup-${metricName}`,
          `AWS Backup: ${metricName.replace(/^NumberOf/, '').replace(/([A-Z])/g, ' $1').trim().toLowerCase()} in this account: the daily recovery point may be missing`,
          insights(metricName, `SELECT SUM(${metricName}) FROM "AWS/Backup"`, Duration.hours(1)),
          1,
        );
      }
    }
  }
}
