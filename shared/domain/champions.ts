import * as z from 'zod/mini';
import { ruleMessages } from './messages';
import { versionSchema } from './numbers';
import { nameText, oneLineText } from './text';
import { isoDateSchema } from './dates';
import { courseIdSchema, type Course } from './courses';
import { organisationIdSchema } from './organisations';
import { teamIdSchema } from './roles';
import { strandLabels, strandListSchema, strandSchema, type Strand } from './strands';
import {
  expiryOf,
  qualifiedStrands,
  statusOn,
  trainingByStrand,
  strandTrainingSchema,
  trainingStatusSchema,
  courseLookup,
  type CourseLookup,
} from './training';
import type { IsoDate } from './dates';
import { DEFAULT_UI_LANGUAGE, uiLanguageCodes, type UiLanguage } from './locales';

/** A champion: a trained volunteer in a team, from an organisation, serving one or more strands. */
export const championIdSchema = z.string().check(z.regex(/^champion-[a-z0-9-]{1,60}$/, 'must be a champion id (champion-...)'));

export const championStatusSchema = z.enum(['active', 'suspended']);
export type ChampionStatus = z.infer<typeof championStatusSchema>;

const displayName = nameText(80);
const languages = z
  .array(nameText(40))
  .check(
    z.maxLength(20, 'must list at most 20 languages'),
    z.refine((list) => new Set(list.map((l) => l.toLowerCase())).size === list.length, 'must not repeat a language'),
  );

export const uiLanguageSchema = z.enum(uiLanguageCodes);

/** `PATCH /champions/me`: what a champion changes of their own profile (the language of their pages). */
export const updateOwnProfileSchema = z.strictObject({
  uiLanguage: uiLanguageSchema.check(z.describe('the language of your pages: ' + uiLanguageCodes.join(', '))),
});
export type UpdateOwnProfile = z.infer<typeof updateOwnProfileSchema>;

export const createChampionSchema = z.strictObject({
  displayName,
  organisationId: organisationIdSchema,
  strands: strandListSchema.check(z.describe('the strands the champion serves')),
  languages: z._default(languages, []),
  identity: oneLineText(128).check(z.describe("the sign-in identity (Cognito sub) of a champion's account in the champion's team")),
  teamId: z.optional(teamIdSchema).check(z.describe('admins only: the team; a supervisor\'s champions join the supervisor\'s team')),
});
export type CreateChampion = z.infer<typeof createChampionSchema>;

export const updateChampionSchema = z
  .strictObject({
    version: versionSchema,
    displayName: z.optional(displayName),
    organisationId: z.optional(organisationIdSchema),
    strands: z.optional(strandListSchema),
    languages: z.optional(languages),
    status: z.optional(championStatusSchema).check(z.describe('suspend or reactivate')),
  })
  .check(z.refine((b) => Object.keys(b).some((k) => k !== 'version'), { message: ruleMessages.changeSomething }));
export type UpdateChampion = z.infer<typeof updateChampionSchema>;

/** A completion as the champion record summarises it: enough to derive status without reading each completion. */
export const completionFactSchema = z.object({ completionId: z.string(), courseId: z.string(), completedOn: isoDateSchema });
export type CompletionFact = z.infer<typeof completionFactSchema>;

/**
 * A champion as stored. This schema decides what a stored item holds and what
 * is read back (keys, `type` and index attributes stay in the item).
 */
export const championRecordSchema = z.object({
  id: championIdSchema,
  teamId: z.string(),
  displayName: z.string(),
  organisationId: z.string(),
  strands: z.array(strandSchema),
  languages: z.array(z.string()),
  identity: z.string().check(z.describe('the sign-in identity (Cognito sub)')),
  status: championStatusSchema,
  /** The language of the champion's own pages (their choice; English until they choose). */
  uiLanguage: z.optional(uiLanguageSchema),
  training: z.array(completionFactSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().check(z.int(), z.positive()),
});
export type Champion = z.infer<typeof championRecordSchema>;

/** Whose a champion's record is, for the policy: their team's, and their own (by sign-in identity). */
export const championScope = (c: Pick<Champion, 'teamId' | 'identity'>) => ({ teamId: c.teamId, ownerSub: c.identity });

/** The list's filters: champion status, a strand served, and training status (in that strand, or in any). */
export const championListFilterSchema = z.strictObject({
  status: z.optional(championStatusSchema),
  strand: z.optional(strandSchema),
  trainingStatus: z.optional(trainingStatusSchema),
  teamId: z.optional(teamIdSchema),
});

/** A recorded completion of a course. */
export const createCompletionSchema = z.strictObject({
  courseId: courseIdSchema,
  completedOn: isoDateSchema,
  deliveredBy: nameText(120).check(z.describe('trainer or organisation')),
});
export type CreateCompletion = z.infer<typeof createCompletionSchema>;

/** A recorded completion as stored (one item per champion, course and date). */
export const completionRecordSchema = z.object({
  id: z.string(),
  championId: championIdSchema,
  teamId: z.string(),
  courseId: z.string(),
  completedOn: isoDateSchema,
  deliveredBy: z.string(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
export type Completion = z.infer<typeof completionRecordSchema>;

/** A champion as the API shows it: the profile, training status per strand served, and the strands open today. */
export const championViewSchema = z.extend(z.omit(championRecordSchema, { training: true }), {
  uiLanguage: uiLanguageSchema.check(z.describe("the language of the champion's own pages")),
  trainingStatus: z.array(strandTrainingSchema).check(z.describe('one entry per strand the champion serves')),
  qualifiedStrands: z.array(strandSchema).check(z.describe('strands the champion may log contacts for on asOf (the training gate; none when suspended)')),
  asOf: isoDateSchema,
});
export type ChampionView = z.infer<typeof championViewSchema>;

export function championView(champion: Champion, courses: CourseLookup, on: IsoDate, expiringWithinDays: number): ChampionView {
  const { training: _summary, ...profile } = champion;
  return {
    ...profile,
    uiLanguage: champion.uiLanguage ?? DEFAULT_UI_LANGUAGE,
    trainingStatus: trainingByStrand(champion, courses, on, expiringWithinDays),
    qualifiedStrands: qualifiedStrands(champion, courses, on),
    asOf: on,
  };
}

export type ChampionListFilter = z.infer<typeof championListFilterSchema>;

/** `GET /champions/me`: the signed-in champion's profile, their training, and the strands they may log contacts for today. */
export const championSelfSchema = z.object({
  champion: championViewSchema,
  training: z.object({ items: z.array(z.lazy(() => completionViewSchema)), nextCursor: z.nullable(z.string()) }),
  mayLogContactsFor: z.array(z.object({ strand: strandSchema, label: z.string(), until: z.nullable(isoDateSchema) })),
  asOf: isoDateSchema,
});
export type ChampionSelf = z.infer<typeof championSelfSchema>;

/** Does a champion (as viewed) pass the list's filters? Training status is matched in the strand asked for, or in any. */
export function matchesChampionFilter(view: ChampionView, filter: ChampionListFilter): boolean {
  if (filter.status !== undefined && view.status !== filter.status) return false;
  if (filter.strand !== undefined && !view.strands.includes(filter.strand)) return false;
  if (filter.trainingStatus !== undefined) {
    const relevant = view.trainingStatus.filter((t) => filter.strand === undefined || t.strand === filter.strand);
    if (!relevant.some((t) => t.status === filter.trainingStatus)) return false;
  }
  return true;
}

/** A completion as the API shows it: expiry and status derived from the course's current validity. */
export const completionViewSchema = z.extend(completionRecordSchema, {
  courseTitle: z.nullable(z.string()),
  strands: z.array(strandSchema),
  expiresOn: z.nullable(isoDateSchema),
  status: z.enum(['current', 'expiring', 'lapsed', 'unknown_course']),
});
export type CompletionView = z.infer<typeof completionViewSchema>;

export function completionView(
  completion: Completion,
  course: { title: string; strands: readonly Strand[]; validityMonths: number } | undefined,
  on: IsoDate,
  expiringWithinDays: number,
): CompletionView {
  if (!course) return { ...completion, courseTitle: null, strands: [], expiresOn: null, status: 'unknown_course' };
  const expiresOn = expiryOf(completion.completedOn, course.validityMonths);
  return {
    ...completion,
    courseTitle: course.title,
    strands: [...course.strands],
    expiresOn,
    status: statusOn(expiresOn, on, expiringWithinDays),
  };
}

export const completionListFilterSchema = z.strictObject({
  strand: z.optional(strandSchema),
  status: z.optional(z.enum(['current', 'expiring', 'lapsed'])),
});

/**
 * `GET /champions/me`: the champion's profile, their completions (a page, as
 * read), and the strands they may log contacts for today, each with the day
 * its training runs out.
 */
export function championSelf(
  champion: Champion,
  courses: ReadonlyArray<Course>,
  completions: { items: Completion[]; nextCursor: string | null },
  on: IsoDate,
  expiringWithinDays: number,
): ChampionSelf {
  const byId = new Map(courses.map((c) => [c.id, c]));
  const profile = championView(champion, courseLookup(courses), on, expiringWithinDays);
  return {
    champion: profile,
    training: { items: completions.items.map((c) => completionView(c, byId.get(c.courseId), on, expiringWithinDays)), nextCursor: completions.nextCursor },
    mayLogContactsFor: profile.qualifiedStrands.map((strand) => ({
      strand,
      label: strandLabels[strand],
      until: profile.trainingStatus.find((t) => t.strand === strand)?.expiresOn ?? null,
    })),
    asOf: on,
  };
}
