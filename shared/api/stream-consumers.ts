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
}

/** None yet: the audit sealer (audit stream) and the reporting aggregator (case stream) join this list. */
export const streamConsumers: readonly StreamConsumerDefinition[] = [];
