import { createHash } from 'node:crypto';
import * as z from 'zod/mini';

/**
 * Tamper evidence for the audit trail, as pure functions: the canonical form
 * of a stored audit event, its leaf hash, the Merkle root of an hour's
 * events, the digests that seal an hour and chain to each other, and the
 * verification that classifies the first break. No AWS SDK, no I/O: the
 * sealer (functions/audit-sealer) and the verifier (POST /audit/verify,
 * `npm run audit:verify`) feed it what they read. See docs/AUDIT.md.
 */

export const DIGEST_FORMAT = 'waymark.audit-digest/1';
export const GENESIS_HASH = '0'.repeat(64);

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

// ---- Hours ------------------------------------------------------------------

/** A UTC hour, `yyyy-mm-ddThh`: the period one seal digest covers. */
export type Hour = string;
export const HOUR_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}$/;
const HOUR_MS = 3_600_000;

export const hourOf = (iso: string): Hour => new Date(iso).toISOString().slice(0, 13);
export const hourStart = (hour: Hour): Date => new Date(`${hour}:00:00.000Z`);
export const hourEnd = (hour: Hour): Date => new Date(hourStart(hour).getTime() + HOUR_MS);
export const nextHour = (hour: Hour): Hour => hourOf(hourEnd(hour).toISOString());

/** Every hour from `from` to `to`, both included. */
export function hoursBetween(from: Hour, to: Hour): Hour[] {
  const out: Hour[] = [];
  for (let h = from; h <= to; h = nextHour(h)) out.push(h);
  return out;
}

/** An hour may be sealed once it is over and a grace period has passed (measured on the given clock). */
export const isSealable = (hour: Hour, now: Date, graceSeconds: number): boolean =>
  now.getTime() >= hourEnd(hour).getTime() + graceSeconds * 1000;

// ---- Canonical form and hashes ----------------------------------------------------

/**
 * Canonical JSON: object keys sorted (by code unit), no whitespace, array
 * order kept, `undefined` members left out. The same value always gives the
 * same text, whichever way it was read (stream image, Query result, file).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
      if (value instanceof Set) return canonicalJson([...value].sort());
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new Error(`canonicalJson: cannot serialise ${typeof value}`);
  }
}

/**
 * The leaf hash of a stored audit event: every attribute of the item (the
 * event and its keys, indexes and expiry), so that changing any of them,
 * including shortening its expiry, is an alteration.
 */
export const leafHash = (item: Record<string, unknown>): string => sha256(`waymark-audit-leaf/1\n${canonicalJson(item)}`);

/** Merkle root over leaf hashes in canonical order (an odd node is carried up unchanged). */
export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) return sha256('waymark-audit-empty/1');
  let level = [...leaves];
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as string;
      const right = level[i + 1];
      next.push(right === undefined ? left : sha256(`waymark-audit-node/1\n${left}${right}`));
    }
    level = next;
  }
  return level[0] as string;
}

/** Canonical order of an hour's events: by time, then by event id. */
export function compareEvents(a: { at: string; eventId: string }, b: { at: string; eventId: string }): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

// ---- Digests ----------------------------------------------------------------------

const hex64 = z.string().check(z.regex(/^[0-9a-f]{64}$/));

export const digestLeafSchema = z.strictObject({
  eventId: z.string().check(z.minLength(1)),
  at: z.string(),
  hash: hex64,
  /** Correction digests only: when the stream showed the late event (DynamoDB's own record time). */
  seenAt: z.optional(z.string()),
});
export type DigestLeaf = z.infer<typeof digestLeafSchema>;

export const digestSchema = z.strictObject({
  format: z.literal(DIGEST_FORMAT),
  /** Position in the chain of digests, from 1, gap-free. */
  seq: z.number().check(z.int(), z.positive()),
  /** `seal`: the hour's events when it was sealed; `correction`: events that reached the table after that. */
  kind: z.enum(['seal', 'correction']),
  hour: z.string().check(z.regex(HOUR_PATTERN)),
  periodStart: z.string(),
  periodEnd: z.string(),
  count: z.number().check(z.int(), z.gte(0)),
  root: hex64,
  leaves: z.array(digestLeafSchema),
  /** Correction digests: the seq of the seal digest they add to. */
  corrects: z.optional(z.number().check(z.int(), z.positive())),
  previousSeq: z.number().check(z.int(), z.gte(0)),
  previousHash: hex64,
  sealedAt: z.string(),
  /** sha256 of the canonical form of every other member. */
  hash: hex64,
});
export type AuditDigest = z.infer<typeof digestSchema>;

export const digestHash = (digest: Omit<AuditDigest, 'hash'> & { hash?: string }): string => {
  const { hash: _ignored, ...body } = digest;
  return sha256(`waymark-audit-digest/1\n${canonicalJson(body)}`);
};

/** A stored audit event as the sealer and verifier see it. */
export type StoredEvent = Record<string, unknown> & { eventId: string; at: string };

export function toLeaf(item: StoredEvent, seenAt?: string): DigestLeaf {
  return { eventId: item.eventId, at: item.at, hash: leafHash(item), ...(seenAt ? { seenAt } : {}) };
}

export interface ChainLink {
  seq: number;
  hash: string;
}

export function buildDigest(input: {
  kind: AuditDigest['kind'];
  hour: Hour;
  leaves: readonly DigestLeaf[];
  previous: ChainLink | undefined;
  sealedAt: Date;
  corrects?: number;
}): AuditDigest {
  const leaves = [...input.leaves].sort(compareEvents);
  const body: Omit<AuditDigest, 'hash'> = {
    format: DIGEST_FORMAT,
    seq: (input.previous?.seq ?? 0) + 1,
    kind: input.kind,
    hour: input.hour,
    periodStart: hourStart(input.hour).toISOString(),
    periodEnd: hourEnd(input.hour).toISOString(),
    count: leaves.length,
    root: merkleRoot(leaves.map((l) => l.hash)),
    leaves,
    ...(input.corrects !== undefined ? { corrects: input.corrects } : {}),
    previousSeq: input.previous?.seq ?? 0,
    previousHash: input.previous?.hash ?? GENESIS_HASH,
    sealedAt: input.sealedAt.toISOString(),
  };
  return { ...body, hash: digestHash(body) };
}

/** The text a digest is stored as (canonical JSON plus a newline). */
export const serialiseDigest = (digest: AuditDigest): string => `${canonicalJson(digest)}\n`;

/** Digest file/object name: the seq, zero-padded, so that names sort in chain order. */
export const digestName = (seq: number): string => `${String(seq).padStart(12, '0')}.json`;
export function seqOfDigestName(name: string): number | undefined {
  const m = /^(\d{12})\.json$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

// ---- Verification -----------------------------------------------------------------

export const breakKinds = ['event-altered', 'event-deleted', 'event-inserted', 'digest-altered', 'digest-missing'] as const;
export type BreakKind = (typeof breakKinds)[number];

export const trailBreakSchema = z.object({
  kind: z.enum(breakKinds),
  hour: z.optional(z.string()),
  eventId: z.optional(z.string()),
  digestSeq: z.optional(z.number().check(z.int())),
  detail: z.string(),
});
export type TrailBreak = z.infer<typeof trailBreakSchema>;

/** What the sealer's index (in the audit table) says about the digests. */
export interface SealIndex {
  /** The newest digest the sealer committed. */
  head: ChainLink | undefined;
  /** For each hour, the digests the sealer committed for it. */
  byHour: ReadonlyMap<Hour, readonly { seq: number; kind: AuditDigest['kind'] }[]>;
}

export interface VerificationInput {
  from: Hour;
  to: Hour;
  /** The stored items of each hour in the range (read through the byHour index). */
  eventsByHour: ReadonlyMap<Hour, readonly StoredEvent[]>;
  /** Every digest seq present in the digest store. */
  storedSeqs: readonly number[];
  /** The text of the digests read: those of the range's hours, their predecessors, and the newest. */
  digests: ReadonlyMap<number, string>;
  index: SealIndex;
  now: Date;
  graceSeconds: number;
  /** A correction may admit an event written at most this long after (or before) its own time. */
  maxLatenessSeconds: number;
}

export const verificationReportSchema = z.object({
  ok: z.boolean(),
  from: z.string(),
  to: z.string(),
  periodsChecked: z.number().check(z.int(), z.describe('hours of the range that are over (sealed or empty) and were checked')),
  eventsChecked: z.number().check(z.int()),
  digestsChecked: z.number().check(z.int()),
  lateEventsAccepted: z.number().check(z.int(), z.describe('late events admitted by correction digests within the allowed lateness')),
  openPeriods: z.array(z.string()).check(z.describe('hours of the range not over yet (plus grace) and not sealed: not checked')),
  firstBreak: z.nullable(trailBreakSchema),
  breaks: z.array(trailBreakSchema).check(z.describe('every break found, in the order found (at most 50)')),
});
export type VerificationReport = z.infer<typeof verificationReportSchema>;

const MAX_BREAKS = 50;

/**
 * Re-checks a range of the trail. Digests first, in chain order: each must
 * parse, hash to its recorded hash, have the root and count of its leaves,
 * and be named as the previous hash by its successor; the store must hold
 * every seq up to the sealer's head. Then each hour of the range, in order:
 * every event in the table must be covered by the hour's digests with the
 * same leaf hash, and every covered event must still be in the table.
 */
export function verifyTrail(input: VerificationInput): VerificationReport {
  const breaks: TrailBreak[] = [];
  const add = (b: TrailBreak) => {
    if (breaks.length < MAX_BREAKS) breaks.push(b);
  };
  const brokenSeqs = new Set<number>();
  const missingSeqs = new Set<number>();
  const parsed = new Map<number, AuditDigest>();

  // -- Digests, each on its own.
  const seqs = [...input.digests.keys()].sort((a, b) => a - b);
  for (const seq of seqs) {
    const text = input.digests.get(seq) as string;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const result = digestSchema.safeParse(json);
    if (!result.success) {
      brokenSeqs.add(seq);
      add({ kind: 'digest-altered', digestSeq: seq, detail: `digest ${seq} is not a well-formed digest` });
      continue;
    }
    const d = result.data;
    if (d.seq !== seq) {
      brokenSeqs.add(seq);
      add({ kind: 'digest-altered', digestSeq: seq, hour: d.hour, detail: `digest stored as ${seq} says it is ${d.seq}` });
    } else if (digestHash(d) !== d.hash) {
      brokenSeqs.add(seq);
      add({ kind: 'digest-altered', digestSeq: seq, hour: d.hour, detail: `digest ${seq} does not hash to its recorded hash` });
    } else if (d.count !== d.leaves.length || merkleRoot(d.leaves.map((l) => l.hash)) !== d.root) {
      brokenSeqs.add(seq);
      add({ kind: 'digest-altered', digestSeq: seq, hour: d.hour, detail: `digest ${seq}: count or root does not match its leaves` });
    }
    parsed.set(seq, d);
  }

  // -- The chain: links between neighbours, gaps, and the sealer's head.
  for (const seq of seqs) {
    const d = parsed.get(seq);
    if (!d || brokenSeqs.has(seq)) continue;
    if (seq === 1 && (d.previousSeq !== 0 || d.previousHash !== GENESIS_HASH)) {
      brokenSeqs.add(seq);
      add({ kind: 'digest-altered', digestSeq: seq, hour: d.hour, detail: 'the first digest does not start the chain' });
      continue;
    }
    if (d.previousSeq !== seq - 1) {
      brokenSeqs.add(seq);
      add({ kind: 'digest-altered', digestSeq: seq, hour: d.hour, detail: `digest ${seq} names ${d.previousSeq} as its predecessor` });
      continue;
    }
    const prev = parsed.get(seq - 1);
    if (prev && !brokenSeqs.has(seq - 1) && prev.hash !== d.previousHash) {
      // The predecessor was rewritten with a fresh self-hash; its successor still remembers the original.
      brokenSeqs.add(seq - 1);
      add({ kind: 'digest-altered', digestSeq: seq - 1, hour: prev.hour, detail: `digest ${seq - 1} is not the digest that digest ${seq} chains to` });
    }
  }
  const stored = new Set(input.storedSeqs);
  const maxStored = input.storedSeqs.reduce((m, s) => Math.max(m, s), 0);
  const expectedMax = Math.max(maxStored, input.index.head?.seq ?? 0);
  for (let seq = 1; seq <= expectedMax; seq += 1) {
    if (stored.has(seq)) continue;
    missingSeqs.add(seq);
    add({ kind: 'digest-missing', digestSeq: seq, detail: `digest ${seq} is not in the digest store (the chain has ${expectedMax})` });
  }
  const head = input.index.head;
  if (head) {
    const d = parsed.get(head.seq);
    if (d && !brokenSeqs.has(head.seq) && d.hash !== head.hash) {
      brokenSeqs.add(head.seq);
      add({ kind: 'digest-altered', digestSeq: head.seq, hour: d.hour, detail: `the newest digest (${head.seq}) is not the one the sealer committed` });
    }
  }

  // -- Hour by hour.
  let periodsChecked = 0;
  let eventsChecked = 0;
  let lateEventsAccepted = 0;
  const openPeriods: Hour[] = [];
  const checkedDigests = new Set<number>();
  for (const hour of hoursBetween(input.from, input.to)) {
    const events = [...(input.eventsByHour.get(hour) ?? [])].sort(compareEvents);
    const entries = input.index.byHour.get(hour) ?? [];
    if (entries.length === 0 && !isSealable(hour, input.now, input.graceSeconds)) {
      openPeriods.push(hour);
      continue;
    }
    periodsChecked += 1;
    eventsChecked += events.length;
    if (entries.length === 0) {
      if (events.length > 0) {
        add({ kind: 'digest-missing', hour, detail: `hour ${hour} has ${events.length} events and no digest` });
      }
      continue;
    }
    let unusable = false;
    const digests: AuditDigest[] = [];
    for (const entry of entries) {
      checkedDigests.add(entry.seq);
      const d = parsed.get(entry.seq);
      if (!d) {
        if (!missingSeqs.has(entry.seq) && !brokenSeqs.has(entry.seq)) {
          missingSeqs.add(entry.seq);
          add({ kind: 'digest-missing', hour, digestSeq: entry.seq, detail: `digest ${entry.seq} of hour ${hour} is not in the digest store` });
        }
        unusable = true;
        continue;
      }
      if (brokenSeqs.has(entry.seq)) unusable = true;
      if (d.hour !== hour || d.kind !== entry.kind) {
        if (!brokenSeqs.has(entry.seq)) {
          brokenSeqs.add(entry.seq);
          add({ kind: 'digest-altered', hour, digestSeq: entry.seq, detail: `digest ${entry.seq} does not cover hour ${hour} as the sealer recorded` });
        }
        unusable = true;
      }
      digests.push(d);
    }
    // A broken or missing digest is the break of this hour; its events cannot be judged against it.
    if (unusable) continue;
    const seals = digests.filter((d) => d.kind === 'seal');
    if (seals.length !== 1) {
      add({ kind: seals.length === 0 ? 'digest-missing' : 'digest-altered', hour, detail: `hour ${hour} has ${seals.length} seal digests` });
      continue;
    }

    const covered = new Map<string, { leaf: DigestLeaf; digest: AuditDigest }>();
    const backdated = new Set<string>();
    for (const d of digests.sort((a, b) => a.seq - b.seq)) {
      for (const leaf of d.leaves) {
        if (covered.has(leaf.eventId)) continue;
        covered.set(leaf.eventId, { leaf, digest: d });
        if (d.kind === 'correction') {
          const lateMs = Date.parse(leaf.seenAt ?? '') - Date.parse(leaf.at);
          if (!Number.isFinite(lateMs) || Math.abs(lateMs) > input.maxLatenessSeconds * 1000) backdated.add(leaf.eventId);
          else lateEventsAccepted += 1;
        }
      }
    }
    const hourBreaks: (TrailBreak & { order: { at: string; eventId: string } })[] = [];
    const present = new Set<string>();
    for (const item of events) {
      present.add(item.eventId);
      const found = covered.get(item.eventId);
      const order = { at: item.at, eventId: item.eventId };
      if (!found) {
        hourBreaks.push({ order, kind: 'event-inserted', hour, eventId: item.eventId, detail: `event ${item.eventId} is in the table but in no digest of hour ${hour}` });
      } else if (leafHash(item) !== found.leaf.hash) {
        hourBreaks.push({ order, kind: 'event-altered', hour, eventId: item.eventId, digestSeq: found.digest.seq, detail: `event ${item.eventId} differs from what digest ${found.digest.seq} sealed` });
      } else if (backdated.has(item.eventId)) {
        const late = Math.round((Date.parse(found.leaf.seenAt ?? '') - Date.parse(found.leaf.at)) / 1000);
        hourBreaks.push({
          order,
          kind: 'event-inserted',
          hour,
          eventId: item.eventId,
          digestSeq: found.digest.seq,
          detail: `event ${item.eventId} reached the table ${late} s from its own time (allowed ${input.maxLatenessSeconds} s): correction digest ${found.digest.seq} records an insertion, not a late write`,
        });
      }
    }
    for (const [eventId, { leaf, digest }] of covered) {
      if (!present.has(eventId)) {
        hourBreaks.push({ order: leaf, kind: 'event-deleted', hour, eventId, digestSeq: digest.seq, detail: `event ${eventId}, sealed by digest ${digest.seq}, is no longer in the table` });
      }
    }
    hourBreaks.sort((a, b) => compareEvents(a.order, b.order));
    for (const { order: _order, ...b } of hourBreaks) add(b);
  }

  return {
    ok: breaks.length === 0,
    from: hourStart(input.from).toISOString(),
    to: hourEnd(input.to).toISOString(),
    periodsChecked,
    eventsChecked,
    digestsChecked: new Set([...parsed.keys(), ...checkedDigests]).size,
    lateEventsAccepted,
    openPeriods,
    firstBreak: breaks[0] ?? null,
    breaks,
  };
}
