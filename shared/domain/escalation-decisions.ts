import type { FollowUp } from './caseload-view';
import { championView, type Champion } from './champions';
import type { Contact } from './contacts';
import type { Course } from './courses';
import { addDays, ukDate, type IsoDate } from './dates';
import { conflict, notFound, validationFailed, type FieldIssue, type HttpError } from './errors';
import {
  caseloadOrder,
  escalationOverdue,
  supervisorEscalationView,
  type CreateEscalation,
  type StoredEscalation,
} from './escalation-views';
import { allowedNext, canTransition, derivePriority, referralConsentProblem, SHARING_WITHOUT_CONSENT_REASONS, type Transition } from './escalations';
import { ruleMessages } from './messages';
import { isRepeatMarac, nextMaracMeeting, type MaracCycle } from './risk-assessment';
import { describeFindings, findPersonalData } from './personal-data';
import type { Principal } from './roles';
import { triageDueAt, type Priority, type ServiceLevel, type WorkingCalendar } from './service-levels';
import { unusableService, type Service } from './services';
import { courseLookup } from './training';

/**
 * The decisions about an escalation, apart from saving it: what a raised
 * concern is (priority, triage due time, history), whether a transition may
 * be made and what it sets, and what the supervisor's caseload shows. Pure:
 * the store reads the facts, these decide, the store writes what they return.
 */

export const alreadyEscalated = (escalationId: string | undefined): HttpError =>
  conflict('A concern has already been raised from this contact; log a new contact (quoting its reference) to raise another.', {
    field: 'contactId',
    ...(escalationId ? { escalationId } : {}),
  });

/**
 * Whether a concern may be raised from this contact: only from an active one (a deleted contact is not there, 404),
 * and once (409 naming the concern already raised).
 */
export function checkEscalatable(contact: Pick<Contact, 'status' | 'hasEscalation'>, existingEscalationId: string | undefined): void {
  if (contact.status !== 'active') throw notFound('Contact');
  if (contact.hasEscalation) throw alreadyEscalated(existingEscalationId);
}

/** A 409 that tells the caller where the escalation is now and what may follow. */
export const staleEscalation = (current: StoredEscalation | undefined, message: string): HttpError =>
  current
    ? conflict(message, { currentState: current.state, allowedNext: [...allowedNext(current.state)], currentVersion: current.version })
    : notFound('Escalation');

export const CHANGED_MEANWHILE = 'This escalation was changed by someone else; nothing was stored. Reload it and try again.';

export interface RaiseFacts {
  id: string;
  contact: Contact;
  champion: Pick<Champion, 'id'>;
  principal: Pick<Principal, 'sub' | 'role'>;
  /** The first contact's date under the contact's reference, or the contact's own date. */
  firstContactDate: string;
  input: CreateEscalation;
  now: Date;
  calendar: WorkingCalendar;
  serviceLevels: Record<Priority, ServiceLevel>;
  /** When it expires (epoch seconds): the contact retention after it was raised. */
  expiresAt: number;
}

/**
 * A concern as raised from a contact: its priority from the reason and the
 * contact's risk flags, triage due under the service levels, the contact's
 * facts carried for the figures, and the first entry of its history.
 */
export function raiseEscalation(f: RaiseFacts): StoredEscalation {
  const { contact, input } = f;
  const at = f.now.toISOString();
  const priority = derivePriority(input.reason, contact.riskFlags);
  return {
    id: f.id,
    contactId: contact.id,
    teamId: contact.teamId,
    raisedBy: f.principal.sub,
    championId: f.champion.id,
    contactReference: contact.contactReference ?? null,
    strands: [...contact.strands],
    reason: input.reason,
    priority,
    consent: input.consent,
    ...(input.note !== undefined ? { note: input.note } : {}),
    state: 'raised',
    raisedAt: at,
    triageDueAt: triageDueAt(f.now, priority, f.calendar, f.serviceLevels).toISOString(),
    contactDate: contact.contactDate,
    firstContactDate: f.firstContactDate,
    beforePoliceOrEmergency: contact.beforePoliceOrEmergency,
    history: [{ to: 'raised', at, by: f.principal.sub, role: f.principal.role }],
    version: 1,
    updatedAt: at,
    expiresAt: f.expiresAt,
  };
}

/** The fields a raise names, for its audit event. */
export const raisedFields = (input: CreateEscalation): string[] => [
  'contactId',
  ...Object.keys(input).filter((k) => input[k as keyof CreateEscalation] !== undefined),
  'state',
  'priority',
  'triageDueAt',
];

/** A move the state machine allows, at the version read: a 409 with the current state and what may follow otherwise. */
export function requireTransition(e: StoredEscalation, t: Transition): void {
  if (!canTransition(e.state, t.to)) {
    const next = allowedNext(e.state);
    throw staleEscalation(e, `An escalation that is ${e.state} cannot be moved to ${t.to}${next.length ? ` (next: ${next.join(' or ')})` : ' (it is finished)'}; nothing was stored.`);
  }
  if (t.version !== e.version) throw staleEscalation(e, CHANGED_MEANWHILE);
}

/** Free text that must not identify anyone (the schema bounds its length; this checks its content). */
function personalDataIssue(path: string, text: string | undefined): FieldIssue[] {
  if (text === undefined) return [];
  const findings = findPersonalData(text);
  return findings.length > 0 ? [{ path, message: describeFindings(findings) }] : [];
}

/**
 * A transition's own fields: a referral names a usable service, a date from
 * the day raised to today, and consent (or, for a risk to life or to
 * children, a justification free of personal data); a withdrawal's reason is
 * free of personal data. 400 naming every field that is not.
 */
export function checkTransitionFields(e: StoredEscalation, t: Transition, service: Service | undefined, now: Date): void {
  const issues: FieldIssue[] = [];
  if (t.to === 'referred') {
    const unusable = unusableService(service, e.strands as never);
    if (unusable) issues.push({ path: 'serviceId', message: unusable });
    if (t.referredOn > ukDate(now)) issues.push({ path: 'referredOn', message: ruleMessages.notInFuture });
    else if (t.referredOn < ukDate(new Date(e.raisedAt))) issues.push({ path: 'referredOn', message: 'must be on or after the day the concern was raised' });
    const consentProblem = referralConsentProblem(e.reason, e.consent, t.sharedWithoutConsentJustification);
    if (consentProblem) {
      issues.push({ path: SHARING_WITHOUT_CONSENT_REASONS.includes(e.reason) ? 'sharedWithoutConsentJustification' : 'consent', message: consentProblem });
    }
    issues.push(...personalDataIssue('sharedWithoutConsentJustification', t.sharedWithoutConsentJustification));
    if (t.maracMeetingDate !== undefined) {
      if (service?.kind !== 'marac') issues.push({ path: 'maracMeetingDate', message: 'A meeting date goes only with a referral to MARAC' });
      else if (t.maracMeetingDate < t.referredOn) issues.push({ path: 'maracMeetingDate', message: 'must be on or after the day referred' });
    }
  }
  if (t.to === 'outcome_recorded' && t.maracOutcome !== undefined && e.referredServiceKind !== 'marac') {
    issues.push({ path: 'maracOutcome', message: 'A MARAC outcome goes only with a referral to MARAC' });
  }
  if (t.to === 'withdrawn') issues.push(...personalDataIssue('reason', t.reason));
  if (issues.length > 0) throw validationFailed(issues);
}

/** What a referral needs to know of where it goes: the service's kind, and for MARAC the meeting cycle and earlier MARAC referrals under the reference. */
export interface ReferralFacts {
  serviceKind: string;
  previousMaracReferrals: readonly IsoDate[];
  cycle: MaracCycle;
}

/** A referral to MARAC goes to a meeting (the next on the cycle unless named) and is a repeat MARAC within 12 months of the last one under the reference. */
function maracReferral(t: Extract<Transition, { to: 'referred' }>, facts: ReferralFacts | undefined): Record<string, unknown> {
  if (facts?.serviceKind !== 'marac') return facts ? { referredServiceKind: facts.serviceKind } : {};
  return {
    referredServiceKind: 'marac',
    maracMeetingDate: t.maracMeetingDate ?? nextMaracMeeting(t.referredOn, facts.cycle),
    repeatMarac: isRepeatMarac(t.referredOn, facts.previousMaracReferrals),
  };
}

/** What a transition sets besides state and history. */
function transitionChanges(t: Transition, at: string, consent: string, referral: ReferralFacts | undefined): Record<string, unknown> {
  switch (t.to) {
    case 'triaged':
      return { triagedAt: at, targetServiceKind: t.targetServiceKind, ...(t.dashScore !== undefined ? { dashScore: t.dashScore } : {}) };
    case 'referred': {
      const withoutConsent = consent !== 'yes';
      return {
        referredAt: at,
        serviceId: t.serviceId,
        referredOn: t.referredOn,
        ...(t.mode !== undefined ? { referralMode: t.mode } : {}),
        sharedWithoutConsent: withoutConsent,
        ...(withoutConsent && t.sharedWithoutConsentJustification !== undefined
          ? { sharedWithoutConsentJustification: t.sharedWithoutConsentJustification }
          : {}),
        ...maracReferral(t, referral),
      };
    }
    case 'outcome_recorded':
      return { outcome: t.outcome, outcomeAt: at, ...(t.maracOutcome !== undefined ? { maracOutcome: t.maracOutcome } : {}) };
    case 'closed':
      return { closedAt: at };
    case 'withdrawn':
      return { withdrawnAt: at, withdrawnReason: t.reason };
  }
}

export interface TransitionPlan {
  /** The escalation after the move. */
  after: StoredEscalation;
  /** The fields the move sets besides state and history. */
  fields: Record<string, unknown>;
  /** The entry appended to the history: who moved it where, when. */
  entry: StoredEscalation['history'][number];
  /** The fields the audit event names. */
  changedFields: string[];
}

/** What a transition (checked by `requireTransition`) does: state, its fields, one more history entry, the next version. */
export function planTransition(
  before: StoredEscalation,
  t: Transition,
  principal: Pick<Principal, 'sub' | 'role'>,
  now: Date,
  referral?: ReferralFacts,
): TransitionPlan {
  const at = now.toISOString();
  const fields = transitionChanges(t, at, before.consent, referral);
  const entry = { to: t.to, at, by: principal.sub, role: principal.role };
  const after: StoredEscalation = {
    ...before,
    ...(fields as Partial<StoredEscalation>),
    state: t.to,
    history: [...before.history, entry],
    version: before.version + 1,
    updatedAt: at,
  };
  return { after, fields, entry, changedFields: ['state', ...Object.keys(fields), 'history'] };
}

export interface CaseloadFacts {
  teamId: string;
  open: StoredEscalation[];
  followUps: { items: FollowUp[]; nextCursor: string | null };
  courses: readonly Course[];
  contactDates: readonly { championId: string; contactDate: string }[];
  champions: readonly Champion[];
  now: Date;
  expiringWithinDays: number;
}

/** The first day of the caseload's longest count (90 days, today included). */
export const caseloadSince = (now: Date): IsoDate => addDays(ukDate(now), -89);

/**
 * A supervisor's team at a glance: open escalations (overdue first, then
 * priority, then age), signposting awaiting a follow-up, active champions
 * whose training needs renewing, and contacts per champion over 30 and 90
 * days (suspended champions only if they logged any).
 */
export function caseloadSummary(f: CaseloadFacts) {
  const today = ukDate(f.now);
  const lookup = courseLookup(f.courses);
  const champions = f.champions.map((c) => championView(c, lookup, today, f.expiringWithinDays));
  const since30 = addDays(today, -29);
  const counts = new Map<string, { last30Days: number; last90Days: number }>();
  for (const { championId, contactDate } of f.contactDates) {
    const c = counts.get(championId) ?? { last30Days: 0, last90Days: 0 };
    c.last90Days += 1;
    if (contactDate >= since30) c.last30Days += 1;
    counts.set(championId, c);
  }
  const escalations = [...f.open].sort(caseloadOrder(f.now)).map((e) => supervisorEscalationView(e, f.now));
  const overdue = f.open.filter((e) => escalationOverdue(e, f.now)).length;
  return {
    teamId: f.teamId,
    asOf: f.now.toISOString(),
    escalations: { items: escalations, total: escalations.length, overdue },
    followUps: { items: f.followUps.items, more: f.followUps.nextCursor !== null },
    training: champions
      .filter((c) => c.status === 'active' && c.trainingStatus.some((t) => t.status !== 'current'))
      .map((c) => ({ championId: c.id, displayName: c.displayName, trainingStatus: c.trainingStatus.filter((t) => t.status !== 'current') })),
    contactCounts: champions
      .filter((c) => c.status === 'active' || counts.has(c.id))
      .map((c) => ({ championId: c.id, displayName: c.displayName, status: c.status, ...(counts.get(c.id) ?? { last30Days: 0, last90Days: 0 }) })),
  };
}
