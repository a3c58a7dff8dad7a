import { describe, expect, it } from 'vitest';
import {
  assessRisk,
  DASH_QUESTIONS,
  isRepeatMarac,
  nextMaracMeeting,
  planRiskAssessment,
  riskAssessmentProblem,
  riskAssessmentInputSchema,
  type DashAnswer,
} from '../../shared/domain/risk-assessment';

const answers = (yes: number, notKnown = 0): DashAnswer[] =>
  Array.from({ length: 24 }, (_, i) => (i < yes ? 'yes' : i < yes + notKnown ? 'not_known' : 'no'));
const plain = { professionalJudgement: false, potentialEscalation: false };

describe('the DASH checklist', () => {
  it('keeps the official numbering: 24 questions numbered 1 to 24, each with its own topic', () => {
    expect(DASH_QUESTIONS.map((q) => q.n)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(new Set(DASH_QUESTIONS.map((q) => q.topic)).size).toBe(24);
  });

  it('is high risk and recommends MARAC at 14 "yes", medium at 13, 10; standard at 9', () => {
    expect(assessRisk({ answers: answers(14), ...plain })).toMatchObject({ score: 14, level: 'high', recommendedStep: 'marac', highRiskBecause: ['visible_high_risk'] });
    expect(assessRisk({ answers: answers(13), ...plain })).toMatchObject({ score: 13, level: 'medium', recommendedStep: 'specialist_support', highRiskBecause: [] });
    expect(assessRisk({ answers: answers(10), ...plain })).toMatchObject({ level: 'medium' });
    expect(assessRisk({ answers: answers(9), ...plain })).toMatchObject({ score: 9, level: 'standard', recommendedStep: 'signpost_and_monitor' });
    expect(assessRisk({ answers: answers(24), ...plain }).score).toBe(24);
  });

  it('makes a case high risk below 14 on professional judgement or potential escalation', () => {
    expect(assessRisk({ answers: answers(3), professionalJudgement: true, professionalJudgementReason: 'information_from_another_agency', potentialEscalation: false }))
      .toMatchObject({ score: 3, level: 'high', recommendedStep: 'marac', highRiskBecause: ['professional_judgement'] });
    expect(assessRisk({ answers: answers(0), professionalJudgement: false, potentialEscalation: true }))
      .toMatchObject({ level: 'high', highRiskBecause: ['potential_escalation'] });
    expect(assessRisk({ answers: answers(15), professionalJudgement: true, professionalJudgementReason: 'other_professional_concern', potentialEscalation: true }).highRiskBecause)
      .toEqual(['visible_high_risk', 'professional_judgement', 'potential_escalation']);
  });

  it('scores "not known" as nothing: all not known is standard, and 13 yes with 11 not known is medium', () => {
    expect(assessRisk({ answers: answers(0, 24), ...plain })).toMatchObject({ score: 0, notKnown: 24, level: 'standard' });
    expect(assessRisk({ answers: answers(13, 11), ...plain })).toMatchObject({ score: 13, notKnown: 11, level: 'medium' });
  });

  it('refuses a checklist without exactly 24 answers, and judgement without a listed reason', () => {
    const short = riskAssessmentInputSchema.safeParse({ version: 1, answers: answers(5).slice(1), ...plain });
    expect(short.success).toBe(false);
    expect(short.error?.issues[0]?.path).toEqual(['answers']);
    const noReason = riskAssessmentInputSchema.safeParse({ version: 1, answers: answers(5), professionalJudgement: true, potentialEscalation: false });
    expect(noReason.success).toBe(false);
    expect(noReason.error?.issues[0]?.path).toEqual(['professionalJudgementReason']);
    const freeText = riskAssessmentInputSchema.safeParse({ version: 1, answers: answers(5), professionalJudgement: true, professionalJudgementReason: 'he has a knife', potentialEscalation: false });
    expect(freeText.success).toBe(false);
    const badAnswer = riskAssessmentInputSchema.safeParse({ version: 1, answers: [...answers(5).slice(1), 'maybe'], ...plain });
    expect(badAnswer.success).toBe(false);
    expect(riskAssessmentInputSchema.safeParse({ version: 1, answers: answers(5), ...plain }).success).toBe(true);
  });
});

describe('MARAC', () => {
  it('flags a repeat MARAC within 12 months of the last referral, not after', () => {
    expect(isRepeatMarac('2026-11-30', ['2025-11-30'])).toBe(true);
    expect(isRepeatMarac('2026-11-30', ['2025-11-29'])).toBe(false);
    expect(isRepeatMarac('2026-11-30', [])).toBe(false);
    // 29 February: twelve months before 2025-02-28 is 2024-02-28.
    expect(isRepeatMarac('2025-02-28', ['2024-02-28'])).toBe(true);
    expect(isRepeatMarac('2025-02-28', ['2024-02-27'])).toBe(false);
    // A later date is not a previous referral.
    expect(isRepeatMarac('2026-01-10', ['2026-03-01'])).toBe(false);
  });

  it('finds the next meeting on the cycle', () => {
    const cycle = { firstMeeting: '2026-01-08', cycleDays: 14 };
    expect(nextMaracMeeting('2026-01-08', cycle)).toBe('2026-01-08');
    expect(nextMaracMeeting('2026-01-09', cycle)).toBe('2026-01-22');
    expect(nextMaracMeeting('2026-01-22', cycle)).toBe('2026-01-22');
    expect(nextMaracMeeting('2025-12-01', cycle)).toBe('2026-01-08');
    // Across the clock change, still a Thursday.
    expect(new Date(`${nextMaracMeeting('2026-03-30', cycle)}T00:00:00Z`).getUTCDay()).toBe(4);
  });
});

describe('what an assessment changes on a concern', () => {
  it('raises a standard concern to immediate on high risk and to high on medium; never lowers it', () => {
    const high = planRiskAssessment({ priority: 'standard', state: 'raised' }, { answers: answers(14), ...plain }, 'sub-1', '2026-12-01T10:00:00.000Z');
    expect(high).toMatchObject({ priority: 'immediate', triageDueChanges: true, assessment: { score: 14, level: 'high', assessedBy: 'sub-1' } });
    expect(planRiskAssessment({ priority: 'standard', state: 'raised' }, { answers: answers(11), ...plain }, 's', 't').priority).toBe('high');
    expect(planRiskAssessment({ priority: 'immediate', state: 'raised' }, { answers: answers(2), ...plain }, 's', 't')).toMatchObject({ priority: 'immediate', triageDueChanges: false });
    expect(planRiskAssessment({ priority: 'high', state: 'raised' }, { answers: answers(11), ...plain }, 's', 't')).toMatchObject({ priority: 'high', triageDueChanges: false });
    // Already triaged: the priority rises, but triage is no longer due.
    expect(planRiskAssessment({ priority: 'standard', state: 'triaged' }, { answers: answers(20), ...plain }, 's', 't')).toMatchObject({ priority: 'immediate', triageDueChanges: false });
  });

  it('takes DASV concerns before referral only', () => {
    expect(riskAssessmentProblem({ strands: ['dasv'], state: 'raised' })).toBeUndefined();
    expect(riskAssessmentProblem({ strands: ['dasv', 'hate_crime'], state: 'triaged' })).toBeUndefined();
    expect(riskAssessmentProblem({ strands: ['hate_crime'], state: 'raised' })).toMatch(/domestic abuse/);
    expect(riskAssessmentProblem({ strands: ['dasv'], state: 'referred' })).toMatch(/before the concern is referred/);
  });
});
