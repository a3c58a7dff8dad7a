import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory, ulid } from 'ulid';
import { getConfig } from '../config';
import { newContactReference, referenceForTeam, type IssuedReference } from '../domain/contact-reference';
import {
  checkCorrection,
  checkNewContact,
  correctedContact,
  correctionNeedsGate,
  planCorrection,
  namedFields,
  newContact,
  reconcileSignposting,
  staleContact,
  unknownReference,
  type CorrectionPlan,
  type NewContact,
} from '../domain/contact-decisions';
import {
  contactRecordSchema,
  contactView,
  matchesContactFilter,
  signpostingDemographics,
  signpostingSchema,
  type Contact,
  type ContactListFilter,
  type ContactView,
  type CreateContact,
  type Signposting,
  type UpdateContact,
} from '../domain/contacts';
import type { Champion } from '../domain/champions';
import { badRequest, conflict, notFound, type HttpError } from '../domain/errors';
import type { Retention } from '../domain/retention';
import type { Service } from '../domain/services';
import { auditRead, type RequestScope } from './audit';
import { getDocumentClient } from './client';
import { allCourses } from './course-store';
import { writeOnce, type Once } from './idempotency';
import { getItem, pickRecord, putNew, STILL_ACTIVE, stillActive, versionedUpdate } from './items';
import { keys } from './keys';
import type { Page, PageQuery } from './pagination';
import { allInOrder } from './parallel';
import { queryFilteredPage } from './query';
import { getRetention } from './retention-store';
import { getServices } from './service-store';
import { writeWithAudit, type TransactItem } from './transact';

export { staleContact, unknownReference } from '../domain/contact-decisions';

const table = () => getConfig().caseTableName;
const DAY_SECONDS = 86_400;
const nextId = monotonicFactory();
const newSignpostingId = () => `sp-${nextId().toLowerCase()}`;

/**
 * When a contact logged now expires (epoch seconds): CONTACT_RETENTION_DAYS
 * after it was logged. Its signposting items and its reference carry the same
 * (a repeat contact moves its reference's expiry on), so storage limitation
 * is enforced by DynamoDB's TTL, not by a chore.
 */
export const retentionExpiry = (now: Date, days = getConfig().contactRetentionDays): number => Math.floor(now.getTime() / 1000) + days * DAY_SECONDS;

export const toContact = (item: Record<string, unknown>): Contact => pickRecord<Contact>(contactRecordSchema, item);
const toSignposting = (item: Record<string, unknown>): Signposting => pickRecord<Signposting>(signpostingSchema, item);

/** The case-table item of a contact (exported for the benchmark that bulk-loads contacts in this exact shape). */
export const contactItem = (c: Contact) => ({
  ...keys.contact(c.id),
  ...keys.contactsOfTeam(c.teamId, c.contactDate, c.createdAt, c.id),
  ...keys.contactsOfChampion(c.championSub, c.contactDate, c.createdAt, c.id),
  type: 'contact',
  ...c,
});

/** A signposting item carries what figures need without reading its contact: team, date, strands, gender and age band, status, expiry. */
const signpostingItem = (s: Signposting, c: Contact) => ({
  ...keys.signposting(c.id, s.id),
  // Awaiting a follow-up (the supervisor's caseload) until its outcome is recorded or the contact deleted.
  ...(s.outcome === undefined && c.status === 'active' ? keys.followUpsOfTeam(c.teamId, c.contactDate, c.id, s.id) : {}),
  type: 'signposting',
  ...s,
  teamId: c.teamId,
  contactDate: c.contactDate,
  strands: c.strands,
  ...signpostingDemographics(c),
  // The reference joins a signposting to the support network with the sessions the person later comes to (issue 18).
  contactReference: c.contactReference,
  contactStatus: c.status,
  expiresAt: c.expiresAt,
});

const retiredMeanwhile = (position: number): HttpError =>
  badRequest('A service was retired while the contact was saved; nothing was stored', [
    { path: `signposting.${position}.serviceId`, message: 'Select another service: this one has been retired' },
  ]);

/** What checking a new contact needs, read together: the course catalogue, the services it names, whether a quoted reference exists. */
async function newContactFacts(input: CreateContact, teamId: string) {
  const [retention, courses, services, reference] = await allInOrder([
    getRetention(),
    allCourses(),
    getServices(input.signposting.map((s) => s.serviceId)),
    input.contactReference === undefined ? Promise.resolve(undefined) : getContactReference(input.contactReference),
  ]);
  return { retention, courses, services, referenceExists: input.contactReference === undefined ? undefined : referenceForTeam(reference, teamId) !== undefined };
}

/**
 * `POST /contacts`: reads what checking a new contact needs, has the domain check it (`checkNewContact`: the date
 * window, the training gate, usable services, a known reference), and logs it (`createContact`) under a new id.
 */
export async function logContact(scope: RequestScope, champion: Champion, input: CreateContact, once: (view: ContactView) => Once | undefined, now = new Date()): Promise<ContactView> {
  const facts = await newContactFacts(input, champion.teamId);
  checkNewContact(input, { ...facts, champion, now, logWindowDays: getConfig().contactLogWindowDays });
  const id = `contact-${ulid().toLowerCase()}`;
  return createContact(scope, { id, champion, input, services: facts.services, retention: facts.retention, once }, now);
}

/**
 * `PATCH /contacts/{id}`: plans the correction (`planCorrection`: the window, the version, what differs), reads what
 * checking it needs, has the domain check it (`checkCorrection`) and writes it (`correctContact`). A correction that
 * changes nothing writes nothing but the read's audit event, and answers the contact as it is.
 */
export async function applyCorrection(
  scope: RequestScope,
  before: { contact: Contact; signposting: Signposting[] },
  body: UpdateContact,
  champion: Champion | undefined,
  now = new Date(),
): Promise<{ contact: Contact; signposting: Signposting[] }> {
  const plan = planCorrection(before, body, now);
  const { contact } = before;
  if (!plan) {
    await auditRead(scope, { action: 'contacts.read', entityType: 'contact', entityId: contact.id, teamId: contact.teamId, reason: 'correction with no change' });
    return before;
  }
  const [courses, services] = await allInOrder([
    correctionNeedsGate(plan) ? allCourses() : Promise.resolve([]),
    getServices(plan.added.map(({ input }) => input.serviceId)),
  ]);
  checkCorrection(plan, { courses, services, champion, now, logWindowDays: getConfig().contactLogWindowDays });
  return correctContact(scope, before, plan, services, now);
}

/** The first date a contact reference was given, if it exists (a quoted reference must; escalations time from it). */
export async function getContactReference(reference: string): Promise<IssuedReference | undefined> {
  return getItem<IssuedReference>(table(), keys.contactReference(reference));
}

/** Adds a MARAC referral's date to its contact reference (for repeat-MARAC detection), in the referral's transaction. */
export const maracReferralOnReference = (reference: string, referredOn: string): TransactItem => ({
  Update: {
    TableName: table(),
    Key: keys.contactReference(reference),
    UpdateExpression: 'SET maracReferrals = list_append(if_not_exists(maracReferrals, :none), :date)',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':none': [], ':date': [referredOn] },
  },
});

/** The escalation raised from a contact, if one was (the id is kept on the contact's item, not in its record). */
export async function escalationIdOf(contactId: string): Promise<{ status?: string; escalationId?: string } | undefined> {
  return getItem<{ status?: string; escalationId?: string }>(table(), keys.contact(contactId));
}

/** What the store needs to log a contact: what `newContact` decides from, less what the store draws (reference, ids, expiry). */
export type ContactToLog = Omit<NewContact, 'sub' | 'reference' | 'now' | 'expiresAt' | 'signpostingId'> & {
  /** The retention in force (read with the facts); read here when not given. */
  retention?: Pick<Retention, 'contactDays'>;
  /** With an Idempotency-Key: the claim and the reply to store with the contact. */
  once?: (view: ContactView) => Once | undefined;
};

/**
 * Logs a contact. One transaction: the idempotency record (if a key was
 * sent), the contact, its signposting items, its reference (a new one put
 * only if unused; a quoted one must exist), a check that every chosen service
 * is still active, and the audit event. A new reference that collides with an
 * existing one (about one in 33 million) is drawn again.
 */
export async function createContact(scope: RequestScope, log: ContactToLog, now = new Date()): Promise<ContactView> {
  const { input } = log;
  const at = now.toISOString();
  const retentionDays = (log.retention ?? (await getRetention())).contactDays;
  const expiresAt = retentionExpiry(now, retentionDays);
  const REFERENCE_TAKEN = conflict('reference taken');
  for (let attempt = 0; ; attempt += 1) {
    const repeat = input.contactReference !== undefined;
    const reference = input.contactReference ?? newContactReference();
    const { contact, signposting } = newContact({ ...log, sub: scope.principal.sub, reference, now, expiresAt, signpostingId: newSignpostingId });
    const view = contactView(contact, signposting);
    const items: TransactItem[] = [];
    // What a failed condition means, built only if one fails (an error captures a stack: not free on every write).
    const explain: Array<() => HttpError> = [];
    items.push(putNew(table(), contactItem(contact)));
    explain.push(() => conflict('A contact with this id already exists', { field: 'id' }));
    for (const s of signposting) {
      items.push(putNew(table(), signpostingItem(s, contact)));
      explain.push(() => conflict('A signposting item with this id already exists', { field: 'signposting' }));
    }
    if (repeat) {
      items.push({
        Update: {
          TableName: table(),
          Key: keys.contactReference(reference),
          // The days it was written with let a later change of retention move its expiry (retention-backfill.ts).
          UpdateExpression: 'SET expiresAt = :expiresAt, retentionDays = :days',
          // The reference counts only in the team that issued it (referenceForTeam); checked again here, in the write.
          ConditionExpression: 'attribute_exists(pk) AND teamId = :teamId',
          ExpressionAttributeValues: { ':expiresAt': expiresAt, ':days': retentionDays, ':teamId': contact.teamId },
        },
      });
      explain.push(unknownReference);
    } else {
      items.push(putNew(table(), { ...keys.contactReference(reference), type: 'contactReference', teamId: contact.teamId, firstContactDate: contact.contactDate, createdAt: at, expiresAt, retentionDays }));
      explain.push(() => REFERENCE_TAKEN);
    }
    input.signposting.forEach((s, i) => {
      items.push(stillActive(table(), keys.service(s.serviceId)));
      explain.push(() => retiredMeanwhile(i));
    });
    try {
      await writeOnce(
        scope,
        log.once?.(view),
        { items, audit: { action: 'contacts.create', entityType: 'contact', entityId: contact.id, teamId: contact.teamId, changedFields: namedFields(input) }, onConditionFailed: (index) => explain[index]?.() },
        now,
      );
      return view;
    } catch (error) {
      if (error === REFERENCE_TAKEN && attempt < 3) continue;
      throw error;
    }
  }
}

/** A contact and its signposting (one partition), or undefined. */
export async function getContact(id: string): Promise<{ contact: Contact; signposting: Signposting[] } | undefined> {
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.contactPartition(id) },
      ConsistentRead: true,
    }),
  );
  const items = result.Items ?? [];
  const head = items.find((i) => i['sk'] === keys.contact(id).sk);
  if (!head) return undefined;
  return { contact: toContact(head), signposting: items.filter((i) => i['type'] === 'signposting').map(toSignposting) };
}

/** Contacts newest first: a team's (gsi1) or a champion's own (gsi2), the date range in the key condition, the rest filtered in code. */
export async function listContacts(of: { teamId: string } | { sub: string }, filter: ContactListFilter, page: PageQuery): Promise<Page<Contact>> {
  const [index, pkName, skName, pk] =
    'teamId' in of
      ? (['gsi1', 'gsi1pk', 'gsi1sk', keys.contactsOfTeam(of.teamId).gsi1pk] as const)
      : (['gsi2', 'gsi2pk', 'gsi2sk', keys.contactsOfChampion(of.sub).gsi2pk] as const);
  const values: Record<string, unknown> = { ':pk': pk };
  let range = '';
  // '~' sorts after every character a sort key holds, so `<to>#~` ends the day `to`.
  if (filter.from !== undefined && filter.to !== undefined) {
    range = ` AND ${skName} BETWEEN :from AND :to`;
    Object.assign(values, { ':from': filter.from, ':to': `${filter.to}#~` });
  } else if (filter.from !== undefined) {
    range = ` AND ${skName} >= :from`;
    values[':from'] = filter.from;
  } else if (filter.to !== undefined) {
    range = ` AND ${skName} <= :to`;
    values[':to'] = `${filter.to}#~`;
  }
  return queryFilteredPage(
    { TableName: table(), IndexName: index, KeyConditionExpression: `${pkName} = :pk${range}`, ExpressionAttributeValues: values, ScanIndexForward: false },
    page,
    (item) => {
      const contact = toContact(item);
      return matchesContactFilter(contact, filter) ? contact : undefined;
    },
  );
}

/** A contact's signposting item, updated where the contact's date, strands, gender, age band or the mode changed (still awaiting its follow-up, it moves in the list). */
function signpostingUpdate(after: Contact, s: Signposting): TransactItem {
  const awaiting = s.outcome === undefined;
  return {
    Update: {
      TableName: table(),
      Key: keys.signposting(after.id, s.id),
      UpdateExpression: `SET #mode = :mode, contactDate = :date, strands = :strands, gender = :gender, ageBand = :ageBand${awaiting ? ', gsi1sk = :followUp' : ''}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#mode': 'mode' },
      ExpressionAttributeValues: {
        ':mode': s.mode,
        ':date': after.contactDate,
        ':strands': after.strands,
        ...Object.fromEntries(Object.entries(signpostingDemographics(after)).map(([k, v]) => [`:${k}`, v])),
        ...(awaiting ? { ':followUp': keys.followUpsOfTeam(after.teamId, after.contactDate, after.id, s.id).gsi1sk } : {}),
      },
    },
  };
}

/**
 * Corrects a contact as planned (`planCorrection`, checked by the caller) at
 * the version read. One transaction: the contact, its signposting (services
 * kept keep their id and outcome; removed ones are deleted; new ones added,
 * each still active), the denormalised date and strands on every signposting
 * item, and the audit event naming the changed fields.
 */
export async function correctContact(
  scope: RequestScope,
  before: { contact: Contact; signposting: Signposting[] },
  plan: CorrectionPlan,
  services: ReadonlyMap<string, Service>,
  now = new Date(),
): Promise<{ contact: Contact; signposting: Signposting[] }> {
  const { contact } = before;
  const after = correctedContact(contact, plan, now);
  const dateChanged = after.contactDate !== contact.contactDate;
  const changes: Record<string, unknown> = {
    ...plan.fields,
    ...(dateChanged
      ? {
          gsi1sk: keys.contactsOfTeam(contact.teamId, after.contactDate, contact.createdAt, contact.id).gsi1sk,
          gsi2sk: keys.contactsOfChampion(contact.championSub, after.contactDate, contact.createdAt, contact.id).gsi2sk,
        }
      : {}),
  };
  const STALE = staleContact(contact.version);
  const items: TransactItem[] = [versionedUpdate(table(), { key: keys.contact(contact.id), expectedVersion: contact.version, changes, condition: STILL_ACTIVE, now }).item];
  const explain: HttpError[] = [STALE];
  const wanted = plan.signposting ?? before.signposting.map((s) => ({ serviceId: s.serviceId, mode: s.mode }));
  const changed = reconcileSignposting(contact.id, before.signposting, wanted, services, newSignpostingId);
  const denormChanged =
    dateChanged ||
    JSON.stringify(after.strands) !== JSON.stringify(contact.strands) ||
    JSON.stringify(signpostingDemographics(after)) !== JSON.stringify(signpostingDemographics(contact));
  for (const step of changed.steps) {
    if ('kept' in step) {
      if (!step.modeChanged && !denormChanged) continue;
      items.push(signpostingUpdate(after, step.kept));
      explain.push(STALE);
    } else {
      items.push(putNew(table(), signpostingItem(step.added, after)), stillActive(table(), keys.service(step.added.serviceId)));
      explain.push(STALE, retiredMeanwhile(step.position));
    }
  }
  for (const old of changed.removed) {
    items.push({ Delete: { TableName: table(), Key: keys.signposting(contact.id, old.id), ConditionExpression: 'attribute_exists(pk)' } });
    explain.push(STALE);
  }
  try {
    await writeWithAudit(scope, {
      items,
      audit: { action: 'contacts.update', entityType: 'contact', entityId: contact.id, teamId: contact.teamId, changedFields: plan.changedFields },
      onConditionFailed: (index) => explain[index],
    });
  } catch (error) {
    if (error !== STALE) throw error;
    const current = await getContact(contact.id);
    if (!current || current.contact.status !== 'active') throw notFound('Contact');
    throw staleContact(current.contact.version);
  }
  return { contact: after, signposting: changed.after };
}

/**
 * A supervisor deletes a contact, with a reason: it is kept, marked deleted
 * (for the audit trail; lists and figures leave it out), and so are its
 * signposting items.
 */
export async function deleteContact(
  scope: RequestScope,
  before: { contact: Contact; signposting: Signposting[] },
  reason: string,
  now = new Date(),
): Promise<Contact> {
  const { contact } = before;
  const at = now.toISOString();
  const deleted = { status: 'deleted' as const, deletedReason: reason, deletedBy: scope.principal.sub, deletedAt: at };
  const items: TransactItem[] = [
    versionedUpdate(table(), { key: keys.contact(contact.id), expectedVersion: contact.version, changes: deleted, condition: STILL_ACTIVE, now }).item,
    ...before.signposting.map(
      (s): TransactItem => ({
        Update: {
          TableName: table(),
          Key: keys.signposting(contact.id, s.id),
          UpdateExpression: 'SET contactStatus = :deleted REMOVE gsi1pk, gsi1sk',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':deleted': 'deleted' },
        },
      }),
    ),
  ];
  const CHANGED = conflict('The contact changed while it was being deleted; nothing was stored. Reload and try again.');
  try {
    await writeWithAudit(scope, {
      items,
      audit: { action: 'contacts.delete', entityType: 'contact', entityId: contact.id, teamId: contact.teamId, changedFields: ['status', 'deletedReason'], reason },
      onConditionFailed: () => CHANGED,
    });
  } catch (error) {
    if (error !== CHANGED) throw error;
    const current = await getContact(contact.id);
    if (!current || current.contact.status === 'deleted') throw notFound('Contact');
    throw CHANGED;
  }
  return { ...contact, ...deleted, updatedAt: at, version: contact.version + 1 };
}

/** Records (or changes) the later outcome of one of a contact's signposting (404 if it has none by that id); the contact must not be deleted. */
export async function recordOutcome(
  scope: RequestScope,
  { contact, signposting: all }: { contact: Contact; signposting: Signposting[] },
  signpostingId: string,
  outcome: NonNullable<Signposting['outcome']>,
  now = new Date(),
): Promise<Signposting> {
  const signposting = all.find((s) => s.id === signpostingId);
  if (!signposting) throw notFound('Signposting');
  const at = now.toISOString();
  const GONE = notFound('Contact');
  await writeWithAudit(scope, {
    items: [
      {
        Update: {
          TableName: table(),
          Key: keys.signposting(contact.id, signposting.id),
          UpdateExpression: 'SET outcome = :outcome, outcomeRecordedAt = :at, outcomeRecordedBy = :by REMOVE gsi1pk, gsi1sk',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':outcome': outcome, ':at': at, ':by': scope.principal.sub },
        },
      },
      stillActive(table(), keys.contact(contact.id)),
    ],
    audit: {
      action: 'contacts.recordOutcome',
      entityType: 'contact',
      entityId: contact.id,
      teamId: contact.teamId,
      changedFields: [`signposting.${signposting.id}.outcome`],
    },
    onConditionFailed: () => GONE,
  });
  return { ...signposting, outcome, outcomeRecordedAt: at, outcomeRecordedBy: scope.principal.sub };
}
