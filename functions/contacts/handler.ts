import { referenceForTeam, type IssuedReference } from '../../shared/domain/contact-reference';
import createHttpError from 'http-errors';
import * as z from 'zod/mini';
import { ulid } from 'ulid';
import { getConfig } from '../../shared/config';
import type { Champion } from '../../shared/domain/champions';
import {
  contactConsistency,
  contactDateProblem,
  contactIdSchema,
  contactListFilterSchema,
  contactSummarySchema,
  contactView,
  contactViewSchema,
  correctable,
  createContactSchema,
  deleteContactSchema,
  outcomeSchema,
  signpostingIdSchema,
  signpostingSchema,
  updateContactSchema,
  CORRECTION_WINDOW_HOURS,
  type Contact,
  type ContactFields,
  type ContactView,
  type SignpostingInput,
} from '../../shared/domain/contacts';
import type { Course } from '../../shared/domain/courses';
import type { IsoDate } from '../../shared/domain/dates';
import { badRequest, forbidden, notFound, validationFailed } from '../../shared/domain/errors';
import { ruleMessages } from '../../shared/domain/messages';
import { scopeOf } from '../../shared/domain/policy';
import { unusableService, type Service } from '../../shared/domain/services';
import { strandLabels, type Strand } from '../../shared/domain/strands';
import { createApiHandler, created, defineOperation, type RequestInfo } from '../../shared/http/pipeline';
import { BUSINESS_METRICS } from '../../shared/metrics/business-metrics';
import { emitBusinessMetric } from '../../shared/metrics/emit';
import { auditedRead, auditRead } from '../../shared/store/audit';
import { getChampionByIdentity } from '../../shared/store/champion-store';
import { allInOrder } from '../../shared/store/parallel';
import {
  correctContact,
  createContact,
  deleteContact,
  getContact,
  listContacts,
  recordOutcome,
  staleContact,
  unknownReference,
} from '../../shared/store/contact-store';
import { allCourses } from '../../shared/store/course-store';
import { findReply, idempotencyClaim, type StoredReply } from '../../shared/store/idempotency';
import { getItem } from '../../shared/store/items';
import { keys } from '../../shared/store/keys';
import { pageQuerySchema, pageSchema } from '../../shared/store/pagination';
import { getServices } from '../../shared/store/service-store';
import { gateFor } from '../../shared/store/training-store';

type ContactAction = 'contacts.read' | 'contacts.update' | 'contacts.delete' | 'contacts.recordOutcome';

/**
 * The contact, if it exists and the caller may act on it; otherwise 404 (or
 * 403), audited by the pipeline. A deleted contact is kept for the audit
 * trail: supervisors and admins may still read it; nothing else happens to it.
 */
async function contactFor(request: RequestInfo, action: ContactAction, id: string) {
  const found = await getContact(id);
  if (!found) throw notFound('Contact');
  const { contact } = found;
  await request.authorize(action, { entityType: 'contact', entityId: id, teamId: contact.teamId, ownerSub: contact.championSub });
  if (contact.status === 'deleted' && (action !== 'contacts.read' || request.principal.role === 'champion')) throw notFound('Contact');
  if (action !== 'contacts.read' && request.principal.role === 'champion') await requireActiveChampion(request.principal.sub);
  return found;
}

/** A suspended champion's token may still be valid: every write of theirs is refused by their champion record (403). */
async function requireActiveChampion(sub: string): Promise<void> {
  const champion = await getChampionByIdentity(sub);
  if (!champion) throw forbidden('Only a champion with a champion record may change contacts');
  if (champion.status === 'suspended') throw forbidden('Your champion record is suspended; ask your supervisor.');
}

const gateReasons = {
  suspended: () => 'your champion record is suspended',
  strand_not_served: (label: string) => `you do not serve the ${label} strand`,
  never_trained: (label: string) => `you hold no training for ${label} on that date`,
  lapsed: (label: string) => `your training for ${label} had lapsed by that date`,
} as const;

/** The training gate for every strand of the contact, on the contact's date: 403 with the reason otherwise. */
function requireQualified(champion: Champion, courses: readonly Course[], strands: readonly Strand[], on: IsoDate): void {
  for (const strand of strands) {
    const decision = gateFor(champion, courses, strand, on);
    if (decision.qualified) continue;
    const label = strandLabels[strand];
    throw createHttpError(403, `You may not log a ${label} contact dated ${on}: ${gateReasons[decision.reason](label)}.`, {
      details: { field: 'strands', strand, reason: decision.reason },
    });
  }
}

/** A champion may date a contact neither in the future nor before the logging window. */
function requireDateInWindow(date: IsoDate, now: Date): void {
  const problem = contactDateProblem(date, now, getConfig().contactLogWindowDays);
  if (problem) throw validationFailed([{ path: 'contactDate', message: problem }]);
}

/** The services named, each in the directory, active and serving one of the strands; 400 naming each that is not. */
function requireUsableServices(list: readonly SignpostingInput[], services: ReadonlyMap<string, Service>, strands: readonly Strand[], positions: readonly number[]): void {
  const issues = list.flatMap((s, i) => {
    const problem = unusableService(services.get(s.serviceId), strands);
    return problem ? [{ path: `signposting.${positions[i] ?? i}.serviceId`, message: problem }] : [];
  });
  if (issues.length > 0) throw validationFailed(issues);
}

const contactSummary = (c: Contact) => {
  const { signposting: _none, ...rest } = contactView(c, []);
  return rest;
};

async function replay(request: RequestInfo, reply: StoredReply) {
  const id = (reply.body as { id?: string } | undefined)?.id ?? 'unknown';
  const teamId = (reply.body as { teamId?: string } | undefined)?.teamId;
  await auditRead(request.scope, { action: 'contacts.read', entityType: 'contact', entityId: id, teamId, reason: 'idempotent replay of a create' });
  return { status: 201 as const, body: reply.body as ContactView, headers: { ...(reply.headers ?? {}), 'idempotent-replayed': 'true' } };
}

/**
 * POST /contacts — a champion logs a contact: one transaction for the contact,
 * its signposting, its reference and its audit event. With an
 * `Idempotency-Key`, a retry gets the first response and stores nothing new.
 */
const create = defineOperation({
  description:
    'Log an anonymised contact with its signposting (champion; the training gate must qualify them for every strand on the contact\'s date). ' +
    'Send an Idempotency-Key header (a UUID) so that a retry is stored once: the same key and body replays the first response ' +
    '(header idempotent-replayed: true); the same key with another body is a 409. Omit contactReference to issue a new one.',
  body: createContactSchema,
  responses: { 201: { description: 'The contact, logged, with its signposting and reference', body: contactViewSchema, location: 'GET /contacts/{id}', replayable: true } },
  refusals: {
    403: 'The caller has no champion record, is suspended, or is not trained for a strand on the contact\'s date (the reply names the strand and why)',
    409: 'The Idempotency-Key was used with another body, or is still being processed',
  },
  async run({ body, request }) {
    const claim = idempotencyClaim(request.headers, request.principal.sub, body);
    // Every read the checks need, made together: one round trip's wait (two for the champion, found through their
    // identity) instead of one per check. The checks then run in the order they always have, so when several
    // fail the same one answers; nothing read is returned unless they all pass.
    const [seen, champion, courses, services, reference] = await allInOrder([
      claim ? findReply(claim) : Promise.resolve(undefined),
      getChampionByIdentity(request.principal.sub),
      allCourses(),
      getServices(body.signposting.map((s) => s.serviceId)),
      body.contactReference === undefined ? Promise.resolve(undefined) : getItem(getConfig().caseTableName, keys.contactReference(body.contactReference)),
    ]);
    if (seen) return replay(request, seen);
    if (!champion) throw forbidden('Only a champion with a champion record may log contacts');
    await request.authorize('contacts.create', { entityType: 'champion', entityId: champion.id, teamId: champion.teamId, ownerSub: champion.identity });
    const now = new Date();
    requireDateInWindow(body.contactDate, now);
    requireQualified(champion, courses, body.strands, body.contactDate);
    requireUsableServices(body.signposting, services, body.strands, body.signposting.map((_, i) => i));
    if (body.contactReference !== undefined && !referenceForTeam(reference as IssuedReference | undefined, champion.teamId)) throw unknownReference();
    const id = `contact-${ulid().toLowerCase()}`;
    const location = `/contacts/${id}`;
    const result = await createContact(
      request.scope,
      {
        id,
        champion,
        input: body,
        services,
        ...(claim ? { idempotency: { claim, reply: (view) => ({ status: 201, body: view, headers: { location } }) } } : {}),
      },
      now,
    );
    if (result.replayed && result.reply) return replay(request, result.reply);
    emitBusinessMetric(BUSINESS_METRICS.contactsLogged);
    return created(result.view, { location });
  },
});

/**
 * GET /contacts — newest first: a champion's own; a supervisor's team (an
 * admin names the team). Filters: strand, date range, risk flag, has
 * escalation; deleted contacts only when a supervisor or admin asks.
 */
const list = defineOperation({
  query: z.extend(pageQuerySchema, contactListFilterSchema.shape),
  responses: { 200: { description: 'A page of contacts, newest first (without their signposting)', body: pageSchema(contactSummarySchema) } },
  refusals: { 404: 'The team asked for is not the caller\'s' },
  async run({ query, request }) {
    const { limit, cursor, ...filter } = query;
    const page = { limit, ...(cursor !== undefined ? { cursor } : {}) };
    const { principal } = request;
    if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
      throw badRequest('There is a problem with the dates', [{ path: 'query.to', message: ruleMessages.toBeforeFrom }]);
    }
    const scope = scopeOf(principal.role, 'contacts.list');
    if (scope === 'own') {
      const result = await auditedRead(
        request.scope,
        { action: 'contacts.list', entityType: 'champion', entityId: principal.sub, teamId: principal.team },
        listContacts({ sub: principal.sub }, { ...filter, includeDeleted: false }, page),
      );
      return { body: { items: result.items.map(contactSummary), nextCursor: result.nextCursor } };
    }
    const teamId = scope === 'team' ? (filter.teamId ?? principal.team) : filter.teamId;
    if (!teamId) throw badRequest('Which team?', [{ path: 'query.teamId', message: 'Select a team' }]);
    await request.authorize('contacts.list', { entityType: 'team', entityId: teamId, teamId });
    const result = await auditedRead(request.scope, { action: 'contacts.list', entityType: 'team', entityId: teamId, teamId }, listContacts({ teamId }, filter, page));
    return { body: { items: result.items.map(contactSummary), nextCursor: result.nextCursor } };
  },
});

const idParams = z.strictObject({ id: contactIdSchema });

/** GET /contacts/{id} — one contact with its signposting; the read is audited. */
const read = defineOperation({
  params: idParams,
  responses: { 200: { description: 'The contact with its signposting', body: contactViewSchema } },
  async run({ params, request }) {
    const { contact, signposting } = await contactFor(request, 'contacts.read', params.id);
    await auditRead(request.scope, { action: 'contacts.read', entityType: 'contact', entityId: contact.id, teamId: contact.teamId });
    return { body: contactView(contact, signposting) };
  },
});

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const signpostingKey = (list: readonly SignpostingInput[]) => JSON.stringify([...list].map((s) => `${s.serviceId}:${s.mode}`).sort());

/**
 * PATCH /contacts/{id} — the champion who logged a contact corrects it within
 * 24 hours, at the version read. Supervisors do not correct contacts: the
 * record is the champion's account, so a supervisor's view goes in its
 * outcomes or, if it is wrong, in a deletion with a reason. The audit event
 * names the fields that changed.
 */
const update = defineOperation({
  params: idParams,
  body: updateContactSchema,
  responses: { 200: { description: 'The contact as corrected (as it was, when nothing changed)', body: contactViewSchema } },
  refusals: { 403: 'Past the correction window, the champion is suspended, or not trained for the corrected strands and date', 409: 'The contact changed since it was read (stale version)' },
  async run({ params, body, request }) {
    const before = await contactFor(request, 'contacts.update', params.id);
    const { contact } = before;
    const now = new Date();
    if (!correctable(contact, now)) {
      throw forbidden(`A contact can be corrected only within ${CORRECTION_WINDOW_HOURS} hours of being logged; ask your supervisor.`);
    }
    if (body.version !== contact.version) throw staleContact(contact.version);
    const { version, signposting, ...patch } = body;
    const fields: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      const current = contact[field as keyof Contact];
      if (value === null ? current !== undefined : !same(value, current)) fields[field] = value;
    }
    const signpostingChanged = signposting !== undefined && signpostingKey(signposting) !== signpostingKey(before.signposting);
    const changedFields = [...Object.keys(fields), ...(signpostingChanged ? ['signposting'] : [])];
    if (changedFields.length === 0) {
      await auditRead(request.scope, { action: 'contacts.read', entityType: 'contact', entityId: contact.id, teamId: contact.teamId, reason: 'correction with no change' });
      return { body: contactView(contact, before.signposting) };
    }
    const merged = { ...contact, ...fields } as ContactFields & Record<string, unknown>;
    if (fields['note'] === null) delete merged['note'];
    const issues = contactConsistency(merged);
    if (issues.length > 0) throw validationFailed(issues);
    if ('contactDate' in fields || 'strands' in fields) {
      const champion = await getChampionByIdentity(request.principal.sub);
      if (!champion) throw forbidden('Only a champion with a champion record may log contacts');
      if ('contactDate' in fields) requireDateInWindow(merged.contactDate, now);
      requireQualified(champion, await allCourses(), merged.strands, merged.contactDate);
    }
    let services = new Map<string, Service>();
    if (signpostingChanged && signposting) {
      const kept = new Set(before.signposting.map((s) => s.serviceId));
      const added = signposting.map((s, i) => [s, i] as const).filter(([s]) => !kept.has(s.serviceId));
      const list = added.map(([s]) => s);
      services = await getServices(list.map((s) => s.serviceId));
      requireUsableServices(list, services, merged.strands, added.map(([, i]) => i));
    }
    const after = await correctContact(
      request.scope,
      before,
      version,
      { fields: fields as never, ...(signpostingChanged && signposting ? { signposting } : {}), services },
      changedFields,
      now,
    );
    return { body: contactView(after.contact, after.signposting) };
  },
});

/** DELETE /contacts/{id} — a supervisor deletes a contact of their team, with a reason; it is kept, marked deleted. */
const remove = defineOperation({
  params: idParams,
  body: deleteContactSchema,
  responses: { 200: { description: 'The contact, kept and marked deleted', body: contactViewSchema } },
  refusals: { 409: 'The contact changed while it was being deleted' },
  async run({ params, body, request }) {
    const before = await contactFor(request, 'contacts.delete', params.id);
    const after = await deleteContact(request.scope, before, body.reason);
    return { body: contactView(after, before.signposting) };
  },
});

/** PUT /contacts/{id}/signposting/{signpostingId}/outcome — the later outcome of a signposting (the champion or a supervisor). */
const outcome = defineOperation({
  params: z.strictObject({ id: contactIdSchema, signpostingId: signpostingIdSchema }),
  body: outcomeSchema,
  responses: { 200: { description: 'The signposting with its outcome', body: signpostingSchema } },
  async run({ params, body, request }) {
    const { contact, signposting } = await contactFor(request, 'contacts.recordOutcome', params.id);
    const item = signposting.find((s) => s.id === params.signpostingId);
    if (!item) throw notFound('Signposting');
    return { body: await recordOutcome(request.scope, contact, item, body.outcome) };
  },
});

export const handler = createApiHandler({
  'GET /contacts': list,
  'POST /contacts': create,
  'GET /contacts/{id}': read,
  'PATCH /contacts/{id}': update,
  'DELETE /contacts/{id}': remove,
  'PUT /contacts/{id}/signposting/{signpostingId}/outcome': outcome,
});
