import * as z from 'zod/mini';
import { championScope } from '../../shared/domain/champions';
import {
  contactIdSchema, contactListFilterSchema, contactScope, contactSummary, contactSummarySchema, contactView, contactViewSchema, createContactSchema,
  deleteContactSchema, hiddenWhenDeleted, outcomeSchema, signpostingIdSchema, signpostingSchema, updateContactSchema, type ContactView,
} from '../../shared/domain/contacts';
import { fromNotAfterTo } from '../../shared/domain/dates';
import { notFound } from '../../shared/domain/errors';
import { createApiHandler, created, defineOperation, type RequestInfo } from '../../shared/http/pipeline';
import { BUSINESS_METRICS } from '../../shared/metrics/business-metrics';
import { emitBusinessMetric } from '../../shared/metrics/emit';
import { auditedRead, auditRead } from '../../shared/store/audit';
import { applyCorrection, deleteContact, getContact, listContacts, logContact, recordOutcome } from '../../shared/store/contact-store';
import { pageQuerySchema, pageSchema } from '../../shared/store/pagination';

type ContactAction = 'contacts.read' | 'contacts.update' | 'contacts.delete' | 'contacts.recordOutcome';

/** The contact, if it exists and the caller may act on it; otherwise 404 (or 403), audited by the pipeline. */
async function contactFor(request: RequestInfo, action: ContactAction, id: string) {
  const found = await request.recordFor(action, 'contact', id, getContact(id), contactScope);
  if (hiddenWhenDeleted(found.contact, action, request.principal.role)) throw notFound('Contact');
  return found;
}

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
  idempotent: { replayRead: { action: 'contacts.read', entityType: 'contact' } },
  activeChampion: true,
  async run({ body, request }) {
    const { champion } = request;
    await request.authorize('contacts.create', { entityType: 'champion', entityId: champion.id, ...championScope(champion) });
    const once = (v: ContactView) => request.once({ status: 201, body: v, headers: { location: `/contacts/${v.id}` } });
    const view = await logContact(request.scope, champion, body, once);
    emitBusinessMetric(BUSINESS_METRICS.contactsLogged);
    return created(view, { location: `/contacts/${view.id}` });
  },
});

/**
 * GET /contacts — newest first: a champion's own; a supervisor's team (an
 * admin names the team). Filters: strand, date range, risk flag, has
 * escalation; deleted contacts only when a supervisor or admin asks.
 */
const list = defineOperation({
  query: z.extend(pageQuerySchema, contactListFilterSchema.shape).check(fromNotAfterTo()),
  responses: { 200: { description: 'A page of contacts, newest first (without their signposting)', body: pageSchema(contactSummarySchema) } },
  refusals: { 404: 'The team asked for is not the caller\'s' },
  async run({ query, request }) {
    const { limit, cursor, teamId: asked, ...filter } = query;
    const page = { limit, ...(cursor !== undefined ? { cursor } : {}) };
    const whose = await request.listScope('contacts.list', asked);
    const result = await auditedRead(
      request.scope,
      { action: 'contacts.list', ...whose.entity },
      whose.own ? listContacts({ sub: whose.sub }, { ...filter, includeDeleted: false }, page) : listContacts({ teamId: whose.teamId }, filter, page),
    );
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
  activeChampion: true,
  async run({ params, body, request }) {
    const before = await contactFor(request, 'contacts.update', params.id);
    const after = await applyCorrection(request.scope, before, body, request.champion);
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
  activeChampion: true,
  async run({ params, body, request }) {
    const found = await contactFor(request, 'contacts.recordOutcome', params.id);
    return { body: await recordOutcome(request.scope, found, params.signpostingId, body.outcome) };
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
