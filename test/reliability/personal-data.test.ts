import { describe, expect, it } from 'vitest';
import { findPersonalData } from '../../shared/domain/personal-data';
import { caseItemCount, hateCrimeContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';
import { benign, positives } from './personal-data-corpus';
import { fixtures } from './fixtures';
import { useLogScan } from './log-scan';
import { pool } from './pool';

const t = useTestEnvironment();
const f = fixtures(t);
const logs = useLogScan();

describe('the personal-data detector on the larger corpus', () => {
  it('has at least 200 positive and 200 benign notes, obfuscations included', () => {
    expect(positives.length).toBeGreaterThanOrEqual(200);
    expect(benign.length).toBeGreaterThanOrEqual(200);
    expect(new Set(positives.map((p) => p.obfuscation).filter(Boolean)).size).toBeGreaterThanOrEqual(10);
  });

  it('refuses every positive, flags no benign note, and reports its rates', () => {
    const refused = positives.filter(({ note }) => findPersonalData(note).length > 0);
    const rightKind = positives.filter(({ note, kind }) => findPersonalData(note).some((x) => x.kind === kind));
    const flagged = benign.filter((note) => findPersonalData(note).length > 0);
    const byObfuscation = new Map<string, [number, number]>();
    for (const p of positives) {
      const key = p.obfuscation ?? 'none';
      const [hit, all] = byObfuscation.get(key) ?? [0, 0];
      byObfuscation.set(key, [hit + (findPersonalData(p.note).length > 0 ? 1 : 0), all + 1]);
    }
    console.log(
      `personal-data detector (reliability corpus): refused ${refused.length}/${positives.length} positives ` +
        `(${((100 * refused.length) / positives.length).toFixed(1)}%; of the expected kind ${rightKind.length}/${positives.length}), ` +
        `false positives ${flagged.length}/${benign.length}; by obfuscation: ` +
        [...byObfuscation].map(([k, [h, a]]) => `${k} ${h}/${a}`).join(', '),
    );
    expect(positives.filter((p) => !refused.includes(p)).map((p) => p.note)).toEqual([]);
    expect(flagged).toEqual([]);
  });

  it('no positive reaches the table through POST /contacts: each 400 on the note, never echoing the value', { timeout: 60_000 }, async () => {
    const before = await caseItemCount(t);
    const token = await f.tok('champion-a1');
    await pool(positives, 4, async ({ note }) => {
      logs.secret(note);
      const res = await t.api('POST', '/contacts', { token, body: hateCrimeContact({ note }) });
      expect(res.status, `${note}: ${res.text}`).toBe(400);
      expect(res.body.issues.map((i: { path: string }) => i.path)).toContain('note');
      expect(res.text).not.toContain(note);
    });
    expect(await caseItemCount(t)).toBe(before);
    // and a sample of benign notes is stored as written
    for (const note of benign.filter((_, i) => i % 20 === 0)) {
      const res = await t.api('POST', '/contacts', { token, body: hateCrimeContact({ note }) });
      expect(res.status, `${note}: ${res.text}`).toBe(201);
    }
  });
});
