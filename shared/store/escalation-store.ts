import type { FollowUp } from '../domain/caseload-view';
import { getConfig } from '../config';
import type { Champion } from '../domain/champions';
import type { Contact } from '../domain/contacts';
import type { IsoDate } from '../domain/dates';
import { badRequest, conflict, notFound, type HttpError } from '../domain/errors';
import { notificationFor, type CreateEscalation, type EscalationNotification, type StoredEscalation } from '../domain/escalation-views';
import { allowedNext, derivePriority, type EscalationState, type Transition } from '../domain/escalations';
import { priorityRank, triageDueAt, ukCalendar } from '../domain/service-levels';
import type { Service } from '../domain/services';
import type { RequestScope } from './audit';
import { retentionExpiry } from './contact-store';
import { idempotencyPut, replyAfterRace, type IdempotencyClaim, type StoredReply } from './idempotency';
import { getItem, putNew } from './items';
import { keys } from './keys';
import { getNotifier } from './notifier';
import type { Page, PageQuery } from './pagination';
import { queryAll, queryFilteredPage } from './query';
import { writeWithAudit, type TransactItem } from './transact';
import { ulid } from 'ulid';

const table = () => getConfig().caseTableName;

/** Every field an escalation item holds besides its keys and `type` (the shared contract plus this store's additions). */
const ESCALATION_FIELDS = [
  'id', 'contactId', 'teamId', 'raisedBy', 'championId', 'contactReference', 'strands', 'reason', 'priority', 'consent', 'note', 'state',
  'raisedAt', 'triageDueAt', 'contactDate', 'firstContactDate', 'beforePoliceOrEmergency', 'triagedAt', 'targetServiceKind', 'dashScore',
  'referredAt', 'serviceId', 'referredOn', 'referralMode', 'sharedWithoutConsent', 'sharedWithoutConsentJustification', 'outcome', 'outcomeAt',
  'closedAt', 'withdrawnAt', 'withdrawnReason', 'history', 'version', 'updatedAt', 'expiresAt',
] as const;

export const toEscalation = (item: Record<string, unknown>): StoredEscalation =>
  Object.fromEntries(ESCALATION_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])) as unknown as StoredEscalation;

/** The gsi1 keys for where an escalation sits in its team's lists: open by priority and age, or finished by when. */
function teamListKeys(e: Pick<StoredEscalation, 'id' | 'teamId' | 'state' | 'priority' | 'raisedAt' | 'closedAt' | 'withdrawnAt'>) {
  if (e.state === 'closed' || e.state === 'withdrawn') {
    return keys.closedEscalationsOfTeam(e.teamId, (e.closedAt ?? e.withdrawnAt) as string, e.id);
  }
  return keys.openEscalationsOfTeam(e.teamId, priorityRank[e.priority], e.raisedAt, e.id);
}

const escalationItem = (e: StoredEscalation) => ({
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

export const alreadyEscalated = (escalationId: string | undefined): HttpError =>
  conflict('A concern has already been raised from this contact; log a new contact (quoting its reference) to raise another.', {
    field: 'contactId',
    ...(escalationId ? { escalationId } : {}),
  });

export interface NewEscalation {
  id: string;
  contact: Contact;
  champion: Champion;
  /** The first contact's date under the contact's reference (the reference item), or the contact's own date. */
  firstContactDate: string;
  input: CreateEscalation;
  idempotency?: { claim: IdempotencyClaim; reply: (e: StoredEscalation) => StoredReply };
}

/**
 * Raises an escalation from a contact. One transaction: the idempotency
 * record (if a key was sent), the escalation, the contact's `hasEscalation`
 * flag (conditional: the contact is active and not yet escalated, so one
 * contact raises at most one concern and two racing raises store one), the
 * outbox notification (one machine), and the audit event. In AWS the SNS
 * notification is published after the commit.
 */
export async function createEscalation(
  scope: RequestScope,
  ne: NewEscalation,
  now = new Date(),
): Promise<{ escalation: StoredEscalation; notification: EscalationNotification; reply?: StoredReply; replayed: boolean }> {
  const { contact, input } = ne;
  const at = now.toISOString();
  const config = getConfig();
  const priority = derivePriority(input.reason, contact.riskFlags);
  const escalation: StoredEscalation = {
    id: ne.id,
    contactId: contact.id,
    teamId: contact.teamId,
    raisedBy: scope.principal.sub,
    championId: ne.champion.id,
    contactReference: contact.contactReference ?? null,
    strands: [...contact.strands],
    reason: input.reason,
    priority,
    consent: input.consent,
    ...(input.note !== undefined ? { note: input.note } : {}),
    state: 'raised',
    raisedAt: at,
    triageDueAt: triageDueAt(now, priority, ukCalendar(config.bankHolidays), config.triageServiceLevels).toISOString(),
    contactDate: contact.contactDate,
    firstContactDate: ne.firstContactDate,
    beforePoliceOrEmergency: contact.beforePoliceOrEmergency,
    history: [{ to: 'raised', at, by: scope.principal.sub, role: scope.principal.role }],
    version: 1,
    updatedAt: at,
    expiresAt: retentionExpiry(now),
  };
  const notifier = getNotifier();
  const notification = notificationFor(escalation, `notification-${ulid(now.getTime()).toLowerCase()}`, at);
  const reply = ne.idempotency?.reply(escalation);

  const TAKEN = conflict('taken');
  const CONTACT_CHANGED = conflict('contact changed');
  const items: TransactItem[] = [];
  const explain: HttpError[] = [];
  if (ne.idempotency && reply) {
    items.push(idempotencyPut(ne.idempotency.claim, reply, now));
    explain.push(TAKEN);
  }
  items.push(putNew(table(), escalationItem(escalation)));
  explain.push(conflict('An escalation with this id already exists', { field: 'id' }));
  items.push({
    Update: {
      TableName: table(),
      Key: keys.contact(contact.id),
      UpdateExpression: 'SET hasEscalation = :true, escalationId = :id, updatedAt = :now ADD #version :one',
      ConditionExpression: 'attribute_exists(pk) AND #status = :active AND (attribute_not_exists(hasEscalation) OR hasEscalation = :false)',
      ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
      ExpressionAttributeValues: { ':true': true, ':false': false, ':id': escalation.id, ':now': at, ':one': 1, ':active': 'active' },
    },
  });
  explain.push(CONTACT_CHANGED);
  for (const item of notifier.transactItems(notification)) {
    items.push(item);
    explain.push(conflict('A notification with this id already exists'));
  }

  try {
    await writeWithAudit(scope, {
      items,
      audit: {
        action: 'escalations.create',
        entityType: 'escalation',
        entityId: escalation.id,
        teamId: escalation.teamId,
        changedFields: ['contactId', ...Object.keys(input).filter((k) => input[k as keyof CreateEscalation] !== undefined), 'state', 'priority', 'triageDueAt'],
      },
      onConditionFailed: (index) => explain[index],
    });
  } catch (error) {
    if (error === TAKEN && ne.idempotency) {
      return { escalation, notification, reply: await replyAfterRace(ne.idempotency.claim, now), replayed: true };
    }
    if (error === CONTACT_CHANGED) {
      const current = await getItem<Record<string, unknown>>(table(), keys.contact(contact.id));
      if (!current || current['status'] !== 'active') throw notFound('Contact');
      throw alreadyEscalated(current['escalationId'] as string | undefined);
    }
    throw error;
  }
  return { escalation, notification, ...(reply ? { reply } : {}), replayed: false };
}

/** A 409 that tells the caller where the escalation is now and what may follow. */
export const staleEscalation = (current: StoredEscalation | undefined, message: string): HttpError =>
  current
    ? conflict(message, { currentState: current.state, allowedNext: [...allowedNext(current.state)], currentVersion: current.version })
    : notFound('Escalation');

/** What a transition sets besides state and history, and which fields of the stored record those are. */
function transitionChanges(t: Transition, at: string, extras: { service?: Service; consent?: string }): Record<string, unknown> {
  switch (t.to) {
    case 'triaged':
      return { triagedAt: at, targetServiceKind: t.targetServiceKind, ...(t.dashScore !== undefined ? { dashScore: t.dashScore } : {}) };
    case 'referred': {
      const withoutConsent = extras.consent !== 'yes';
      return {
        referredAt: at,
        serviceId: t.serviceId,
        referredOn: t.referredOn,
        ...(t.mode !== undefined ? { referralMode: t.mode } : {}),
        sharedWithoutConsent: withoutConsent,
        ...(withoutConsent && t.sharedWithoutConsentJustification !== undefined
          ? { sharedWithoutConsentJustification: t.sharedWithoutConsentJustification }
          : {}),
      };
    }
    case 'outcome_recorded':
      return { outcome: t.outcome, outcomeAt: at };
    case 'closed':
      return { closedAt: at };
    case 'withdrawn':
      return { withdrawnAt: at, withdrawnReason: t.reason };
  }
}

/**
 * Moves an escalation to its next state at the version read. One
 * transaction: the escalation (conditional on its version *and* its state, so
 * of two supervisors racing exactly one wins and the other gets 409 with the
 * current state and what may follow), a check that a referred service is
 * still active, and the audit event naming the fields set. Closing or
 * withdrawing moves it from the team's open list to its closed list.
 */
export async function transitionEscalation(
  scope: RequestScope,
  before: StoredEscalation,
  t: Transition,
  extras: { service?: Service },
  now = new Date(),
): Promise<StoredEscalation> {
  const at = now.toISOString();
  const fields = transitionChanges(t, at, { ...extras, consent: before.consent });
  const entry = { to: t.to, at, by: scope.principal.sub, role: scope.principal.role };
  const after: StoredEscalation = {
    ...before,
    ...(fields as Partial<StoredEscalation>),
    state: t.to,
    history: [...before.history, entry],
    version: before.version + 1,
    updatedAt: at,
  };
  const listKeys = t.to === 'closed' || t.to === 'withdrawn' ? teamListKeys(after) : {};
  const sets: Record<string, unknown> = { state: t.to, ...fields, ...listKeys, updatedAt: at };
  const names: Record<string, string> = { '#version': 'version', '#state': 'state', '#history': 'history' };
  const values: Record<string, unknown> = { ':expected': t.version, ':from': before.state, ':one': 1, ':entry': [entry] };
  const assignments = Object.entries(sets).map(([field, value], i) => {
    names[`#f${i}`] = field;
    values[`:v${i}`] = value;
    return `#f${i} = :v${i}`;
  });
  const items: TransactItem[] = [
    {
      Update: {
        TableName: table(),
        Key: keys.escalation(before.id),
        UpdateExpression: `SET ${[...assignments, '#history = list_append(#history, :entry)'].join(', ')} ADD #version :one`,
        ConditionExpression: 'attribute_exists(pk) AND #version = :expected AND #state = :from',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
  ];
  const STALE = conflict('stale');
  const RETIRED = badRequest('The service was retired while the referral was saved; nothing was stored', [
    { path: 'serviceId', message: 'Select another service: this one has been retired' },
  ]);
  if (t.to === 'referred') {
    items.push({
      ConditionCheck: {
        TableName: table(),
        Key: keys.service(t.serviceId),
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':active': 'active' },
      },
    });
  }
  try {
    await writeWithAudit(scope, {
      items,
      audit: {
        action: 'escalations.transition',
        entityType: 'escalation',
        entityId: before.id,
        teamId: before.teamId,
        changedFields: ['state', ...Object.keys(fields), 'history'],
        ...(t.to === 'withdrawn' ? { reason: 'withdrawn' } : {}),
      },
      onConditionFailed: (index) => (index === 0 ? STALE : RETIRED),
    });
  } catch (error) {
    if (error !== STALE) throw error;
    throw staleEscalation(await getEscalation(before.id), 'This escalation was changed by someone else; nothing was stored. Reload it and try again.');
  }
  return after;
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
      const { contactId, id, contactDate, serviceId, serviceKind, serviceName, mode } = item as Record<string, string>;
      return { contactId: contactId as string, signpostingId: id as string, contactDate: contactDate as string, serviceId: serviceId as string, serviceKind: serviceKind as string, serviceName: serviceName as string, mode: mode as FollowUp['mode'] };
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
