import { createApiHandler, defineOperation } from '../../shared/http/pipeline';
import { retentionBodySchema, retentionSchema } from '../../shared/domain/retention';
import { auditedRead } from '../../shared/store/audit';
import { getRetention, putRetention } from '../../shared/store/retention-store';
import { onCallBodySchema, onCallSchema } from '../../shared/domain/on-call';
import { getOnCall, putOnCall } from '../../shared/store/on-call-store';

/** GET /settings/retention — the retention in force (an admin's setting or the deployment default) and its bounds. */
const read = defineOperation({
  responses: { 200: { description: 'The retention in force, and the bounds a change must keep', body: retentionSchema } },
  async run({ request }) {
    return { body: await auditedRead(request.scope, { action: 'settings.readRetention', entityType: 'settings', entityId: 'retention' }, getRetention()) };
  },
});

/**
 * PUT /settings/retention — an admin sets retention at the version read (audited). New records carry it at once;
 * existing ones move when the backfill runs (`npm run retention:backfill`, resumable).
 */
const set = defineOperation({
  body: retentionBodySchema,
  responses: { 200: { description: 'The retention, as set', body: retentionSchema } },
  refusals: { 409: 'The setting has changed since it was read' },
  async run({ body, request }) {
    return { body: await putRetention(request.scope, body) };
  },
});

/** GET /settings/on-call — the on-call address and the office hours outside which it hears of immediate concerns. */
const readOnCall = defineOperation({
  responses: { 200: { description: 'The on-call setting in force (no address until an admin sets one)', body: onCallSchema } },
  async run({ request }) {
    return { body: await auditedRead(request.scope, { action: 'settings.readOnCall', entityType: 'settings', entityId: 'on-call' }, getOnCall()) };
  },
});

/** PUT /settings/on-call — an admin sets the on-call address and office hours at the version read (audited, without the address). */
const setOnCall = defineOperation({
  body: onCallBodySchema,
  responses: { 200: { description: 'The on-call setting, as set', body: onCallSchema } },
  refusals: { 409: 'The setting has changed since it was read' },
  async run({ body, request }) {
    return { body: await putOnCall(request.scope, body) };
  },
});

export const handler = createApiHandler({
  'GET /settings/retention': read,
  'PUT /settings/retention': set,
  'GET /settings/on-call': readOnCall,
  'PUT /settings/on-call': setOnCall,
});
