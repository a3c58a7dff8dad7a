import { createApiHandler, defineOperation } from '../../shared/http/pipeline';
import { roleLabels } from '../../shared/domain/roles';

/** GET /me — who the caller is, as the verified token says. */
const me = defineOperation({
  async run({ request }) {
    const { sub, username, role, team } = request.principal;
    return { body: { sub, username: username ?? null, role, roleLabel: roleLabels[role], team: team ?? null } };
  },
});

export const handler = createApiHandler({ 'GET /me': me });
