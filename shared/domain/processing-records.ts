import * as z from 'zod/mini';
import type { AuditEvent } from './audit';
import { addDays, daysBetween, fromNotAfterTo, isoDateSchema } from './dates';
import { ruleMessages } from './messages';
import { wholeNumberParameter } from './numbers';

/**
 * Records of processing: every access to case-level data in a period, from the audit trail, as an information
 * governance auditor reads it (UK GDPR Article 30 and an audit of who looked at what). The audit already holds
 * each access; this module says which events are case-level, which columns they are shown in, and how long a
 * period one export may cover. Pure: the store fetches, this decides.
 */

/**
 * The actions that touch case-level data (contacts, their signposting, concerns and their risk checklist, the
 * caseload, support sessions, the notification outbox, the rights of the person holding a reference). Champions,
 * teams, courses, users, settings and reports are not case-level: reports are aggregates under disclosure control.
 */
export const caseLevelActionPrefixes = ['contacts.', 'escalations.', 'caseload.', 'supportSessions.', 'notifications.', 'rights.'] as const;

export const isCaseLevelAction = (action: string): boolean => caseLevelActionPrefixes.some((p) => action.startsWith(p));

/** Actions that only show data; every other case-level action changes it (or, for an erasure, removes it). */
const viewingActions = new Set(['contacts.list', 'contacts.read', 'escalations.list', 'escalations.read', 'caseload.read', 'supportSessions.list', 'supportSessions.read', 'notifications.list', 'rights.access']);

/** The longest period one export covers: a month of hourly audit partitions, read within one request's time. */
export const EXPORT_MAX_DAYS = 31;
/**
 * Rows in one part of the export. A row is at most about 600 bytes (the audit's ids are bounded: a record id 200
 * characters, a user id 128), so a part stays under 3 MB, half of Lambda's 6 MB response limit, JSON-escaped or not.
 */
export const EXPORT_PART_ROWS = 5000;

export const processingExportQuerySchema = z
  .strictObject({
    from: isoDateSchema.check(z.describe('first day of the period (UTC), YYYY-MM-DD')),
    to: isoDateSchema.check(z.describe('last day of the period (UTC), inclusive, YYYY-MM-DD')),
    limit: z._default(wholeNumberParameter(1, EXPORT_PART_ROWS), EXPORT_PART_ROWS).check(z.meta({ default: String(EXPORT_PART_ROWS) })),
    cursor: z.optional(z.string().check(z.maxLength(2048, 'is too long'))).check(z.describe('the next part, as the Link header (rel="next") of the previous part gives it')),
  })
  .check(
    fromNotAfterTo(),
    z.refine((q) => q.from > q.to || daysBetween(q.from, q.to) < EXPORT_MAX_DAYS, { path: ['to'], message: ruleMessages.rangeTooLong(`${EXPORT_MAX_DAYS - 1} days`) }),
  );
export type ProcessingExportQuery = z.infer<typeof processingExportQuerySchema>;

/** The instants a period of whole UTC days covers: from its first midnight up to the last millisecond of its last day. */
export const periodInstants = (q: ProcessingExportQuery): { from: string; to: string } => ({
  from: `${q.from}T00:00:00.000Z`,
  to: new Date(Date.parse(`${addDays(q.to, 1)}T00:00:00.000Z`) - 1).toISOString(),
});

/** The columns, in order, with what each holds: the header row, and the list in the API document and DATA-PROTECTION.md. */
export const processingColumns = [
  ['when_utc', 'When it happened (ISO 8601, UTC)'],
  ['actor_role', 'The role of who did it: champion, supervisor, commissioner or admin'],
  ['actor_id', 'Who did it, by their pseudonymous sign-in identity (the identity provider resolves it to a person)'],
  ['actor_team', 'The team of who did it, if they have one'],
  ['action', 'What was done, e.g. contacts.read'],
  ['access', 'viewed (only shown) or changed (created, updated, moved on or erased)'],
  ['record_kind', 'The kind of record, e.g. contact, escalation, team (a list of a team\'s records)'],
  ['record_id', 'The record\'s id (random; no case content)'],
  ['team', 'The team the record belongs to'],
  ['outcome', 'success, or denied (an attempt the policy refused)'],
  ['request_id', 'The request it was done in, to trace it in the logs'],
] as const;

export const processingCsvHeader = processingColumns.map(([name]) => name);

/** One event as a row of the export: the audit's own facts, nothing of the record's content. */
export const processingRow = (e: AuditEvent): string[] => [
  e.at,
  e.actor.role,
  e.actor.sub,
  e.actor.team ?? '',
  e.action,
  viewingActions.has(e.action) ? 'viewed' : 'changed',
  e.entityType,
  e.entityId,
  e.teamId ?? '',
  e.outcome,
  e.requestId,
];
