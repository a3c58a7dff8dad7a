import * as z from 'zod/mini';
import { ulid } from 'ulid';
import { createServiceSchema, serviceIdSchema, serviceListQuerySchema, serviceSchema, updateServiceSchema } from '../../shared/domain/services';
import { createApiHandler, created, defineOperation } from '../../shared/http/pipeline';
import { pageQuerySchema, pageSchema } from '../../shared/store/pagination';
import { createService, listServices, updateService } from '../../shared/store/service-store';

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
  idempotent: true,
  async run({ body, request }) {
    // No Location: no GET reads a single service.
    const service = await createService(request.scope, `service-${ulid().toLowerCase()}`, body, (s) => request.once({ status: 201, body: s }));
    return created(service);
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
