import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, ScheduledEvent } from 'aws-lambda';
import { describeErrorForLog, logger } from '../../shared/http/logger';
import { emitOperationalMetric } from '../../shared/metrics/emit';
import { OPERATIONAL_METRICS } from '../../shared/metrics/operational';
import { handleNewEvents, isAuditEvent, sealDueHours, unsealedAgeMinutes, unsealedDueHours, type SeenEvent } from '../../shared/store/audit-sealer';

/**
 * The audit sealer. Fed by the audit table's stream (in AWS an event source
 * mapping with ReportBatchItemFailures; on one machine the local stream
 * poller), and by a schedule (EventBridge) so that the last hour before a
 * quiet spell is sealed too. Everything it does is idempotent: a batch
 * delivered twice writes no second digest.
 */

function seenEvent(record: DynamoDBRecord): SeenEvent | undefined {
  if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return undefined;
  const item = unmarshall(record.dynamodb.NewImage as never) as Record<string, unknown>;
  if (!isAuditEvent(item)) return undefined; // the sealer's own index items
  const seconds = record.dynamodb.ApproximateCreationDateTime;
  const seenAt = seconds === undefined ? new Date() : new Date(seconds * 1000);
  return { item, seenAt: seenAt.toISOString() };
}

const isScheduled = (event: unknown): event is ScheduledEvent =>
  typeof event === 'object' && event !== null && (event as ScheduledEvent)['detail-type'] === 'Scheduled Event';

export async function handler(event: DynamoDBStreamEvent | ScheduledEvent): Promise<DynamoDBBatchResponse | undefined> {
  logger.resetKeys();
  if (isScheduled(event)) {
    // The schedule's own time, never later than this function's clock.
    const now = new Date(Math.min(Date.parse(event.time) || Date.now(), Date.now()));
    // Emitted before sealing, every run: an hour that stays unsealed run after run grows this figure (alarmed), and a
    // sealer that stops running leaves no data, which its alarm treats as breaching (infra/failure-alarms.ts).
    emitOperationalMetric(OPERATIONAL_METRICS.auditUnsealedHourAgeMinutes, unsealedAgeMinutes(await unsealedDueHours(now), now));
    const sealed = await sealDueHours(now);
    logger.info('scheduled sealing', { sealed: sealed.length });
    return undefined;
  }
  const records = event.Records ?? [];
  const events = records.map(seenEvent).filter((e): e is SeenEvent => e !== undefined);
  try {
    const { sealed, corrections } = await handleNewEvents(events);
    if (sealed.length + corrections.length > 0) {
      logger.info('audit digests written', {
        records: records.length,
        sealed: sealed.map((d) => `${d.seq}:${d.hour}:${d.count}`),
        corrections: corrections.map((d) => `${d.seq}:${d.hour}:${d.count}`),
      });
    }
    return { batchItemFailures: [] };
  } catch (error) {
    logger.error('audit sealing failed; the batch will be retried', describeErrorForLog(error));
    emitOperationalMetric(OPERATIONAL_METRICS.streamRecordsFailed, records.length, { consumer: 'audit-sealer' });
    // The batch is handled as a whole (every step is idempotent): retry it from its first record.
    const first = records[0]?.dynamodb?.SequenceNumber;
    return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
  }
}
