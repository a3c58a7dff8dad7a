import type { FunctionDefinition } from './routes';
import type { TableDefinition } from '../store/tables';

/**
 * Functions fed by a table's stream (in AWS an event source mapping with
 * ReportBatchItemFailures and an on-failure destination; on one machine the
 * local stream poller calls the same handler with the same retry rules).
 * Like the route table, the CDK stack and the local emulation both read this list.
 */
export interface StreamConsumerDefinition extends FunctionDefinition {
  /** The table whose stream the function consumes. */
  readonly source: TableDefinition['id'];
  readonly batchSize: number;
  /** Retries of a failing batch before it goes to the dead-letter destination. */
  readonly retryAttempts: number;
  /**
   * Also invoked on a schedule, every so many minutes (in AWS an EventBridge
   * rule; on one machine the local environment's timer), with a Scheduled Event.
   */
  readonly scheduleMinutes?: number;
  /** At most this many concurrent invocations (in AWS reserved concurrency). */
  readonly maxConcurrency?: number;
  /** Longest run, in seconds (default: the API functions' 10). */
  readonly timeoutSeconds?: number;
}

/** The reporting aggregator (case stream) joins this list. */
export const streamConsumers: readonly StreamConsumerDefinition[] = [
  {
    id: 'audit-sealer',
    description: 'Seals each UTC hour of audit events into a hash-chained digest (write-once store)',
    source: 'Audit',
    grants: [
      {
        table: 'Audit',
        // Query: an hour's events (byHour) and its own seal index; PutItem: its seal index items
        // (append-only, conditional), through TransactWriteItems too. Nothing that updates or deletes.
        actions: ['dynamodb:Query', 'dynamodb:PutItem'],
        indexes: ['byHour'],
      },
    ],
    digestGrants: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
    batchSize: 100,
    retryAttempts: 5,
    // Hours are sealed when the stream moves past them; the schedule seals the last hour before a quiet spell.
    scheduleMinutes: 15,
    // One sealer at a time keeps the chain of digests linear without contention (the write-once seq guards it anyway).
    maxConcurrency: 1,
    timeoutSeconds: 60,
  },
  {
    id: 'aggregator',
    description: 'Keeps the reporting counters from the case table\'s stream (idempotent per stream record)',
    source: 'Case',
    grants: [
      {
        table: 'Aggregates',
        // BatchGetItem: the reference counts behind distinct references; PutItem/UpdateItem/DeleteItem: markers, counter
        // ADDs and reference counts, all through TransactWriteItems, and the counter tokens (UpdateItem, after them).
        // No GetItem: a marker is never read, only put if absent.
        // Nothing on the case table: everything it needs is in the stream's old and new images.
        actions: ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      },
    ],
    // A contact logged is three to five stream records (the contact, its signposting items, its reference, its
    // idempotency record), some of which move no figure: a batch of 100 carried 20–30 contacts, and the fixed cost of
    // each delivery bounded the counting rate (issue 24). 1,000 is the most one GetRecords call returns, so the local
    // poller delivers the same batches Lambda does: 200–300 contacts, applied in transactions of up to 100 actions.
    batchSize: 1000,
    retryAttempts: 5,
    timeoutSeconds: 60,
  },
];
