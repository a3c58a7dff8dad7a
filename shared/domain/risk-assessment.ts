import * as z from 'zod/mini';
import type { IsoDate } from './dates';
export { DEFAULT_MARAC_CYCLE, maracCycleSchema, nextMaracMeeting, type MaracCycle } from './marac-cycle';

/**
 * Risk at triage: the DASH risk identification checklist, completed by the
 * DASV team (never by champions, who are not risk assessors), and what it
 * recommends. Pure: facts in, verdict out.
 *
 * The 24 questions keep the official numbering of the SafeLives DASH RIC
 * (2009); their wording here is Waymark's own, written from each question's
 * topic, for the officer who asks them in their own words.
 */
export const DASH_QUESTIONS = [
  { n: 1, topic: 'injury', text: 'Did the latest incident leave the person injured?' },
  { n: 2, topic: 'very_frightened', text: 'Is the person very frightened?' },
  { n: 3, topic: 'fears_further_harm', text: 'Is the person afraid of further injury or violence, or of what the abuser might do?' },
  { n: 4, topic: 'isolated', text: 'Does the person feel cut off from family or friends, or kept from seeing them?' },
  { n: 5, topic: 'depressed_or_suicidal', text: 'Is the person feeling depressed or having thoughts of suicide?' },
  { n: 6, topic: 'separation', text: 'Has the person separated, or tried to separate, from the abuser in the past year?' },
  { n: 7, topic: 'child_contact_conflict', text: 'Is there conflict over contact with the children?' },
  { n: 8, topic: 'stalking', text: 'Does the abuser keep texting, calling, following, stalking or harassing the person?' },
  { n: 9, topic: 'pregnancy', text: 'Is the person pregnant, or have they had a baby in the last 18 months?' },
  { n: 10, topic: 'more_often', text: 'Is the abuse happening more often?' },
  { n: 11, topic: 'getting_worse', text: 'Is the abuse getting worse?' },
  { n: 12, topic: 'controlling_or_jealous', text: 'Does the abuser try to control everything the person does, or are they excessively jealous?' },
  { n: 13, topic: 'weapons', text: 'Has the abuser ever used a weapon or an object to hurt the person?' },
  { n: 14, topic: 'threats_to_kill', text: 'Has the abuser ever threatened to kill the person or someone else, and the person believed it?' },
  { n: 15, topic: 'strangulation', text: 'Has the abuser ever tried to strangle, choke, suffocate or drown the person?' },
  { n: 16, topic: 'sexual_abuse', text: 'Does the abuser do or say sexual things that make the person feel bad or that hurt them or someone else?' },
  { n: 17, topic: 'other_person_threatening', text: 'Is there anyone else who has threatened the person or whom they are afraid of?' },
  { n: 18, topic: 'hurt_others', text: 'Does the person know of the abuser hurting anyone else (children, relatives, others)?' },
  { n: 19, topic: 'animals', text: 'Has the abuser ever hurt or mistreated an animal or the family pet?' },
  { n: 20, topic: 'financial', text: 'Are there money problems: is the person dependent on the abuser, or has the abuser recently lost their job?' },
  { n: 21, topic: 'substances_or_mental_health', text: 'Has the abuser had problems with drugs, alcohol or mental health in the past year that disrupt daily life?' },
  { n: 22, topic: 'abuser_suicide', text: 'Has the abuser ever threatened or attempted suicide?' },
  { n: 23, topic: 'breached_orders', text: 'Has the abuser ever broken bail, an injunction or an agreement about when they can see the person or the children?' },
  { n: 24, topic: 'criminal_history', text: 'Does the person know whether the abuser has been in trouble with the police or has a criminal history?' },
] as const;

export const DASH_QUESTION_COUNT = DASH_QUESTIONS.length;

export const dashAnswerSchema = z.enum(['yes', 'no', 'not_known']);
export type DashAnswer = z.infer<typeof dashAnswerSchema>;
export const dashAnswerLabels: Record<DashAnswer, string> = { yes: 'Yes', no: 'No', not_known: 'Not known' };

/** Why professional judgement raised the risk: chosen from a list, never free text about the person. */
export const professionalJudgementReasons = {
  schema: z.enum([
    'recent_escalation_in_severity',
    'disclosure_not_reflected_in_answers',
    'person_unable_to_answer_freely',
    'information_from_another_agency',
    'cultural_or_honour_based_risk',
    'other_professional_concern',
  ]),
  labels: {
    recent_escalation_in_severity: 'A recent rise in severity not captured by the answers',
    disclosure_not_reflected_in_answers: 'What was disclosed is more serious than the answers show',
    person_unable_to_answer_freely: 'The person could not answer freely (fear, presence of others, language)',
    information_from_another_agency: 'Information from another agency',
    cultural_or_honour_based_risk: 'Honour-based or forced-marriage risk',
    other_professional_concern: 'Other professional concern',
  },
} as const;
export type ProfessionalJudgementReason = z.infer<typeof professionalJudgementReasons.schema>;

/** The body of `PUT /escalations/{id}/risk-assessment`. */
export const riskAssessmentInputSchema = z
  .strictObject({
    version: z.number().check(z.int(), z.positive()),
    answers: z.array(dashAnswerSchema).check(
      z.length(DASH_QUESTION_COUNT, `must hold exactly ${DASH_QUESTION_COUNT} answers, one per checklist question in order`),
    ),
    professionalJudgement: z.boolean(),
    professionalJudgementReason: z.optional(professionalJudgementReasons.schema),
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

export const riskLevelSchema = z.enum(['standard', 'medium', 'high']);
export type RiskLevel = z.infer<typeof riskLevelSchema>;
export const riskLevelLabels: Record<RiskLevel, string> = { standard: 'Standard risk', medium: 'Medium risk', high: 'High risk' };

export const recommendedStepSchema = z.enum(['marac', 'specialist_support', 'signpost_and_monitor']);
export type RecommendedStep = z.infer<typeof recommendedStepSchema>;
export const recommendedStepLabels: Record<RecommendedStep, string> = {
  marac: 'Refer to MARAC (multi-agency risk assessment conference)',
  specialist_support: 'Refer to specialist domestic abuse support (for example the IDVA or outreach service) and review',
  signpost_and_monitor: 'Signpost to support and review if anything changes',
};

/** 14 or more "yes" answers: visible high risk, and a referral to MARAC. */
export const DASH_HIGH_RISK_YES = 14;
/** 10 to 13 "yes" answers: medium risk (SafeLives' practice guidance). */
export const DASH_MEDIUM_RISK_YES = 10;

export const riskAssessmentSchema = z.object({
  answers: z.array(dashAnswerSchema),
  professionalJudgement: z.boolean(),
  professionalJudgementReason: z.optional(professionalJudgementReasons.schema),
  potentialEscalation: z.boolean(),
  /** Number of "yes" answers (0–24); "not known" counts as no score. */
  score: z.number().check(z.int(), z.gte(0), z.lte(DASH_QUESTION_COUNT)),
  notKnown: z.number().check(z.int(), z.gte(0), z.lte(DASH_QUESTION_COUNT)),
  level: riskLevelSchema,
  /** Which criteria made it high risk (empty below high). */
  highRiskBecause: z.array(z.enum(['visible_high_risk', 'professional_judgement', 'potential_escalation'])),
  recommendedStep: recommendedStepSchema,
  /** A MARAC referral under the same contact reference in the 12 months before: a new one would be a repeat MARAC. */
  repeatMarac: z.boolean(),
  assessedAt: z.string(),
  assessedBy: z.string(),
});
export type RiskAssessment = z.infer<typeof riskAssessmentSchema>;

/**
 * The verdict of a completed checklist. High risk on any of the three MARAC
 * referral criteria: 14 or more "yes" (visible high risk), professional
 * judgement, or potential escalation (for example 3 or more police callouts in
 * 12 months). Medium at 10–13 "yes"; standard below. "Not known" scores
 * nothing: a checklist answered "not known" throughout is standard on the
 * numbers, and it is the officer's judgement that must raise it.
 */
export function assessRisk(input: Omit<RiskAssessmentInput, 'version'>): Pick<
  RiskAssessment,
  'score' | 'notKnown' | 'level' | 'highRiskBecause' | 'recommendedStep'
> {
  const score = input.answers.filter((a) => a === 'yes').length;
  const notKnown = input.answers.filter((a) => a === 'not_known').length;
  const highRiskBecause: RiskAssessment['highRiskBecause'] = [];
  if (score >= DASH_HIGH_RISK_YES) highRiskBecause.push('visible_high_risk');
  if (input.professionalJudgement) highRiskBecause.push('professional_judgement');
  if (input.potentialEscalation) highRiskBecause.push('potential_escalation');
  const level: RiskLevel = highRiskBecause.length > 0 ? 'high' : score >= DASH_MEDIUM_RISK_YES ? 'medium' : 'standard';
  const recommendedStep: RecommendedStep =
    level === 'high' ? 'marac' : level === 'medium' ? 'specialist_support' : 'signpost_and_monitor';
  return { score, notKnown, level, highRiskBecause, recommendedStep };
}

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
