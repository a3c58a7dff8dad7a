import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { getConfig } from '../config';
import type { Champion } from '../domain/champions';
import { newContactReference } from '../domain/contact-reference';
import {
  contactView,
  matchesContactFilter,
  signpostingDemographics,
  type Contact,
  type ContactFields,
  type ContactListFilter,
  type ContactView,
  type CreateContact,
  type Signposting,
  type SignpostingInput,
} from '../domain/contacts';
import { badRequest, conflict, notFound, type HttpError } from '../domain/errors';
import type { Service } from '../domain/services';
import type { RequestScope } from './audit';
import { getDocumentClient } from './client';
import { idempotencyPut, replyAfterRace, type IdempotencyClaim, type StoredReply } from './idempotency';
import { putNew } from './items';
import { keys, type ItemKey } from './keys';
import type { Page, PageQuery } from './pagination';
import { queryFilteredPage } from './query';
import { writeWithAudit, type TransactItem } from './transact';

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
export const retentionExpiry = (now: Date): number => Math.floor(now.getTime() / 1000) + getConfig().contactRetentionDays * DAY_SECONDS;

const CONTACT_FIELDS = [
  'id', 'teamId', 'championId', 'championSub', 'contactDate', 'setting', 'strands', 'dasvForms', 'hateMotivations', 'hateIncidentKinds',
  'demographics', 'priorHelp', 'beforePoliceOrEmergency', 'riskFlags', 'note', 'contactReference', 'repeatContact', 'hasEscalation',
  'status', 'deletedReason', 'deletedBy', 'deletedAt', 'createdAt', 'createdBy', 'updatedAt', 'version', 'expiresAt',
] as const;
const SIGNPOSTING_FIELDS = ['id', 'contactId', 'serviceId', 'serviceKind', 'serviceName', 'mode', 'outcome', 'outcomeRecordedAt', 'outcomeRecordedBy'] as const;

const pick = <T>(item: Record<string, unknown>, fields: readonly string[]): T =>
  Object.fromEntries(fields.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])) as T;

export const toContact = (item: Record<string, unknown>): Contact => pick<Contact>(item, CONTACT_FIELDS);
const toSignposting = (item: Record<string, unknown>): Signposting => pick<Signposting>(item, SIGNPOSTING_FIELDS);

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
  contactStatus: c.status,
  expiresAt: c.expiresAt,
});

const newSignposting = (contactId: string, input: SignpostingInput, service: Service): Signposting => ({
  id: newSignpostingId(),
  contactId,
  serviceId: service.id,
  serviceKind: service.kind,
  serviceName: service.name,
  mode: input.mode,
});

const serviceStillActive = (serviceId: string): TransactItem => ({
  ConditionCheck: {
    TableName: table(),
    Key: keys.service(serviceId),
    ConditionExpression: '#status = :active',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':active': 'active' },
  },
});

const retiredMeanwhile = (position: number): HttpError =>
  badRequest('A service was retired while the contact was saved; nothing was stored', [
    { path: `signposting.${position}.serviceId`, message: 'Select another service: this one has been retired' },
  ]);

/** One answer for a reference this team did not issue, whether it is unknown or another team's (contact-reference.ts). */
export const unknownReference = (): HttpError =>
  badRequest('Unknown contact reference', [
    { path: 'contactReference', message: 'Check the reference with the person: your team has not given this reference (or leave it blank to issue a new one)' },
  ]);

export interface NewContact {
  id: string;
  champion: Champion;
  input: CreateContact;
  /** The services the input names, as read (each checked usable by the caller). */
  services: ReadonlyMap<string, Service>;
  /** With an Idempotency-Key: the claim, and the reply to store with the contact. */
  idempotency?: { claim: IdempotencyClaim; reply: (view: ContactView) => StoredReply };
}

/**
 * Logs a contact. One transaction: the idempotency record (if a key was
 * sent), the contact, its signposting items, its reference (a new one put
 * only if unused; a quoted one must be the team's own), a check that every chosen service
 * is still active, and the audit event. A new reference that collides with an
 * existing one (about one in 33 million) is drawn again.
 */
export async function createContact(scope: RequestScope, nc: NewContact, now = new Date()): Promise<{ view: ContactView; reply?: StoredReply; replayed: boolean }> {
  const { input, champion } = nc;
  const at = now.toISOString();
  const expiresAt = retentionExpiry(now);
  for (let attempt = 0; ; attempt += 1) {
    const repeat = input.contactReference !== undefined;
    const reference = input.contactReference ?? newContactReference();
    const { contactReference: _quoted, signposting: chosen, note, ...fields } = input;
    const contact: Contact = {
      id: nc.id,
      teamId: champion.teamId,
      championId: champion.id,
      championSub: scope.principal.sub,
      ...fields,
      ...(note !== undefined ? { note } : {}),
      contactReference: reference,
      repeatContact: repeat,
      hasEscalation: false,
      status: 'active',
      createdAt: at,
      createdBy: scope.principal.sub,
      updatedAt: at,
      version: 1,
      expiresAt,
    };
    const signposting = chosen.map((s) => newSignposting(nc.id, s, nc.services.get(s.serviceId) as Service));
    const view = contactView(contact, signposting);
    const reply = nc.idempotency?.reply(view);

    const items: TransactItem[] = [];
    // What a failed condition means, built only if one fails (an error captures a stack: not free on every write).
    const explain: Array<(() => HttpError) | 'taken' | 'reference_taken'> = [];
    if (nc.idempotency && reply) {
      items.push(idempotencyPut(nc.idempotency.claim, reply, now));
      explain.push('taken');
    }
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
          UpdateExpression: 'SET expiresAt = :expiresAt',
          // The reference counts only in the team that issued it (referenceForTeam); checked again here, in the write.
          ConditionExpression: 'attribute_exists(pk) AND teamId = :teamId',
          ExpressionAttributeValues: { ':expiresAt': expiresAt, ':teamId': contact.teamId },
        },
      });
      explain.push(unknownReference);
    } else {
      items.push(putNew(table(), { ...keys.contactReference(reference), type: 'contactReference', teamId: contact.teamId, firstContactDate: contact.contactDate, createdAt: at, expiresAt }));
      explain.push('reference_taken');
    }
    chosen.forEach((s, i) => {
      items.push(serviceStillActive(s.serviceId));
      explain.push(() => retiredMeanwhile(i));
    });

    const failed: { marker?: { kind: 'taken' | 'reference_taken'; error: HttpError } } = {};
    try {
      await writeWithAudit(scope, {
        items,
        audit: {
          action: 'contacts.create',
          entityType: 'contact',
          entityId: contact.id,
          teamId: contact.teamId,
          changedFields: Object.keys(input).filter((k) => input[k as keyof CreateContact] !== undefined),
        },
        onConditionFailed: (index) => {
          const e = explain[index];
          if (e !== 'taken' && e !== 'reference_taken') return e?.();
          failed.marker = { kind: e, error: conflict(e === 'taken' ? 'taken' : 'reference taken') };
          return failed.marker.error;
        },
      });
      return { view, ...(reply ? { reply } : {}), replayed: false };
    } catch (error) {
      const { marker } = failed;
      if (marker && error === marker.error && marker.kind === 'taken' && nc.idempotency) {
        return { view, reply: await replyAfterRace(nc.idempotency.claim, now), replayed: true };
      }
      if (marker && error === marker.error && marker.kind === 'reference_taken' && attempt < 3) continue;
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

export const staleContact = (currentVersion: number): HttpError =>
  conflict('This contact was changed by someone else; reload it and try again. Nothing was stored.', { field: 'version', currentVersion });

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Builds `SET … REMOVE …` for the fields given (undefined: untouched, null: removed) and moves the version on. */
function versionedUpdate(key: ItemKey, expectedVersion: number, changes: Record<string, unknown>, now: Date, extraCondition?: { expression: string; values: Record<string, unknown> }): TransactItem {
  const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':expected': expectedVersion, ':one': 1, ':now': now.toISOString(), ...(extraCondition?.values ?? {}) };
  const sets = ['#updatedAt = :now'];
  const removes: string[] = [];
  Object.entries(changes).forEach(([field, value], i) => {
    if (value === undefined) return;
    names[`#f${i}`] = field;
    if (value === null) removes.push(`#f${i}`);
    else {
      values[`:v${i}`] = value;
      sets.push(`#f${i} = :v${i}`);
    }
  });
  return {
    Update: {
      TableName: table(),
      Key: key,
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''} ADD #version :one`,
      ConditionExpression: `attribute_exists(pk) AND #version = :expected${extraCondition ? ` AND ${extraCondition.expression}` : ''}`,
      ExpressionAttributeNames: { ...names, ...(extraCondition ? { '#status': 'status' } : {}) },
      ExpressionAttributeValues: values,
    },
  };
}

export interface Correction {
  /** The corrected fields as they will be (only those that differ from the record). */
  fields: Partial<Omit<ContactFields, 'note'>> & { note?: string | null };
  /** The full signposting list after the correction, if it changes. */
  signposting?: SignpostingInput[];
  /** Services newly chosen, as read (checked usable by the caller). */
  services: ReadonlyMap<string, Service>;
}

/**
 * Corrects a contact at the version read (the caller has checked who and
 * when). One transaction: the contact, its signposting (services kept keep
 * their id and outcome; removed ones are deleted; new ones added, each still
 * active), the denormalised date and strands on every signposting item, and
 * the audit event naming the changed fields.
 */
export async function correctContact(
  scope: RequestScope,
  before: { contact: Contact; signposting: Signposting[] },
  version: number,
  correction: Correction,
  changedFields: string[],
  now = new Date(),
): Promise<{ contact: Contact; signposting: Signposting[] }> {
  const { contact } = before;
  if (contact.version !== version) throw staleContact(contact.version);
  const f = correction.fields;
  const after: Contact = { ...contact, updatedAt: now.toISOString(), version: contact.version + 1 };
  for (const [k, v] of Object.entries(f)) {
    if (v === null) delete (after as unknown as Record<string, unknown>)[k];
    else if (v !== undefined) (after as unknown as Record<string, unknown>)[k] = v;
  }
  const dateChanged = after.contactDate !== contact.contactDate;
  const changes: Record<string, unknown> = {
    ...f,
    ...(dateChanged
      ? {
          gsi1sk: keys.contactsOfTeam(contact.teamId, after.contactDate, contact.createdAt, contact.id).gsi1sk,
          gsi2sk: keys.contactsOfChampion(contact.championSub, after.contactDate, contact.createdAt, contact.id).gsi2sk,
        }
      : {}),
  };
  const STALE = staleContact(contact.version);
  const items: TransactItem[] = [versionedUpdate(keys.contact(contact.id), version, changes, now, { expression: '#status = :active', values: { ':active': 'active' } })];
  const explain: HttpError[] = [STALE];

  const wanted = correction.signposting ?? before.signposting.map((s) => ({ serviceId: s.serviceId, mode: s.mode }));
  const bySevice = new Map(before.signposting.map((s) => [s.serviceId, s]));
  const signposting: Signposting[] = [];
  const denormChanged = dateChanged || !same(after.strands, contact.strands) || !same(Object.values(signpostingDemographics(after)), Object.values(signpostingDemographics(contact)));
  wanted.forEach((w, i) => {
    const kept = bySevice.get(w.serviceId);
    if (kept) {
      const next = { ...kept, mode: w.mode };
      signposting.push(next);
      if (next.mode !== kept.mode || denormChanged) {
        items.push({
          Update: {
            TableName: table(),
            Key: keys.signposting(contact.id, kept.id),
            UpdateExpression: `SET #mode = :mode, contactDate = :date, strands = :strands, gender = :gender, ageBand = :ageBand${kept.outcome === undefined ? ', gsi1sk = :followUp' : ''}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#mode': 'mode' },
            ExpressionAttributeValues: {
              ':mode': next.mode,
              ':date': after.contactDate,
              ':strands': after.strands,
              ...Object.fromEntries(Object.entries(signpostingDemographics(after)).map(([k, v]) => [`:${k}`, v])),
              ...(kept.outcome === undefined ? { ':followUp': keys.followUpsOfTeam(contact.teamId, after.contactDate, contact.id, kept.id).gsi1sk } : {}),
            },
          },
        });
        explain.push(STALE);
      }
    } else {
      const added = newSignposting(contact.id, w, correction.services.get(w.serviceId) as Service);
      signposting.push(added);
      items.push(putNew(table(), signpostingItem(added, after)));
      explain.push(STALE);
      items.push(serviceStillActive(w.serviceId));
      explain.push(retiredMeanwhile(i));
    }
  });
  const keptIds = new Set(wanted.map((w) => w.serviceId));
  for (const old of before.signposting) {
    if (keptIds.has(old.serviceId)) continue;
    items.push({ Delete: { TableName: table(), Key: keys.signposting(contact.id, old.id), ConditionExpression: 'attribute_exists(pk)' } });
    explain.push(STALE);
  }

  try {
    await writeWithAudit(scope, {
      items,
      audit: { action: 'contacts.update', entityType: 'contact', entityId: contact.id, teamId: contact.teamId, changedFields },
      onConditionFailed: (index) => explain[index],
    });
  } catch (error) {
    if (error !== STALE) throw error;
    const current = await getContact(contact.id);
    if (!current || current.contact.status !== 'active') throw notFound('Contact');
    throw staleContact(current.contact.version);
  }
  return { contact: after, signposting };
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
  const GONE = notFound('Contact');
  const items: TransactItem[] = [
    versionedUpdate(keys.contact(contact.id), contact.version, { status: 'deleted', deletedReason: reason, deletedBy: scope.principal.sub, deletedAt: at }, now, {
      expression: '#status = :active',
      values: { ':active': 'active' },
    }),
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
    if (!current || current.contact.status === 'deleted') throw GONE;
    throw CHANGED;
  }
  return { ...contact, status: 'deleted', deletedReason: reason, deletedBy: scope.principal.sub, deletedAt: at, updatedAt: at, version: contact.version + 1 };
}

/** Records (or changes) the later outcome of one signposting; the contact must not be deleted. */
export async function recordOutcome(scope: RequestScope, contact: Contact, signposting: Signposting, outcome: NonNullable<Signposting['outcome']>, now = new Date()): Promise<Signposting> {
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
      {
        ConditionCheck: {
          TableName: table(),
          Key: keys.contact(contact.id),
          ConditionExpression: '#status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':active': 'active' },
        },
      },
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
