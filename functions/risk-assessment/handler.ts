import * as z from 'zod/mini';
import { getConfig } from '../../shared/config';
import { conflict } from '../../shared/domain/errors';
import { CHANGED_MEANWHILE, staleEscalation } from '../../shared/domain/escalation-decisions';
import { escalationIdSchema, supervisorEscalationView, supervisorEscalationViewSchema } from '../../shared/domain/escalation-views';
import { planRiskAssessment, riskAssessmentInputSchema, riskAssessmentProblem } from '../../shared/domain/risk-assessment';
import { triageDueAt, ukCalendar } from '../../shared/domain/service-levels';
import { createApiHandler, defineOperation } from '../../shared/http/pipeline';
import { getContactReference } from '../../shared/store/contact-store';
import { getEscalation, recordRiskAssessment } from '../../shared/store/escalation-store';

/**
 * PUT /escalations/{id}/risk-assessment — a supervisor of the team records the
 * DASH checklist at triage, at the escalation's version. The reply gives the
 * score, the risk level and the recommended step (MARAC when high), and
 * whether a MARAC referral now would be a repeat. High risk moves the concern
 * to the immediate service level.
 */
const assess = defineOperation({
  description:
    'Record the DASH risk identification checklist for a DASV concern (supervisor of the team), at the version read: 24 answers yes / no / not_known in the ' +
    'checklist\'s numbering, professional judgement (with a listed reason) and potential escalation. The reply\'s riskAssessment gives score, level ' +
    '(standard below 10 "yes", medium 10–13, high at 14 or on judgement or escalation), recommendedStep (marac when high) and repeatMarac. ' +
    'High risk raises the priority to immediate, medium to high; never lower. Champions never see the assessment.',
  params: z.strictObject({ id: escalationIdSchema }),
  body: riskAssessmentInputSchema,
  responses: { 200: { description: 'The escalation with its assessment (the supervisor\'s view): score, level, recommended step, repeat MARAC; priority and triage due as they now stand', body: supervisorEscalationViewSchema } },
  refusals: { 409: 'Not a DASV concern, already referred, or changed since it was read: the reply gives currentState' },
  async run({ params, body, request }) {
    const e = await request.recordFor('escalations.assessRisk', 'escalation', params.id, getEscalation(params.id), (x) => ({ teamId: x.teamId, ownerSub: x.raisedBy }));
    const problem = riskAssessmentProblem(e);
    if (problem) throw conflict(`${problem}; nothing was stored.`, { currentState: e.state });
    if (body.version !== e.version) throw staleEscalation(e, CHANGED_MEANWHILE);
    const now = new Date();
    const reference = e.contactReference ? await getContactReference(e.contactReference) : undefined;
    const { version, ...input } = body;
    const plan = planRiskAssessment(e, input, request.principal.sub, now.toISOString(), reference?.maracReferrals ?? []);
    const config = getConfig();
    // A higher priority brings triage forward (its service level counted from now), never back.
    const sooner = triageDueAt(now, plan.priority, ukCalendar(config.bankHolidays), config.triageServiceLevels).toISOString();
    const due = plan.triageDueChanges && sooner < e.triageDueAt ? sooner : e.triageDueAt;
    const after = await recordRiskAssessment(request.scope, e, { version, assessment: plan.assessment, priority: plan.priority, triageDueAt: due }, now);
    return { body: supervisorEscalationView(after, now) };
  },
});

export const handler = createApiHandler({ 'PUT /escalations/{id}/risk-assessment': assess });
