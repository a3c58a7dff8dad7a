/**
 * The DASH risk identification checklist as data, and its verdict: the
 * SafeLives DASH RIC (2009) keeps the official numbering of its 24 questions;
 * their wording here is Waymark's own, written from each question's topic,
 * for the officer who asks them in their own words. No zod: the web app
 * imports this to show the score as the checklist is filled in. Pure.
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

export const dashAnswers = ['yes', 'no', 'not_known'] as const;
export type DashAnswer = (typeof dashAnswers)[number];
export const dashAnswerLabels: Record<DashAnswer, string> = { yes: 'Yes', no: 'No', not_known: 'Not known' };

/** Why professional judgement raised the risk: chosen from a list, never free text about the person. */
export const professionalJudgementReasonValues = [
  'recent_escalation_in_severity',
  'disclosure_not_reflected_in_answers',
  'person_unable_to_answer_freely',
  'information_from_another_agency',
  'cultural_or_honour_based_risk',
  'other_professional_concern',
] as const;
export type ProfessionalJudgementReason = (typeof professionalJudgementReasonValues)[number];
export const professionalJudgementReasonLabels: Record<ProfessionalJudgementReason, string> = {
  recent_escalation_in_severity: 'A recent rise in severity not captured by the answers',
  disclosure_not_reflected_in_answers: 'What was disclosed is more serious than the answers show',
  person_unable_to_answer_freely: 'The person could not answer freely (fear, presence of others, language)',
  information_from_another_agency: 'Information from another agency',
  cultural_or_honour_based_risk: 'Honour-based or forced-marriage risk',
  other_professional_concern: 'Other professional concern',
};

export const riskLevels = ['standard', 'medium', 'high'] as const;
export type RiskLevel = (typeof riskLevels)[number];
export const riskLevelLabels: Record<RiskLevel, string> = { standard: 'Standard risk', medium: 'Medium risk', high: 'High risk' };

export const recommendedSteps = ['marac', 'specialist_support', 'signpost_and_monitor'] as const;
export type RecommendedStep = (typeof recommendedSteps)[number];
export const recommendedStepLabels: Record<RecommendedStep, string> = {
  marac: 'Refer to MARAC (multi-agency risk assessment conference)',
  specialist_support: 'Refer to specialist domestic abuse support (for example the IDVA or outreach service) and review',
  signpost_and_monitor: 'Signpost to support and review if anything changes',
};

export const highRiskCriteria = ['visible_high_risk', 'professional_judgement', 'potential_escalation'] as const;
export type HighRiskCriterion = (typeof highRiskCriteria)[number];

/** 14 or more "yes" answers: visible high risk, and a referral to MARAC. */
export const DASH_HIGH_RISK_YES = 14;
/** 10 to 13 "yes" answers: medium risk (SafeLives' practice guidance). */
export const DASH_MEDIUM_RISK_YES = 10;

export interface RiskVerdict {
  score: number;
  notKnown: number;
  level: RiskLevel;
  highRiskBecause: HighRiskCriterion[];
  recommendedStep: RecommendedStep;
}

/**
 * The verdict of a checklist. High risk on any of the three MARAC referral
 * criteria: 14 or more "yes" (visible high risk), professional judgement, or
 * potential escalation (for example 3 or more police callouts in 12 months).
 * Medium at 10–13 "yes"; standard below. "Not known" scores nothing: a
 * checklist answered "not known" throughout is standard on the numbers, and it
 * is the officer's judgement that must raise it.
 */
export function assessRisk(input: { answers: readonly (DashAnswer | undefined)[]; professionalJudgement: boolean; professionalJudgementReason?: string | undefined; potentialEscalation: boolean }): RiskVerdict {
  const score = input.answers.filter((a) => a === 'yes').length;
  const notKnown = input.answers.filter((a) => a === 'not_known').length;
  const highRiskBecause: HighRiskCriterion[] = [];
  if (score >= DASH_HIGH_RISK_YES) highRiskBecause.push('visible_high_risk');
  if (input.professionalJudgement) highRiskBecause.push('professional_judgement');
  if (input.potentialEscalation) highRiskBecause.push('potential_escalation');
  const level: RiskLevel = highRiskBecause.length > 0 ? 'high' : score >= DASH_MEDIUM_RISK_YES ? 'medium' : 'standard';
  const recommendedStep: RecommendedStep = level === 'high' ? 'marac' : level === 'medium' ? 'specialist_support' : 'signpost_and_monitor';
  return { score, notKnown, level, highRiskBecause, recommendedStep };
}
