import * as z from 'zod/mini';
import { ulid } from 'ulid';
import { createServiceSchema, serviceIdSchema, serviceListQuerySchema, serviceSchema, updateServiceSchema, type Service } from '../../shared/domain/services';
import { createApiHandler, created, defineOperation } from '../../shared/http/pipeline';
import { pageQuerySchema, pageSchema } from '../../shared/store/pagination';
import { findReply, idempotencyClaim, type StoredReply } from '../../shared/store/idempotency';
import { createService, listServices, updateService } from '../../shared/store/service-store';

/** The first reply again, marked as a replay (a Location stored by an older version is not sent: no GET reads a service). */
const replayed = (reply: StoredReply) => ({ status: 201 as const, body: reply.body as Service, headers: { 'idempotent-replayed': 'true' } });

/** GET /services — the directory by name: active services unless `?status=retired|all`; filterable by strand and kind. */
const list = defineOperation({
  query: z.extend(pageQuerySchema, serviceListQuerySchema.shape),
  responses: { 200: { description: 'A page of the directory, by name', body: pageSchema(serviceSchema) } },
  async run({ query }) {
    const { strand, kind, status, ...page } = query;
    return { body: await listServices(page, { strand, kind, status }) };
  },
});

/** POST /services — an admin adds a service: name, kind, strands served, languages, how to refer, the service's phone and website. */
const create = defineOperation({
  description: 'Add a service to the directory (admin). Send an Idempotency-Key header (a UUID) so that a retry is stored once: the same key and body replays the first response; the same key with another body is a 409.',
  body: createServiceSchema,
  responses: { 201: { description: 'The service, added (or, for a retry with the same Idempotency-Key and body, as first added)', body: serviceSchema, replayable: true } },
  refusals: { 409: 'A service with this name already exists, or the Idempotency-Key was used with another body' },
  async run({ body, request }) {
    const claim = idempotencyClaim(request.headers, request.principal.sub, body);
    const seen = claim ? await findReply(claim) : undefined;
    if (seen) return replayed(seen);
    const id = `service-${ulid().toLowerCase()}`;
    const result = await createService(request.scope, id, body, new Date(), claim ? { claim, reply: (service) => ({ status: 201, body: service }) } : undefined);
    if (result.replayed && result.reply) return replayed(result.reply);
    return created(result.service);
  },
});

/** PATCH /services/{id} — an admin changes or retires (`status: retired`) a service at the version read. */
const update = defineOperation({
  params: z.strictObject({ id: serviceIdSchema }),
  body: updateServiceSchema,
  responses: { 200: { description: 'The service as changed', body: serviceSchema } },
  refusals: { 409: 'The service changed since it was read (stale version)' },
  async run({ params, body, request }) {
    return { body: await updateService(request.scope, params.id, body) };
  },
});

export const handler = createApiHandler({ 'GET /services': list, 'POST /services': create, 'PATCH /services/{id}': update });
