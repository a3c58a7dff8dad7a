import * as z from 'zod/mini';
import { safeText } from './contacts';
import {
  allowedNext,
  consentSchema,
  escalationReasons,
  escalationSchema,
  escalationStateSchema,
  needsEmergencyGuidance,
  openStates,
  pointsTowardsMarac,
  CALL_999_GUIDANCE,
  type Escalation,
  type EscalationState,
} from './escalations';
import { isOverdue, priorityRank, type Priority } from './service-levels';

/**
 * What the API accepts and shows of escalations (the state machine, priority,
 * consent rule and stored shape are in escalations.ts). Pure.
 */
export const escalationIdSchema = z.string().check(z.regex(/^escalation-[a-z0-9-]{1,60}$/, 'must be an escalation id (escalation-...)'));

export const ESCALATION_NOTE_MAX_LENGTH = 500;

/** The body of `POST /contacts/{id}/escalations`: why, and whether the person agreed to their information being shared. */
export const createEscalationSchema = z.strictObject({
  reason: escalationReasons.schema,
  consent: consentSchema.check(z.describe('did the person agree to their information being shared with a specialist service?')),
  note: z
    .optional(safeText(ESCALATION_NOTE_MAX_LENGTH))
    .check(z.describe('optional short note for the DASV team; refused if it contains personal data')),
});
export type CreateEscalation = z.infer<typeof createEscalationSchema>;

/**
 * An escalation as stored: the shared contract (escalations.ts) plus fields
 * this store adds. The added fields are the champion's id and note, the
 * referral's mode and justification, the withdrawal's reason, and bookkeeping.
 * This schema decides what a stored item holds and what is read back.
 */
export const storedEscalationSchema = z.extend(escalationSchema, {
  championId: z.string(),
  note: z.optional(z.string()),
  referralMode: z.optional(z.string()),
  sharedWithoutConsentJustification: z.optional(z.string()),
  withdrawnReason: z.optional(z.string()),
  updatedAt: z.string(),
  /** When DynamoDB's TTL removes the record (epoch seconds): the contact retention after it was raised. */
  expiresAt: z.number(),
});
export type StoredEscalation = z.infer<typeof storedEscalationSchema>;

export const isOpen = (state: EscalationState): boolean => openStates.includes(state);

/** Overdue: still awaiting triage after its triage due time. */
export const escalationOverdue = (e: Pick<Escalation, 'state' | 'triageDueAt'>, now: Date): boolean =>
  e.state === 'raised' && isOverdue(new Date(e.triageDueAt), now);

/** The caseload's order: overdue first, then priority (immediate, high, standard), then oldest first. */
export function caseloadOrder(now: Date) {
  return (a: Escalation, b: Escalation): number => {
    const overdue = Number(escalationOverdue(b, now)) - Number(escalationOverdue(a, now));
    if (overdue !== 0) return overdue;
    const rank = priorityRank[a.priority as Priority] - priorityRank[b.priority as Priority];
    if (rank !== 0) return rank;
    return a.raisedAt < b.raisedAt ? -1 : a.raisedAt > b.raisedAt ? 1 : a.id.localeCompare(b.id);
  };
}

/** The latest state change, for the champion (when, not who). */
const stateChangedAt = (e: Escalation): string => e.history[e.history.length - 1]?.at ?? e.raisedAt;

/**
 * What the champion who raised it sees: where their concern is and when it is
 * due — not the supervisor's working (DASH score, target service, referral,
 * justification, outcome, who did what).
 */
export const championEscalationViewSchema = z.object({
  id: escalationIdSchema,
  contactId: z.string(),
  contactReference: z.nullable(z.string()),
  reason: escalationReasons.schema,
  reasonLabel: z.string(),
  consent: consentSchema,
  note: z.optional(z.string()),
  priority: escalationSchema.shape.priority,
  state: escalationStateSchema,
  raisedAt: z.string(),
  triageDueAt: z.string(),
  overdue: z.boolean(),
  stateChangedAt: z.string().check(z.describe('when the escalation last changed state (not who changed it)')),
  version: z.number().check(z.int(), z.positive()),
});
export type ChampionEscalationView = z.infer<typeof championEscalationViewSchema>;

/** The reply to raising a concern: the champion's view, led by the 999 guidance when life may be at risk. */
export const raisedEscalationSchema = z.extend(championEscalationViewSchema, {
  emergencyGuidance: z.optional(z.string()).check(z.describe('when life may be at risk: call 999 first')),
});

export function championEscalationView(e: StoredEscalation, now: Date): ChampionEscalationView {
  return {
    id: e.id,
    contactId: e.contactId,
    contactReference: e.contactReference,
    reason: e.reason,
    reasonLabel: escalationReasons.labels[e.reason],
    consent: e.consent,
    ...(e.note !== undefined ? { note: e.note } : {}),
    priority: e.priority,
    state: e.state,
    raisedAt: e.raisedAt,
    triageDueAt: e.triageDueAt,
    overdue: escalationOverdue(e, now),
    stateChangedAt: stateChangedAt(e),
    version: e.version,
  };
}

/** What the team's supervisors (and admins) see: the whole record, with what it means now. */
export const supervisorEscalationViewSchema = z.extend(z.omit(storedEscalationSchema, { expiresAt: true }), {
  id: escalationIdSchema,
  reasonLabel: z.string(),
  overdue: z.boolean(),
  allowedNext: z.array(escalationStateSchema),
  pointsTowardsMarac: z.boolean().check(z.describe('a DASH score of 14 or more was recorded')),
});
export type SupervisorEscalationView = z.infer<typeof supervisorEscalationViewSchema>;

export function supervisorEscalationView(e: StoredEscalation, now: Date): SupervisorEscalationView {
  const { expiresAt: _ttl, ...rest } = e;
  return {
    ...rest,
    reasonLabel: escalationReasons.labels[e.reason],
    overdue: escalationOverdue(e, now),
    allowedNext: [...allowedNext(e.state)],
    pointsTowardsMarac: pointsTowardsMarac(e.dashScore),
  };
}

/** The escalation's own view for this role: the champion's, or the supervisor's (admins see the supervisor's). */
export const escalationViewFor = (role: string, e: StoredEscalation, now: Date) =>
  role === 'champion' ? championEscalationView(e, now) : supervisorEscalationView(e, now);

/** The 999 guidance, when the reason or the contact's flags say life may be at risk. */
export const emergencyGuidanceFor = (reason: Escalation['reason'], riskFlags: readonly string[]): { emergencyGuidance: string } | Record<string, never> =>
  needsEmergencyGuidance(reason, riskFlags) ? { emergencyGuidance: CALL_999_GUIDANCE } : {};

/** The reply to raising a concern (`raisedEscalationSchema`): the champion's view, led by the 999 guidance when the contact's risk flags call for it. */
export const raisedEscalationView = (e: StoredEscalation, riskFlags: readonly string[], now: Date) => ({
  ...emergencyGuidanceFor(e.reason, riskFlags),
  ...championEscalationView(e, now),
});

export const escalationListQuerySchema = z.strictObject({
  status: z
    ._default(z.enum(['open', 'closed']), 'open')
    .check(z.describe('supervisors and admins: the team\'s open escalations (by priority, then age) or closed ones (newest first)')),
  state: z.optional(escalationStateSchema).check(z.describe('only escalations in this state')),
  teamId: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a team id'))).check(z.describe('admins: the team')),
});

export const teamQuerySchema = z.strictObject({
  teamId: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a team id'))).check(z.describe('admins: the team')),
});

/**
 * A notification carries no case detail: only that something awaits triage,
 * its priority, when triage is due, and a link to open (behind sign-in).
 */
export const escalationNotificationSchema = z.object({
  id: z.string(),
  kind: z.literal('escalation.awaiting_triage'),
  teamId: z.string(),
  priority: escalationSchema.shape.priority,
  triageDueAt: z.string(),
  link: z.string().check(z.describe('the escalation to open, behind sign-in')),
  createdAt: z.string(),
  recipients: z.optional(
    z
      .array(z.object({ kind: z.enum(['supervisor', 'on-call']), name: z.string(), userId: z.optional(z.string()) }))
      .check(z.describe('one machine: who it was sent to, by the same filter policies SNS applies in AWS')),
  ),
});
export type EscalationNotification = z.infer<typeof escalationNotificationSchema>;

export function notificationFor(e: Pick<Escalation, 'id' | 'teamId' | 'priority' | 'triageDueAt'>, id: string, at: string): EscalationNotification {
  return {
    id,
    kind: 'escalation.awaiting_triage',
    teamId: e.teamId,
    priority: e.priority,
    triageDueAt: e.triageDueAt,
    link: `/escalations/${e.id}`,
    createdAt: at,
  };
}

/** The one line a notification reads as (SNS subject, local console): no case field. */
export const notificationText = (n: EscalationNotification): string =>
  `A ${n.priority} priority escalation awaits triage by ${n.triageDueAt}: ${n.link}`;
