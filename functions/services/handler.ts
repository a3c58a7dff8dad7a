import * as z from 'zod/mini';
import { ulid } from 'ulid';
import { createServiceSchema, serviceIdSchema, serviceListQuerySchema, updateServiceSchema } from '../../shared/domain/services';
import { createApiHandler, defineOperation } from '../../shared/http/pipeline';
import { pageQuerySchema } from '../../shared/store/pagination';
import { findReply, idempotencyClaim, type StoredReply } from '../../shared/store/idempotency';
import { createService, listServices, updateService } from '../../shared/store/service-store';

const replayed = (reply: StoredReply) => ({ status: reply.status, body: reply.body, headers: { ...(reply.headers ?? {}), 'idempotent-replayed': 'true' } });

/** GET /services — the directory by name: active services unless `?status=retired|all`; filterable by strand and kind. */
const list = defineOperation({
  query: z.extend(pageQuerySchema, serviceListQuerySchema.shape),
  async run({ query }) {
    const { strand, kind, status, ...page } = query;
    return { body: await listServices(page, { strand, kind, status }) };
  },
});

/** POST /services — an admin adds a service: name, kind, strands served, languages, how to refer, the service's phone and website. */
const create = defineOperation({
  description: 'Add a service to the directory (admin). Send an Idempotency-Key header (a UUID) so that a retry is stored once: the same key and body replays the first response; the same key with another body is a 409.',
  body: createServiceSchema,
  async run({ body, request }) {
    const claim = idempotencyClaim(request.headers, request.principal.sub, body);
    const seen = claim ? await findReply(claim) : undefined;
    if (seen) return replayed(seen);
    const id = `service-${ulid().toLowerCase()}`;
    const location = `/services/${id}`;
    const result = await createService(request.scope, id, body, new Date(), claim ? { claim, reply: (service) => ({ status: 201, body: service, headers: { location } }) } : undefined);
    if (result.replayed && result.reply) return replayed(result.reply);
    return { status: 201, body: result.service, headers: { location } };
  },
});

/** PATCH /services/{id} — an admin changes or retires (`status: retired`) a service at the version read. */
const update = defineOperation({
  params: z.strictObject({ id: serviceIdSchema }),
  body: updateServiceSchema,
  async run({ params, body, request }) {
    return { body: await updateService(request.scope, params.id, body) };
  },
});

export const handler = createApiHandler({ 'GET /services': list, 'POST /services': create, 'PATCH /services/{id}': update });
