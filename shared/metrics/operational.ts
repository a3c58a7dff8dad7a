/**
 * Operational signals of failures that are handled rather than thrown, so that no Lambda `Errors` metric
 * counts them: the functions emit these metrics (shared/metrics/emit.ts) or write these log messages, and
 * infra/failure-alarms.ts alarms on them. Like the business metrics, they carry no case field, team or person.
 */
export const OPERATIONAL_METRICS = {
  /** Stream records a consumer reported as failed (ReportBatchItemFailures), to be retried; dimension `consumer`. */
  streamRecordsFailed: 'StreamRecordsFailed',
  /**
   * At each scheduled run of the sealer, how long ago the oldest hour that is due for sealing but not sealed
   * ended, in minutes (0 when every due hour is sealed). Emitted every run, so its absence means the sealer
   * is not running.
   */
  auditUnsealedHourAgeMinutes: 'AuditUnsealedHourAgeMinutes',
  /**
   * A notification subscription that could not be kept in step (a supervisor's, after their record changed or at the
   * daily reconciliation; the on-call address's, after the setting changed): the record is stored, but until the
   * next change or reconciliation that person may get too many notifications, or none. No dimension but the
   * service: the log line beside it says whose (the person's id), never the address.
   */
  notificationSubscriptionsNotUpdated: 'NotificationSubscriptionsNotUpdated',
} as const;

export type OperationalMetric = (typeof OPERATIONAL_METRICS)[keyof typeof OPERATIONAL_METRICS];

/** Log messages a metric filter counts (JSON logs: the filter matches the `message` field exactly). */
export const LOGGED_FAILURES = {
  /** An escalation was stored but its notification could not be published (the 1-hour triage service level depends on it). */
  notificationNotPublished: 'escalation notification could not be published',
} as const;
