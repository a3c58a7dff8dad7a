import { DEFAULT_NOTIFY_PRIORITIES, notificationPreferencesSchema } from '../../shared/domain/notification-routing';
import { defineOperation, type RequestInfo } from '../../shared/http/pipeline';
import { auditRead } from '../../shared/store/audit';
import { getUser, setNotifyPriorities } from '../../shared/store/user-store';

/**
 * A supervisor's choice of the priorities they are emailed about (issue 22), served by the users function beside
 * its other operations. Their own record only: other roles are refused by the policy; no record is a 404.
 */
const myRecord = (request: RequestInfo) =>
  request.recordFor('users.setOwnNotifications', 'user', request.principal.sub, getUser(request.principal.sub), (u) => ({ ownerSub: u.id }));

/** GET /users/me/notifications — the priorities the signed-in supervisor is emailed about (every one until they choose). */
export const readNotifications = defineOperation({
  responses: { 200: { description: 'The priorities chosen', body: notificationPreferencesSchema } },
  async run({ request }) {
    const me = await myRecord(request);
    await auditRead(request.scope, { action: 'users.readNotifications', entityType: 'user', entityId: me.id, teamId: me.teamId ?? undefined });
    return { body: { priorities: [...(me.notifyPriorities ?? DEFAULT_NOTIFY_PRIORITIES)] } };
  },
});

/** PUT /users/me/notifications — a supervisor chooses the priorities of their team's concerns they are emailed about. */
export const setNotifications = defineOperation({
  body: notificationPreferencesSchema,
  responses: { 200: { description: 'The priorities, as chosen', body: notificationPreferencesSchema } },
  async run({ body, request }) {
    const after = await setNotifyPriorities(request.scope, await myRecord(request), body.priorities);
    return { body: { priorities: [...(after.notifyPriorities ?? DEFAULT_NOTIFY_PRIORITIES)] } };
  },
});
