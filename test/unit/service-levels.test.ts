import { describe, expect, it } from 'vitest';
import { isOverdue, triageDueAt, ukCalendar } from '../../shared/domain/service-levels';

const calendar = ukCalendar(['2026-12-25', '2026-12-28', '2027-04-02', '2027-04-05']);
const due = (iso: string, priority: 'immediate' | 'high' | 'standard') => triageDueAt(new Date(iso), priority, calendar).toISOString();

describe('triage service levels', () => {
  it('gives an immediate-risk escalation one hour, whatever the day', () => {
    expect(due('2026-11-21T23:30:00Z', 'immediate')).toBe('2026-11-22T00:30:00.000Z'); // a Saturday night
  });

  it('counts working days Monday to Friday at the same local time', () => {
    expect(due('2026-11-24T10:00:00Z', 'high')).toBe('2026-11-25T10:00:00.000Z'); // Tue → Wed
    expect(due('2026-11-24T10:00:00Z', 'standard')).toBe('2026-11-27T10:00:00.000Z'); // Tue → Fri
  });

  it('skips a weekend', () => {
    expect(due('2026-11-27T15:00:00Z', 'high')).toBe('2026-11-30T15:00:00.000Z'); // Fri → Mon
    expect(due('2026-11-26T15:00:00Z', 'standard')).toBe('2026-12-01T15:00:00.000Z'); // Thu → Tue
  });

  it('starts the clock at the beginning of the next working day when raised at a weekend', () => {
    // Saturday → clock starts Monday 00:00 London (GMT in November) → due Tuesday 00:00.
    expect(due('2026-11-28T11:00:00Z', 'high')).toBe('2026-12-01T00:00:00.000Z');
  });

  it('skips bank holidays (Christmas, and the substitute Boxing Day)', () => {
    // Thu 24 Dec → Fri 25 (holiday), Sat, Sun, Mon 28 (holiday) → Tue 29 Dec.
    expect(due('2026-12-24T09:00:00Z', 'high')).toBe('2026-12-29T09:00:00.000Z');
  });

  it('keeps local wall-clock time across the change to summer time', () => {
    // Thu 25 Mar 2027 10:00 GMT + 3 working days (Fri, Mon, Tue; clocks go forward on Sun 28) → Tue 30 Mar 10:00 BST = 09:00Z.
    expect(due('2027-03-25T10:00:00Z', 'standard')).toBe('2027-03-30T09:00:00.000Z');
  });

  it('says when a due time has passed', () => {
    const dueAt = new Date('2026-11-25T10:00:00Z');
    expect(isOverdue(dueAt, new Date('2026-11-25T09:59:59Z'))).toBe(false);
    expect(isOverdue(dueAt, new Date('2026-11-25T10:00:01Z'))).toBe(true);
  });
});
