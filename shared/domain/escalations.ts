import * as z from 'zod/mini';
import { versionSchema } from './numbers';
import { freeText } from './text';
import { isoDateSchema } from './dates';
import { riskFlags, serviceKinds, signpostingModes } from './taxonomies';
import * as lists from './taxonomy-labels';
import type { Priority } from './service-levels';
import { maracOutcomeSchema, riskAssessmentSchema } from './risk-assessment';

/**
 * Escalations: a champion raises a concern from a contact; the DASV team
 * works it through one state machine, defined here and nowhere else.
 *
 *   raised → triaged → referred → outcome_recorded → closed
 *   raised | triaged → withdrawn
 *
 * Every transition is checked against this table, and records who and when.
 */
export const escalationReasons = { schema: z.enum(lists.escalationReasons.values), labels: lists.escalationReasons.labels } as const;
export type EscalationReason = z.infer<typeof escalationReasons.schema>;

export const consentSchema = z.enum(['yes', 'no', 'not_asked']);
export type Consent = z.infer<typeof consentSchema>;

export const escalationStateSchema = z.enum(['raised', 'triaged', 'referred', 'outcome_recorded', 'closed', 'withdrawn']);
export type EscalationState = z.infer<typeof escalationStateSchema>;

export const transitions: Readonly<Record<EscalationState, readonly EscalationState[]>> = {
  raised: ['triaged', 'withdrawn'],
  triaged: ['referred', 'withdrawn'],
  referred: ['outcome_recorded'],
  outcome_recorded: ['closed'],
  closed: [],
  withdrawn: [],
};

export const openStates: readonly EscalationState[] = ['raised', 'triaged', 'referred', 'outcome_recorded'];

export const allowedNext = (state: EscalationState): readonly EscalationState[] => transitions[state];
export const canTransition = (from: EscalationState, to: EscalationState): boolean => transitions[from].includes(to);

/**
 * Priority comes from the reason and the contact's risk flags, never typed in:
 * immediate for risk to life or immediate danger; high for risk to children or
 * adults, high-risk indicators, or a frightened person with children or a repeat
 * incident; standard otherwise.
 */
export function derivePriority(reason: EscalationReason, flags: readonly z.infer<typeof riskFlags.schema>[]): Priority {
  const has = (f: z.infer<typeof riskFlags.schema>) => flags.includes(f);
  if (reason === 'immediate_risk_to_life' || has('immediate_danger')) return 'immediate';
  if (reason === 'children_at_risk' || reason === 'adult_at_risk' || reason === 'high_risk_indicators') return 'high';
  if (has('person_is_afraid') && (has('children_in_household') || has('repeat_incident'))) return 'high';
  return 'standard';
}

/** What to tell the champion before anything else when life is at risk (the text is in taxonomy-labels.ts, for the web app too). */
export const CALL_999_GUIDANCE = lists.CALL_999_GUIDANCE;

export const needsEmergencyGuidance = (reason: EscalationReason, flags: readonly string[]): boolean =>
  reason === 'immediate_risk_to_life' || flags.includes('immediate_danger');

/**
 * Sharing without consent. Information may be shared with a service without
 * the person's consent only where there is a risk to life or to children
 * (the safeguarding exceptions), and the supervisor must record why. Otherwise a
 * referral needs consent `yes`.
 */
export const SHARING_WITHOUT_CONSENT_REASONS: readonly EscalationReason[] = lists.SHARING_WITHOUT_CONSENT_REASONS;

export function referralConsentProblem(
  reason: EscalationReason,
  consent: Consent,
  justification: string | undefined,
): string | undefined {
  if (consent === 'yes') return undefined;
  if (!SHARING_WITHOUT_CONSENT_REASONS.includes(reason)) {
    return 'This referral needs the person’s consent: sharing without consent is allowed only for a risk to life or to children';
  }
  if (!justification || justification.trim().length < 10) {
    return 'Enter why the information is shared without consent, in at least 10 characters';
  }
  return undefined;
}

export const triageOutcomeSchema = z.enum(lists.escalationOutcomes.values);
export const escalationOutcomes = { schema: triageOutcomeSchema, labels: lists.escalationOutcomes.labels } as const;

/** The body of `POST /escalations/{id}/transitions`: the target state and its fields. */
export const transitionSchema = z.discriminatedUnion('to', [
  z.strictObject({
    to: z.literal('triaged'),
    version: versionSchema,
    targetServiceKind: serviceKinds.schema,
    dashScore: z
      .optional(z.number().check(z.int(), z.gte(0), z.lte(24)))
      .check(z.describe('DASH risk checklist score, if a trained professional completed it')),
  }),
  z.strictObject({
    to: z.literal('referred'),
    version: versionSchema,
    serviceId: z.string().check(z.minLength(1), z.maxLength(64)),
    referredOn: isoDateSchema,
    mode: z.optional(signpostingModes.schema),
    sharedWithoutConsentJustification: z.optional(freeText(500, 0)),
    maracMeetingDate: z
      .optional(isoDateSchema)
      .check(z.describe('a referral to MARAC: the meeting it goes to (default: the next meeting on the configured cycle)')),
  }),
  z.strictObject({
    to: z.literal('outcome_recorded'),
    version: versionSchema,
    outcome: triageOutcomeSchema,
    maracOutcome: z.optional(maracOutcomeSchema).check(z.describe('a referral to MARAC: what the meeting decided')),
  }),
  z.strictObject({ to: z.literal('closed'), version: versionSchema }),
  z.strictObject({
    to: z.literal('withdrawn'),
    version: versionSchema,
    reason: freeText(200, 3),
  }),
]);
export type Transition = z.infer<typeof transitionSchema>;

/** A DASH score of 14 or more points towards MARAC. */
export const DASH_MARAC_THRESHOLD = 14;
export const pointsTowardsMarac = (dashScore: number | undefined): boolean => dashScore !== undefined && dashScore >= DASH_MARAC_THRESHOLD;

/** One recorded transition: who moved the escalation to which state, and when. */
export const escalationEventSchema = z.object({
  to: escalationStateSchema,
  at: z.string().check(z.describe('ISO 8601 UTC')),
  by: z.string().check(z.describe('sub of the person who made the transition')),
  role: z.string(),
});

/**
 * An escalation as stored (the case table's stream carries it to the
 * reporting aggregator, so these names are part of its contract).
 */
export const escalationSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  teamId: z.string(),
  /** The champion who raised it. */
  raisedBy: z.string(),
  contactReference: z.nullable(z.string()),
  strands: z.array(z.string()),
  reason: escalationReasons.schema,
  priority: z.enum(['immediate', 'high', 'standard']),
  consent: consentSchema,
  state: escalationStateSchema,
  raisedAt: z.string(),
  /** When triage is due under the service levels. */
  triageDueAt: z.string(),
  /** The contact's date, and the date of the first contact under its reference (for "time from first contact"). */
  contactDate: z.string(),
  firstContactDate: z.string(),
  /** "Earlier help": raised before any police or emergency involvement (from the contact). */
  beforePoliceOrEmergency: z.boolean(),
  triagedAt: z.optional(z.string()),
  targetServiceKind: z.optional(z.string()),
  dashScore: z.optional(z.number().check(z.int())),
  referredAt: z.optional(z.string()),
  serviceId: z.optional(z.string()),
  referredOn: z.optional(z.string()),
  sharedWithoutConsent: z.optional(z.boolean()),
  outcome: z.optional(triageOutcomeSchema),
  outcomeAt: z.optional(z.string()),
  /** The kind of service referred to (kept so that a MARAC referral is known as one without the directory). */
  referredServiceKind: z.optional(z.string()),
  /** The DASH checklist as completed at triage by the DASV team (never shown to champions). */
  riskAssessment: z.optional(riskAssessmentSchema),
  /** A referral to MARAC: the meeting, whether it is a repeat MARAC (within 12 months under the reference), and its outcome. */
  maracMeetingDate: z.optional(z.string()),
  repeatMarac: z.optional(z.boolean()),
  maracOutcome: z.optional(maracOutcomeSchema),
  closedAt: z.optional(z.string()),
  withdrawnAt: z.optional(z.string()),
  history: z.array(escalationEventSchema),
  version: versionSchema,
});
export type Escalation = z.infer<typeof escalationSchema>;
