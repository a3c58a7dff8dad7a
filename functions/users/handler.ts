import * as z from 'zod/mini';
import { ulid } from 'ulid';
import { forgetAccount } from '../../shared/auth/account-check';
import { badRequest, validationFailed } from '../../shared/domain/errors';
import { scopeOf } from '../../shared/domain/policy';
import {
  accountChangeOf,
  checkUserChange,
  inviteUserSchema,
  matchesUserFilter,
  planInvitation,
  updateUserSchema,
  userIdSchema,
  userListFilterSchema,
  userScope,
  userViewSchema,
  type User,
} from '../../shared/domain/users';
import { createApiHandler, created, defineOperation, type RequestInfo } from '../../shared/http/pipeline';
import { auditedRead, auditRead } from '../../shared/store/audit';
import { pageQuerySchema, pageSchema } from '../../shared/store/pagination';
import { identityDirectory } from '../../shared/store/identity-directory';
import { getTeam } from '../../shared/store/team-store';
import { writeWithAudit } from '../../shared/store/transact';
import { createUser, getUser, listUsers, staleUser, updateUser } from '../../shared/store/user-store';
import { readNotifications, setNotifications } from './notifications';

const idParams = z.strictObject({ id: userIdSchema });

/** The person, if they exist and the caller may manage them; otherwise 404 (or 403), audited by the pipeline. */
const userFor = (request: RequestInfo, action: 'users.read' | 'users.update' | 'users.signOut', id: string): Promise<User> =>
  request.recordFor(action, 'user', id, getUser(id), userScope);

const unknownTeam = () => badRequest('Unknown team', [{ path: 'teamId', message: 'Select a team from the list' }]);

/** GET /users — everyone (an admin; or one team's people), or a supervisor's team's champions; by name, a page at a time. */
const list = defineOperation({
  query: z.extend(pageQuerySchema, userListFilterSchema.shape),
  responses: { 200: { description: 'A page of people, by name (no email: it is read one person at a time)', body: pageSchema(userViewSchema) } },
  refusals: { 404: 'The team asked for is not the caller\'s' },
  async run({ query, request }) {
    const { principal } = request;
    const { teamId: asked, role, status, ...page } = query;
    const teamId = scopeOf(principal.role, 'users.list') === 'team' ? await request.teamFor('users.list', asked) : asked;
    const body = await auditedRead(
      request.scope,
      { action: 'users.list', entityType: 'team', entityId: teamId ?? '*', teamId },
      listUsers(teamId ? { teamId } : 'all', page, (u) => (matchesUserFilter(u, { role, status }, principal) ? u : undefined)),
    );
    return { body };
  },
});

/**
 * POST /users — invite a person: the identity provider creates the account and sends the invitation to their
 * email; Waymark writes its record (and, for a champion, the champion record) in one transaction. If that write
 * fails, the account is removed again, so that no account exists without its record.
 */
const invite = defineOperation({
  body: inviteUserSchema,
  responses: { 201: { description: 'The person, invited (their email as the identity provider holds it)', body: userViewSchema, location: 'GET /users/{id}' } },
  refusals: {
    400: 'No team for a supervisor or champion, an unknown team or organisation',
    403: 'A supervisor invites champions only',
    404: 'The team is not the caller\'s',
    409: 'An account with this email address already exists',
  },
  async run({ body, request }) {
    const plan = planInvitation(request.principal, body);
    if ('problem' in plan) throw validationFailed([plan.problem]);
    const { teamId } = plan;
    await request.authorize('users.create', { entityType: 'team', entityId: teamId ?? '*', teamId: body.role === 'champion' ? teamId : undefined });
    if (teamId && !(await getTeam(teamId))) throw unknownTeam();
    const directory = identityDirectory();
    const { sub } = await directory.invite({ email: body.email, displayName: body.displayName, role: body.role, teamId });
    try {
      const user = await createUser(
        request.scope,
        { id: sub, role: body.role, teamId: teamId ?? null, displayName: body.displayName, status: 'invited' },
        body.champion ? { id: `champion-${ulid().toLowerCase()}`, profile: body.champion } : undefined,
      );
      return created({ ...user, email: body.email.toLowerCase() }, { location: `/users/${sub}` });
    } catch (error) {
      await directory.remove(sub);
      throw error;
    }
  },
});

/** GET /users/{id} — one person, with the email the identity provider holds (read from it, never stored). */
const read = defineOperation({
  params: idParams,
  responses: { 200: { description: 'The person, with their email from the identity provider', body: userViewSchema } },
  async run({ params, request }) {
    const user = await userFor(request, 'users.read', params.id);
    await auditRead(request.scope, { action: 'users.read', entityType: 'user', entityId: user.id, teamId: user.teamId ?? undefined });
    const email = await identityDirectory().emailOf(user.id);
    return { body: { ...user, email: email ?? null } };
  },
});

/**
 * PATCH /users/{id} — rename, move, change role, suspend, reinstate or record leaving, at the version read. The
 * identity provider is changed first (it is what every request is checked against, so the change counts from the
 * person's next request), then Waymark's record with its audit event; a suspension or leaving also revokes the
 * person's refresh tokens.
 */
const update = defineOperation({
  params: idParams,
  body: updateUserSchema,
  responses: { 200: { description: 'The person as changed', body: userViewSchema } },
  refusals: {
    400: 'A change the person\'s status or role does not allow',
    403: 'Only an administrator changes a role or team',
    409: 'The person changed since they were read (stale version)',
  },
  async run({ params, body, request }) {
    const before = await userFor(request, 'users.update', params.id);
    if (before.version !== body.version) throw staleUser(before.version);
    const problem = checkUserChange(request.principal, before, body);
    if (problem) throw validationFailed([problem]);
    if (typeof body.teamId === 'string' && body.teamId !== before.teamId && !(await getTeam(body.teamId))) throw unknownTeam();
    const change = accountChangeOf(before, body);
    if (Object.keys(change).length > 0) await identityDirectory().update(before.id, change);
    forgetAccount(before.id);
    return { body: await updateUser(request.scope, before, body) };
  },
});

/** POST /users/{id}/sign-out — revokes every refresh token of the person's account (audited). */
const signOut = defineOperation({
  params: idParams,
  responses: { 200: { description: 'The person, signed out everywhere: no refresh token of theirs works any more', body: userViewSchema } },
  async run({ params, request }) {
    const user = await userFor(request, 'users.signOut', params.id);
    await identityDirectory().signOut(user.id);
    forgetAccount(user.id);
    await writeWithAudit(request.scope, { items: [], audit: { action: 'users.signOut', entityType: 'user', entityId: user.id, teamId: user.teamId ?? undefined } });
    return { body: user };
  },
});

export const handler = createApiHandler({
  'GET /users/me/notifications': readNotifications,
  'PUT /users/me/notifications': setNotifications,
  'GET /users': list,
  'POST /users': invite,
  'GET /users/{id}': read,
  'PATCH /users/{id}': update,
  'POST /users/{id}/sign-out': signOut,
});
