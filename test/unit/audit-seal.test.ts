import { describe, expect, it } from 'vitest';
import {
  buildDigest,
  canonicalJson,
  digestHash,
  GENESIS_HASH,
  hourOf,
  hoursBetween,
  isSealable,
  leafHash,
  merkleRoot,
  nextHour,
  serialiseDigest,
  toLeaf,
  verifyTrail,
  type AuditDigest,
  type Hour,
  type StoredEvent,
  type VerificationInput,
} from '../../shared/domain/audit-seal';

const H0: Hour = '2026-05-01T09';
const H1 = nextHour(H0);
const H2 = nextHour(H1);
const NOW = new Date('2026-05-01T14:00:00Z');

function event(hour: Hour, minute: number, id: string): StoredEvent {
  const at = `${hour}:${String(minute).padStart(2, '0')}:00.000Z`;
  return { pk: `AUDIT#contact#${id}`, sk: `${at}#${id}`, hourKey: `HOUR#${hour}`, eventId: id, at, action: 'contacts.update', changedFields: ['a'], expiresAt: 1 };
}

/** Three sealed hours of four events each, as the sealer would leave them. */
function trail() {
  const eventsByHour = new Map<Hour, StoredEvent[]>();
  const digests: AuditDigest[] = [];
  for (const [h, hour] of [H0, H1, H2].entries()) {
    const events = [0, 1, 2, 3].map((i) => event(hour, 10 * i, `E${h}${i}`));
    eventsByHour.set(hour, events);
    const previous = digests.at(-1);
    digests.push(buildDigest({ kind: 'seal', hour, leaves: events.map((e) => toLeaf(e)), previous: previous && { seq: previous.seq, hash: previous.hash }, sealedAt: NOW }));
  }
  return { eventsByHour, digests };
}

function indexOf(digests: readonly AuditDigest[]) {
  const byHour = new Map<Hour, { seq: number; kind: AuditDigest['kind'] }[]>();
  for (const d of digests) byHour.set(d.hour, [...(byHour.get(d.hour) ?? []), { seq: d.seq, kind: d.kind }]);
  return byHour;
}

function input(t: ReturnType<typeof trail>, overrides: Partial<VerificationInput> = {}): VerificationInput {
  const last = t.digests.at(-1)!;
  return {
    from: H0,
    to: H2,
    eventsByHour: t.eventsByHour,
    storedSeqs: t.digests.map((d) => d.seq),
    digests: new Map(t.digests.map((d) => [d.seq, serialiseDigest(d)])),
    index: { head: { seq: last.seq, hash: last.hash }, byHour: indexOf(t.digests) },
    now: NOW,
    graceSeconds: 120,
    maxLatenessSeconds: 900,
    ...overrides,
  };
}

describe('canonical form and hashes', () => {
  it('canonical JSON sorts keys at every depth and ignores undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[2,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });

  it('a leaf hash changes with any attribute of the stored item, the expiry included', () => {
    const e = event(H0, 1, 'E');
    expect(leafHash({ ...e })).toBe(leafHash(e));
    expect(leafHash({ ...e, action: 'contacts.read' })).not.toBe(leafHash(e));
    expect(leafHash({ ...e, expiresAt: 0 })).not.toBe(leafHash(e));
    expect(leafHash({ ...e, extra: 'x' })).not.toBe(leafHash(e));
  });

  it('the Merkle root depends on every leaf and their order', () => {
    const leaves = ['a', 'b', 'c'].map((x) => leafHash({ x }));
    expect(merkleRoot([leaves[0]!])).toBe(leaves[0]);
    expect(merkleRoot(leaves)).not.toBe(merkleRoot([leaves[1]!, leaves[0]!, leaves[2]!]));
    expect(merkleRoot(leaves)).not.toBe(merkleRoot(leaves.slice(0, 2)));
    expect(merkleRoot([])).toMatch(/^[0-9a-f]{64}$/);
  });

  it('digests chain: seq, previous hash, and a self-hash over everything else', () => {
    const { digests } = trail();
    expect(digests.map((d) => d.seq)).toEqual([1, 2, 3]);
    expect(digests[0]!.previousHash).toBe(GENESIS_HASH);
    expect(digests[1]!.previousHash).toBe(digests[0]!.hash);
    for (const d of digests) expect(digestHash(d)).toBe(d.hash);
    expect(digestHash({ ...digests[0]!, count: 5 })).not.toBe(digests[0]!.hash);
    expect(digests[0]).toMatchObject({ count: 4, periodStart: '2026-05-01T09:00:00.000Z', periodEnd: '2026-05-01T10:00:00.000Z' });
  });

  it('hours: sealable only once over plus grace', () => {
    expect(hourOf('2026-05-01T09:59:59.999Z')).toBe(H0);
    expect(hoursBetween(H0, H2)).toEqual([H0, H1, H2]);
    expect(isSealable(H0, new Date('2026-05-01T10:01:59Z'), 120)).toBe(false);
    expect(isSealable(H0, new Date('2026-05-01T10:02:00Z'), 120)).toBe(true);
  });
});

describe('verification', () => {
  it('an untouched trail verifies clean', () => {
    expect(verifyTrail(input(trail()))).toMatchObject({ ok: true, periodsChecked: 3, eventsChecked: 12, digestsChecked: 3, firstBreak: null });
  });

  it('names an altered event', () => {
    const t = trail();
    const events = [...t.eventsByHour.get(H1)!];
    events[2] = { ...events[2]!, action: 'contacts.delete' };
    t.eventsByHour.set(H1, events);
    expect(verifyTrail(input(t)).firstBreak).toMatchObject({ kind: 'event-altered', hour: H1, eventId: 'E12', digestSeq: 2 });
  });

  it('names a deleted event', () => {
    const t = trail();
    t.eventsByHour.set(H2, t.eventsByHour.get(H2)!.filter((e) => e.eventId !== 'E21'));
    expect(verifyTrail(input(t)).firstBreak).toMatchObject({ kind: 'event-deleted', hour: H2, eventId: 'E21' });
  });

  it('names an inserted event (in no digest)', () => {
    const t = trail();
    t.eventsByHour.set(H0, [...t.eventsByHour.get(H0)!, event(H0, 59, 'FORGED')]);
    expect(verifyTrail(input(t)).firstBreak).toMatchObject({ kind: 'event-inserted', hour: H0, eventId: 'FORGED' });
  });

  it('accepts a late event in a correction digest within the allowed lateness, and names one written long after its time', () => {
    for (const [lateSeconds, ok] of [[600, true], [7200, false]] as const) {
      const t = trail();
      const late = event(H1, 59, 'LATE');
      t.eventsByHour.set(H1, [...t.eventsByHour.get(H1)!, late]);
      const seenAt = new Date(Date.parse(late.at) + lateSeconds * 1000).toISOString();
      const last = t.digests.at(-1)!;
      const correction = buildDigest({ kind: 'correction', hour: H1, leaves: [toLeaf(late, seenAt)], previous: { seq: last.seq, hash: last.hash }, sealedAt: NOW, corrects: 2 });
      t.digests.push(correction);
      const report = verifyTrail(input(t));
      expect(report.ok).toBe(ok);
      if (ok) expect(report.lateEventsAccepted).toBe(1);
      else expect(report.firstBreak).toMatchObject({ kind: 'event-inserted', eventId: 'LATE', digestSeq: 4 });
    }
  });

  it('names an altered digest: edited, or edited and re-hashed (its successor remembers), or the newest re-hashed (the sealer\'s head remembers)', () => {
    const t = trail();
    const edited = { ...t.digests[0]!, count: 3 };
    expect(verifyTrail(input(t, { digests: new Map([...input(t).digests, [1, serialiseDigest(edited)]]) })).firstBreak).toMatchObject({
      kind: 'digest-altered',
      digestSeq: 1,
    });
    const leaves = t.digests[0]!.leaves.slice(1);
    const body = { ...t.digests[0]!, leaves, count: 3, root: merkleRoot(leaves.map((l) => l.hash)) };
    const rehashed = { ...body, hash: digestHash(body) };
    expect(verifyTrail(input(t, { digests: new Map([...input(t).digests, [1, serialiseDigest(rehashed)]]) })).firstBreak).toMatchObject({
      kind: 'digest-altered',
      digestSeq: 1,
    });
    const newestBody = { ...t.digests[2]!, sealedAt: '2026-05-01T13:00:00.000Z' };
    const newest = { ...newestBody, hash: digestHash(newestBody) };
    expect(verifyTrail(input(t, { digests: new Map([...input(t).digests, [3, serialiseDigest(newest)]]) })).firstBreak).toMatchObject({
      kind: 'digest-altered',
      digestSeq: 3,
    });
    expect(verifyTrail(input(t, { digests: new Map([...input(t).digests, [2, 'not json']]) })).firstBreak).toMatchObject({ kind: 'digest-altered', digestSeq: 2 });
  });

  it('names a missing digest: a gap in the chain, the newest gone, or an hour with events and no digest', () => {
    const t = trail();
    const without = (seq: number) => {
      const i = input(t);
      const digests = new Map(i.digests);
      digests.delete(seq);
      return { ...i, digests, storedSeqs: i.storedSeqs.filter((s) => s !== seq) };
    };
    expect(verifyTrail(without(2)).firstBreak).toMatchObject({ kind: 'digest-missing', digestSeq: 2 });
    expect(verifyTrail(without(3)).firstBreak).toMatchObject({ kind: 'digest-missing', digestSeq: 3 });
    const i = input(t);
    const byHour = new Map(i.index.byHour);
    byHour.delete(H2);
    expect(verifyTrail({ ...i, index: { ...i.index, byHour } }).breaks).toContainEqual(expect.objectContaining({ kind: 'digest-missing', hour: H2 }));
  });

  it('does not judge an hour that is not over yet and not sealed', () => {
    const t = trail();
    const i = input(t, { now: new Date('2026-05-01T11:30:00Z') });
    const byHour = new Map(i.index.byHour);
    byHour.delete(H2);
    const report = verifyTrail({ ...i, index: { head: { seq: 2, hash: t.digests[1]!.hash }, byHour }, storedSeqs: [1, 2], digests: new Map([...i.digests].filter(([s]) => s < 3)) });
    expect(report).toMatchObject({ ok: true, openPeriods: [H2], periodsChecked: 2 });
  });
});
