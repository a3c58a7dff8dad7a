import { describe, expect, it } from 'vitest';
import { findPersonalData, personalDataLabels, type PersonalDataKind } from '../../shared/domain/personal-data';
import { publicNumbers } from '../../shared/domain/public-names';
import { tuningBenign, tuningPositives, type PersonalNote } from '../fixtures/champion-notes';
import { afterBenign, afterPositives } from '../fixtures/champion-notes-after';
import { freshBenign, freshPositives } from '../fixtures/champion-notes-fresh';
import { heldOutBenign, heldOutPositives } from '../fixtures/champion-notes-held-out';

/**
 * The champions' corpus (issue 28): detection per kind and false positives,
 * on the tuned part and on the held-out part apart, printed as a table.
 * Targets: every kind but names at least 97% detected, names at least 85%,
 * false positives at most 2% overall and none on a public helpline's number.
 * The part written after the detector (champion-notes-after.ts) is printed
 * apart as the out-of-sample estimate; detection targets are asserted on the
 * first two parts, false positives on all of them. The fourth part
 * (champion-notes-fresh.ts: names and benign notes only, written after the
 * names scored 14/20 on the third) scored 63/74 names and 1/72 false
 * positives before the name finder was changed for it; it is printed apart
 * and its names held to the same 85%.
 */
const now = new Date('2026-12-01T12:00:00Z');
const refused = (note: string) => findPersonalData(note, now).length > 0;

interface Row {
  kind: PersonalDataKind;
  tuned: [number, number];
  heldOut: [number, number];
  after: [number, number];
  fresh: [number, number];
}

function table(tuned: readonly PersonalNote[], heldOut: readonly PersonalNote[], after: readonly PersonalNote[], fresh: readonly PersonalNote[]): Row[] {
  const kinds = Object.keys(personalDataLabels) as PersonalDataKind[];
  const rate = (notes: readonly PersonalNote[], kind: PersonalDataKind): [number, number] => {
    const ofKind = notes.filter((n) => n.kind === kind);
    return [ofKind.filter((n) => refused(n.note)).length, ofKind.length];
  };
  return kinds
    .map((kind) => ({ kind, tuned: rate(tuned, kind), heldOut: rate(heldOut, kind), after: rate(after, kind), fresh: rate(fresh, kind) }))
    .filter((r) => r.tuned[1] + r.heldOut[1] > 0);
}

const pc = ([hit, all]: [number, number]) => (all === 0 ? '–' : `${((100 * hit) / all).toFixed(1)}% (${hit}/${all})`);
const sum = (a: [number, number], b: [number, number]): [number, number] => [a[0] + b[0], a[1] + b[1]];
/** Notes that quote a public number: a false positive on any of these is a failure on its own. */
const quotesPublicNumber = (note: string) => publicNumbers.some((n) => note.replace(/\s/g, '').includes(n.number.replace(/\s/g, '')));

describe('the personal-data detector on the champions\' corpus', () => {
  it('holds at least 400 personal notes (60 names, 40 addresses) and 400 benign ones, a held-out part of each', () => {
    const positives = [...tuningPositives, ...heldOutPositives];
    expect(positives.length).toBeGreaterThanOrEqual(400);
    expect(tuningBenign.length + heldOutBenign.length).toBeGreaterThanOrEqual(400);
    expect(positives.filter((p) => p.kind === 'person_name').length).toBeGreaterThanOrEqual(60);
    expect(positives.filter((p) => p.kind === 'street_address').length).toBeGreaterThanOrEqual(40);
    expect(heldOutPositives.length).toBeGreaterThanOrEqual(100);
    expect(heldOutBenign.length).toBeGreaterThanOrEqual(100);
  });

  it('detects every kind within its target, refuses at most 2% of benign notes and no public number, and prints the table', () => {
    const rows = table(tuningPositives, heldOutPositives, afterPositives, freshPositives);
    const flaggedTuned = tuningBenign.filter(refused);
    const flaggedHeldOut = heldOutBenign.filter(refused);
    const flaggedAfter = afterBenign.filter(refused);
    const flaggedFresh = freshBenign.filter(refused);
    const falsePositives: [number, number] = [
      flaggedTuned.length + flaggedHeldOut.length + flaggedAfter.length + flaggedFresh.length,
      tuningBenign.length + heldOutBenign.length + afterBenign.length + freshBenign.length,
    ];
    const lines = [
      '| kind | tuned | held out | tuned + held out | target | written after the detector | fresh (names) |',
      '|---|---|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.kind} | ${pc(r.tuned)} | ${pc(r.heldOut)} | ${pc(sum(r.tuned, r.heldOut))} | ≥ ${r.kind === 'person_name' ? 85 : 97}% | ${pc(r.after)} | ${pc(r.fresh)} |`),
      `| **false positives** | ${pc([flaggedTuned.length, tuningBenign.length])} | ${pc([flaggedHeldOut.length, heldOutBenign.length])} | ${pc([flaggedTuned.length + flaggedHeldOut.length, tuningBenign.length + heldOutBenign.length])} | ≤ 2% (all four: ${pc(falsePositives)}) | ${pc([flaggedAfter.length, afterBenign.length])} | ${pc([flaggedFresh.length, freshBenign.length])} |`,
    ];
    console.log(`personal-data detector, champions' corpus (detected = refused):\n${lines.join('\n')}`);
    const missed = [...tuningPositives, ...heldOutPositives, ...afterPositives, ...freshPositives].filter((p) => !refused(p.note));
    if (missed.length > 0) console.log(`missed:\n${missed.map((m) => `  ${m.kind}: ${m.note}`).join('\n')}`);
    const flagged = [...flaggedTuned, ...flaggedHeldOut, ...flaggedAfter, ...flaggedFresh];
    if (flagged.length > 0) console.log(`false positives:\n${flagged.map((n) => `  ${n}: ${JSON.stringify(findPersonalData(n, now))}`).join('\n')}`);

    for (const r of rows) {
      const [hit, all] = sum(r.tuned, r.heldOut);
      expect(hit / all, r.kind).toBeGreaterThanOrEqual(r.kind === 'person_name' ? 0.85 : 0.97);
    }
    const freshNames = rows.find((r) => r.kind === 'person_name')!.fresh;
    expect(freshNames[1], 'the fresh part holds at least 60 names').toBeGreaterThanOrEqual(60);
    expect(freshBenign.length, 'and at least 60 benign notes').toBeGreaterThanOrEqual(60);
    expect(freshNames[0] / freshNames[1], 'names in the fresh part').toBeGreaterThanOrEqual(0.85);
    expect(falsePositives[0] / falsePositives[1]).toBeLessThanOrEqual(0.02);
    expect(flagged.filter(quotesPublicNumber)).toEqual([]);
  });
});
