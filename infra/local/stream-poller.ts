import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { lambdaContext } from './api-gateway-event';
import type { TtlDeletions } from './ttl-sweeper';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

/** What Lambda's event source mapping puts on a REMOVE that TTL caused. */
export const TTL_USER_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' } as const;

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  /** Name used in logs, the checkpoint file and the dead-letter file. */
  consumer: string;
  /** Loads the handler (the same module Lambda runs) on first delivery. */
  loadHandler: () => Promise<StreamHandler>;
  batchSize?: number;
  pollIntervalMs?: number;
  /** Attempts per batch before it goes to the dead-letter file (Lambda: retryAttempts + 1). */
  maxAttempts?: number;
  /** Where the last delivered sequence number per shard is kept, so a restart resumes. */
  checkpointFile?: string;
  /** Where batches that failed every attempt are written (Lambda: the on-failure destination). */
  deadLetterFile?: string;
  /** Keys the TTL sweeper deleted: their REMOVE records carry TTL's userIdentity. */
  ttlDeletions?: TtlDeletions;
  /** First pause between attempts at a failing batch, doubled each time (as Lambda backs off); default 1 s. */
  retryBaseMs?: number;
  /** Longest pause between attempts, and between checks while DynamoDB is unreachable; default 30 s. */
  retryMaxMs?: number;
  /** Waits (tests inject one that records the pauses instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  /** Whether DynamoDB answers (default: DescribeTable on the source table); tests inject outages. */
  probe?: () => Promise<boolean>;
  onError?: (error: unknown) => void;
  /** Told once when an outage starts (DynamoDB unreachable) and once when it ends; attempts are not spent on an outage. */
  onOutage?: (state: 'started' | 'ended') => void;
}

/**
 * A line of the dead-letter file: the positions of a batch that failed every attempt (what Lambda's
 * on-failure destination holds), for `npm run dead-letters:replay` to read again from the stream.
 */
export interface DeadLetter {
  consumer: string;
  at: string;
  tableName: string;
  streamArn: string;
  shardId: string;
  sequenceNumbers: string[];
}

export interface StreamPoller {
  /** Polls until every shard is drained and every delivered batch has been handled. */
  drain(): Promise<void>;
  /** Stops polling on its own (after the pass under way) until resumed; `drain()` still delivers. */
  pause(): Promise<void>;
  resume(): void;
  stop(): Promise<void>;
}

/**
 * The Streams client deserialises an empty map attribute (`{"M":{}}` on the wire) to `{}`; Lambda hands
 * functions the wire form. Restores it, at any depth, so images unmarshall as they do in AWS.
 */
function wireImage(image: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!image) return image;
  const fix = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    const av = v as Record<string, unknown>;
    if (Object.keys(av).length === 0) return { M: {} };
    if (av['M'] && typeof av['M'] === 'object') return { M: wireImage(av['M'] as Record<string, unknown>) };
    if (Array.isArray(av['L'])) return { L: (av['L'] as unknown[]).map(fix) };
    return v;
  };
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, fix(v)]));
}

/** A stream record from DynamoDB Streams in the shape Lambda hands it to a function. */
export function toLambdaRecord(record: StreamRecord, streamArn: string, ttlDeletions?: TtlDeletions): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  const fromTtl = record.eventName === 'REMOVE' && d.Keys !== undefined && ttlDeletions?.take(d.Keys) === true;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? 'eu-west-2',
    eventSourceARN: streamArn,
    dynamodb: {
      ...(d.ApproximateCreationDateTime ? { ApproximateCreationDateTime: Math.floor(d.ApproximateCreationDateTime.getTime() / 1000) } : {}),
      Keys: d.Keys as never,
      ...(d.NewImage ? { NewImage: wireImage(d.NewImage as Record<string, unknown>) as never } : {}),
      ...(d.OldImage ? { OldImage: wireImage(d.OldImage as Record<string, unknown>) as never } : {}),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType,
    },
    ...(fromTtl ? { userIdentity: { ...TTL_USER_IDENTITY } } : {}),
  } as DynamoDBRecord;
}

/** The pause before attempt `attempt + 1` (attempt ≥ 1): base, 2 × base, 4 × base…, at most `max`. */
export const retryDelay = (attempt: number, baseMs: number, maxMs: number): number => Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));

/**
 * Lambda's DynamoDB event source mapping, on one machine: reads DynamoDB
 * Local's stream shard by shard, in order, hands batches to the same handler
 * Lambda runs, and honours `ReportBatchItemFailures` — on a reported failure
 * it resumes from the first failed record; on a thrown error it retries the
 * whole batch; between attempts it backs off exponentially; after
 * `maxAttempts` it writes the batch to the dead-letter file and moves on.
 *
 * A failure while DynamoDB itself does not answer (its process died, the
 * machine is swapping) is an outage, not a bad batch: the poller waits until
 * DynamoDB answers again and then retries, without spending an attempt, so a
 * database restart never sends a batch to the dead letters.
 */
export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryBaseMs = options.retryBaseMs ?? 1_000;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const tables = new DynamoDBClient({ endpoint: options.endpoint, region: 'eu-west-2', credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: 'eu-west-2', credentials });
  const checkpoints: Record<string, string> = options.checkpointFile && existsSync(options.checkpointFile)
    ? (JSON.parse(readFileSync(options.checkpointFile, 'utf8')) as Record<string, string>)
    : {};
  const iterators = new Map<string, string | undefined>();
  const closedShards = new Set<string>();
  let streamArn: string | undefined;
  let stopped = false;
  let paused = false;
  let running: Promise<boolean> | undefined;
  let handler: StreamHandler | undefined;

  const saveCheckpoint = (shardId: string, sequenceNumber: string) => {
    checkpoints[shardId] = sequenceNumber;
    if (options.checkpointFile) {
      mkdirSync(dirname(options.checkpointFile), { recursive: true });
      writeFileSync(options.checkpointFile, JSON.stringify(checkpoints));
    }
  };

  const reachable =
    options.probe ??
    (() =>
      tables.send(new DescribeTableCommand({ TableName: options.tableName })).then(
        () => true,
        // Any answer from DynamoDB, even an error, means it is up; only no answer at all is an outage.
        (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode !== undefined,
      ));

  /** Waits while DynamoDB does not answer; true if it had to (an outage), so the failed attempt does not count. */
  async function waitOutOutage(): Promise<boolean> {
    if (await reachable()) return false;
    options.onOutage?.('started');
    for (let check = 1; !stopped && !(await reachable()); check += 1) await sleep(retryDelay(check, retryBaseMs, retryMaxMs));
    options.onOutage?.('ended');
    return true;
  }

  async function resolveHandler(): Promise<StreamHandler> {
    handler ??= await options.loadHandler();
    return handler;
  }

  async function iteratorFor(shardId: string): Promise<string | undefined> {
    if (iterators.has(shardId)) return iterators.get(shardId);
    const after = checkpoints[shardId];
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
        ...(after ? { SequenceNumber: after } : {}),
      }),
    );
    iterators.set(shardId, ShardIterator);
    return ShardIterator;
  }

  /** Delivers one batch with Lambda's retry rules; returns the records it consumed (delivered or dead-lettered). */
  async function deliver(shardId: string, records: StreamRecord[]): Promise<void> {
    let pending = records;
    let attempt = 0;
    while (pending.length > 0) {
      attempt += 1;
      const event: DynamoDBStreamEvent = { Records: pending.map((r) => toLambdaRecord(r, streamArn as string, options.ttlDeletions)) };
      let firstFailed = -1;
      try {
        const response = await (await resolveHandler())(event, lambdaContext(`waymark-${options.consumer}`, 60_000));
        const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        firstFailed = failed.size === 0 ? -1 : pending.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
        if (failed.size > 0 && firstFailed === -1) firstFailed = 0; // an identifier Lambda cannot match fails the whole batch
      } catch (error) {
        options.onError?.(error);
        firstFailed = 0;
      }
      const done = firstFailed === -1 ? pending : pending.slice(0, firstFailed);
      const last = done.at(-1)?.dynamodb?.SequenceNumber;
      if (last) saveCheckpoint(shardId, last);
      if (firstFailed === -1) return;
      if (done.length > 0) attempt = 0;
      pending = pending.slice(firstFailed);
      if (stopped) return; // the rest is delivered again after a restart, from the checkpoint
      if (await waitOutOutage()) {
        attempt = 0;
        continue;
      }
      if (attempt < maxAttempts) {
        await sleep(retryDelay(attempt, retryBaseMs, retryMaxMs));
        continue;
      }
      if (options.deadLetterFile) {
        mkdirSync(dirname(options.deadLetterFile), { recursive: true });
        const entry: DeadLetter = {
          consumer: options.consumer,
          at: new Date().toISOString(),
          tableName: options.tableName,
          streamArn: streamArn as string,
          shardId,
          sequenceNumbers: pending.map((r) => r.dynamodb?.SequenceNumber as string),
        };
        appendFileSync(options.deadLetterFile, `${JSON.stringify(entry)}\n`);
      }
      const lastPending = pending.at(-1)?.dynamodb?.SequenceNumber;
      if (lastPending) saveCheckpoint(shardId, lastPending);
      return;
    }
  }

  /**
   * GetRecords on a shard. An iterator expires 15 minutes after it was handed out (a poller paused, or drained only on
   * demand, outlives it): then a fresh one is taken from the shard's checkpoint, which is where the old one stood, as
   * the records after the checkpoint have not been delivered.
   */
  async function readShard(shardId: string, iterator: string) {
    try {
      return await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ExpiredIteratorException') throw error;
      iterators.delete(shardId);
      const fresh = await iteratorFor(shardId);
      if (!fresh) return { Records: [], NextShardIterator: undefined };
      return streams.send(new GetRecordsCommand({ ShardIterator: fresh, Limit: batchSize }));
    }
  }

  /** One pass over every shard; true if any records were delivered. */
  async function pollOnce(): Promise<boolean> {
    if (!streamArn) {
      const table = await tables.send(new DescribeTableCommand({ TableName: options.tableName }));
      streamArn = table.Table?.LatestStreamArn;
      if (!streamArn) throw new Error(`${options.tableName} has no stream`);
    }
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    let delivered = false;
    for (const shard of description.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId as string;
      if (closedShards.has(shardId)) continue;
      const iterator = await iteratorFor(shardId);
      if (!iterator) {
        closedShards.add(shardId);
        continue;
      }
      const result = await readShard(shardId, iterator);
      const records = result.Records ?? [];
      if (records.length > 0) {
        await deliver(shardId, records);
        delivered = true;
        // Resume after what was checkpointed (a dead-lettered or delivered batch), exactly once.
        iterators.delete(shardId);
      } else {
        iterators.set(shardId, result.NextShardIterator);
        if (!result.NextShardIterator) closedShards.add(shardId);
      }
    }
    return delivered;
  }

  const runOnce = () => {
    running ??= pollOnce().finally(() => (running = undefined));
    return running;
  };

  const loop = (async () => {
    while (!stopped) {
      if (paused) {
        await new Promise((r) => setTimeout(r, pollIntervalMs));
        continue;
      }
      try {
        const delivered = await runOnce();
        if (!delivered) await new Promise((r) => setTimeout(r, pollIntervalMs));
      } catch (error) {
        if (await waitOutOutage()) continue;
        options.onError?.(error);
        await sleep(pollIntervalMs * 4);
      }
    }
  })();

  return {
    async drain() {
      // Keep polling until a whole pass over the shards delivers nothing.
      for (let i = 0; i < 10_000; i += 1) {
        if (!(await runOnce())) {
          // A pass that was already under way may have started before the latest writes: make one more.
          if (!(await runOnce())) return;
        }
      }
      throw new Error(`stream of ${options.tableName} did not drain`);
    },
    async pause() {
      paused = true;
      await running;
    },
    resume() {
      paused = false;
    },
    async stop() {
      stopped = true;
      await loop;
      tables.destroy();
      streams.destroy();
    },
  };
}
