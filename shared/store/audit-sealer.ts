import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { getConfig } from '../config';
import {
  buildDigest,
  compareEvents,
  digestName,
  digestSchema,
  GENESIS_HASH,
  hourEnd,
  hourOf,
  isSealable,
  serialiseDigest,
  toLeaf,
  type AuditDigest,
  type ChainLink,
  type Hour,
  type StoredEvent,
} from '../domain/audit-seal';
import { getDocumentClient } from './client';
import { getDigestStore, type DigestStore } from './digest-store';
import { cancellationReasons, errorName } from './dynamo-errors';
import { keys } from './keys';
import { queryAll } from './query';

/**
 * The sealer's side of the audit trail: which hours are waiting, the chain
 * head, the events of an hour, and the writing of seal and correction
 * digests. Only the sealer function calls this (its grants: Query and
 * PutItem on the audit table, the byHour index, the digest store).
 *
 * Its own items in the audit table (see keys.ts, `SEAL#...`) are an index
 * of the chain; the digests themselves are in the digest store, which is
 * write-once. A digest is written to the store first (create-only, under
 * its seq) and then committed to the index; a sealer that stopped between
 * the two is finished by the next run ("roll forward"), so a seq is never
 * used twice and an hour is never sealed twice.
 */

const table = () => getConfig().auditTableName;
const DAY_SECONDS = 86_400;
/** How far back pending hours are looked for (an hour pending longer is sealed late by a correction, or reported). */
const PENDING_WINDOW_DAYS = 30;

const isConditionFailure = (error: unknown) => errorName(error) === 'ConditionalCheckFailedException';

/** The newest committed digest. */
export async function chainHead(): Promise<ChainLink | undefined> {
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.sealChain().pk },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const item = result.Items?.[0];
  return item ? { seq: Number(item['seq']), hash: String(item['hash']) } : undefined;
}

export interface HourDigestEntry {
  hour: Hour;
  seq: number;
  kind: AuditDigest['kind'];
}

/** The digests committed for the hours from `from` to `to` (both included). */
export async function hourIndex(from: Hour, to: Hour, consistent = true): Promise<Map<Hour, HourDigestEntry[]>> {
  const items = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': keys.sealHour(from).pk, ':from': from, ':to': `${to}#~` },
    ConsistentRead: consistent,
  });
  const map = new Map<Hour, HourDigestEntry[]>();
  for (const item of items) {
    const entry = { hour: String(item['hour']), seq: Number(item['seq']), kind: item['kind'] as AuditDigest['kind'] };
    map.set(entry.hour, [...(map.get(entry.hour) ?? []), entry]);
  }
  return map;
}

/** The stored audit events of one hour, through the byHour index, in canonical order. */
export async function eventsOfHour(hour: Hour): Promise<StoredEvent[]> {
  const items = await queryAll({
    TableName: table(),
    IndexName: 'byHour',
    KeyConditionExpression: 'hourKey = :h',
    ExpressionAttributeValues: { ':h': keys.auditHour(hour) },
  });
  return (items as StoredEvent[]).sort(compareEvents);
}

/** Adds a digest already in the store to the index: its chain item and its hour item, together. */
async function commit(digest: AuditDigest): Promise<void> {
  const chain = {
    Put: {
      TableName: table(),
      Item: { ...keys.sealChain(digest.seq), type: 'sealChain', seq: digest.seq, hash: digest.hash, hour: digest.hour, kind: digest.kind, name: digestName(digest.seq) },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  const hour = {
    Put: {
      TableName: table(),
      Item: { ...keys.sealHour(digest.hour, digest.kind, digest.seq), type: 'sealHour', seq: digest.seq, hour: digest.hour, kind: digest.kind },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  try {
    await getDocumentClient().send(new TransactWriteCommand({ TransactItems: [chain, hour] }));
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (reasons[0]?.Code === 'ConditionalCheckFailed') return; // already committed
    if (reasons[1]?.Code === 'ConditionalCheckFailed') {
      // The hour was sealed by another digest: keep the chain linear; verification reports the hour.
      await getDocumentClient().send(new PutCommand(chain.Put)).catch((e: unknown) => {
        if (!isConditionFailure(e)) throw e;
      });
      return;
    }
    throw error;
  }
}

/** The committed head, after committing any digest the store holds beyond it. */
export async function rollForward(store: DigestStore = getDigestStore()): Promise<ChainLink | undefined> {
  let head = await chainHead();
  for (;;) {
    const seq = (head?.seq ?? 0) + 1;
    const text = await store.get(digestName(seq));
    if (text === undefined) return head;
    const digest = digestSchema.parse(JSON.parse(text));
    if (digest.seq !== seq || digest.previousHash !== (head?.hash ?? GENESIS_HASH)) {
      throw new Error(`Digest ${seq} in ${store.location} does not chain to the committed head: the trail needs verifying`);
    }
    await commit(digest);
    head = { seq, hash: digest.hash };
  }
}

async function writeDigest(
  store: DigestStore,
  build: (head: ChainLink | undefined) => Promise<AuditDigest | undefined>,
): Promise<AuditDigest | undefined> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const head = await rollForward(store);
    const digest = await build(head);
    if (!digest) return undefined;
    if ((await store.putOnce(digestName(digest.seq), serialiseDigest(digest))) === 'exists') continue; // another sealer took the seq
    await commit(digest);
    return digest;
  }
  throw new Error('Could not append a digest after 5 attempts (contention on the chain)');
}

async function isSealed(hour: Hour): Promise<boolean> {
  return (await hourIndex(hour, hour)).get(hour)?.some((e) => e.kind === 'seal') ?? false;
}

/** Seals an hour: a digest over its events in canonical order. Sealing a sealed hour does nothing. */
export async function sealHour(hour: Hour, sealedAt = new Date(), store: DigestStore = getDigestStore()): Promise<AuditDigest | undefined> {
  return writeDigest(store, async (head) => {
    if (await isSealed(hour)) return undefined;
    const events = await eventsOfHour(hour);
    return buildDigest({ kind: 'seal', hour, leaves: events.map((e) => toLeaf(e)), previous: head, sealedAt });
  });
}

/** The event ids the digests of a sealed hour cover, and the seq of its seal digest. */
async function coverage(hour: Hour, store: DigestStore): Promise<{ sealSeq: number | undefined; covered: Set<string> }> {
  const entries = (await hourIndex(hour, hour)).get(hour) ?? [];
  const covered = new Set<string>();
  let sealSeq: number | undefined;
  for (const entry of entries) {
    if (entry.kind === 'seal') sealSeq = entry.seq;
    const text = await store.get(digestName(entry.seq));
    if (text === undefined) throw new Error(`Digest ${entry.seq} of hour ${hour} is missing from ${store.location}`);
    for (const leaf of digestSchema.parse(JSON.parse(text)).leaves) covered.add(leaf.eventId);
  }
  return { sealSeq, covered };
}

export interface SeenEvent {
  item: StoredEvent;
  /** When the stream recorded the write (DynamoDB's ApproximateCreationDateTime). */
  seenAt: string;
}

/**
 * Events that reached a sealed hour after it was sealed: one correction
 * digest that names them, when the stream showed them, and the seal digest
 * it adds to. Events already covered (a redelivered record) are skipped.
 */
export async function correctHour(hour: Hour, late: readonly SeenEvent[], sealedAt = new Date(), store: DigestStore = getDigestStore()) {
  return writeDigest(store, async (head) => {
    const { sealSeq, covered } = await coverage(hour, store);
    if (sealSeq === undefined) return undefined;
    const unique = new Map<string, SeenEvent>();
    for (const e of late) if (!covered.has(e.item.eventId) && !unique.has(e.item.eventId)) unique.set(e.item.eventId, e);
    if (unique.size === 0) return undefined;
    const leaves = [...unique.values()].map((e) => toLeaf(e.item, e.seenAt));
    return buildDigest({ kind: 'correction', hour, leaves, previous: head, sealedAt, corrects: sealSeq });
  });
}

async function markPending(hour: Hour): Promise<void> {
  try {
    await getDocumentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { ...keys.sealPending(hour), type: 'sealPending', hour, expiresAt: Math.floor(hourEnd(hour).getTime() / 1000) + 2 * PENDING_WINDOW_DAYS * DAY_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** Seals every pending hour that is over (plus grace) on the given clock, oldest first. */
export async function sealDueHours(now: Date, store: DigestStore = getDigestStore()): Promise<AuditDigest[]> {
  const written: AuditDigest[] = [];
  for (const hour of await unsealedDueHours(now)) {
    const digest = await sealHour(hour, new Date(), store);
    if (digest) written.push(digest);
  }
  return written;
}

/** The pending hours that are over (plus grace) on the given clock and have no seal digest yet, oldest first. */
export async function unsealedDueHours(now: Date): Promise<Hour[]> {
  const grace = getConfig().auditSealGraceSeconds;
  const from = hourOf(new Date(now.getTime() - PENDING_WINDOW_DAYS * DAY_SECONDS * 1000).toISOString());
  const to = hourOf(now.toISOString());
  const pending = await queryAll({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': keys.sealPending().pk, ':from': from, ':to': to },
    ConsistentRead: true,
  });
  const due = pending.map((p) => String(p['hour'])).filter((h) => isSealable(h, now, grace)).sort();
  if (due.length === 0) return [];
  const sealed = await hourIndex(due[0] as Hour, due.at(-1) as Hour);
  return due.filter((hour) => !sealed.get(hour)?.some((e) => e.kind === 'seal')) as Hour[];
}

/** How long ago, in whole minutes, the oldest of these hours ended (0 when there is none). */
export const unsealedAgeMinutes = (hours: readonly Hour[], now: Date): number =>
  hours.length === 0 ? 0 : Math.max(0, Math.floor((now.getTime() - hourEnd(hours[0] as Hour).getTime()) / 60_000));

/** Is this stored item an audit event (not one of the sealer's own items)? */
export const isAuditEvent = (item: Record<string, unknown>): item is StoredEvent =>
  typeof item['pk'] === 'string' && item['pk'].startsWith('AUDIT#') && typeof item['eventId'] === 'string' && typeof item['at'] === 'string';

/**
 * What the sealer does with a batch of new audit events from the stream:
 * an hour not yet sealed is marked pending; an event of a sealed hour that
 * no digest covers goes into a correction digest; then every pending hour
 * that is over on the stream's clock — the newest event time in the batch,
 * never later than the wall clock — is sealed.
 */
export async function handleNewEvents(events: readonly SeenEvent[], wallClock = new Date(), store: DigestStore = getDigestStore()) {
  if (events.length === 0) return { sealed: [] as AuditDigest[], corrections: [] as AuditDigest[] };
  await rollForward(store);
  const byHour = new Map<Hour, SeenEvent[]>();
  for (const e of events) {
    const hour = hourOf(e.item.at);
    byHour.set(hour, [...(byHour.get(hour) ?? []), e]);
  }
  const hours = [...byHour.keys()].sort();
  const index = await hourIndex(hours[0] as Hour, hours.at(-1) as Hour);
  const corrections: AuditDigest[] = [];
  for (const hour of hours) {
    if (index.get(hour)?.some((e) => e.kind === 'seal')) {
      const digest = await correctHour(hour, byHour.get(hour) as SeenEvent[], wallClock, store);
      if (digest) corrections.push(digest);
    } else {
      await markPending(hour);
    }
  }
  const newest = events.reduce((max, e) => (e.item.at > max ? e.item.at : max), '');
  const streamClock = new Date(Math.min(Date.parse(newest), wallClock.getTime()));
  const sealed = await sealDueHours(streamClock, store);
  return { sealed, corrections };
}
