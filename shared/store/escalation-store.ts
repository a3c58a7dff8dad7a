import { ulid } from 'ulid';
import { getConfig } from '../config';
import type { Champion } from '../domain/champions';
import { referenceForTeam } from '../domain/contact-reference';
import type { Contact } from '../domain/contacts';
import type { IsoDate } from '../domain/dates';
import { followUpSchema, type FollowUp } from '../domain/caseload-view';
import {
  alreadyEscalated,
  CHANGED_MEANWHILE,
  checkEscalatable,
  checkTransitionFields,
  planTransition,
  raisedFields,
  raiseEscalation,
  requireTransition,
  staleEscalation,
  type ReferralFacts,
  type TransitionPlan,
} from '../domain/escalation-decisions';
import { notificationFor, storedEscalationSchema, type CreateEscalation, type EscalationNotification, type StoredEscalation } from '../domain/escalation-views';
import type { EscalationState, Transition } from '../domain/escalations';
import { badRequest, conflict, notFound, type HttpError } from '../domain/errors';
import { priorityRank, ukCalendar } from '../domain/service-levels';
import type { RequestScope } from './audit';
import { allChampionsOfTeam } from './champion-store';
import { escalationIdOf, getContactReference, maracReferralOnReference, retentionExpiry } from './contact-store';
import type { Service } from '../domain/services';
import type { RiskAssessment } from '../domain/risk-assessment';
import { getRetention } from './retention-store';
import { getService } from './service-store';
import { allCourses } from './course-store';
import { writeOnce, type Once } from './idempotency';
import { getItem, pickRecord, putNew, stillActive, versionedUpdate } from './items';
import { keys } from './keys';
import { getNotifier } from './notifier';
import type { Page, PageQuery } from './pagination';
import { allInOrder } from './parallel';
import { queryAll, queryFilteredPage } from './query';
import { writeWithAudit, type TransactItem } from './transact';

export { alreadyEscalated, staleEscalation } from '../domain/escalation-decisions';
export type { FollowUp } from '../domain/caseload-view';

const table = () => getConfig().caseTableName;

export const toEscalation = (item: Record<string, unknown>): StoredEscalation => pickRecord<StoredEscalation>(storedEscalationSchema, item);

/** The gsi1 keys for where an escalation sits in its team's lists: open by priority and age, or finished by when. */
function teamListKeys(e: Pick<StoredEscalation, 'id' | 'teamId' | 'state' | 'priority' | 'raisedAt' | 'closedAt' | 'withdrawnAt'>) {
  if (e.state === 'closed' || e.state === 'withdrawn') {
    return keys.closedEscalationsOfTeam(e.teamId, (e.closedAt ?? e.withdrawnAt) as string, e.id);
  }
  return keys.openEscalationsOfTeam(e.teamId, priorityRank[e.priority], e.raisedAt, e.id);
}

/** The case-table item of an escalation, with the keys of its lists (bench/report-cost.ts seeds escalations with it). */
export const escalationItem = (e: StoredEscalation) => ({
  ...keys.escalation(e.id),
  ...teamListKeys(e),
  ...keys.escalationsOfChampion(e.raisedBy, e.raisedAt, e.id),
  type: 'escalation',
  ...e,
});

export async function getEscalation(id: string): Promise<StoredEscalation | undefined> {
  const item = await getItem<Record<string, unknown>>(table(), keys.escalation(id));
  return item && item['type'] === 'escalation' ? toEscalation(item) : undefined;
}

export interface NewEscalation {
  id: string;
  contact: Contact;
  champion: Champion;
  /** The first contact's date under the contact's reference (the reference item), or the contact's own date. */
  firstContactDate: string;
  input: CreateEscalation;
  /** With an Idempotency-Key: the claim and the reply to store with the escalation. */
  once?: (e: StoredEscalation) => Once | undefined;
}

/**
 * Raises an escalation from a contact (`raiseEscalation` decides what it is).
 * One transaction: the idempotency record (if a key was sent), the
 * escalation, the contact's `hasEscalation` flag (conditional: the contact is
 * active and not yet escalated, so one contact raises at most one concern and
 * two racing raises store one), the outbox notification (one machine), and
 * the audit event. In AWS the SNS notification is published after the commit.
 */
export async function createEscalation(scope: RequestScope, ne: NewEscalation, now = new Date()): Promise<{ escalation: StoredEscalation; notification: EscalationNotification }> {
  const config = getConfig();
  const escalation = raiseEscalation({
    ...ne,
    principal: scope.principal,
    now,
    calendar: ukCalendar(config.bankHolidays),
    serviceLevels: config.triageServiceLevels,
    expiresAt: retentionExpiry(now, (await getRetention()).contactDays),
  });
  const at = escalation.raisedAt;
  const notification = notificationFor(escalation, `notification-${ulid(now.getTime()).toLowerCase()}`, at);
  const CONTACT_CHANGED = conflict('contact changed');
  const items: TransactItem[] = [
    putNew(table(), escalationItem(escalation)),
    versionedUpdate(table(), {
      key: keys.contact(ne.contact.id),
      changes: { hasEscalation: true, escalationId: escalation.id },
      condition: {
        expression: '#status = :active AND (attribute_not_exists(hasEscalation) OR hasEscalation = :false)',
        names: { '#status': 'status' },
        values: { ':active': 'active', ':false': false },
      },
      now,
    }).item,
    ...getNotifier().transactItems(notification),
  ];
  const explain = (index: number): HttpError =>
    index === 0 ? conflict('An escalation with this id already exists', { field: 'id' }) : index === 1 ? CONTACT_CHANGED : conflict('A notification with this id already exists');
  try {
    await writeOnce(
      scope,
      ne.once?.(escalation),
      { items, audit: { action: 'escalations.create', entityType: 'escalation', entityId: escalation.id, teamId: escalation.teamId, changedFields: raisedFields(ne.input) }, onConditionFailed: explain },
      now,
    );
  } catch (error) {
    if (error !== CONTACT_CHANGED) throw error;
    const current = await escalationIdOf(ne.contact.id);
    if (!current || current.status !== 'active') throw notFound('Contact');
    throw alreadyEscalated(current.escalationId);
  }
  return { escalation, notification };
}

/**
 * Moves an escalation to its next state as planned (`planTransition`) at the
 * version read. One transaction: the escalation (conditional on its version
 * *and* its state, so of two supervisors racing exactly one wins and the
 * other gets 409 with the current state and what may follow), a check that a
 * referred service is still active, and the audit event naming the fields
 * set. Closing or withdrawing moves it from the team's open list to its
 * closed list.
 */
export async function transitionEscalation(scope: RequestScope, before: StoredEscalation, t: Transition, plan: TransitionPlan, now = new Date()): Promise<StoredEscalation> {
  const { after } = plan;
  const listKeys = t.to === 'closed' || t.to === 'withdrawn' ? teamListKeys(after) : {};
  const items: TransactItem[] = [
    versionedUpdate(table(), {
      key: keys.escalation(before.id),
      expectedVersion: t.version,
      changes: { state: t.to, ...plan.fields, ...listKeys },
      append: { history: [plan.entry] },
      condition: { expression: '#state = :from', names: { '#state': 'state' }, values: { ':from': before.state } },
      now,
    }).item,
  ];
  if (t.to === 'referred') items.push(stillActive(table(), keys.service(t.serviceId)));
  // A MARAC referral is remembered under the contact reference, so that the next one within 12 months is a repeat.
  if (t.to === 'referred' && after.referredServiceKind === 'marac' && before.contactReference) {
    items.push(maracReferralOnReference(before.contactReference, t.referredOn));
  }
  const STALE = conflict('stale');
  const RETIRED = badRequest('The service was retired while the referral was saved; nothing was stored', [
    { path: 'serviceId', message: 'Select another service: this one has been retired' },
  ]);
  try {
    await writeWithAudit(scope, {
      items,
      audit: {
        action: 'escalations.transition',
        entityType: 'escalation',
        entityId: before.id,
        teamId: before.teamId,
        changedFields: plan.changedFields,
        ...(t.to === 'withdrawn' ? { reason: 'withdrawn' } : {}),
      },
      onConditionFailed: (index) => (index === 0 ? STALE : RETIRED),
    });
  } catch (error) {
    if (error !== STALE) throw error;
    throw staleEscalation(await getEscalation(before.id), CHANGED_MEANWHILE);
  }
  return after;
}

/**
 * Records a DASH assessment at the version read (`planRiskAssessment`
 * decides it). One transaction: the escalation (its assessment, its priority
 * and, while it awaits triage, its triage due time and place in the team's
 * open list) and the audit event naming the fields set, never their values.
 */
export async function recordRiskAssessment(
  scope: RequestScope,
  before: StoredEscalation,
  change: { version: number; assessment: RiskAssessment; priority: StoredEscalation['priority']; triageDueAt: string },
  now = new Date(),
): Promise<StoredEscalation> {
  const at = now.toISOString();
  const after: StoredEscalation = { ...before, riskAssessment: change.assessment, priority: change.priority, triageDueAt: change.triageDueAt, version: before.version + 1, updatedAt: at };
  const moved = after.priority !== before.priority ? teamListKeys(after) : {};
  const update = versionedUpdate(table(), {
    key: keys.escalation(before.id),
    expectedVersion: change.version,
    changes: {
      riskAssessment: change.assessment,
      ...(after.priority !== before.priority ? { priority: after.priority } : {}),
      ...(after.triageDueAt !== before.triageDueAt ? { triageDueAt: after.triageDueAt } : {}),
      ...moved,
    },
    condition: { expression: '#state = :state', names: { '#state': 'state' }, values: { ':state': before.state } },
    now,
  });
  const STALE = conflict('stale');
  try {
    await writeWithAudit(scope, {
      items: [update.item],
      audit: {
        action: 'escalations.assessRisk',
        entityType: 'escalation',
        entityId: before.id,
        teamId: before.teamId,
        changedFields: update.changedFields.filter((f) => !f.startsWith('gsi')),
      },
      onConditionFailed: () => STALE,
    });
  } catch (error) {
    if (error !== STALE) throw error;
    throw staleEscalation(await getEscalation(before.id), CHANGED_MEANWHILE);
  }
  return after;
}

/** What a referral's plan needs to know of where it goes: the service's kind and, for MARAC, earlier MARAC referrals under the reference. */
async function referralFacts(e: StoredEscalation, service: Service | undefined): Promise<ReferralFacts | undefined> {
  if (!service) return undefined;
  const reference = service.kind === 'marac' && e.contactReference ? referenceForTeam(await getContactReference(e.contactReference), e.teamId) : undefined;
  return { serviceKind: service.kind, previousMaracReferrals: reference?.maracReferrals ?? [], cycle: getConfig().maracCycle };
}

/** A team's open escalations (one small partition: everything the team has not yet closed). */
export async function openEscalationsOfTeam(teamId: string): Promise<StoredEscalation[]> {
  const items = await queryAll({
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.openEscalationsOfTeam(teamId).gsi1pk },
  });
  return items.map(toEscalation);
}

/** A team's escalations: open in priority-then-age order, or closed newest first; optionally one state only. */
export async function listTeamEscalations(teamId: string, status: 'open' | 'closed', state: EscalationState | undefined, page: PageQuery): Promise<Page<StoredEscalation>> {
  const pk = status === 'open' ? keys.openEscalationsOfTeam(teamId).gsi1pk : keys.closedEscalationsOfTeam(teamId).gsi1pk;
  return queryFilteredPage(
    { TableName: table(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ScanIndexForward: status === 'open' },
    page,
    (item) => {
      const e = toEscalation(item);
      return state === undefined || e.state === state ? e : undefined;
    },
  );
}

/** The escalations a champion raised, newest first. */
export async function listChampionEscalations(sub: string, state: EscalationState | undefined, page: PageQuery): Promise<Page<StoredEscalation>> {
  return queryFilteredPage(
    {
      TableName: table(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.escalationsOfChampion(sub).gsi2pk },
      ScanIndexForward: false,
    },
    page,
    (item) => {
      const e = toEscalation(item);
      return state === undefined || e.state === state ? e : undefined;
    },
  );
}

/** Signposting of a team's active contacts whose outcome is not yet recorded, oldest contact first (gsi1 follow-ups). */
export async function followUpsOfTeam(teamId: string, page: PageQuery): Promise<Page<FollowUp>> {
  return queryFilteredPage(
    {
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.followUpsOfTeam(teamId).gsi1pk },
    },
    page,
    (item) => {
      if (item['outcome'] !== undefined || item['contactStatus'] === 'deleted') return undefined;
      return pickRecord<FollowUp>(followUpSchema, { ...item, signpostingId: item['id'] });
    },
  );
}

/**
 * The team's active contacts dated on or after `since`, as (champion, date)
 * pairs: a Query on the team's contacts by date (gsi1, date in the key
 * condition), reading only the attributes counted.
 */
export async function contactDatesOfTeam(teamId: string, since: IsoDate): Promise<{ championId: string; contactDate: string }[]> {
  const items = await queryAll({
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :since',
    ExpressionAttributeValues: { ':pk': keys.contactsOfTeam(teamId).gsi1pk, ':since': since },
    ProjectionExpression: 'championId, contactDate, #status',
    ExpressionAttributeNames: { '#status': 'status' },
  });
  return items
    .filter((i) => i['status'] !== 'deleted')
    .map((i) => ({ championId: i['championId'] as string, contactDate: i['contactDate'] as string }));
}

/** How many follow-ups the caseload shows (oldest first); the rest are counted as "more". */
const CASELOAD_FOLLOW_UPS = 100;

/** Every read a team's caseload needs, made together: its open escalations, follow-ups, courses, contact dates since `since` and champions. */
/**
 * What raising a concern from a contact needs to know: the concern already raised from it (if the contact says there
 * is one) and the date of the first contact under its reference in its team (the contact's own date for a new one).
 */
async function raiseFacts(contact: Contact): Promise<{ existingEscalationId: string | undefined; firstContactDate: IsoDate }> {
  const [existing, reference] = await allInOrder([
    contact.hasEscalation ? escalationIdOf(contact.id) : Promise.resolve(undefined),
    getContactReference(contact.contactReference),
  ] as const);
  return {
    existingEscalationId: existing?.escalationId,
    firstContactDate: referenceForTeam(reference, contact.teamId)?.firstContactDate ?? contact.contactDate,
  };
}

export async function caseloadFacts(teamId: string, since: IsoDate) {
  const [open, followUps, courses, contactDates, champions] = await allInOrder([
    openEscalationsOfTeam(teamId),
    followUpsOfTeam(teamId, { limit: CASELOAD_FOLLOW_UPS }),
    allCourses(),
    contactDatesOfTeam(teamId, since),
    allChampionsOfTeam(teamId),
  ]);
  return { teamId, open, followUps, courses, contactDates, champions };
}

/**
 * `POST /contacts/{id}/escalations`: reads what raising a concern needs (an escalation already raised from the
 * contact, the reference's first contact date), has the domain check it (`checkEscalatable`) and raises it
 * (`createEscalation`) under a new id.
 */
export async function raiseConcern(
  scope: RequestScope,
  raise: Omit<NewEscalation, 'id' | 'firstContactDate'>,
  now = new Date(),
): Promise<{ escalation: StoredEscalation; notification: EscalationNotification }> {
  const { existingEscalationId, firstContactDate } = await raiseFacts(raise.contact);
  checkEscalatable(raise.contact, existingEscalationId);
  return createEscalation(scope, { ...raise, id: `escalation-${ulid().toLowerCase()}`, firstContactDate }, now);
}

/**
 * `POST /escalations/{id}/transitions`: the state machine must allow the move (`requireTransition`); a referral's
 * service is read and the move's fields checked (`checkTransitionFields`); the domain plans it (`planTransition`,
 * with a MARAC referral's earlier referrals under the same reference) and it is written (`transitionEscalation`).
 */
export async function moveEscalation(scope: RequestScope, e: StoredEscalation, t: Transition, now = new Date()): Promise<StoredEscalation> {
  requireTransition(e, t);
  const service = t.to === 'referred' ? await getService(t.serviceId) : undefined;
  checkTransitionFields(e, t, service, now);
  const plan = planTransition(e, t, scope.principal, now, await referralFacts(e, service));
  return transitionEscalation(scope, e, t, plan, now);
}
