import { describe, expect, it } from 'vitest';
import type { VerificationReport } from '../../shared/domain/audit-seal';
import { summary } from '../../scripts/audit-verify-summary';

/** Issue 27: audit:verify states what it checked, and never passes silently over an hour it could not check. */
const report = (over: Partial<VerificationReport>): VerificationReport => ({
  ok: true, from: '2026-12-02T10', to: '2026-12-02T11', periodsChecked: 0, eventsChecked: 0, digestsChecked: 0,
  lateEventsAccepted: 0, openPeriods: [], firstBreak: null, breaks: [], ...over,
});

describe('audit:verify summary', () => {
  it('states the events and sealed hours checked, and that the current hour is not sealed yet', () => {
    const text = summary(report({ periodsChecked: 1, eventsChecked: 1234, digestsChecked: 1, openPeriods: ['2026-12-02T11'] }), '/data/audit-digests');
    expect(text).toContain('checked 1,234 events in 1 sealed hours, against 1 digests');
    expect(text).toContain('not sealed yet: hour 2026-12-02T11 is sealed once over (the current hour cannot be), so its events are not checked yet');
    expect(text).toContain('verified: no break in the 1,234 events checked');
  });

  it('says it checked nothing when no hour of the range is sealed yet', () => {
    const text = summary(report({ from: '2026-12-02T11', openPeriods: ['2026-12-02T11'] }), '/data/audit-digests');
    expect(text).toContain('checked 0 events in 0 sealed hours');
    expect(text).toContain('nothing checked: no hour in the range is sealed yet');
    expect(text).not.toContain('verified');
  });
});
