import { describe, expect, it } from 'vitest';
import {
  caseloadOrder,
  championEscalationView,
  createEscalationSchema,
  escalationOverdue,
  notificationFor,
  supervisorEscalationView,
  type StoredEscalation,
} from '../../shared/domain/escalation-views';

const now = new Date('2026-06-10T12:00:00.000Z');

function escalation(overrides: Partial<StoredEscalation>): StoredEscalation {
  return {
    id: 'escalation-x',
    contactId: 'contact-x',
    teamId: 'team-a',
    raisedBy: 'sub-champion',
    championId: 'champion-x',
    contactReference: 'WM-7K3Q-P9',
    strands: ['dasv'],
    reason: 'other',
    priority: 'standard',
    consent: 'yes',
    state: 'raised',
    raisedAt: '2026-06-10T09:00:00.000Z',
    triageDueAt: '2026-06-13T09:00:00.000Z',
    contactDate: '2026-06-10',
    firstContactDate: '2026-06-01',
    beforePoliceOrEmergency: true,
    history: [{ to: 'raised', at: '2026-06-10T09:00:00.000Z', by: 'sub-champion', role: 'champion' }],
    version: 1,
    updatedAt: '2026-06-10T09:00:00.000Z',
    expiresAt: 2_000_000_000,
    ...overrides,
  };
}

describe('the caseload order', () => {
  it('puts overdue first, then immediate, high, standard, then the oldest first', () => {
    const list = [
      escalation({ id: 'standard-new', raisedAt: '2026-06-10T10:00:00.000Z' }),
      escalation({ id: 'standard-old', raisedAt: '2026-06-09T10:00:00.000Z' }),
      escalation({ id: 'high', priority: 'high' }),
      escalation({ id: 'immediate', priority: 'immediate', triageDueAt: '2026-06-10T13:00:00.000Z' }),
      escalation({ id: 'overdue-standard', triageDueAt: '2026-06-10T11:00:00.000Z' }),
      escalation({ id: 'triaged-past-due', state: 'triaged', priority: 'high', triageDueAt: '2026-06-01T00:00:00.000Z', raisedAt: '2026-06-01T00:00:00.000Z' }),
    ];
    expect(list.sort(caseloadOrder(now)).map((e) => e.id)).toEqual(['overdue-standard', 'immediate', 'triaged-past-due', 'high', 'standard-old', 'standard-new']);
  });

  it('counts only escalations still awaiting triage as overdue', () => {
    expect(escalationOverdue({ state: 'raised', triageDueAt: '2026-06-10T11:59:59.000Z' }, now)).toBe(true);
    expect(escalationOverdue({ state: 'raised', triageDueAt: '2026-06-10T12:00:00.000Z' }, now)).toBe(false);
    expect(escalationOverdue({ state: 'triaged', triageDueAt: '2026-06-01T00:00:00.000Z' }, now)).toBe(false);
  });
});

describe('views', () => {
  it('the champion sees state, priority, due time and reason, never the supervisor\'s working', () => {
    const e = escalation({ state: 'referred', dashScore: 15, targetServiceKind: 'marac', serviceId: 'service-marac', sharedWithoutConsent: true, sharedWithoutConsentJustification: 'Risk to children in the home' });
    const view = championEscalationView(e, now);
    expect(view).toMatchObject({ state: 'referred', priority: 'standard', triageDueAt: e.triageDueAt, reason: 'other' });
    for (const field of ['dashScore', 'targetServiceKind', 'serviceId', 'sharedWithoutConsent', 'sharedWithoutConsentJustification', 'history', 'raisedBy', 'teamId', 'expiresAt']) {
      expect(view).not.toHaveProperty(field);
    }
    const sup = supervisorEscalationView(e, now);
    expect(sup).toMatchObject({ dashScore: 15, pointsTowardsMarac: true, allowedNext: ['outcome_recorded'] });
    expect(sup).not.toHaveProperty('expiresAt');
  });

  it('a notification names priority, due time and a link, nothing of the case', () => {
    const n = notificationFor(escalation({ priority: 'high', note: 'private words' }), 'notification-1', now.toISOString());
    expect(n).toEqual({ id: 'notification-1', kind: 'escalation.awaiting_triage', teamId: 'team-a', priority: 'high', triageDueAt: '2026-06-13T09:00:00.000Z', link: '/escalations/escalation-x', createdAt: now.toISOString() });
  });

  it('the raise body refuses personal data in the note and unknown keys', () => {
    expect(createEscalationSchema.safeParse({ reason: 'other', consent: 'yes', note: 'Ring 07700 900123' }).success).toBe(false);
    expect(createEscalationSchema.safeParse({ reason: 'other', consent: 'yes', name: 'x' }).success).toBe(false);
    expect(createEscalationSchema.safeParse({ reason: 'other', consent: 'yes' }).success).toBe(true);
  });
});
