import { referenceForTeam, type IssuedReference } from '../../shared/domain/contact-reference';
import * as z from 'zod/mini';
import { ulid } from 'ulid';
import { getConfig } from '../../shared/config';
import { championView } from '../../shared/domain/champions';
import { contactIdSchema } from '../../shared/domain/contacts';
import { addDays, ukDate } from '../../shared/domain/dates';
import { badRequest, forbidden, notFound, validationFailed, type FieldIssue } from '../../shared/domain/errors';
import { ruleMessages } from '../../shared/domain/messages';
import {
  caseloadOrder,
  championEscalationView,
  championEscalationViewSchema,
  createEscalationSchema,
  emergencyGuidanceFor,
  escalationIdSchema,
  escalationListQuerySchema,
  escalationNotificationSchema,
  escalationOverdue,
  raisedEscalationSchema,
  supervisorEscalationView,
  supervisorEscalationViewSchema,
  teamQuerySchema,
  type StoredEscalation,
} from '../../shared/domain/escalation-views';
import { allowedNext, canTransition, referralConsentProblem, SHARING_WITHOUT_CONSENT_REASONS, transitionSchema } from '../../shared/domain/escalations';
import { describeFindings, findPersonalData } from '../../shared/domain/personal-data';
import { scopeOf, type Action } from '../../shared/domain/policy';
import type { Principal } from '../../shared/domain/roles';
import { unusableService, type Service } from '../../shared/domain/services';
import { courseLookup } from '../../shared/domain/training';
import { caseloadSchema } from '../../shared/domain/caseload-view';
import { createApiHandler, created, defineOperation, type RequestInfo } from '../../shared/http/pipeline';
import { describeErrorForLog, logger } from '../../shared/http/logger';
import { BUSINESS_METRICS } from '../../shared/metrics/business-metrics';
import { emitBusinessMetric } from '../../shared/metrics/emit';
import { auditedRead, auditRead } from '../../shared/store/audit';
import { allChampionsOfTeam, getChampionByIdentity } from '../../shared/store/champion-store';
import { getContact } from '../../shared/store/contact-store';
import { allCourses } from '../../shared/store/course-store';
import {
  alreadyEscalated,
  contactDatesOfTeam,
  createEscalation,
  followUpsOfTeam,
  getEscalation,
  listChampionEscalations,
  listTeamEscalations,
  openEscalationsOfTeam,
  staleEscalation,
  transitionEscalation,
} from '../../shared/store/escalation-store';
import { findReply, idempotencyClaim, type StoredReply } from '../../shared/store/idempotency';
import { getItem } from '../../shared/store/items';
import { keys } from '../../shared/store/keys';
import { LOGGED_FAILURES } from '../../shared/metrics/operational';
import { getNotifier, listNotifications } from '../../shared/store/notifier';
import { pageQuerySchema, pageSchema } from '../../shared/store/pagination';
import { allInOrder } from '../../shared/store/parallel';
import { getService } from '../../shared/store/service-store';

type RaisedEscalation = z.infer<typeof raisedEscalationSchema>;

/** How many follow-ups the caseload shows (oldest first); the rest are counted as "more". */
const CASELOAD_FOLLOW_UPS = 100;

/** The escalation's own view for this principal: the champion's, or the supervisor's (admins see the supervisor's). */
const viewFor = (principal: Principal, e: StoredEscalation, now: Date) =>
  principal.role === 'champion' ? championEscalationView(e, now) : supervisorEscalationView(e, now);

/** The escalation, if it exists and the caller may act on it; otherwise 404 (or 403), audited by the pipeline. */
async function escalationFor(request: RequestInfo, action: 'escalations.read' | 'escalations.transition', id: string): Promise<StoredEscalation> {
  const e = await getEscalation(id);
  if (!e) throw notFound('Escalation');
  await request.authorize(action, { entityType: 'escalation', entityId: id, teamId: e.teamId, ownerSub: e.raisedBy });
  return e;
}

/** The team a team-scoped list is about: a supervisor's own (or the one asked, checked), an admin's asked for. */
async function teamFor(request: RequestInfo, action: Action, asked: string | undefined): Promise<string> {
  const { principal } = request;
  const teamId = scopeOf(principal.role, action) === 'team' ? (asked ?? principal.team) : asked;
  if (!teamId) throw badRequest('Which team?', [{ path: 'query.teamId', message: 'Select a team' }]);
  await request.authorize(action, { entityType: 'team', entityId: teamId, teamId });
  return teamId;
}

async function replay(request: RequestInfo, reply: StoredReply) {
  const body = reply.body as { id?: string } | undefined;
  await auditRead(request.scope, { action: 'escalations.read', entityType: 'escalation', entityId: body?.id ?? 'unknown', teamId: request.principal.team, reason: 'idempotent replay of a create' });
  return { status: 201 as const, body: reply.body as RaisedEscalation, headers: { ...(reply.headers ?? {}), 'idempotent-replayed': 'true' } };
}

/**
 * POST /contacts/{id}/escalations — the champion who logged a contact raises
 * a concern from it. Priority derives from the reason and the contact's risk
 * flags; triage is due under the service levels (UK working days, bank
 * holidays). When life may be at risk the reply starts with the 999 guidance.
 */
const create = defineOperation({
  description:
    'Raise a concern from one\'s own contact to the DASV team (champion). Priority derives from the reason and the contact\'s risk flags; ' +
    'the reply gives the triage due time and, when life may be at risk, emergencyGuidance (call 999) first. One concern per contact (409 otherwise). ' +
    'Send an Idempotency-Key header so that a retry is stored once.',
  params: z.strictObject({ id: contactIdSchema }),
  body: createEscalationSchema,
  responses: { 201: { description: 'The concern, raised: the champion\'s view, led by the 999 guidance when life may be at risk', body: raisedEscalationSchema, location: 'GET /escalations/{id}', replayable: true } },
  refusals: {
    403: 'The caller has no champion record, or is suspended',
    409: 'A concern was already raised from this contact (escalationId names it), or the Idempotency-Key was used with another body',
  },
  async run({ params, body, request }) {
    const claim = idempotencyClaim(request.headers, request.principal.sub, { contactId: params.id, ...body });
    if (claim) {
      const seen = await findReply(claim);
      if (seen) return replay(request, seen);
    }
    const found = await getContact(params.id);
    if (!found) throw notFound('Contact');
    const { contact } = found;
    await request.authorize('escalations.create', { entityType: 'contact', entityId: contact.id, teamId: contact.teamId, ownerSub: contact.championSub });
    if (contact.status !== 'active') throw notFound('Contact');
    if (contact.hasEscalation) {
      const raw = await getItem<{ escalationId?: string }>(getConfig().caseTableName, keys.contact(contact.id));
      throw alreadyEscalated(raw?.escalationId);
    }
    const champion = await getChampionByIdentity(request.principal.sub);
    if (!champion) throw forbidden('Only a champion with a champion record may raise a concern');
    // A suspended champion's token may still be valid; their champion record refuses the write.
    if (champion.status === 'suspended') throw forbidden('Your champion record is suspended: call the DASV team directly (999 if life is at risk).');
    const issued = await getItem<IssuedReference>(getConfig().caseTableName, keys.contactReference(contact.contactReference));
    const reference = referenceForTeam(issued, contact.teamId);
    const id = `escalation-${ulid().toLowerCase()}`;
    const location = `/escalations/${id}`;
    const now = new Date();
    const shape = (e: StoredEscalation) => ({ ...emergencyGuidanceFor(e.reason, contact.riskFlags), ...championEscalationView(e, now) });
    const result = await createEscalation(
      request.scope,
      {
        id,
        contact,
        champion,
        firstContactDate: reference?.firstContactDate ?? contact.contactDate,
        input: body,
        ...(claim ? { idempotency: { claim, reply: (e) => ({ status: 201, body: shape(e), headers: { location } }) } } : {}),
      },
      now,
    );
    if (result.replayed && result.reply) return replay(request, result.reply);
    emitBusinessMetric(BUSINESS_METRICS.escalationsRaised);
    try {
      await getNotifier().afterCommit(result.notification);
    } catch (error) {
      // The escalation is stored and on the team's caseload; a lost notification is logged (no case field), not an error.
      logger.error(LOGGED_FAILURES.notificationNotPublished, { ...describeErrorForLog(error), notificationId: result.notification.id });
    }
    return created(shape(result.escalation), { location });
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
    const { principal } = request;
    const now = new Date();
    if (scopeOf(principal.role, 'escalations.list') === 'own') {
      const result = await auditedRead(
        request.scope,
        { action: 'escalations.list', entityType: 'champion', entityId: principal.sub, teamId: principal.team },
        listChampionEscalations(principal.sub, state, page),
      );
      return { body: { items: result.items.map((e) => championEscalationView(e, now)), nextCursor: result.nextCursor } };
    }
    const teamId = await teamFor(request, 'escalations.list', asked);
    const result = await auditedRead(request.scope, { action: 'escalations.list', entityType: 'team', entityId: teamId, teamId }, listTeamEscalations(teamId, status, state, page));
    return { body: { items: result.items.map((e) => supervisorEscalationView(e, now)), nextCursor: result.nextCursor } };
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
    return { body: viewFor(request.principal, e, new Date()) };
  },
});

/** Free text that must not identify anyone (the schema bounds its length; this checks its content). */
function personalDataIssue(path: string, text: string | undefined): FieldIssue[] {
  if (text === undefined) return [];
  const findings = findPersonalData(text);
  return findings.length > 0 ? [{ path, message: describeFindings(findings) }] : [];
}

/**
 * POST /escalations/{id}/transitions — a supervisor of the team moves the
 * escalation to its next state at the version read. A move the state machine
 * does not allow, or a stale version, is a 409 with the current state and the
 * allowed next states.
 */
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
    if (!canTransition(e.state, body.to)) {
      const next = allowedNext(e.state);
      throw staleEscalation(e, `An escalation that is ${e.state} cannot be moved to ${body.to}${next.length ? ` (next: ${next.join(' or ')})` : ' (it is finished)'}; nothing was stored.`);
    }
    if (body.version !== e.version) {
      throw staleEscalation(e, 'This escalation was changed by someone else; nothing was stored. Reload it and try again.');
    }
    const now = new Date();
    let service: Service | undefined;
    if (body.to === 'referred') {
      const issues: FieldIssue[] = [];
      service = await getService(body.serviceId);
      const unusable = unusableService(service, e.strands as never);
      if (unusable) issues.push({ path: 'serviceId', message: unusable });
      const today = ukDate(now);
      if (body.referredOn > today) issues.push({ path: 'referredOn', message: ruleMessages.notInFuture });
      else if (body.referredOn < ukDate(new Date(e.raisedAt))) issues.push({ path: 'referredOn', message: 'must be on or after the day the concern was raised' });
      const consentProblem = referralConsentProblem(e.reason, e.consent, body.sharedWithoutConsentJustification);
      if (consentProblem) {
        issues.push({ path: SHARING_WITHOUT_CONSENT_REASONS.includes(e.reason) ? 'sharedWithoutConsentJustification' : 'consent', message: consentProblem });
      }
      issues.push(...personalDataIssue('sharedWithoutConsentJustification', body.sharedWithoutConsentJustification));
      if (issues.length > 0) throw validationFailed(issues);
    }
    if (body.to === 'withdrawn') {
      const issues = personalDataIssue('reason', body.reason);
      if (issues.length > 0) throw validationFailed(issues);
    }
    const after = await transitionEscalation(request.scope, e, body, service ? { service } : {}, now);
    return { body: supervisorEscalationView(after, now) };
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
    const teamId = await teamFor(request, 'caseload.read', query.teamId);
    const now = new Date();
    const today = ukDate(now);
    // Every read the page needs, and its audit event, together.
    const [open, followUps, courses, contactDates, teamChampions] = await auditedRead(
      request.scope,
      { action: 'caseload.read', entityType: 'team', entityId: teamId, teamId },
      allInOrder([
        openEscalationsOfTeam(teamId),
        followUpsOfTeam(teamId, { limit: CASELOAD_FOLLOW_UPS }),
        allCourses(),
        contactDatesOfTeam(teamId, addDays(today, -89)),
        allChampionsOfTeam(teamId),
      ]),
    );
    const lookup = courseLookup(courses);
    const champions = teamChampions.map((c) => championView(c, lookup, today, getConfig().trainingExpiringWithinDays));

    const since30 = addDays(today, -29);
    const counts = new Map<string, { last30Days: number; last90Days: number }>();
    for (const { championId, contactDate } of contactDates) {
      const c = counts.get(championId) ?? { last30Days: 0, last90Days: 0 };
      c.last90Days += 1;
      if (contactDate >= since30) c.last30Days += 1;
      counts.set(championId, c);
    }
    const escalations = open.sort(caseloadOrder(now)).map((e) => supervisorEscalationView(e, now));
    // What the supervisor sees is what the OverdueEscalations alarm sees (docs/DEPLOY.md): the team is not a dimension.
    const overdue = open.filter((e) => escalationOverdue(e, now)).length;
    emitBusinessMetric(BUSINESS_METRICS.escalationsOverdue, overdue);
    return {
      body: {
        teamId,
        asOf: now.toISOString(),
        escalations: { items: escalations, total: escalations.length, overdue },
        followUps: { items: followUps.items, more: followUps.nextCursor !== null },
        training: champions
          .filter((c) => c.status === 'active' && c.trainingStatus.some((t) => t.status !== 'current'))
          .map((c) => ({ championId: c.id, displayName: c.displayName, trainingStatus: c.trainingStatus.filter((t) => t.status !== 'current') })),
        contactCounts: champions
          .filter((c) => c.status === 'active' || counts.has(c.id))
          .map((c) => ({ championId: c.id, displayName: c.displayName, status: c.status, ...(counts.get(c.id) ?? { last30Days: 0, last90Days: 0 }) })),
      },
    };
  },
});

/** GET /notifications — the team's outbox, newest first (one machine; in AWS notifications go to the SNS topic). */
const notifications = defineOperation({
  query: z.extend(pageQuerySchema, teamQuerySchema.shape),
  responses: { 200: { description: 'A page of the team\'s notifications, newest first', body: pageSchema(escalationNotificationSchema) } },
  refusals: { 404: 'The team asked for is not the caller\'s' },
  async run({ query, request }) {
    const { limit, cursor, teamId: asked } = query;
    const teamId = await teamFor(request, 'notifications.list', asked);
    const result = await auditedRead(
      request.scope,
      { action: 'notifications.list', entityType: 'team', entityId: teamId, teamId },
      listNotifications(teamId, { limit, ...(cursor !== undefined ? { cursor } : {}) }),
    );
    return { body: result };
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
