import * as z from 'zod/mini';
import { ulid } from 'ulid';
import { createApiHandler, created, defineOperation } from '../../shared/http/pipeline';
import { courseChangeSchema, courseIdSchema, courseSchema, createCourseSchema, describeCourseChange, updateCourseSchema } from '../../shared/domain/courses';
import { strandSchema } from '../../shared/domain/strands';
import { countCompletions, createCourse, listCourses, updateCourse } from '../../shared/store/course-store';
import { pageQuerySchema, pageSchema } from '../../shared/store/pagination';

/** GET /courses — the catalogue by title; `?strand=` lists the courses that qualify for a strand. */
const list = defineOperation({
  query: z.extend(pageQuerySchema, { strand: z.optional(strandSchema) }),
  responses: { 200: { description: 'A page of the catalogue, by title', body: pageSchema(courseSchema) } },
  async run({ query }) {
    const { strand, ...page } = query;
    return { body: await listCourses(page, { strand }) };
  },
});

/** POST /courses — an admin adds a course: title, strands it qualifies for, months it stays valid. */
const create = defineOperation({
  body: createCourseSchema,
  responses: { 201: { description: 'The course, added', body: courseSchema } },
  refusals: { 409: 'A course with this title already exists' },
  async run({ body, request }) {
    const course = await createCourse(request.scope, `course-${ulid().toLowerCase()}`, body);
    return created(course);
  },
});

/**
 * PATCH /courses/{id} — an admin changes a course at the version read. Expiry
 * is derived from the course when read, so a new validity applies to every
 * completion from now on; the response says how many.
 */
const update = defineOperation({
  params: z.strictObject({ id: courseIdSchema }),
  body: updateCourseSchema,
  responses: { 200: { description: 'The course as changed, and what the change does to its completions', body: courseChangeSchema } },
  refusals: { 409: 'The course changed since it was read (stale version), or another has the title' },
  async run({ params, body, request }) {
    const { before, after } = await updateCourse(request.scope, params.id, body);
    const completions = await countCompletions(params.id);
    return { body: { course: after, completions, effect: describeCourseChange(before, after, completions) } };
  },
});

export const handler = createApiHandler({ 'GET /courses': list, 'POST /courses': create, 'PATCH /courses/{id}': update });
