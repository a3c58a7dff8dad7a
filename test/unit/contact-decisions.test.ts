import { describe, expect, it } from 'vitest';
import { championWriteRefusal } from '../../shared/domain/active-champion';
import type { Champion } from '../../shared/domain/champions';
import {
  checkCorrection,
  checkNewContact,
  correctedContact,
  correctionNeedsGate,
  newContact,
  planCorrection,
  reconcileSignposting,
} from '../../shared/domain/contact-decisions';
import { createContactSchema, hiddenWhenDeleted, type Contact, type Signposting } from '../../shared/domain/contacts';
import type { Course } from '../../shared/domain/courses';
import type { Service } from '../../shared/domain/services';
import { refusal } from '../support/refusal';

const now = new Date('2026-11-20T12:00:00Z');
const course: Course = { id: 'course-ask-me', title: 'Ask Me', strands: ['dasv'], validityMonths: 24, createdAt: '', updatedAt: '', version: 1 };
const champion: Champion = {
  id: 'champion-a1',
  teamId: 'team-a',
  displayName: 'A1',
  organisationId: 'org-1',
  strands: ['dasv'],
  languages: [],
  identity: 'sub-a1',
  status: 'active',
  training: [{ completionId: 'c1', courseId: course.id, completedOn: '2026-01-10' }],
  createdAt: '',
  updatedAt: '',
  version: 1,
};
const service = (id: string, strands: Service['strands'] = ['dasv'], status: Service['status'] = 'active'): Service =>
  ({ id, name: id, kind: 'idva', kindLabel: 'IDVA', strands, languages: [], howToRefer: 'x', descriptions: {}, status, createdAt: '', updatedAt: '', version: 1 }) as Service;
const services = new Map([['service-idva', service('service-idva')], ['service-refuge', service('service-refuge')]]);
const input = createContactSchema.parse({
  contactDate: '2026-11-20',
  setting: 'phone',
  strands: ['dasv'],
  dasvForms: ['economic'],
  priorHelp: ['none'],
  beforePoliceOrEmergency: true,
  signposting: [{ serviceId: 'service-idva', mode: 'information_given' }],
});
const facts = { champion, courses: [course], services, referenceExists: undefined, now, logWindowDays: 30 };

let n = 0;
const ids = () => `sp-${(n += 1)}`;
const logged = () => newContact({ id: 'contact-1', champion, sub: 'sub-a1', input, reference: 'WM-7K3Q-P9', services, now, expiresAt: 1, signpostingId: ids });

describe('a new contact', () => {
  it('is active at version 1, the champion its owner, a repeat only when a reference was quoted', () => {
    const { contact, signposting } = logged();
    expect(contact).toMatchObject({ teamId: 'team-a', championId: 'champion-a1', championSub: 'sub-a1', status: 'active', version: 1, repeatContact: false, hasEscalation: false });
    expect(contact.createdAt).toBe(now.toISOString());
    expect(signposting).toEqual([{ id: expect.stringMatching(/^sp-/), contactId: 'contact-1', serviceId: 'service-idva', serviceKind: 'idva', serviceName: 'service-idva', mode: 'information_given' }]);
    const repeat = newContact({ id: 'contact-2', champion, sub: 's', input: { ...input, contactReference: 'WM-7K3Q-P9' }, reference: 'WM-7K3Q-P9', services, now, expiresAt: 1, signpostingId: ids });
    expect(repeat.contact.repeatContact).toBe(true);
    expect('contactReference' in repeat.contact && repeat.contact.contactReference).toBe('WM-7K3Q-P9');
  });

  it('is checked in order: the date window, the training gate, the services, a quoted reference', () => {
    expect(() => checkNewContact(input, facts)).not.toThrow();
    expect(refusal(() => checkNewContact({ ...input, contactDate: '2026-11-21' }, facts))).toEqual({ status: 400, paths: ['contactDate'] });
    expect(refusal(() => checkNewContact({ ...input, contactDate: '2026-10-20' }, facts))).toEqual({ status: 400, paths: ['contactDate'] });
    expect(() => checkNewContact({ ...input, contactDate: '2026-10-21' }, facts)).not.toThrow(); // the first day of the window
    expect(() => checkNewContact(input, { ...facts, champion: { ...champion, training: [] } })).toThrow(/you hold no training for/);
    expect(refusal(() => checkNewContact(input, { ...facts, champion: { ...champion, training: [] } }))).toEqual({ status: 403, paths: ['strands'] });
    expect(refusal(() => checkNewContact(input, { ...facts, services: new Map([['service-idva', service('service-idva', ['dasv'], 'retired')]]) }))).toEqual({ status: 400, paths: ['signposting.0.serviceId'] });
    expect(refusal(() => checkNewContact({ ...input, contactReference: 'WM-7K3Q-P9' }, { ...facts, referenceExists: false }))).toEqual({ status: 400, paths: ['contactReference'] });
    expect(() => checkNewContact({ ...input, contactReference: 'WM-7K3Q-P9' }, { ...facts, referenceExists: true })).not.toThrow();
  });
});

describe('a correction', () => {
  const before = (): { contact: Contact; signposting: Signposting[] } => {
    const { contact, signposting } = logged();
    return { contact: { ...contact, note: 'Asked about the helpline' }, signposting };
  };

  it('is allowed until 24 hours after the contact was logged, and only at the version read', () => {
    const b = before();
    const justInside = new Date(now.getTime() + 24 * 3_600_000 - 1);
    expect(planCorrection(b, { version: 1, riskFlags: ['repeat_incident'] }, justInside)?.changedFields).toEqual(['riskFlags']);
    expect(() => planCorrection(b, { version: 1, riskFlags: ['repeat_incident'] }, new Date(now.getTime() + 24 * 3_600_000))).toThrow(/within 24 hours/);
    expect(() => planCorrection(b, { version: 2, riskFlags: ['repeat_incident'] }, now)).toThrow(/changed by someone else/);
  });

  it('changes only what differs: the same values are no change; null removes the note', () => {
    const b = before();
    expect(planCorrection(b, { version: 1, setting: 'phone', signposting: [{ serviceId: 'service-idva', mode: 'information_given' }] }, now)).toBeUndefined();
    const plan = planCorrection(b, { version: 1, note: null }, now);
    expect(plan?.fields).toEqual({ note: null });
    expect(correctedContact(b.contact, plan!, now)).not.toHaveProperty('note');
    expect(correctedContact(b.contact, plan!, now).version).toBe(2);
  });

  it('is refused when the fields no longer agree, and asks for the gate when the date or strands move', () => {
    const b = before();
    expect(refusal(() => planCorrection(b, { version: 1, strands: ['hate_crime'] }, now))).toEqual({ status: 400, paths: ['dasvForms', 'hateMotivations', 'hateIncidentKinds'] });
    const plan = planCorrection(b, { version: 1, contactDate: '2026-11-19' }, now)!;
    expect(correctionNeedsGate(plan)).toBe(true);
    expect(() => checkCorrection(plan, { champion, courses: [course], services: new Map(), now, logWindowDays: 30 })).not.toThrow();
    expect(() => checkCorrection(plan, { champion: { ...champion, training: [] }, courses: [course], services: new Map(), now, logWindowDays: 30 })).toThrow(/no training/);
    expect(correctionNeedsGate(planCorrection(b, { version: 1, riskFlags: ['repeat_incident'] }, now)!)).toBe(false);
  });

  it('keeps the services kept (id, outcome), adds the new ones at their position, removes the rest', () => {
    const b = before();
    const kept = { ...b.signposting[0]!, outcome: 'engaged' as const };
    const plan = planCorrection({ ...b, signposting: [kept] }, { version: 1, signposting: [{ serviceId: 'service-refuge', mode: 'referral_with_consent' }, { serviceId: 'service-idva', mode: 'referral_with_consent' }] }, now)!;
    expect(plan.added.map((a) => [a.input.serviceId, a.position])).toEqual([['service-refuge', 0]]);
    const changes = reconcileSignposting('contact-1', [kept], plan.signposting!, services, ids);
    expect(changes.after.map((s) => [s.serviceId, s.mode])).toEqual([['service-refuge', 'referral_with_consent'], ['service-idva', 'referral_with_consent']]);
    expect(changes.steps[1]).toEqual({ kept: { ...kept, mode: 'referral_with_consent' }, modeChanged: true });
    const removed = reconcileSignposting('contact-1', [kept], [{ serviceId: 'service-refuge', mode: 'information_given' }], services, ids);
    expect(removed.removed).toEqual([kept]);
  });
});

describe('who may write', () => {
  it('a champion writes only through an active champion record, refused in one message that says why', () => {
    expect(championWriteRefusal({ status: 'active' })).toBeUndefined();
    expect(championWriteRefusal({ status: 'suspended' })).toMatch(/^Your champion record is suspended/);
    expect(championWriteRefusal(undefined)).toMatch(/champion record/);
  });

  it('a deleted contact is read only by supervisors and admins; nothing else happens to it', () => {
    expect(hiddenWhenDeleted({ status: 'deleted' }, 'contacts.read', 'supervisor')).toBe(false);
    expect(hiddenWhenDeleted({ status: 'deleted' }, 'contacts.read', 'champion')).toBe(true);
    expect(hiddenWhenDeleted({ status: 'deleted' }, 'contacts.recordOutcome', 'supervisor')).toBe(true);
    expect(hiddenWhenDeleted({ status: 'active' }, 'contacts.update', 'champion')).toBe(false);
  });
});
