/**
 * Business metrics, emitted by the handlers as CloudWatch embedded metric
 * format (shared/metrics/emit.ts) and alarmed on / graphed by infra/operations.ts.
 * Dimensions are the service name only: never a case field, team or person.
 */
export const BUSINESS_METRICS = {
  /** A contact log was stored (POST /contacts, after the write succeeded). */
  contactsLogged: 'ContactsLogged',
  /** An escalation was raised (after the write succeeded). */
  escalationsRaised: 'EscalationsRaised',
  /** Escalations awaiting triage past their due time, as counted in a supervisor's caseload when it is read. */
  escalationsOverdue: 'EscalationsOverdue',
  /** Reporting counters the scheduled reconciliation found wrong and repaired (0 on a healthy run; alarmed when not). */
  countersRepaired: 'CountersRepaired',
} as const;

export type BusinessMetric = (typeof BUSINESS_METRICS)[keyof typeof BUSINESS_METRICS];
