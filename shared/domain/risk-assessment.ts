import * as z from 'zod/mini';
import type { IsoDate } from './dates';
import {
  assessRisk,
  DASH_QUESTION_COUNT,
  dashAnswers,
  highRiskCriteria,
  professionalJudgementReasonValues,
  recommendedSteps,
  riskLevels,
} from './dash-checklist';
export { DEFAULT_MARAC_CYCLE, maracCycleSchema, nextMaracMeeting, type MaracCycle } from './marac-cycle';
export * from './dash-checklist';

/**
 * Risk at triage: what the API accepts and stores of the DASH checklist
 * (dash-checklist.ts holds the questions and the verdict), what an assessment
 * changes on a concern, and repeat MARAC. Completed by the DASV team, never by
 * champions, who are not risk assessors. Pure.
 */
export const dashAnswerSchema = z.enum(dashAnswers);
export const professionalJudgementReasonSchema = z.enum(professionalJudgementReasonValues);

/** The body of `PUT /escalations/{id}/risk-assessment`. */
export const riskAssessmentInputSchema = z
  .strictObject({
    version: z.number().check(z.int(), z.positive()),
    answers: z.array(dashAnswerSchema).check(
      z.length(DASH_QUESTION_COUNT, `must hold exactly ${DASH_QUESTION_COUNT} answers, one per checklist question in order`),
    ),
    professionalJudgement: z.boolean(),
    professionalJudgementReason: z.optional(professionalJudgementReasonSchema),
    potentialEscalation: z.boolean(),
  })
  .check(
    z.refine((a) => !a.professionalJudgement || a.professionalJudgementReason !== undefined, {
      message: 'Select why professional judgement makes this high risk',
      path: ['professionalJudgementReason'],
    }),
    z.refine((a) => a.professionalJudgement || a.professionalJudgementReason === undefined, {
      message: 'Give a professional judgement reason only when professional judgement is used',
      path: ['professionalJudgementReason'],
    }),
  );
export type RiskAssessmentInput = z.infer<typeof riskAssessmentInputSchema>;

export const riskLevelSchema = z.enum(riskLevels);
export const recommendedStepSchema = z.enum(recommendedSteps);

export const riskAssessmentSchema = z.object({
  answers: z.array(dashAnswerSchema),
  professionalJudgement: z.boolean(),
  professionalJudgementReason: z.optional(professionalJudgementReasonSchema),
  potentialEscalation: z.boolean(),
  /** Number of "yes" answers (0–24); "not known" counts as no score. */
  score: z.number().check(z.int(), z.gte(0), z.lte(DASH_QUESTION_COUNT)),
  notKnown: z.number().check(z.int(), z.gte(0), z.lte(DASH_QUESTION_COUNT)),
  level: riskLevelSchema,
  /** Which criteria made it high risk (empty below high). */
  highRiskBecause: z.array(z.enum(highRiskCriteria)),
  recommendedStep: recommendedStepSchema,
  /** A MARAC referral under the same contact reference in the 12 months before: a new one would be a repeat MARAC. */
  repeatMarac: z.boolean(),
  assessedAt: z.string(),
  assessedBy: z.string(),
});
export type RiskAssessment = z.infer<typeof riskAssessmentSchema>;

/** A MARAC referral within this many months of the last one for the same contact reference is a repeat MARAC. */
export const REPEAT_MARAC_MONTHS = 12;

/** The date `months` calendar months before `date` (clamped to the month's last day). */
function monthsBefore(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * A repeat MARAC: a new referral within 12 months of a previous MARAC referral
 * under the same contact reference (the only link Waymark has between
 * contacts; it never knows who the person is). `previousReferrals` are the
 * dates of earlier MARAC referrals under that reference.
 */
export function isRepeatMarac(referralDate: IsoDate, previousReferrals: readonly IsoDate[]): boolean {
  const from = monthsBefore(referralDate, REPEAT_MARAC_MONTHS);
  return previousReferrals.some((d) => d >= from && d <= referralDate);
}

export const maracOutcomeSchema = z.enum(['action_plan_agreed', 'no_further_action', 'referred_elsewhere', 'adjourned']);
export const maracOutcomeLabels: Record<z.infer<typeof maracOutcomeSchema>, string> = {
  action_plan_agreed: 'Safety action plan agreed',
  no_further_action: 'No further action by MARAC',
  referred_elsewhere: 'Referred to another forum or service',
  adjourned: 'Adjourned to a later meeting',
};

/** Which escalations take a DASH assessment: DASV concerns still before referral (raised or triaged). */
export function riskAssessmentProblem(e: { strands: readonly string[]; state: string }): string | undefined {
  if (!e.strands.includes('dasv')) return 'The DASH checklist is for domestic abuse and sexual violence concerns only';
  if (e.state !== 'raised' && e.state !== 'triaged') return 'A risk assessment is recorded before the concern is referred';
  return undefined;
}

/** Priority never falls on an assessment; it rises to immediate on high risk, and to high on medium. */
const PRIORITY_FOR_LEVEL = { high: 'immediate', medium: 'high', standard: undefined } as const;
const PRIORITY_ORDER = ['standard', 'high', 'immediate'] as const;
type EscalationPriority = (typeof PRIORITY_ORDER)[number];

/**
 * What a completed checklist changes on an escalation: the stored assessment,
 * and the priority the risk calls for. A high-risk result moves the concern to
 * the immediate service level; medium moves a standard concern to high; an
 * assessment never lowers a priority (the concern's reason and flags still stand).
 * `triageDueChanges` says whether the triage due time must be worked out again
 * (only while the concern still awaits triage).
 */
export function planRiskAssessment(
  e: { priority: EscalationPriority; state: string },
  input: Omit<RiskAssessmentInput, 'version'>,
  by: string,
  at: string,
  previousMaracReferrals: readonly IsoDate[] = [],
): { assessment: RiskAssessment; priority: EscalationPriority; triageDueChanges: boolean } {
  const verdict = assessRisk(input);
  const called = PRIORITY_FOR_LEVEL[verdict.level];
  const priority = called && PRIORITY_ORDER.indexOf(called) > PRIORITY_ORDER.indexOf(e.priority) ? called : e.priority;
  const assessment: RiskAssessment = {
    answers: [...input.answers],
    professionalJudgement: input.professionalJudgement,
    ...(input.professionalJudgementReason !== undefined ? { professionalJudgementReason: input.professionalJudgementReason } : {}),
    potentialEscalation: input.potentialEscalation,
    ...verdict,
    repeatMarac: isRepeatMarac(at.slice(0, 10), previousMaracReferrals),
    assessedAt: at,
    assessedBy: by,
  };
  return { assessment, priority, triageDueChanges: priority !== e.priority && e.state === 'raised' };
}
