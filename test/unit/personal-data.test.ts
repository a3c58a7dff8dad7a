import { describe, expect, it } from 'vitest';
import { describeFindings, findPersonalData } from '../../shared/domain/personal-data';
import { benign, positives } from '../fixtures/personal-data-corpus';

const now = new Date('2026-11-23T12:00:00Z');

describe('the personal-data detector', () => {
  it('has a corpus of at least 50 positive and 50 benign notes', () => {
    expect(positives.length).toBeGreaterThanOrEqual(50);
    expect(benign.length).toBeGreaterThanOrEqual(50);
  });

  it('finds the personal data in every positive note, of the right kind, and reports its rates', () => {
    const missed = positives.filter(({ note, kind }) => !findPersonalData(note, now).some((f) => f.kind === kind));
    const flagged = benign.filter((note) => findPersonalData(note, now).length > 0);
    const detection = (positives.length - missed.length) / positives.length;
    const falsePositives = flagged.length / benign.length;
    console.log(
      `personal-data detector: detection ${(detection * 100).toFixed(1)}% (${positives.length - missed.length}/${positives.length}), ` +
        `false positives ${(falsePositives * 100).toFixed(1)}% (${flagged.length}/${benign.length})`,
    );
    expect(missed.map((m) => m.note)).toEqual([]);
    expect(flagged.map((note) => ({ note, found: findPersonalData(note, now) }))).toEqual([]);
  });

  it('reports the kind and the position, and never the value', () => {
    const note = 'Call her on 07700 900123 please';
    const [finding] = findPersonalData(note, now);
    expect(finding).toEqual({ kind: 'phone_number', index: 12, length: 12 });
    const message = describeFindings(findPersonalData(note, now));
    expect(message).toContain('a phone number at character 13');
    expect(message).not.toMatch(/07700|900123/);
  });

  it('tells a birth date from a recent incident date by the year', () => {
    expect(findPersonalData('It happened on 03/11/2026', now)).toEqual([]);
    expect(findPersonalData('She gave 03/11/1986 as the date', now).map((f) => f.kind)).toEqual(['date_of_birth']);
  });
});
