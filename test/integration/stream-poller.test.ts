import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTableInput } from '../../infra/local/create-tables';
import { startStreamPoller, TTL_USER_IDENTITY, type DeadLetter, type StreamHandler } from '../../infra/local/stream-poller';
import { startTtlSweeper, TtlDeletions } from '../../infra/local/ttl-sweeper';
import { caseTable } from '../../shared/store/tables';

let endpoint = '';
let db: DynamoDBDocumentClient;
const dir = mkdtempSync(join(tmpdir(), 'waymark-stream-'));

async function freshTable(): Promise<string> {
  const name = `stream-${Math.random().toString(36).slice(2, 10)}`;
  const raw = new DynamoDBClient({ endpoint, region: 'eu-west-2' });
  await raw.send(new CreateTableCommand(createTableInput(caseTable, name)));
  raw.destroy();
  return name;
}

const pkOf = (r: DynamoDBRecord) => r.dynamodb?.Keys?.['pk']?.S;

beforeAll(() => {
  endpoint = inject('dynamoEndpoint');
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'eu-west-2' }));
});
afterAll(() => {
  db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('the local stream poller (Lambda event source mapping on one machine)', () => {
  it('delivers inserts, modifications and removals in order, with old and new images', async () => {
    const table = await freshTable();
    const seen: DynamoDBRecord[] = [];
    const poller = startStreamPoller({
      endpoint,
      tableName: table,
      consumer: 'order',
      loadHandler: async () => async (event: DynamoDBStreamEvent) => void seen.push(...event.Records),
    });
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'A', sk: 'A', n: 1 } }));
    await db.send(new UpdateCommand({ TableName: table, Key: { pk: 'A', sk: 'A' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 2 } }));
    await db.send(new DeleteCommand({ TableName: table, Key: { pk: 'A', sk: 'A' } }));
    await poller.drain();
    await poller.stop();
    expect(seen.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(seen[1]?.dynamodb?.OldImage?.['n']).toEqual({ N: '1' });
    expect(seen[1]?.dynamodb?.NewImage?.['n']).toEqual({ N: '2' });
    expect(seen[2]?.dynamodb?.OldImage?.['n']).toEqual({ N: '2' });
    expect(seen[2]?.userIdentity).toBeUndefined();
    expect(seen[0]?.eventSource).toBe('aws:dynamodb');
  });

  it('when paused, delivers nothing on its own until resumed, while drain still delivers', async () => {
    const table = await freshTable();
    const seen: string[] = [];
    const poller = startStreamPoller({ endpoint, tableName: table, consumer: 'pause', pollIntervalMs: 20, loadHandler: async () => async (event: DynamoDBStreamEvent) => void seen.push(...event.Records.map((r) => pkOf(r) as string)) });
    await poller.drain();
    await poller.pause();
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'P1', sk: 'P1' } }));
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([]);
    await poller.drain();
    expect(seen).toEqual(['P1']);
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'P2', sk: 'P2' } }));
    poller.resume();
    for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await poller.stop();
    expect(seen).toEqual(['P1', 'P2']);
  });

  it('on a reported item failure, resumes from the first failed record without redelivering the ones before it', async () => {
    const table = await freshTable();
    const deliveries: string[][] = [];
    let failuresLeft = 2;
    const handler: StreamHandler = async (event): Promise<DynamoDBBatchResponse> => {
      deliveries.push(event.Records.map((r) => pkOf(r) as string));
      const c = event.Records.find((r) => pkOf(r) === 'C');
      if (c && failuresLeft > 0) {
        failuresLeft -= 1;
        return { batchItemFailures: [{ itemIdentifier: c.dynamodb?.SequenceNumber as string }] };
      }
      return { batchItemFailures: [] };
    };
    for (const pk of ['A', 'B', 'C', 'D']) await db.send(new PutCommand({ TableName: table, Item: { pk, sk: pk } }));
    const poller = startStreamPoller({ endpoint, tableName: table, consumer: 'partial', loadHandler: async () => handler, pollIntervalMs: 50 });
    await poller.drain();
    await poller.stop();
    const flat = deliveries.flat();
    expect(flat.filter((pk) => pk === 'A')).toHaveLength(1);
    expect(flat.filter((pk) => pk === 'B')).toHaveLength(1);
    expect(flat.filter((pk) => pk === 'C')).toHaveLength(3);
    expect(flat.at(-1)).toBe('D');
  });

  it('retries a batch whose handler throws, then dead-letters it after the last attempt and moves on', async () => {
    const table = await freshTable();
    const deadLetterFile = join(dir, 'dead.jsonl');
    let calls = 0;
    const delivered: string[] = [];
    const handler: StreamHandler = async (event) => {
      calls += 1;
      if (event.Records.some((r) => pkOf(r) === 'poison')) throw new Error('cannot handle');
      delivered.push(...event.Records.map((r) => pkOf(r) as string));
    };
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'poison', sk: 'x' } }));
    const poller = startStreamPoller({ endpoint, tableName: table, consumer: 'dlq', loadHandler: async () => handler, maxAttempts: 3, deadLetterFile, pollIntervalMs: 50, retryBaseMs: 5 });
    await poller.drain();
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'after', sk: 'x' } }));
    await poller.drain();
    await poller.stop();
    expect(calls).toBe(4); // three attempts at the poison batch, then the next record
    expect(delivered).toEqual(['after']);
    const dead = readFileSync(deadLetterFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { consumer: string; sequenceNumbers: string[] });
    expect(dead).toHaveLength(1);
    expect(dead[0]?.sequenceNumbers).toHaveLength(1);
  });

  it('backs off exponentially between attempts at a failing batch, as Lambda does, before dead-lettering it', async () => {
    const table = await freshTable();
    const deadLetterFile = join(dir, 'backoff.jsonl');
    const pauses: number[] = [];
    let calls = 0;
    const handler: StreamHandler = async () => {
      calls += 1;
      throw new Error('always fails');
    };
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'bad', sk: 'x' } }));
    const poller = startStreamPoller({
      endpoint, tableName: table, consumer: 'backoff', loadHandler: async () => handler, maxAttempts: 5, deadLetterFile,
      retryBaseMs: 1_000, retryMaxMs: 5_000, pollIntervalMs: 20,
      sleep: async (ms) => void pauses.push(ms),
    });
    await poller.drain();
    await poller.stop();
    expect(calls).toBe(5);
    expect(pauses.filter((ms) => ms >= 1_000)).toEqual([1_000, 2_000, 4_000, 5_000]);
    const dead = JSON.parse(readFileSync(deadLetterFile, 'utf8').trim()) as DeadLetter;
    expect(dead).toMatchObject({ consumer: 'backoff', tableName: table, sequenceNumbers: [expect.any(String)] });
    expect(dead.streamArn).toContain(table);
  });

  it('waits out an outage (DynamoDB not answering) without spending attempts, and never dead-letters for it', async () => {
    const table = await freshTable();
    const deadLetterFile = join(dir, 'outage.jsonl');
    const seen: string[] = [];
    const outages: string[] = [];
    let down = true;
    let probes = 0;
    let calls = 0;
    const handler: StreamHandler = async (event) => {
      calls += 1;
      if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
      seen.push(...event.Records.map((r) => pkOf(r) as string));
    };
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'kept', sk: 'x' } }));
    const poller = startStreamPoller({
      endpoint, tableName: table, consumer: 'outage', loadHandler: async () => handler, maxAttempts: 1, deadLetterFile,
      retryBaseMs: 1_000, pollIntervalMs: 20,
      sleep: async () => undefined,
      // DynamoDB "comes back" at the tenth check; the handler fails until then.
      probe: async () => {
        probes += 1;
        if (probes >= 10) down = false;
        return !down;
      },
      onOutage: (state) => outages.push(state),
    });
    await poller.drain();
    await poller.stop();
    expect(seen).toEqual(['kept']);
    expect(calls).toBe(2); // one attempt in the outage, one after it: the outage spent no attempt (maxAttempts is 1)
    expect(outages).toEqual(['started', 'ended']);
    expect(existsSync(deadLetterFile)).toBe(false);
  });

  it('resumes after its checkpoint when restarted, instead of replaying the stream', async () => {
    const table = await freshTable();
    const checkpointFile = join(dir, `${table}.checkpoint.json`);
    const seen: string[] = [];
    const handler: StreamHandler = async (event) => void seen.push(...event.Records.map((r) => pkOf(r) as string));
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'one', sk: 'x' } }));
    const first = startStreamPoller({ endpoint, tableName: table, consumer: 'cp', loadHandler: async () => handler, checkpointFile });
    await first.drain();
    await first.stop();
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'two', sk: 'x' } }));
    const second = startStreamPoller({ endpoint, tableName: table, consumer: 'cp', loadHandler: async () => handler, checkpointFile });
    await second.drain();
    await second.stop();
    expect(seen).toEqual(['one', 'two']);
  });

  it('hands on TTL expiries with the TTL service identity, and a person\'s deletion without it', async () => {
    const table = await freshTable();
    const deletions = new TtlDeletions();
    const past = Math.floor(Date.now() / 1000) - 60;
    const future = past + 3600;
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'expired', sk: 'x', expiresAt: past } }));
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'fresh', sk: 'x', expiresAt: future } }));
    await db.send(new PutCommand({ TableName: table, Item: { pk: 'deleted-by-person', sk: 'x', expiresAt: future } }));
    await db.send(new DeleteCommand({ TableName: table, Key: { pk: 'deleted-by-person', sk: 'x' } }));
    const sweeper = startTtlSweeper({ endpoint, tableName: table, ttlAttribute: 'expiresAt', keyAttributes: ['pk', 'sk'], deletions });
    expect(await sweeper.sweep()).toBe(1);
    sweeper.stop();

    const removes: DynamoDBRecord[] = [];
    const poller = startStreamPoller({
      endpoint,
      tableName: table,
      consumer: 'ttl',
      ttlDeletions: deletions,
      loadHandler: async () => async (event: DynamoDBStreamEvent) => void removes.push(...event.Records.filter((r) => r.eventName === 'REMOVE')),
    });
    await poller.drain();
    await poller.stop();
    const byPk = Object.fromEntries(removes.map((r) => [pkOf(r), r]));
    expect(Object.keys(byPk).sort()).toEqual(['deleted-by-person', 'expired']);
    expect(byPk['expired']?.userIdentity).toEqual(TTL_USER_IDENTITY);
    expect(byPk['deleted-by-person']?.userIdentity).toBeUndefined();
  });
});
