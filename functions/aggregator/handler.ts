import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describeErrorForLog, logger } from '../../shared/http/logger';
import { emitOperationalMetric } from '../../shared/metrics/emit';
import { OPERATIONAL_METRICS } from '../../shared/metrics/operational';
import { applyChanges, BatchApplyError, type StreamChange, type StreamChangeKind } from '../../shared/store/aggregates';

/**
 * The reporting aggregator. Fed by the case table's stream (in AWS an event
 * source mapping with ReportBatchItemFailures, bisect on error, bounded
 * retries and an encrypted SQS on-failure queue; on one machine the local
 * stream poller). The batch is applied in order, in as few transactions as
 * DynamoDB's 100-action limit allows (`applyChanges`: deltas summed by key,
 * each record's processed marker in the transaction with its deltas). At the
 * first group that fails, its first record and everything after it are
 * reported as failed, so they are retried — the ones before are not
 * redelivered, and a redelivered one is recognised by its marker and changes
 * nothing.
 */

/** DynamoDB's TTL process, as Lambda names it on a REMOVE it caused. */
export const isTtlRemoval = (record: DynamoDBRecord): boolean =>
  record.eventName === 'REMOVE' && record.userIdentity?.type === 'Service' && record.userIdentity?.principalId === 'dynamodb.amazonaws.com';

const image = (raw: unknown): Record<string, unknown> | undefined => (raw ? (unmarshall(raw as never) as Record<string, unknown>) : undefined);

export function toChange(record: DynamoDBRecord): StreamChange {
  return {
    eventId: record.eventID ?? `${record.eventSourceARN ?? ''}#${record.dynamodb?.SequenceNumber ?? ''}`,
    eventName: (record.eventName ?? 'MODIFY') as StreamChangeKind,
    oldImage: image(record.dynamodb?.OldImage),
    newImage: image(record.dynamodb?.NewImage),
    byTtl: isTtlRemoval(record),
  };
}

export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  logger.resetKeys();
  const records = event.Records ?? [];
  try {
    const result = await applyChanges(records.map(toChange));
    if (result.applied + result.alreadyApplied > 0) logger.info('counters updated', { records: records.length, ...result });
    return { batchItemFailures: [] };
  } catch (error) {
    const index = error instanceof BatchApplyError ? error.index : 0;
    const record = records[index];
    logger.error('aggregation failed; the record and those after it will be retried', {
      ...describeErrorForLog(error instanceof BatchApplyError ? error.cause : error),
      sequenceNumber: record?.dynamodb?.SequenceNumber,
    });
    // Handled, so Lambda's Errors metric never counts it: the metric is what the alarm sees.
    emitOperationalMetric(OPERATIONAL_METRICS.streamRecordsFailed, records.length - index, { consumer: 'aggregator' });
    return { batchItemFailures: [{ itemIdentifier: record?.dynamodb?.SequenceNumber ?? '' }] };
  }
}
