import { getConfig } from '../config';
import { digestName, hoursBetween, seqOfDigestName, verifyTrail, type Hour, type StoredEvent, type VerificationReport } from '../domain/audit-seal';
import { chainHead, eventsOfHour, hourIndex } from './audit-sealer';
import { getDigestStore, type DigestStore } from './digest-store';

/**
 * Reads what verification needs for a range of hours — the events of each
 * hour (byHour index, one Query per hour, never a Scan), the sealer's index
 * of digests, the digest store's listing and the digests concerned — and
 * hands it to the pure check in shared/domain/audit-seal.ts. Used by
 * POST /audit/verify and by `npm run audit:verify`.
 */
export async function verifyAuditRange(from: Hour, to: Hour, now = new Date(), store: DigestStore = getDigestStore()): Promise<VerificationReport> {
  const config = getConfig();
  const hours = hoursBetween(from, to);
  const eventsByHour = new Map<Hour, StoredEvent[]>();
  for (const hour of hours) eventsByHour.set(hour, await eventsOfHour(hour));
  const byHour = await hourIndex(from, to);
  const head = await chainHead();

  const storedSeqs = (await store.list()).map(seqOfDigestName).filter((s): s is number => s !== undefined);
  const wanted = new Set<number>();
  for (const entries of byHour.values()) {
    for (const e of entries) {
      wanted.add(e.seq);
      if (e.seq > 1) wanted.add(e.seq - 1);
      wanted.add(e.seq + 1);
    }
  }
  if (head) wanted.add(head.seq);
  const stored = new Set(storedSeqs);
  const digests = new Map<number, string>();
  for (const seq of [...wanted].sort((a, b) => a - b)) {
    if (!stored.has(seq)) continue;
    const text = await store.get(digestName(seq));
    if (text !== undefined) digests.set(seq, text);
  }

  return verifyTrail({
    from,
    to,
    eventsByHour,
    storedSeqs,
    digests,
    index: { head, byHour: new Map([...byHour].map(([h, entries]) => [h, entries.map(({ seq, kind }) => ({ seq, kind }))])) },
    now,
    graceSeconds: config.auditSealGraceSeconds,
    maxLatenessSeconds: config.auditMaxLatenessSeconds,
  });
}
