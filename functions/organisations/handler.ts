import * as z from 'zod/mini';
import { ulid } from 'ulid';
import { createApiHandler, created, defineOperation } from '../../shared/http/pipeline';
import { createOrganisationSchema, organisationKindSchema, organisationSchema } from '../../shared/domain/organisations';
import { createOrganisation, listOrganisations } from '../../shared/store/organisation-store';
import { pageQuerySchema, pageSchema } from '../../shared/store/pagination';

/** GET /organisations — reference data (no personal data), by name; `?kind=` filters. */
const list = defineOperation({
  query: z.extend(pageQuerySchema, { kind: z.optional(organisationKindSchema) }),
  responses: { 200: { description: 'A page of organisations, by name', body: pageSchema(organisationSchema) } },
  async run({ query }) {
    const { kind, ...page } = query;
    return { body: await listOrganisations(page, { kind }) };
  },
});

/** POST /organisations — an admin adds an organisation: a name, a kind and a neighbourhood, never an address. */
const create = defineOperation({
  body: createOrganisationSchema,
  responses: { 201: { description: 'The organisation, added', body: organisationSchema } },
  refusals: { 409: 'An organisation of that name already exists' },
  async run({ body, request }) {
    const organisation = await createOrganisation(request.scope, `org-${ulid().toLowerCase()}`, body);
    return created(organisation);
  },
});

export const handler = createApiHandler({ 'GET /organisations': list, 'POST /organisations': create });
