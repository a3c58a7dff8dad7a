import { ulid } from 'ulid';
import { createApiHandler, defineOperation } from '../../shared/http/pipeline';
import { createTeamSchema } from '../../shared/domain/teams';
import { scopeOf } from '../../shared/domain/policy';
import { createTeam, getTeam, listTeams } from '../../shared/store/team-store';
import { pageQuerySchema } from '../../shared/store/pagination';

/** GET /teams — all teams for admins and commissioners; a supervisor's or champion's own team otherwise. */
const list = defineOperation({
  query: pageQuerySchema,
  async run({ query, request }) {
    const { principal } = request;
    if (scopeOf(principal.role, 'teams.list') === 'any') return { body: await listTeams(query) };
    const own = principal.team ? await getTeam(principal.team) : undefined;
    return { body: { items: own ? [own] : [], nextCursor: null } };
  },
});

/** POST /teams — an admin creates a team; the name is unique. */
const create = defineOperation({
  body: createTeamSchema,
  async run({ body, request }) {
    const team = await createTeam(request.scope, `team-${ulid().toLowerCase()}`, body);
    return { status: 201, body: team, headers: { location: `/teams/${team.id}` } };
  },
});

export const handler = createApiHandler({ 'GET /teams': list, 'POST /teams': create });
