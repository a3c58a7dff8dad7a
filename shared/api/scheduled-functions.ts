import type { FunctionDefinition } from './routes';

/**
 * Functions run on a schedule only (in AWS an EventBridge rule; on one
 * machine the local environment's timer, and once when it starts). Like the
 * route table, the CDK stack and the local emulation both read this list.
 */
export interface ScheduledFunctionDefinition extends FunctionDefinition {
  /** Every so many hours. */
  readonly scheduleHours: number;
  /** Longest run, in seconds. */
  readonly timeoutSeconds: number;
  /** The business metric whose non-zero value raises an alarm (shared/metrics/business-metrics.ts). */
  readonly alarmWhenNonZero?: 'CountersRepaired';
}

export const scheduledFunctions: readonly ScheduledFunctionDefinition[] = [
  {
    id: 'reconciler',
    description: 'Recomputes the reporting counters of the current year and one older year from the case records and repairs any difference',
    grants: [
      // Query: teams, each team's contacts by date and escalations (gsi1), a contact's partition (its signposting).
      { table: 'Case', actions: ['dynamodb:Query'], indexes: ['gsi1'] },
      // Query: a year of each counter partition; BatchGetItem: reference counts; GetItem/PutItem: its cursor;
      // UpdateItem: a repair (ADD of the difference, through TransactWriteItems).
      { table: 'Aggregates', actions: ['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] },
    ],
    scheduleHours: 24,
    timeoutSeconds: 300,
    alarmWhenNonZero: 'CountersRepaired',
  },
  {
    id: 'report-protection',
    description: 'Decides disclosure control for every metric\'s current and previous year off the request path and stores the hidden figures, which reports publish or start from',
    grants: [
      // Query: each metric's counter partitions for the two years; BatchGetItem: the stored protections; PutItem: a new one.
      { table: 'Aggregates', actions: ['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'] },
      // Query: every champion (gsi2) and the course catalogue (gsi1), for the champion metrics.
      { table: 'Case', actions: ['dynamodb:Query'], indexes: ['gsi1', 'gsi2'] },
    ],
    scheduleHours: 1,
    // A region's sparse years take minutes from nothing (BENCHMARKS.md, the protection profile): the CPU of a whole vCPU.
    timeoutSeconds: 900,
    memoryMb: 1769,
  },
  {
    id: 'subscriptions',
    description: 'Keeps the notification topic\'s email subscriptions in step with the supervisors\' records and the on-call setting (AWS only)',
    grants: [
      // Query: everyone (gsi2), for the supervisors; GetItem: the on-call setting.
      { table: 'Case', actions: ['dynamodb:Query', 'dynamodb:GetItem'], indexes: ['gsi2'] },
    ],
    managesSubscriptions: true,
    readsAccountEmails: true,
    scheduleHours: 1,
    timeoutSeconds: 120,
  },
];
