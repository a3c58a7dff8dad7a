import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { Context } from 'aws-lambda';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lambdaContext } from './api-gateway-event';
import { toLambdaRecord, type DeadLetter, type StreamHandler } from './stream-poller';

/**
 * `npm run dead-letters:replay` on one machine: the batches the stream poller
 * gave up on (dead-letters/<consumer>.jsonl holds their positions, as
 * Lambda's on-failure queue does) are read again from the table's stream by
 * sequence number and handed to the same handler. Handlers are idempotent per
 * stream record (the aggregator's processed markers), so a record applied
 * before, or replayed twice, counts once. A replayed batch moves to
 * dead-letters/replayed/; one whose records the stream no longer holds (older
 * than its 24 hours) stays, and the reconciliation is the way to repair what it
 * would have changed.
 */
export interface ReplayReport {
  batches: number;
  replayed: number;
  records: number;
  /** Batches whose records are no longer in the stream (or still fail): left in the file. */
  notReplayed: { consumer: string; at: string; reason: string }[];
}

export interface ReplayOptions {
  endpoint: string;
  /** The data folder's dead-letters/ directory. */
  deadLetterDir: string;
  loadHandler: (consumer: string) => Promise<StreamHandler>;
  /** Attempts per batch before it is left for later (default 3). */
  maxAttempts?: number;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The records of a dead-lettered batch, read again from its shard; undefined when the stream no longer holds them all. */
async function readBatch(streams: DynamoDBStreamsClient, entry: DeadLetter): Promise<StreamRecord[] | undefined> {
  const wanted = new Set(entry.sequenceNumbers);
  const first = entry.sequenceNumbers[0];
  if (!first) return [];
  let iterator: string | undefined;
  try {
    ({ ShardIterator: iterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: entry.streamArn, ShardId: entry.shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: first }),
    ));
  } catch (error) {
    if (['TrimmedDataAccessException', 'ResourceNotFoundException'].includes((error as Error).name)) return undefined;
    throw error;
  }
  const found: StreamRecord[] = [];
  let emptyPages = 0;
  while (iterator && found.length < wanted.size && emptyPages < 3) {
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    const records = page.Records ?? [];
    emptyPages = records.length === 0 ? emptyPages + 1 : 0;
    for (const r of records) if (wanted.has(r.dynamodb?.SequenceNumber ?? '')) found.push(r);
    iterator = page.NextShardIterator;
  }
  return found.length === wanted.size ? found : undefined;
}

export async function replayDeadLetters(options: ReplayOptions): Promise<ReplayReport> {
  const report: ReplayReport = { batches: 0, replayed: 0, records: 0, notReplayed: [] };
  if (!existsSync(options.deadLetterDir)) return report;
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: 'eu-west-2', credentials });
  const maxAttempts = options.maxAttempts ?? 3;
  try {
    for (const file of readdirSync(options.deadLetterDir).filter((f) => f.endsWith('.jsonl')).sort()) {
      const path = join(options.deadLetterDir, file);
      const entries = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as DeadLetter);
      const kept: DeadLetter[] = [];
      for (const entry of entries) {
        report.batches += 1;
        const records = entry.streamArn ? await readBatch(streams, entry) : undefined;
        if (!records) {
          kept.push(entry);
          report.notReplayed.push({ consumer: entry.consumer, at: entry.at, reason: 'its records are no longer in the stream (older than 24 hours): run the reconciliation' });
          continue;
        }
        const handler = await options.loadHandler(entry.consumer);
        let pending = records;
        for (let attempt = 1; pending.length > 0 && attempt <= maxAttempts; attempt += 1) {
          const event = { Records: pending.map((r) => toLambdaRecord(r, entry.streamArn)) };
          let firstFailed = -1;
          try {
            const response = await handler(event, lambdaContext(`waymark-${entry.consumer}`, 60_000) as Context);
            const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
            firstFailed = failed.size === 0 ? -1 : Math.max(0, pending.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? '')));
          } catch {
            firstFailed = 0;
          }
          pending = firstFailed === -1 ? [] : pending.slice(firstFailed);
        }
        if (pending.length > 0) {
          kept.push({ ...entry, sequenceNumbers: pending.map((r) => r.dynamodb?.SequenceNumber as string) });
          report.notReplayed.push({ consumer: entry.consumer, at: entry.at, reason: `${pending.length} records still fail: see the log of ${entry.consumer}` });
          continue;
        }
        report.replayed += 1;
        report.records += records.length;
        mkdirSync(join(options.deadLetterDir, 'replayed'), { recursive: true });
        appendFileSync(join(options.deadLetterDir, 'replayed', file), `${JSON.stringify({ ...entry, replayedAt: new Date().toISOString() })}\n`);
      }
      writeFileSync(path, kept.map((e) => `${JSON.stringify(e)}\n`).join(''));
    }
  } finally {
    streams.destroy();
  }
  return report;
}
