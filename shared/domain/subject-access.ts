import * as z from 'zod/mini';
import { contactReferenceSchema, type Contact, type Signposting } from './contacts';
import type { StoredEscalation } from './escalation-views';
import {
  DASH_QUESTIONS,
  dashAnswerLabels,
  maracOutcomeLabels,
  professionalJudgementReasonLabels,
  recommendedStepLabels,
  riskLevelLabels,
  type RiskAssessment,
} from './risk-assessment';
import * as lists from './taxonomy-labels';

/**
 * The rights of the person holding a contact reference (UK GDPR articles 15 and 17), as pure functions: what a
 * subject access response says, in plain language, and what an erasure removes. The store finds the records;
 * these decide what of them the person is given.
 *
 * A response names no champion or member of staff: who did something is said by role ("a community champion",
 * "the DASV team"), never by name, id or sign-in identity, and nothing of another reference is in it.
 */

export const rightsRequestReferenceSchema = z
  .string()
  .check(
    z.regex(/^[A-Za-z0-9][A-Za-z0-9/_-]{2,39}$/, 'must be the council\'s reference for the request: 3 to 40 letters, digits, / _ or -'),
    z.describe('the council\'s own reference for the request (for example DSAR-2026-014): the audit trail records it, never the contact reference'),
  );

/** The reference on the card, read as a contact's is (any case, with or without dashes; its check symbol must match). */
const contactReferenceField = contactReferenceSchema.check(z.describe('the reference on the card the person showed'));

/** The body of POST /rights/access and POST /rights/erasure: the person's reference and the request it is made under. */
export const rightsRequestSchema = z.strictObject({
  contactReference: contactReferenceField,
  requestReference: rightsRequestReferenceSchema,
});
export type RightsRequest = z.infer<typeof rightsRequestSchema>;

const sentence = z.string();
export const subjectAccessSchema = z.object({
  contactReference: z.string(),
  requestReference: z.string(),
  producedAt: z.string(),
  summary: sentence.check(z.describe('what is held, in one paragraph')),
  contacts: z.array(
    z.object({
      date: z.string(),
      where: sentence,
      about: z.array(sentence),
      whatWasDescribed: z.array(sentence),
      aboutYou: z.array(sentence).check(z.describe('the banded details recorded (age band, gender, ethnic group, religion, language), if any')),
      helpSoughtBefore: z.array(sentence),
      beforePoliceOrEmergency: sentence,
      safetyConcerns: z.array(sentence),
      note: z.optional(sentence),
      signposting: z.array(z.object({ service: sentence, how: sentence, outcome: sentence })),
      status: sentence,
      keptUntil: z.string(),
    }),
  ),
  concerns: z.array(
    z.object({
      raised: z.string(),
      why: sentence,
      consent: sentence,
      whereItGot: sentence,
      outcome: z.optional(sentence),
      history: z.array(z.object({ date: z.string(), what: sentence, by: sentence })),
      riskAssessment: z.optional(
        z
          .object({
            assessed: z.optional(z.string()),
            by: sentence,
            answers: z.array(z.object({ question: sentence, answer: sentence })).check(z.describe('the DASH checklist\'s questions in order, each with the answer recorded (empty when only a score was recorded)')),
            score: sentence,
            level: z.optional(sentence),
            whyHighRisk: z.array(sentence),
            recommendedStep: z.optional(sentence),
          })
          .check(z.describe('the DASH risk checklist the DASV team completed at triage, in plain words, with its score and verdict')),
      ),
      marac: z.optional(z.array(sentence).check(z.describe('a referral to MARAC: the meeting, whether it was a repeat referral, what it decided'))),
    }),
  ),
  whoCanSeeIt: sentence,
  howLongItIsKept: sentence,
});
export type SubjectAccess = z.infer<typeof subjectAccessSchema>;

export const erasureSchema = z.object({
  requestReference: z.string(),
  erasedAt: z.string(),
  erased: z.object({ contacts: z.number(), signposting: z.number(), concerns: z.number(), references: z.number() }),
  note: sentence,
});
export type Erasure = z.infer<typeof erasureSchema>;

const label = <T extends string>(labels: Record<T, string>, value: T | undefined | null): string | undefined => (value ? labels[value] : undefined);
const each = <T extends string>(labels: Record<T, string>, values: readonly T[] | undefined): string[] => (values ?? []).map((v) => labels[v]);
const ukDate = (iso: string) => iso.slice(0, 10);
/** A field only when it has a value (the schema's optional fields are absent, never undefined). */
const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [P in K]: V }));

/** Who did something, by role only. */
const byRole = (role: string): string =>
  role === 'champion' ? 'a community champion' : role === 'supervisor' ? 'the DASV team' : role === 'admin' ? 'the system administrator' : 'the council';

const stateWords: Record<StoredEscalation['state'], string> = {
  raised: 'raised with the DASV team, waiting to be looked at',
  triaged: 'looked at by the DASV team',
  referred: 'referred to a specialist service',
  outcome_recorded: 'the specialist service\'s answer recorded',
  closed: 'closed',
  withdrawn: 'withdrawn',
};

const consentWords: Record<StoredEscalation['consent'], string> = {
  yes: 'You agreed to your information being shared with a specialist service.',
  no: 'You did not agree to your information being shared with a specialist service.',
  not_asked: 'You were not asked whether your information could be shared.',
};

const highRiskWords: Record<RiskAssessment['highRiskBecause'][number], string> = {
  visible_high_risk: 'Fourteen or more questions were answered yes.',
  professional_judgement: 'The DASV team\'s professional judgement was that the risk is high.',
  potential_escalation: 'There were signs the abuse may be getting worse (for example, the police called out three or more times in a year).',
};

/** The DASH checklist of a concern in plain words: every question with its answer, the score and the verdict. */
function riskAssessmentWords(e: StoredEscalation): NonNullable<SubjectAccess['concerns'][number]['riskAssessment']> | undefined {
  const a = e.riskAssessment;
  if (!a) {
    if (e.dashScore === undefined) return undefined;
    return { by: 'the DASV team', answers: [], score: `A DASH risk checklist score of ${e.dashScore} out of ${DASH_QUESTIONS.length} was recorded when the concern was looked at.`, whyHighRisk: [] };
  }
  return {
    assessed: ukDate(a.assessedAt),
    by: 'the DASV team',
    answers: DASH_QUESTIONS.map((q, i) => ({ question: `${q.n}. ${q.text}`, answer: (a.answers[i] && dashAnswerLabels[a.answers[i]]) ?? 'Not asked' })),
    score: `${a.score} of the ${DASH_QUESTIONS.length} questions were answered yes${a.notKnown ? ` and ${a.notKnown} not known` : ''}.`,
    level: riskLevelLabels[a.level],
    whyHighRisk: [
      ...a.highRiskBecause.map((c) => highRiskWords[c]),
      ...(a.professionalJudgementReason ? [`Why: ${professionalJudgementReasonLabels[a.professionalJudgementReason]}.`] : []),
    ],
    recommendedStep: recommendedStepLabels[a.recommendedStep],
  };
}

/** A referral to MARAC, in plain words; none when the concern did not go to MARAC. */
function maracWords(e: StoredEscalation): string[] | undefined {
  if (e.referredServiceKind !== 'marac' && e.maracMeetingDate === undefined && e.maracOutcome === undefined) return undefined;
  return [
    'The concern was referred to MARAC, a meeting of local services that plans how to keep someone at high risk safe.',
    ...(e.maracMeetingDate ? [`It went to the meeting on ${e.maracMeetingDate}.`] : []),
    ...(e.repeatMarac ? ['It was a repeat referral: there had been another referral to MARAC under your reference in the 12 months before.'] : []),
    ...(e.maracOutcome ? [`What the meeting decided: ${maracOutcomeLabels[e.maracOutcome]}.`] : []),
  ];
}

export interface HeldUnderReference {
  reference: { firstContactDate: string };
  contacts: readonly { contact: Contact; signposting: readonly Signposting[] }[];
  escalations: readonly StoredEscalation[];
}

/** The subject access response: everything held under one reference, in plain language, with no staff identities. */
export function subjectAccessResponse(held: HeldUnderReference, request: RightsRequest, now: Date): SubjectAccess {
  const contacts = [...held.contacts].sort((a, b) => a.contact.contactDate.localeCompare(b.contact.contactDate) || a.contact.createdAt.localeCompare(b.contact.createdAt));
  const signposted = contacts.reduce((n, c) => n + c.signposting.length, 0);
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return {
    contactReference: request.contactReference,
    requestReference: request.requestReference,
    producedAt: now.toISOString(),
    summary:
      `Under the reference ${request.contactReference} we hold ${count(contacts.length, 'record of a conversation', 'records of conversations')} with a community champion ` +
      `(the first on ${held.reference.firstContactDate}), ${count(signposted, 'service', 'services')} you were told about or referred to, ` +
      `and ${count(held.escalations.length, 'concern', 'concerns')} raised with the council's DASV team. We do not hold your name, address, phone number, email or date of birth.`,
    contacts: contacts.map(({ contact: c, signposting }) => ({
      date: c.contactDate,
      where: label(lists.settings.labels, c.setting) ?? 'Not recorded',
      about: each(lists.strands.labels, c.strands),
      whatWasDescribed: [...each(lists.dasvForms.labels, c.dasvForms), ...each(lists.hateMotivations.labels, c.hateMotivations).map((m) => `Hostility because of: ${m}`), ...each(lists.hateIncidentKinds.labels, c.hateIncidentKinds)],
      aboutYou: [
        label(lists.ageBands.labels, c.demographics.ageBand),
        label(lists.genders.labels, c.demographics.gender),
        label(lists.ethnicGroups.labels, c.demographics.ethnicGroup),
        label(lists.religions.labels, c.demographics.religion),
        c.demographics.language ? `Language: ${c.demographics.language}` : undefined,
      ].filter((x): x is string => x !== undefined),
      helpSoughtBefore: each(lists.priorHelp.labels, c.priorHelp),
      beforePoliceOrEmergency: c.beforePoliceOrEmergency ? 'You had not involved the police or 999 before this conversation.' : 'The police or 999 had been involved before this conversation.',
      safetyConcerns: each(lists.riskFlags.labels, c.riskFlags),
      ...(c.note ? { note: c.note } : {}),
      signposting: [...signposting]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((s) => ({
          service: s.serviceName,
          how: lists.signpostingModes.labels[s.mode],
          outcome: label(lists.signpostingOutcomes.labels, s.outcome) ?? 'Not known yet',
        })),
      status: c.status === 'active' ? 'Held' : 'Marked deleted by the DASV team (kept until the date below, then removed)',
      keptUntil: ukDate(new Date(c.expiresAt * 1000).toISOString()),
    })),
    concerns: [...held.escalations]
      .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt))
      .map((e) => ({
        raised: ukDate(e.raisedAt),
        why: lists.escalationReasons.labels[e.reason],
        consent: consentWords[e.consent],
        whereItGot: `The concern was ${stateWords[e.state]}.`,
        ...(e.outcome ? { outcome: lists.escalationOutcomes.labels[e.outcome] } : {}),
        history: e.history.map((h) => ({ date: ukDate(h.at), what: stateWords[h.to], by: byRole(h.role) })),
        ...optional('riskAssessment', riskAssessmentWords(e)),
        ...optional('marac', maracWords(e)),
      })),
    whoCanSeeIt:
      'The community champion who spoke with you sees the records they made; the council\'s DASV team that supervises them sees their team\'s records. ' +
      'People who fund the programme see only totals, never a single record, and never a number small enough to identify someone. Every look at these records is logged.',
    howLongItIsKept: 'Each record is deleted automatically after the date shown beside it. You can ask for these records to be deleted sooner.',
  };
}

/** What an erasure removes: every record held under the reference (the store deletes exactly these keys). */
export function erasureCounts(held: HeldUnderReference): Erasure['erased'] {
  return {
    contacts: held.contacts.length,
    signposting: held.contacts.reduce((n, c) => n + c.signposting.length, 0),
    concerns: held.escalations.length,
    references: 1,
  };
}
