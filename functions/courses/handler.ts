import * as z from 'zod/mini';
import { ulid } from 'ulid';
import { createApiHandler, defineOperation } from '../../shared/http/pipeline';
import { courseIdSchema, createCourseSchema, describeCourseChange, updateCourseSchema } from '../../shared/domain/courses';
import { strandSchema } from '../../shared/domain/strands';
import { countCompletions, createCourse, listCourses, updateCourse } from '../../shared/store/course-store';
import { pageQuerySchema } from '../../shared/store/pagination';

/** GET /courses — the catalogue by title; `?strand=` lists the courses that qualify for a strand. */
const list = defineOperation({
  query: z.extend(pageQuerySchema, { strand: z.optional(strandSchema) }),
  async run({ query }) {
    const { strand, ...page } = query;
    return { body: await listCourses(page, { strand }) };
  },
});

/** POST /courses — an admin adds a course: title, strands it qualifies for, months it stays valid. */
const create = defineOperation({
  body: createCourseSchema,
  async run({ body, request }) {
    const course = await createCourse(request.scope, `course-${ulid().toLowerCase()}`, body);
    return { status: 201, body: course, headers: { location: `/courses/${course.id}` } };
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
  async run({ params, body, request }) {
    const { before, after } = await updateCourse(request.scope, params.id, body);
    const completions = await countCompletions(params.id);
    return { body: { course: after, completions, effect: describeCourseChange(before, after, completions) } };
  },
});

export const handler = createApiHandler({ 'GET /courses': list, 'POST /courses': create, 'PATCH /courses/{id}': update });
