import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { getConfig } from '../config';
import { badRequest, conflict, type HttpError } from '../domain/errors';
import type { RequestScope } from './audit';
import { getItem } from './items';
import { keys } from './keys';
import { writeWithAudit, type AuditedWrite, type TransactItem } from './transact';

/**
 * Idempotent creates: a retry with the same `Idempotency-Key` and body gets
 * the first response and stores nothing new; the same key with another body
 * is a 409.
 *
 * Why not the Powertools idempotency utility (@aws-lambda-powertools/idempotency),
 * the ecosystem's usual choice? It wraps the whole handler and keeps its records
 * in a persistence layer of its own, written *outside* the transaction that
 * stores the record: it marks the key INPROGRESS, runs the handler, then
 * writes the response. A function that stops between the handler's write and
 * that last step (a timeout, a lost connection) leaves the record in progress
 * or expired while the contact is stored, and the retry is either refused until
 * the in-progress lock expires or stores the contact a second time. It would also
 * add a table, its IAM grants and its local emulation.
 *
 * Here the idempotency record is one more item in the very TransactWriteItems
 * that stores the contact and its audit event (`writeWithAudit`), put only if
 * no live record has its key: either the contact, its record and its audit
 * event all land, or none does. A retry that finds the record replays the
 * stored response; two concurrent first attempts race on the record's
 * condition and exactly one stores anything. Keys are scoped per principal
 * (`IDEMPOTENCY#<sub>#<key>`), so one user's key never collides with another's,
 * and the record lives for 24 hours (TTL, and ignored once past it even before
 * DynamoDB removes it).
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface IdempotencyClaim {
  sub: string;
  key: string;
  /** SHA-256 of the validated body in canonical form (key order and whitespace do not matter). */
  bodyHash: string;
}

export interface StoredReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Canonical JSON: object keys sorted at every level. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The reply as the record keeps it: its body as gzipped JSON (binary). A contact's reply is about 1.2 KB of JSON, which
 * made its record 2 write units (×2 in the transaction); gzipped it is about half, and the record fits in 1
 * (BENCHMARKS.md §8). A record kept with the body as JSON (written before this) is still replayed as it is.
 */
export interface KeptReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  bodyGzip?: Uint8Array;
}
export const keptReply = (reply: StoredReply): KeptReply => ({
  status: reply.status,
  ...(reply.headers ? { headers: reply.headers } : {}),
  bodyGzip: gzipSync(JSON.stringify(reply.body ?? null)),
});
export const replyOf = (kept: KeptReply): StoredReply => ({
  status: kept.status,
  ...(kept.headers ? { headers: kept.headers } : {}),
  body: kept.bodyGzip !== undefined ? (JSON.parse(gunzipSync(kept.bodyGzip).toString('utf8')) as unknown) : kept.body,
});

export const hashBody = (body: unknown): string => createHash('sha256').update(canonical(body)).digest('hex');

/** The claim for this request, or undefined when the client sent no key; a malformed key is a 400 naming the header. */
export function idempotencyClaim(headers: Readonly<Record<string, string | undefined>>, sub: string, body: unknown): IdempotencyClaim | undefined {
  const key = headers[IDEMPOTENCY_HEADER];
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw badRequest('There is a problem with the Idempotency-Key header', [
      { path: 'Idempotency-Key', message: 'must be 1-128 letters, digits, dashes, underscores, dots or colons (a UUID is ideal)' },
    ]);
  }
  return { sub, key, bodyHash: hashBody(body) };
}

const reused = () =>
  conflict('This Idempotency-Key was already used with a different request body; nothing was stored. Use a new key for a new request.', {
    field: 'Idempotency-Key',
  });

/**
 * The stored reply for a key already used with the same body; a 409 for the
 * same key with another body; undefined if the key is new (or its record has expired).
 */
export async function findReply(claim: IdempotencyClaim, now = new Date()): Promise<StoredReply | undefined> {
  const record = await getItem<{ bodyHash: string; reply: KeptReply; expiresAt: number }>(getConfig().caseTableName, keys.idempotency(claim.sub, claim.key));
  if (!record || record.expiresAt <= Math.floor(now.getTime() / 1000)) return undefined;
  if (record.bodyHash !== claim.bodyHash) throw reused();
  return replyOf(record.reply);
}

/** The transaction action that records the reply, only if no live record holds the key. */
export function idempotencyPut(claim: IdempotencyClaim, reply: StoredReply, now = new Date()): TransactItem {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  return {
    Put: {
      TableName: getConfig().caseTableName,
      Item: {
        ...keys.idempotency(claim.sub, claim.key),
        type: 'idempotency',
        bodyHash: claim.bodyHash,
        reply: keptReply(reply),
        createdAt: now.toISOString(),
        expiresAt: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
      ExpressionAttributeValues: { ':now': nowSeconds },
    },
  };
}

/** After losing the race for the key: the winner's reply (same body) or 409 (another body). */
export async function replyAfterRace(claim: IdempotencyClaim, now = new Date()): Promise<StoredReply> {
  const reply = await findReply(claim, now);
  if (!reply) throw conflict('A request with this Idempotency-Key is still being processed; try again shortly.', { field: 'Idempotency-Key' });
  return reply;
}

/** A create sent with an Idempotency-Key: the claim, and the reply to store with the record. */
export interface Once {
  claim: IdempotencyClaim;
  reply: StoredReply;
}

/**
 * Thrown by a write that lost the race for its Idempotency-Key to a request
 * with the same body: the winner's reply, which the pipeline replays (the one
 * replay path; see `idempotent` in shared/http/pipeline.ts).
 */
export class ReplayInstead extends Error {
  constructor(readonly reply: StoredReply) {
    super('idempotent replay');
  }
}

/**
 * `writeWithAudit` with, when a key was sent, the idempotency record as its
 * first action: the record, its reply and the audit event land together or
 * not at all. Losing the race for the key throws `ReplayInstead` with the
 * winner's reply (or 409 for another body); the write's own conditions are
 * explained by its own `onConditionFailed`, indexed as if the record were not there.
 */
export async function writeOnce(scope: RequestScope, once: Once | undefined, write: AuditedWrite, now = new Date()): Promise<void> {
  if (!once) return writeWithAudit(scope, write);
  const TAKEN: HttpError = conflict('taken');
  try {
    await writeWithAudit(scope, {
      ...write,
      items: [idempotencyPut(once.claim, once.reply, now), ...write.items],
      onConditionFailed: (index) => (index === 0 ? TAKEN : write.onConditionFailed?.(index - 1)),
    });
  } catch (error) {
    if (error === TAKEN) throw new ReplayInstead(await replyAfterRace(once.claim, now));
    throw error;
  }
}
