import * as z from 'zod/mini';
import { ulid } from 'ulid';
import { badRequest, notFound, validationFailed } from '../../shared/domain/errors';
import { scopeOf } from '../../shared/domain/policy';
import {
  createSupportSessionSchema,
  sessionConsistency,
  sessionDateProblem,
  supportSessionIdSchema,
  supportSessionListQuerySchema,
  supportSessionSchema,
  updateSupportSessionSchema,
} from '../../shared/domain/support-sessions';
import { created, createApiHandler, defineOperation, type RequestInfo } from '../../shared/http/pipeline';
import { auditedRead } from '../../shared/store/audit';
import { pageQuerySchema, pageSchema } from '../../shared/store/pagination';
import { createSupportSession, getSupportSession, listSupportSessions, updateSupportSession, verifyReferences } from '../../shared/store/support-session-store';

/** The team a supervisor acts for (their own), or the one an admin names. */
async function teamFor(request: RequestInfo, action: 'supportSessions.create' | 'supportSessions.list', asked: string | undefined): Promise<string | undefined> {
  const { principal } = request;
  if (scopeOf(principal.role, action) === 'team') {
    const teamId = asked ?? principal.team;
    await request.authorize(action, { entityType: 'team', entityId: teamId ?? 'none', teamId });
    return teamId;
  }
  return asked;
}

/** POST /support-sessions — a supervisor records a session of their team's network (admins: any team, named). */
const create = defineOperation({
  body: createSupportSessionSchema,
  responses: { 201: { description: 'The session, recorded', body: supportSessionSchema, location: 'GET /support-sessions/{id}' } },
  async run({ body, request }) {
    const teamId = await teamFor(request, 'supportSessions.create', body.teamId);
    if (!teamId) throw badRequest('Name the team', [{ path: 'teamId', message: 'is required for an administrator' }]);
    const problem = sessionDateProblem(body.sessionDate, new Date());
    if (problem) throw validationFailed([{ path: 'sessionDate', message: problem }]);
    const references = await verifyReferences(body.referencesPresented);
    const session = await createSupportSession(request.scope, `session-${ulid().toLowerCase()}`, teamId, body, references);
    return created(session, { location: `/support-sessions/${session.id}` });
  },
});

/** GET /support-sessions — a supervisor's team's sessions (admins: every team, or `?teamId=`), newest first. */
const list = defineOperation({
  query: z.extend(pageQuerySchema, supportSessionListQuerySchema.shape),
  responses: { 200: { description: 'A page of sessions, newest first', body: pageSchema(supportSessionSchema) } },
  async run({ query, request }) {
    const { from, to, teamId: asked, ...page } = query;
    const teamId = await teamFor(request, 'supportSessions.list', asked);
    return {
      body: await auditedRead(request.scope, { action: 'supportSessions.list', entityType: 'team', entityId: teamId ?? '*', teamId }, listSupportSessions(page, { teamId, from, to })),
    };
  },
});

const idParams = z.strictObject({ id: supportSessionIdSchema });

async function sessionFor(request: RequestInfo, action: 'supportSessions.read' | 'supportSessions.update', id: string) {
  const session = await getSupportSession(id);
  if (!session) throw notFound('Support session');
  await request.authorize(action, { entityType: 'supportSession', entityId: id, teamId: session.teamId });
  return session;
}

/** GET /support-sessions/{id} — one session (audited read). */
const read = defineOperation({
  params: idParams,
  responses: { 200: { description: 'The session', body: supportSessionSchema } },
  async run({ params, request }) {
    const session = await sessionFor(request, 'supportSessions.read', params.id);
    return { body: await auditedRead(request.scope, { action: 'supportSessions.read', entityType: 'supportSession', entityId: session.id, teamId: session.teamId }, Promise.resolve(session)) };
  },
});

/** PATCH /support-sessions/{id} — correct a session at the version read, or cancel it (its headcounts leave the figures). */
const update = defineOperation({
  params: idParams,
  body: updateSupportSessionSchema,
  responses: { 200: { description: 'The session, changed', body: supportSessionSchema } },
  refusals: { 409: 'The session has changed since it was read' },
  async run({ params, body, request }) {
    const before = await sessionFor(request, 'supportSessions.update', params.id);
    const { version, referencesPresented, organisationId, ...change } = body;
    const issues = [
      ...(change.sessionDate !== undefined ? [sessionDateProblem(change.sessionDate, new Date())].filter((m): m is string => m !== undefined).map((message) => ({ path: 'sessionDate', message })) : []),
      ...sessionConsistency({ runBy: change.runBy ?? before.runBy, organisationId: organisationId === null ? undefined : (organisationId ?? before.organisationId) }),
    ];
    if (issues.length > 0) throw validationFailed(issues);
    const references = referencesPresented ? await verifyReferences(referencesPresented) : undefined;
    return { body: await updateSupportSession(request.scope, before, { ...change, ...(organisationId !== undefined ? { organisationId } : {}) }, version, references) };
  },
});

export const handler = createApiHandler({
  'POST /support-sessions': create,
  'GET /support-sessions': list,
  'GET /support-sessions/{id}': read,
  'PATCH /support-sessions/{id}': update,
});
