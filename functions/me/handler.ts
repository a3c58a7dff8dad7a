import { createApiHandler, defineOperation } from '../../shared/http/pipeline';
import { meSchema, roleLabels } from '../../shared/domain/roles';

/** GET /me — who the caller is, as the verified token says. */
const me = defineOperation({
  responses: { 200: { description: 'The caller\'s identity, role and team', body: meSchema } },
  async run({ request }) {
    const { sub, username, role, team } = request.principal;
    return { body: { sub, username: username ?? null, role, roleLabel: roleLabels[role], team: team ?? null } };
  },
});

export const handler = createApiHandler({ 'GET /me': me });
