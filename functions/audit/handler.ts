import * as z from 'zod/mini';
import { hourOf, verificationReportSchema } from '../../shared/domain/audit-seal';
import { auditEventSchema } from '../../shared/domain/audit';
import { EARLIEST_DATE, fromNotAfterTo, isPlausibleDate, LATEST_DATE } from '../../shared/domain/dates';
import { badRequest } from '../../shared/domain/errors';
import { ruleMessages } from '../../shared/domain/messages';
import { scopeOf } from '../../shared/domain/policy';
import { createApiHandler, defineOperation } from '../../shared/http/pipeline';
import { pageSchema } from '../../shared/store/pagination';
import { auditRead } from '../../shared/store/audit';
import { listAuditEvents, type AuditQuery } from '../../shared/store/audit-query';
import { verifyAuditRange } from '../../shared/store/audit-verify';
import { pageQuerySchema } from '../../shared/store/pagination';
import { toCsv } from '../../shared/domain/csv';
import { caseLevelActionPrefixes, periodInstants, processingCsvHeader, processingExportQuerySchema, processingRow } from '../../shared/domain/processing-records';

/** The longest time range one request may ask for (31 days of hourly partitions). */
export const MAX_RANGE_DAYS = 31;
const DAY_MS = 86_400_000;

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-05-01T09:00:00Z' });
/** The canonical form of an instant, as `at` is stored. */
const instant = z.pipe(isoTime, z.transform((s: string) => new Date(s).toISOString())).check(
  z.refine(isPlausibleDate, `must be between ${EARLIEST_DATE} and ${LATEST_DATE}`),
);

const entity = z
  .string()
  .check(
    z.maxLength(240, 'is too long'),
    z.regex(/^[A-Za-z][A-Za-z0-9-]{0,39}:[^\u0000-\u001f#]{1,200}$/, 'must be <entityType>:<entityId>, e.g. team:team-a'),
  );

const listQuerySchema = z
  .strictObject({
    entity: z.optional(entity),
    actor: z.optional(z.string().check(z.minLength(1), z.maxLength(128, 'is too long'), z.regex(/^[^\u0000-\u001f#]+$/, 'is not a user id'))),
    from: z.optional(instant),
    to: z.optional(instant),
    ...pageQuerySchema.shape,
  })
  .check(fromNotAfterTo(), z.superRefine((q, ctx) => {
    if (q.entity && q.actor) ctx.addIssue({ code: 'custom', path: ['actor'], message: 'Search by record, by user or by time, not by record and user together' });
    if (!q.entity && !q.actor && (!q.from || !q.to)) {
      ctx.addIssue({ code: 'custom', path: [q.from ? 'to' : 'from'], message: 'Enter a time to search from and to, or a record or a user' });
    }
    if (!q.entity && !q.actor && q.from && q.to && Date.parse(q.to) - Date.parse(q.from) > MAX_RANGE_DAYS * DAY_MS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: ruleMessages.rangeTooLong(`${MAX_RANGE_DAYS} days`) });
    }
  }));

function toAuditQuery(q: z.infer<typeof listQuerySchema>): AuditQuery {
  if (q.entity) {
    const colon = q.entity.indexOf(':');
    return { mode: 'entity', entityType: q.entity.slice(0, colon), entityId: q.entity.slice(colon + 1), from: q.from, to: q.to };
  }
  if (q.actor) return { mode: 'actor', sub: q.actor, from: q.from, to: q.to };
  return { mode: 'time', from: q.from as string, to: q.to as string };
}

/**
 * GET /audit/events — admins: every event; supervisors: only events of
 * their own team's records (whatever the mode, the page holds only events
 * whose teamId is their team). The query itself is audited before the page
 * is returned.
 */
const list = defineOperation({
  query: listQuerySchema,
  responses: { 200: { description: 'A page of audit events, newest first', body: pageSchema(auditEventSchema) } },
  async run({ query, request }) {
    const { principal } = request;
    const teamOnly = scopeOf(principal.role, 'audit.list') === 'team';
    const q = toAuditQuery(query);
    const page = teamOnly && !principal.team
      ? { items: [], nextCursor: null }
      : await listAuditEvents(q, query, teamOnly ? principal.team : undefined);
    const described =
      q.mode === 'entity' ? { entityType: q.entityType, entityId: q.entityId }
      : q.mode === 'actor' ? { entityType: 'auditActor', entityId: q.sub }
      : { entityType: 'auditHours', entityId: `${q.from}/${q.to}` };
    await auditRead(request.scope, { action: 'audit.list', ...described, teamId: teamOnly ? principal.team : undefined });
    return { body: page };
  },
});

const verifyBodySchema = z
  .strictObject({ from: instant, to: instant })
  .check(
    fromNotAfterTo(),
    z.refine((b) => Date.parse(b.to) - Date.parse(b.from) <= MAX_RANGE_DAYS * DAY_MS, {
      path: ['to'],
      message: ruleMessages.rangeTooLong(`${MAX_RANGE_DAYS} days (for longer ranges, use npm run audit:verify)`),
    }),
  );

/** POST /audit/verify — admins: re-check the hours from `from` to `to` against their digests. */
const verify = defineOperation({
  body: verifyBodySchema,
  responses: { 200: { description: 'What was checked and every break found (ok: false when any)', body: verificationReportSchema } },
  async run({ body, request }) {
    if (body.from > body.to) throw badRequest('to must not be before from');
    await auditRead(request.scope, { action: 'audit.verify', entityType: 'auditHours', entityId: `${body.from}/${body.to}` });
    const report = await verifyAuditRange(hourOf(body.from), hourOf(body.to));
    return { body: report };
  },
});

/**
 * GET /audit/export — admins: the records of processing of a period (every access to case-level data), as CSV,
 * newest first, in parts of at most `limit` rows; each part's Link header (rel="next") names the next. Every part
 * is audited before it is sent.
 */
const exportRecords = defineOperation({
  query: processingExportQuerySchema,
  responses: {
    200: {
      description: 'One part of the records of processing as RFC 4180 CSV (header row first, in every part); Link: <…>; rel="next" while more remain',
      body: z.string().check(z.describe('text/csv')),
      alternatives: { 'text/csv': 'The records of processing: when_utc, actor_role, actor_id, actor_team, action, access, record_kind, record_id, team, outcome, request_id' },
    },
  },
  async run({ query, request }) {
    const period = periodInstants(query);
    const page = await listAuditEvents({ mode: 'time', ...period }, query, undefined, caseLevelActionPrefixes);
    await auditRead(request.scope, { action: 'audit.export', entityType: 'auditHours', entityId: `${period.from}/${period.to}` });
    return {
      rawBody: toCsv([processingCsvHeader, ...page.items.map(processingRow)]),
      nextCursor: page.nextCursor,
      headers: {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': `attachment; filename="waymark-records-of-processing-${query.from}-${query.to}.csv"`,
      },
    };
  },
});

export const handler = createApiHandler({ 'GET /audit/export': exportRecords, 'GET /audit/events': list, 'POST /audit/verify': verify });
