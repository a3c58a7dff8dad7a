import * as z from 'zod/mini';
import { getConfig } from '../../shared/config';
import {
  championIdSchema,
  championListFilterSchema,
  championScope,
  championSelf,
  championSelfSchema,
  championView,
  championViewSchema,
  createChampionSchema,
  matchesChampionFilter,
  updateChampionSchema,
  updateOwnProfileSchema,
  type Champion,
} from '../../shared/domain/champions';
import type { Course } from '../../shared/domain/courses';
import { isoDateSchema, todayUtc } from '../../shared/domain/dates';
import { notFound } from '../../shared/domain/errors';
import { courseLookup } from '../../shared/domain/training';
import { createApiHandler, created, defineOperation, type RequestInfo } from '../../shared/http/pipeline';
import { auditedRead, auditRead } from '../../shared/store/audit';
import { addChampion, getChampion, getChampionByIdentity, listChampions, updateChampion, updateOwnProfile } from '../../shared/store/champion-store';
import { allCourses } from '../../shared/store/course-store';
import { allInOrder } from '../../shared/store/parallel';
import { pageQuerySchema, pageSchema } from '../../shared/store/pagination';
import { listCompletions } from '../../shared/store/training-store';

const expiringWithinDays = () => getConfig().trainingExpiringWithinDays;
const idParams = z.strictObject({ id: championIdSchema });

/** The champion, if it exists and the caller may act on it; otherwise 404 (or 403), audited by the pipeline. */
const championFor = (request: RequestInfo, action: 'champions.read' | 'champions.update', id: string): Promise<Champion> =>
  request.recordFor(action, 'champion', id, getChampion(id), championScope);

/** The signed-in champion (404 if no champion record has the caller's identity), authorised for `action`. */
async function ownChampion(request: RequestInfo, action: 'champions.readSelf' | 'champions.updateSelf', read = getChampionByIdentity(request.principal.sub)) {
  const champion = await read;
  if (!champion) throw notFound('Champion');
  await request.authorize(action, { entityType: 'champion', entityId: champion.id, ...championScope(champion) });
  return champion;
}

const viewWith = (champion: Champion, courses: Course[]) => championView(champion, courseLookup(courses), todayUtc(), expiringWithinDays());
const view = async (champion: Champion) => viewWith(champion, await allCourses());

/**
 * GET /champions — a supervisor's team (admins: every team, or `?teamId=`),
 * by name, each with training status per strand; filterable by `status`,
 * `strand` and `trainingStatus`.
 */
const list = defineOperation({
  query: z.extend(pageQuerySchema, championListFilterSchema.shape),
  responses: { 200: { description: 'A page of champions, by name, with training status as of asOf', body: z.extend(pageSchema(championViewSchema), { asOf: isoDateSchema }) } },
  refusals: { 404: 'The team asked for does not exist, or is not the caller\'s' },
  async run({ query, request }) {
    const { status, strand, trainingStatus, teamId: asked, ...page } = query;
    const teamId = await request.teamOrAll('champions.list', asked);
    const courses = courseLookup(await allCourses());
    const on = todayUtc();
    const result = await auditedRead(
      request.scope,
      { action: 'champions.list', entityType: 'team', entityId: teamId ?? '*', teamId },
      listChampions(teamId ? { teamId, mustExist: true } : 'all', page, (champion) => {
        const v = championView(champion, courses, on, expiringWithinDays());
        return matchesChampionFilter(v, { status, strand, trainingStatus }) ? v : undefined;
      }),
    );
    return { body: { ...result, asOf: on } };
  },
});

/** POST /champions — a supervisor adds a champion to their own team; an admin names the team. */
const create = defineOperation({
  body: createChampionSchema,
  responses: { 201: { description: 'The champion, added', body: championViewSchema, location: 'GET /champions/{id}' } },
  refusals: { 404: 'The team is not the caller\'s', 409: 'A champion with this sign-in identity already exists', 400: 'No team named, or the team or organisation does not exist' },
  async run({ body, request }) {
    const { teamId: asked, ...input } = body;
    const teamId = await request.teamFor('champions.create', asked, 'teamId');
    const champion = await addChampion(request.scope, teamId, input);
    return created(await view(champion), { location: `/champions/${champion.id}` });
  },
});

/** GET /champions/me — the signed-in champion: profile, training, and the strands they may log contacts for today. */
const me = defineOperation({
  responses: { 200: { description: 'The signed-in champion, their training and the strands they may log contacts for today', body: championSelfSchema } },
  refusals: { 404: 'No champion record has the caller\'s sign-in identity' },
  async run({ request }) {
    // The course catalogue is reference data: read alongside the champion (a missing champion still answers first).
    const [found, courses] = await allInOrder([getChampionByIdentity(request.principal.sub), allCourses()]);
    const champion = await ownChampion(request, 'champions.readSelf', Promise.resolve(found));
    const completions = await auditedRead(
      request.scope,
      { action: 'champions.readSelf', entityType: 'champion', entityId: champion.id, teamId: champion.teamId },
      listCompletions(champion.id, { limit: 100 }, (c) => c),
    );
    return { body: championSelf(champion, courses, completions, todayUtc(), expiringWithinDays()) };
  },
});

/** PATCH /champions/me — the signed-in champion changes their own preferences (the language of their pages). */
const updateSelf = defineOperation({
  body: updateOwnProfileSchema,
  responses: { 200: { description: 'The champion as changed', body: championViewSchema } },
  refusals: { 404: 'No champion record has the caller\'s sign-in identity' },
  async run({ body, request }) {
    const before = await ownChampion(request, 'champions.updateSelf');
    return { body: await view(await updateOwnProfile(request.scope, before, body)) };
  },
});

/** GET /champions/{id} — one champion with training status per strand. */
const read = defineOperation({
  params: idParams,
  responses: { 200: { description: 'The champion with training status per strand', body: championViewSchema } },
  async run({ params, request }) {
    const [champion, courses] = await allInOrder([championFor(request, 'champions.read', params.id), allCourses()]);
    await auditRead(request.scope, { action: 'champions.read', entityType: 'champion', entityId: champion.id, teamId: champion.teamId });
    return { body: viewWith(champion, courses) };
  },
});

/** PATCH /champions/{id} — change a champion's profile, or suspend or reactivate them, at the version read. */
const update = defineOperation({
  params: idParams,
  body: updateChampionSchema,
  responses: { 200: { description: 'The champion as changed', body: championViewSchema } },
  refusals: { 409: 'The champion changed since it was read (stale version)' },
  async run({ params, body, request }) {
    const before = await championFor(request, 'champions.update', params.id);
    return { body: await view(await updateChampion(request.scope, before, body)) };
  },
});

export const handler = createApiHandler({
  'GET /champions': list,
  'POST /champions': create,
  'GET /champions/me': me,
  'PATCH /champions/me': updateSelf,
  'GET /champions/{id}': read,
  'PATCH /champions/{id}': update,
});
