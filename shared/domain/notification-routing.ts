import * as z from 'zod/mini';
import { zonedParts } from './dates';

/**
 * Who a notification of a concern reaches, as pure rules. In AWS the rules are SNS subscription filter policies on
 * the message attributes every notification is published with (team, priority, whether it is for the on-call
 * address): one email subscription per supervisor, filtered to their team and the priorities they chose, and one
 * for the on-call address. On one machine the very same policies are matched here, by SNS's rule (every key of the
 * policy present, its value one of those listed), and the local outbox names each recipient. A notification carries
 * no case detail either way (escalation-views.ts).
 */

export const notificationPriorities = ['immediate', 'high', 'standard'] as const;
export type NotificationPriority = (typeof notificationPriorities)[number];
/** A supervisor who has chosen nothing hears of every concern of their team. */
export const DEFAULT_NOTIFY_PRIORITIES: readonly NotificationPriority[] = notificationPriorities;

export const notifyPrioritiesSchema = z
  .array(z.enum(notificationPriorities))
  .check(
    z.maxLength(notificationPriorities.length, 'must list each priority at most once'),
    z.refine((l) => new Set(l).size === l.length, 'must list each priority at most once'),
    z.describe('the priorities of their team\'s concerns a supervisor is emailed about; empty for none'),
  );

/** `PUT /users/me/notifications`: the signed-in supervisor's choice. */
export const notificationPreferencesSchema = z.strictObject({ priorities: notifyPrioritiesSchema });
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;

/** Office hours in the UK: the on-call address hears of immediate concerns raised outside them. */
export const officeHoursSchema = z.strictObject({
  days: z.array(z.number().check(z.int(), z.gte(1), z.lte(7))).check(z.maxLength(7), z.describe('ISO weekdays (1 Monday … 7 Sunday) the DASV team works')),
  from: z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM'), z.describe('start of the working day, UK time')),
  to: z.string().check(z.regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'must be a time as HH:MM'), z.describe('end of the working day, UK time (24:00 for midnight)')),
});
export type OfficeHours = z.infer<typeof officeHoursSchema>;
export const DEFAULT_OFFICE_HOURS: OfficeHours = { days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' };

const isoWeekday: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Is the instant outside the office hours (UK time, so the clock change is the UK's)? */
export function isOutOfHours(at: Date, hours: OfficeHours): boolean {
  const p = zonedParts(at, 'Europe/London');
  const day = isoWeekday[p['weekday'] ?? ''] ?? 0;
  const time = `${p['hour']}:${p['minute']}`;
  return !(hours.days.includes(day) && time >= hours.from && time < hours.to);
}

/** The message attributes a notification is published with; the filter policies below are written against them. */
export interface NotificationAttributes {
  teamId: string;
  priority: NotificationPriority;
  onCall: 'yes' | 'no';
}

export const notificationAttributes = (n: { teamId: string; priority: NotificationPriority; createdAt: string }, hours: OfficeHours): NotificationAttributes => ({
  teamId: n.teamId,
  priority: n.priority,
  onCall: n.priority === 'immediate' && isOutOfHours(new Date(n.createdAt), hours) ? 'yes' : 'no',
});

/** An SNS filter policy of exact string matches: every key must be among the message attributes, with one of these values. */
export type FilterPolicy = Readonly<Record<string, readonly string[]>>;

/** A supervisor's subscription: their own team's concerns, at the priorities they chose. */
export const supervisorFilterPolicy = (teamId: string, priorities: readonly NotificationPriority[] | undefined): FilterPolicy => ({
  teamId: [teamId],
  priority: [...(priorities ?? DEFAULT_NOTIFY_PRIORITIES)],
});

/** The on-call address's subscription: immediate concerns raised out of hours, of every team. */
export const ON_CALL_FILTER_POLICY: FilterPolicy = { onCall: ['yes'] };

/** SNS's rule for a filter policy of exact matches (an empty list matches nothing). */
export const matchesFilterPolicy = (policy: FilterPolicy, attributes: NotificationAttributes): boolean =>
  Object.entries(policy).every(([key, values]) => values.includes((attributes as unknown as Record<string, string>)[key] ?? '\u0000'));

/** Does a supervisor of this status and role receive notifications at all? (Suspended and departed people do not.) */
export const receivesNotifications = (u: { role: string; status: string }): boolean => u.role === 'supervisor' && (u.status === 'active' || u.status === 'invited');

/** What a person's subscription should be now: a supervisor who may use Waymark hears of their team at their priorities; anyone else nothing. */
export const subscriptionPolicyOf = (u: { role: string; status: string; teamId: string | null; notifyPriorities?: readonly NotificationPriority[] | undefined }): FilterPolicy | null =>
  receivesNotifications(u) && u.teamId ? supervisorFilterPolicy(u.teamId, u.notifyPriorities) : null;
