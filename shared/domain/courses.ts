import * as z from 'zod/mini';
import { ruleMessages } from './messages';
import { versionSchema } from './numbers';
import { nameText } from './text';
import { strandListSchema, strandSchema } from './strands';

/** The course catalogue: what each course qualifies a champion for, and for how long. */
export const courseIdSchema = z.string().check(z.regex(/^course-[a-z0-9-]{1,60}$/, 'must be a course id (course-...)'));

const title = nameText(120);
const validityMonths = z
  .number()
  .check(z.int('must be a whole number of months'), z.gte(1, 'must be at least 1 month'), z.lte(120, 'must be at most 120 months'));

export const createCourseSchema = z.strictObject({
  title,
  strands: strandListSchema.check(z.describe('the strands the course qualifies for')),
  validityMonths: validityMonths.check(z.describe('how many months a completion stays valid')),
});
export type CreateCourse = z.infer<typeof createCourseSchema>;

export const updateCourseSchema = z
  .strictObject({
    version: versionSchema,
    title: z.optional(title),
    strands: z.optional(strandListSchema),
    validityMonths: z.optional(validityMonths),
  })
  .check(
    z.refine((b) => b.title !== undefined || b.strands !== undefined || b.validityMonths !== undefined, {
      message: ruleMessages.changeSomething,
    }),
  );
export type UpdateCourse = z.infer<typeof updateCourseSchema>;

export const courseSchema = z.object({
  id: courseIdSchema,
  title: z.string(),
  strands: z.array(strandSchema),
  validityMonths: z.number().check(z.int()),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().check(z.int(), z.positive()),
});
export type Course = z.infer<typeof courseSchema>;

/** The reply to a change of a course: the course, how many completions it has, and what the change does to them. */
export const courseChangeSchema = z.object({
  course: courseSchema,
  completions: z.number().check(z.int(), z.gte(0)),
  effect: z.string().check(z.describe('what the change does to the expiry of completions already recorded, in words')),
});

/** What a change to a course does to the expiry of completions already recorded, in words for the response. */
export function describeCourseChange(before: Course, after: Course, completions: number): string {
  const n = `${completions} completion${completions === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (before.validityMonths !== after.validityMonths) {
    parts.push(
      `Expiry for ${n} of this course now derives from ${after.validityMonths} months (was ${before.validityMonths}); ` +
        'expiry is worked out from the course when read, so every champion trained on it is affected from now on.',
    );
  }
  const strandsChanged = [...before.strands].sort().join() !== [...after.strands].sort().join();
  if (strandsChanged) {
    parts.push(`The ${n} of this course now qualify for ${after.strands.join(' and ')} (was ${before.strands.join(' and ')}), from now on.`);
  }
  if (parts.length === 0) parts.push(`No change to the expiry or strands of the ${n} of this course.`);
  return parts.join(' ');
}

/** The catalogue a new installation starts with (ids fixed, so seeding is idempotent). */
export const seedCourses: ReadonlyArray<CreateCourse & { id: string }> = [
  {
    id: 'course-dasv-ambassador',
    title: 'DASV community ambassador awareness ("Ask Me"-style)',
    strands: ['dasv'],
    validityMonths: 24,
  },
  { id: 'course-hate-crime-champion', title: 'Hate crime reporting champion', strands: ['hate_crime'], validityMonths: 24 },
  { id: 'course-safeguarding-refresher', title: 'Safeguarding refresher', strands: ['dasv', 'hate_crime'], validityMonths: 12 },
  {
    id: 'course-combined-induction',
    title: 'Combined champion induction (DASV and hate crime)',
    strands: ['dasv', 'hate_crime'],
    validityMonths: 12,
  },
];
