import * as z from 'zod/mini';
import { getConfig } from '../../shared/config';
import { contactIdSchema, contactScope } from '../../shared/domain/contacts';
import { caseloadSince, caseloadSummary } from '../../shared/domain/escalation-decisions';
import {
  championEscalationViewSchema, createEscalationSchema, escalationIdSchema, escalationListQuerySchema,
  escalationNotificationSchema, escalationViewFor, raisedEscalationSchema, raisedEscalationView, supervisorEscalationView, supervisorEscalationViewSchema, teamQuerySchema,
  type StoredEscalation,
} from '../../shared/domain/escalation-views';
import { transitionSchema } from '../../shared/domain/escalations';
import { caseloadSchema } from '../../shared/domain/caseload-view';
import { createApiHandler, created, defineOperation, type RequestInfo } from '../../shared/http/pipeline';
import { BUSINESS_METRICS } from '../../shared/metrics/business-metrics';
import { emitBusinessMetric } from '../../shared/metrics/emit';
import { auditedRead, auditRead } from '../../shared/store/audit';
import { getContact } from '../../shared/store/contact-store';
import { caseloadFacts, getEscalation, listChampionEscalations, listTeamEscalations, moveEscalation, raiseConcern } from '../../shared/store/escalation-store';
import { listNotifications, notifyAfterCommit } from '../../shared/store/notifier';
import { pageQuerySchema, pageSchema } from '../../shared/store/pagination';

/** The escalation, if it exists and the caller may act on it; otherwise 404 (or 403), audited by the pipeline. */
const escalationFor = (request: RequestInfo, action: 'escalations.read' | 'escalations.transition', id: string): Promise<StoredEscalation> =>
  request.recordFor(action, 'escalation', id, getEscalation(id), (e) => ({ teamId: e.teamId, ownerSub: e.raisedBy }));

const create = defineOperation({
  description:
    'Raise a concern from one\'s own contact to the DASV team (champion). Priority derives from the reason and the contact\'s risk flags; ' +
    'the reply gives the triage due time and, when life may be at risk, emergencyGuidance (call 999) first. One concern per contact (409 otherwise). ' +
    'Send an Idempotency-Key header so that a retry is stored once.',
  params: z.strictObject({ id: contactIdSchema }),
  body: createEscalationSchema,
  idempotent: { replayRead: { action: 'escalations.read', entityType: 'escalation' }, requestOf: ({ body, params }) => ({ contactId: params.id, ...body }) },
  responses: { 201: { description: 'The concern, raised: the champion\'s view, led by the 999 guidance when life may be at risk', body: raisedEscalationSchema, location: 'GET /escalations/{id}', replayable: true } },
  refusals: {
    403: 'The caller has no champion record, or is suspended',
    409: 'A concern was already raised from this contact (escalationId names it), or the Idempotency-Key was used with another body',
  },
  activeChampion: true,
  async run({ params, body, request }) {
    const { contact } = await request.recordFor('escalations.create', 'contact', params.id, getContact(params.id), contactScope);
    const now = new Date();
    const once = (e: StoredEscalation) => request.once({ status: 201, body: raisedEscalationView(e, contact.riskFlags, now), headers: { location: `/escalations/${e.id}` } });
    const { escalation, notification } = await raiseConcern(request.scope, { contact, champion: request.champion, input: body, once }, now);
    emitBusinessMetric(BUSINESS_METRICS.escalationsRaised);
    await notifyAfterCommit(notification);
    return created(raisedEscalationView(escalation, contact.riskFlags, now), { location: `/escalations/${escalation.id}` });
  },
});

/** GET /escalations — a champion's own (newest first); a team's open (priority, then age) or closed (newest first). */
const list = defineOperation({
  query: z.extend(pageQuerySchema, escalationListQuerySchema.shape),
  responses: { 200: { description: 'A page of escalations: the champion\'s view of their own, or the supervisor\'s of the team\'s', body: pageSchema(z.union([supervisorEscalationViewSchema, championEscalationViewSchema])) } },
  refusals: { 404: 'The team asked for is not the caller\'s' },
  async run({ query, request }) {
    const { limit, cursor, status, state, teamId: asked } = query;
    const page = { limit, ...(cursor !== undefined ? { cursor } : {}) };
    const now = new Date();
    const whose = await request.listScope('escalations.list', asked);
    const result = await auditedRead(
      request.scope,
      { action: 'escalations.list', ...whose.entity },
      whose.own ? listChampionEscalations(whose.sub, state, page) : listTeamEscalations(whose.teamId, status, state, page),
    );
    return { body: { items: result.items.map((e) => escalationViewFor(request.principal.role, e, now)), nextCursor: result.nextCursor } };
  },
});

const idParams = z.strictObject({ id: escalationIdSchema });

/** GET /escalations/{id} — audited read: the champion's view (their own) or the supervisor's (their team's). */
const read = defineOperation({
  params: idParams,
  responses: { 200: { description: 'The escalation: the champion\'s view (their own) or the supervisor\'s (their team\'s)', body: z.union([supervisorEscalationViewSchema, championEscalationViewSchema]) } },
  async run({ params, request }) {
    const e = await escalationFor(request, 'escalations.read', params.id);
    await auditRead(request.scope, { action: 'escalations.read', entityType: 'escalation', entityId: e.id, teamId: e.teamId });
    return { body: escalationViewFor(request.principal.role, e, new Date()) };
  },
});

const transition = defineOperation({
  description:
    'Move an escalation to its next state at the version read (supervisor of the team): raised → triaged → referred → outcome_recorded → closed; ' +
    'raised or triaged → withdrawn. A move the state machine does not allow, or a stale version, is a 409 with currentState and allowedNext. ' +
    'A referral names an active service; without the person\'s consent it is allowed only for a risk to life or to children, with a recorded justification.',
  params: idParams,
  body: transitionSchema,
  responses: { 200: { description: 'The escalation in its new state (the supervisor\'s view)', body: supervisorEscalationViewSchema } },
  refusals: { 409: 'The state machine does not allow the move, or the escalation changed since it was read: the reply gives currentState and allowedNext' },
  async run({ params, body, request }) {
    const e = await escalationFor(request, 'escalations.transition', params.id);
    const now = new Date();
    return { body: supervisorEscalationView(await moveEscalation(request.scope, e, body, now), now) };
  },
});

/**
 * GET /caseload — a supervisor's team at a glance: open escalations (overdue
 * first, then priority, then age — ordered in code over the team's one small
 * partition of open escalations), signposting awaiting a follow-up, champions
 * whose training needs renewing, and contacts per champion over 30 and 90 days.
 */
const caseload = defineOperation({
  query: teamQuerySchema,
  responses: { 200: { description: 'The team\'s caseload', body: caseloadSchema } },
  refusals: { 404: 'The team asked for is not the caller\'s' },
  async run({ query, request }) {
    const teamId = await request.teamFor('caseload.read', query.teamId);
    const now = new Date();
    // Every read the page needs, and its audit event, together.
    const facts = await auditedRead(request.scope, { action: 'caseload.read', entityType: 'team', entityId: teamId, teamId }, caseloadFacts(teamId, caseloadSince(now)));
    const summary = caseloadSummary({ ...facts, now, expiringWithinDays: getConfig().trainingExpiringWithinDays });
    // What the supervisor sees is what the OverdueEscalations alarm sees (docs/DEPLOY.md): the team is not a dimension.
    emitBusinessMetric(BUSINESS_METRICS.escalationsOverdue, summary.escalations.overdue);
    return { body: summary };
  },
});

/** GET /notifications — the team's outbox, newest first (one machine; in AWS notifications go to the SNS topic). */
const notifications = defineOperation({
  query: z.extend(pageQuerySchema, teamQuerySchema.shape),
  responses: { 200: { description: 'A page of the team\'s notifications, newest first', body: pageSchema(escalationNotificationSchema) } },
  refusals: { 404: 'The team asked for is not the caller\'s' },
  async run({ query, request }) {
    const { limit, cursor, teamId: asked } = query;
    const teamId = await request.teamFor('notifications.list', asked);
    const page = { limit, ...(cursor !== undefined ? { cursor } : {}) };
    return { body: await auditedRead(request.scope, { action: 'notifications.list', entityType: 'team', entityId: teamId, teamId }, listNotifications(teamId, page)) };
  },
});

export const handler = createApiHandler({
  'POST /contacts/{id}/escalations': create,
  'GET /escalations': list,
  'GET /escalations/{id}': read,
  'POST /escalations/{id}/transitions': transition,
  'GET /caseload': caseload,
  'GET /notifications': notifications,
});
