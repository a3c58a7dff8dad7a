import { describe, expect, it } from 'vitest';
import type { Champion } from '../../shared/domain/champions';
import type { Contact } from '../../shared/domain/contacts';
import {
  caseloadSummary,
  checkTransitionFields,
  planTransition,
  raiseEscalation,
  raisedFields,
  requireTransition,
} from '../../shared/domain/escalation-decisions';
import type { StoredEscalation } from '../../shared/domain/escalation-views';
import { defaultServiceLevels, ukCalendar } from '../../shared/domain/service-levels';
import type { Service } from '../../shared/domain/services';
import { refusal } from '../support/refusal';

const contact = {
  id: 'contact-1',
  teamId: 'team-a',
  championSub: 'sub-a1',
  contactReference: 'WM-7K3Q-P9',
  contactDate: '2026-11-19',
  strands: ['dasv'],
  riskFlags: ['person_is_afraid', 'children_in_household'],
  beforePoliceOrEmergency: true,
} as unknown as Contact;
const calendar = ukCalendar(['2026-12-25', '2026-12-28']);
const raise = (at: string, reason: StoredEscalation['reason'] = 'asks_for_specialist_support', flags = contact.riskFlags) =>
  raiseEscalation({
    id: 'escalation-1',
    contact: { ...contact, riskFlags: flags },
    champion: { id: 'champion-a1' },
    principal: { sub: 'sub-a1', role: 'champion' },
    firstContactDate: '2026-10-01',
    input: { reason, consent: 'yes' },
    now: new Date(at),
    calendar,
    serviceLevels: defaultServiceLevels,
    expiresAt: 42,
  });

describe('raising a concern', () => {
  it('derives priority from the reason and the flags, and dates triage by the service levels', () => {
    const e = raise('2026-11-20T10:00:00Z');
    expect(e).toMatchObject({ state: 'raised', version: 1, priority: 'high', teamId: 'team-a', raisedBy: 'sub-a1', championId: 'champion-a1', firstContactDate: '2026-10-01', expiresAt: 42 });
    expect(e.history).toEqual([{ to: 'raised', at: '2026-11-20T10:00:00.000Z', by: 'sub-a1', role: 'champion' }]);
    // high: one working day; raised on a Friday, due on Monday at the same time
    expect(e.triageDueAt).toBe('2026-11-23T10:00:00.000Z');
    // standard, raised on Christmas Eve: three working days skip Christmas, a weekend and the substitute holiday
    expect(raise('2026-12-24T09:00:00Z', 'other', []).triageDueAt).toBe('2026-12-31T09:00:00.000Z');
    expect(raise('2026-11-20T10:00:00Z', 'immediate_risk_to_life', []).triageDueAt).toBe('2026-11-20T11:00:00.000Z');
    expect(raisedFields({ reason: 'other', consent: 'yes' })).toEqual(['contactId', 'reason', 'consent', 'state', 'priority', 'triageDueAt']);
  });
});

describe('a transition', () => {
  const e = raise('2026-11-20T10:00:00Z');
  const service = { id: 'service-idva', strands: ['dasv'], status: 'active' } as Service;

  it('is refused (409 with where it is and what may follow) when the state machine does not allow it or the version is stale', () => {
    expect(() => requireTransition(e, { to: 'triaged', version: 1, targetServiceKind: 'idva' })).not.toThrow();
    expect(() => requireTransition(e, { to: 'closed', version: 1 })).toThrow(/cannot be moved to closed \(next: triaged or withdrawn\)/);
    try {
      requireTransition(e, { to: 'triaged', version: 2, targetServiceKind: 'idva' });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ status: 409, details: { currentState: 'raised', allowedNext: ['triaged', 'withdrawn'], currentVersion: 1 } });
    }
  });

  it('records who moved it, when, and the fields of the move', () => {
    const plan = planTransition(e, { to: 'triaged', version: 1, targetServiceKind: 'idva', dashScore: 14 }, { sub: 'sup', role: 'supervisor' }, new Date('2026-11-20T11:00:00Z'));
    expect(plan.after).toMatchObject({ state: 'triaged', version: 2, triagedAt: '2026-11-20T11:00:00.000Z', dashScore: 14 });
    expect(plan.after.history.at(-1)).toEqual({ to: 'triaged', at: '2026-11-20T11:00:00.000Z', by: 'sup', role: 'supervisor' });
    expect(plan.changedFields).toEqual(['state', 'triagedAt', 'targetServiceKind', 'dashScore', 'history']);
  });

  it('a referral is dated from the day raised to today, needs consent (or a justification for a risk to life or to children)', () => {
    const triaged = { ...e, state: 'triaged' as const, version: 2 };
    const now = new Date('2026-11-21T12:00:00Z');
    const refer = (referredOn: string, extra = {}) => ({ to: 'referred' as const, version: 2, serviceId: 'service-idva', referredOn, ...extra });
    expect(() => checkTransitionFields(triaged, refer('2026-11-20'), service, now)).not.toThrow();
    expect(() => checkTransitionFields(triaged, refer('2026-11-21'), service, now)).not.toThrow();
    expect(refusal(() => checkTransitionFields(triaged, refer('2026-11-22'), service, now))).toEqual({ status: 400, paths: ['referredOn'] });
    expect(refusal(() => checkTransitionFields(triaged, refer('2026-11-19'), service, now))).toEqual({ status: 400, paths: ['referredOn'] });
    expect(refusal(() => checkTransitionFields(triaged, refer('2026-11-20'), undefined, now))).toEqual({ status: 400, paths: ['serviceId'] });
    expect(refusal(() => checkTransitionFields({ ...triaged, consent: 'no' }, refer('2026-11-20'), service, now))).toEqual({ status: 400, paths: ['consent'] });
    const atRisk = { ...triaged, consent: 'no' as const, reason: 'children_at_risk' as const };
    expect(refusal(() => checkTransitionFields(atRisk, refer('2026-11-20'), service, now))).toEqual({ status: 400, paths: ['sharedWithoutConsentJustification'] });
    expect(() => checkTransitionFields(atRisk, refer('2026-11-20', { sharedWithoutConsentJustification: 'Children named at risk by the school' }), service, now)).not.toThrow();
  });
});

describe('the caseload', () => {
  it('orders open escalations overdue first, counts contacts over 30 and 90 days, and lists training to renew', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const overdue = { ...raise('2026-11-20T10:00:00Z', 'other', []), id: 'escalation-old' };
    const fresh = { ...raise('2026-11-25T11:30:00Z', 'immediate_risk_to_life', []), id: 'escalation-new' };
    const champion = (id: string, status: Champion['status']) =>
      ({ id, teamId: 'team-a', displayName: id, organisationId: 'o', strands: ['dasv'], languages: [], identity: id, status, training: [], createdAt: '', updatedAt: '', version: 1 }) as Champion;
    const summary = caseloadSummary({
      teamId: 'team-a',
      open: [fresh, overdue],
      followUps: { items: [], nextCursor: 'more' },
      courses: [],
      contactDates: [
        { championId: 'a1', contactDate: '2026-11-24' },
        { championId: 'a1', contactDate: '2026-10-27' }, // the 30th day back
        { championId: 'a1', contactDate: '2026-10-26' }, // the 31st: counted in 90 days only
        { championId: 's1', contactDate: '2026-09-01' },
      ],
      champions: [champion('a1', 'active'), champion('s1', 'suspended'), champion('s2', 'suspended')],
      now,
      expiringWithinDays: 30,
    });
    expect(summary.escalations.items.map((e) => e.id)).toEqual(['escalation-old', 'escalation-new']);
    expect(summary.escalations).toMatchObject({ total: 2, overdue: 1 });
    expect(summary.followUps.more).toBe(true);
    expect(summary.contactCounts).toEqual([
      { championId: 'a1', displayName: 'a1', status: 'active', last30Days: 2, last90Days: 3 },
      { championId: 's1', displayName: 's1', status: 'suspended', last30Days: 0, last90Days: 1 },
    ]);
    expect(summary.training.map((t) => t.championId)).toEqual(['a1']);
  });
});
