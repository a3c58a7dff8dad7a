import * as z from 'zod/mini';
import { ulid } from 'ulid';
import { createApiHandler, defineOperation } from '../../shared/http/pipeline';
import { createOrganisationSchema, organisationKindSchema } from '../../shared/domain/organisations';
import { createOrganisation, listOrganisations } from '../../shared/store/organisation-store';
import { pageQuerySchema } from '../../shared/store/pagination';

/** GET /organisations — reference data (no personal data), by name; `?kind=` filters. */
const list = defineOperation({
  query: z.extend(pageQuerySchema, { kind: z.optional(organisationKindSchema) }),
  async run({ query }) {
    const { kind, ...page } = query;
    return { body: await listOrganisations(page, { kind }) };
  },
});

/** POST /organisations — an admin adds an organisation: a name, a kind and a neighbourhood, never an address. */
const create = defineOperation({
  body: createOrganisationSchema,
  async run({ body, request }) {
    const organisation = await createOrganisation(request.scope, `org-${ulid().toLowerCase()}`, body);
    return { status: 201, body: organisation, headers: { location: `/organisations/${organisation.id}` } };
  },
});

export const handler = createApiHandler({ 'GET /organisations': list, 'POST /organisations': create });
