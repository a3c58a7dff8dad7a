import * as z from 'zod/mini';
import { addMonths, daysBetween, isoDateSchema, type IsoDate } from './dates';
import { strandSchema, type Strand } from './strands';

/**
 * Training status and the training gate. Pure: expiry is derived from the
 * course's current validity (completedOn + validityMonths, clamped to month
 * end), never stored, so changing a course's validity changes every expiry
 * from then on. A completion is valid from its completion date up to and
 * including its expiry date (UTC calendar dates).
 */
export const trainingStatusSchema = z.enum(['current', 'expiring', 'lapsed', 'never_trained']);
export type TrainingStatus = z.infer<typeof trainingStatusSchema>;

export const trainingStatusLabels: Record<TrainingStatus, string> = {
  current: 'Current',
  expiring: 'Expiring',
  lapsed: 'Lapsed',
  never_trained: 'Never trained',
};

/** Default for "expiring": within this many days of expiry (configurable: TRAINING_EXPIRING_WITHIN_DAYS). */
export const DEFAULT_EXPIRING_WITHIN_DAYS = 30;

export interface CourseValidity {
  id: string;
  strands: readonly Strand[];
  validityMonths: number;
}

export interface CompletionRef {
  courseId: string;
  completedOn: IsoDate;
}

export interface ChampionTrainingFacts {
  status: 'active' | 'suspended';
  strands: readonly Strand[];
  training: readonly CompletionRef[];
}

export type CourseLookup = (courseId: string) => CourseValidity | undefined;

export const expiryOf = (completedOn: IsoDate, validityMonths: number): IsoDate => addMonths(completedOn, validityMonths);

/** Status of one completion (or of a strand's best completion) on a date. */
export function statusOn(expiresOn: IsoDate, on: IsoDate, expiringWithinDays = DEFAULT_EXPIRING_WITHIN_DAYS): Exclude<TrainingStatus, 'never_trained'> {
  const left = daysBetween(on, expiresOn);
  if (left < 0) return 'lapsed';
  return left <= expiringWithinDays ? 'expiring' : 'current';
}

export const strandTrainingSchema = z.object({
  strand: strandSchema,
  status: trainingStatusSchema,
  expiresOn: z.nullable(isoDateSchema).check(z.describe('expiry of the completion that lasts longest for this strand; null when never trained')),
  courseId: z.nullable(z.string()),
});
export type StrandTraining = z.infer<typeof strandTrainingSchema>;

/**
 * A champion's training for one strand on a date: the completion (done on or
 * before the date, of a course covering the strand) whose expiry is latest.
 */
export function strandTraining(
  training: readonly CompletionRef[],
  courses: CourseLookup,
  strand: Strand,
  on: IsoDate,
  expiringWithinDays = DEFAULT_EXPIRING_WITHIN_DAYS,
): StrandTraining {
  let best: { expiresOn: IsoDate; courseId: string } | undefined;
  for (const c of training) {
    if (c.completedOn > on) continue;
    const course = courses(c.courseId);
    if (!course || !course.strands.includes(strand)) continue;
    const expiresOn = expiryOf(c.completedOn, course.validityMonths);
    if (!best || expiresOn > best.expiresOn) best = { expiresOn, courseId: course.id };
  }
  if (!best) return { strand, status: 'never_trained', expiresOn: null, courseId: null };
  return { strand, status: statusOn(best.expiresOn, on, expiringWithinDays), ...best };
}

/** Training status in every strand the champion serves. */
export function trainingByStrand(
  champion: ChampionTrainingFacts,
  courses: CourseLookup,
  on: IsoDate,
  expiringWithinDays = DEFAULT_EXPIRING_WITHIN_DAYS,
): StrandTraining[] {
  return champion.strands.map((s) => strandTraining(champion.training, courses, s, on, expiringWithinDays));
}

export type GateDecision =
  | { qualified: true; strand: Strand; on: IsoDate; expiresOn: IsoDate; courseId: string }
  | { qualified: false; strand: Strand; on: IsoDate; reason: 'suspended' | 'strand_not_served' | 'never_trained' | 'lapsed' };

/**
 * THE training gate: is this champion qualified for this strand on this date?
 * Only an active champion who serves the strand and holds a completion of a
 * course covering it, done on or before the date and expiring on or after
 * it, is qualified. A suspended champion is never qualified.
 */
export function trainingGate(champion: ChampionTrainingFacts, courses: CourseLookup, strand: Strand, on: IsoDate): GateDecision {
  if (champion.status !== 'active') return { qualified: false, strand, on, reason: 'suspended' };
  if (!champion.strands.includes(strand)) return { qualified: false, strand, on, reason: 'strand_not_served' };
  const t = strandTraining(champion.training, courses, strand, on);
  if (t.expiresOn === null || t.courseId === null) return { qualified: false, strand, on, reason: 'never_trained' };
  if (t.status === 'lapsed') return { qualified: false, strand, on, reason: 'lapsed' };
  return { qualified: true, strand, on, expiresOn: t.expiresOn, courseId: t.courseId };
}

/** The strands a champion may log contacts for on a date. */
export function qualifiedStrands(champion: ChampionTrainingFacts, courses: CourseLookup, on: IsoDate): Strand[] {
  return champion.strands.filter((s) => trainingGate(champion, courses, s, on).qualified);
}

/** A lookup over a list of courses. */
export function courseLookup(courses: readonly CourseValidity[]): CourseLookup {
  const byId = new Map(courses.map((c) => [c.id, c]));
  return (id) => byId.get(id);
}
