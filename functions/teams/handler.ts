import { ulid } from 'ulid';
import { createApiHandler, created, defineOperation } from '../../shared/http/pipeline';
import { createTeamSchema, teamSchema } from '../../shared/domain/teams';
import { scopeOf } from '../../shared/domain/policy';
import { createTeam, getTeam, listTeams } from '../../shared/store/team-store';
import { pageQuerySchema, pageSchema } from '../../shared/store/pagination';

/** GET /teams — all teams for admins and commissioners; a supervisor's or champion's own team otherwise. */
const list = defineOperation({
  query: pageQuerySchema,
  responses: { 200: { description: 'A page of teams, by name', body: pageSchema(teamSchema) } },
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
  responses: { 201: { description: 'The team, created', body: teamSchema } },
  refusals: { 409: 'A team of that name already exists' },
  async run({ body, request }) {
    const team = await createTeam(request.scope, `team-${ulid().toLowerCase()}`, body);
    return created(team);
  },
});

export const handler = createApiHandler({ 'GET /teams': list, 'POST /teams': create });
