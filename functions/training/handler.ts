import * as z from 'zod/mini';
import { getConfig } from '../../shared/config';
import {
  championIdSchema,
  completionListFilterSchema,
  completionView,
  completionViewSchema,
  createCompletionSchema,
  championScope,
  type Champion,
} from '../../shared/domain/champions';
import { isoDateSchema, todayUtc } from '../../shared/domain/dates';
import { badRequest, validationFailed } from '../../shared/domain/errors';
import { ruleMessages } from '../../shared/domain/messages';
import { createApiHandler, created, defineOperation, type RequestInfo } from '../../shared/http/pipeline';
import { auditedRead } from '../../shared/store/audit';
import { getChampion } from '../../shared/store/champion-store';
import { allInOrder } from '../../shared/store/parallel';
import { allCourses, getCourse } from '../../shared/store/course-store';
import { pageQuerySchema, pageSchema } from '../../shared/store/pagination';
import { listCompletions, recordCompletion } from '../../shared/store/training-store';

const expiringWithinDays = () => getConfig().trainingExpiringWithinDays;
const idParams = z.strictObject({ id: championIdSchema });

const championFor = (request: RequestInfo, action: 'training.list' | 'training.create', id: string): Promise<Champion> =>
  request.recordFor(action, 'champion', id, getChampion(id), championScope);

/**
 * GET /champions/{id}/training — completions, newest first, each with its
 * expiry and status derived from the course as it is now; `?strand=` and
 * `?status=` filter.
 */
const list = defineOperation({
  params: idParams,
  query: z.extend(pageQuerySchema, completionListFilterSchema.shape),
  responses: { 200: { description: 'A page of completions, newest first, each with expiry and status as of asOf', body: z.extend(pageSchema(completionViewSchema), { asOf: isoDateSchema }) } },
  async run({ params, query, request }) {
    // The course catalogue is reference data: read alongside the champion (a refusal still answers first).
    const [champion, catalogue] = await allInOrder([championFor(request, 'training.list', params.id), allCourses()]);
    const { strand, status, ...page } = query;
    const courses = new Map(catalogue.map((c) => [c.id, c]));
    const on = todayUtc();
    const result = await auditedRead(
      request.scope,
      { action: 'training.list', entityType: 'champion', entityId: champion.id, teamId: champion.teamId },
      listCompletions(champion.id, page, (completion) => {
        const v = completionView(completion, courses.get(completion.courseId), on, expiringWithinDays());
        if (strand !== undefined && !v.strands.includes(strand)) return undefined;
        if (status !== undefined && v.status !== status) return undefined;
        return v;
      }),
    );
    return { body: { ...result, asOf: on } };
  },
});

/**
 * POST /champions/{id}/training — record a completion: a course from the
 * catalogue covering a strand the champion serves, a date not in the future
 * (UTC), and who delivered it. Expiry is derived, never typed in.
 */
const create = defineOperation({
  params: idParams,
  body: createCompletionSchema,
  responses: { 201: { description: 'The completion, recorded, with its expiry and status', body: completionViewSchema, location: 'GET /champions/{id}/training' } },
  refusals: { 409: 'This course is already recorded for the champion on that date, or the course changed meanwhile' },
  async run({ params, body, request }) {
    const today = todayUtc();
    if (body.completedOn > today) {
      throw validationFailed([{ path: 'completedOn', message: ruleMessages.notInFuture }]);
    }
    const [champion, course] = await allInOrder([championFor(request, 'training.create', params.id), getCourse(body.courseId)]);
    if (!course) throw badRequest('Unknown course', [{ path: 'courseId', message: 'Select a course from the list' }]);
    const completion = await recordCompletion(request.scope, champion, course, body);
    return created(completionView(completion, course, today, expiringWithinDays()), { location: `/champions/${champion.id}/training` });
  },
});

export const handler = createApiHandler({ 'GET /champions/{id}/training': list, 'POST /champions/{id}/training': create });
