import * as z from 'zod/mini';

/**
 * Retention: how long case records and the audit trail are kept, as an admin
 * sets it (GET/PUT /settings/retention). Pure: the store reads and writes the
 * setting; DynamoDB's TTL removes what has expired.
 *
 * Set in whole years; kept and applied in days (a year is 365.25 days, so six
 * years is 2192 days, the deployment default CONTACT_RETENTION_DAYS).
 */

export const CONTACT_YEARS_MIN = 1;
export const CONTACT_YEARS_MAX = 10;
/** The audit trail outlives the records it describes by at least this long (who saw a record, after it is gone). */
export const AUDIT_YEARS_BEYOND_CONTACTS = 1;
export const AUDIT_YEARS_MAX = 20;

const DAYS_PER_YEAR = 365.25;
export const yearsToDays = (years: number): number => Math.round(years * DAYS_PER_YEAR);

/**
 * The reporting ledger by reference (the Aggregates table's items keyed by a contact reference: its counts per
 * period, and its journey — support network signposting and session dates, the genders its contacts recorded —
 * live and retired) is pseudonymous too. Each item expires this many years after its last change. That outlives
 * every record that changes it (a record is kept at most `CONTACT_YEARS_MAX` years after it was logged, and the
 * aggregator writes the item again when the record expires), so the ledger never goes before its records do.
 */
export const REFERENCE_LEDGER_YEARS = CONTACT_YEARS_MAX + 1;
const SECONDS_PER_DAY = 86_400;
/** The expiry (epoch seconds, the TTL attribute) of a reference ledger item written at `now`. */
export const referenceLedgerExpiry = (now: Date): number => Math.floor(now.getTime() / 1000) + yearsToDays(REFERENCE_LEDGER_YEARS) * SECONDS_PER_DAY;

/** The record types whose expiry follows the contact retention, with what each holds (the retention table of docs/DATA-PROTECTION.md). */
export const retainedRecordTypes = [
  { type: 'contact', holds: 'a contact log: when, setting, strands, kinds, banded demographics, help sought, risk flags, what happened next', follows: 'contacts', from: 'when it was logged' },
  { type: 'signposting', holds: 'a service the person was pointed to, how, and the outcome', follows: 'contacts', from: 'when its contact was logged' },
  { type: 'contactReference', holds: 'that a contact reference was issued, by which team, the first contact\'s date', follows: 'contacts', from: 'the latest contact under it' },
  { type: 'escalation', holds: 'a concern raised to the DASV team, its triage, referral, outcome and history', follows: 'contacts', from: 'when it was raised' },
  { type: 'reference ledger (Aggregates)', holds: 'per contact reference: how many counted contacts it had in a period, and its journey (support network signposting and session dates, the genders its contacts recorded); no identity, no case content', follows: 'ledger', from: 'its last change (it outlives its records; the figures it decided stand after it)' },
  { type: 'audit event', holds: 'who did what to which record, when, from which request (no case content)', follows: 'audit', from: 'when it happened' },
] as const;

export const retentionBodySchema = z
  .strictObject({
    version: z.number().check(z.int(), z.minimum(0), z.describe('the version of the setting read (0 while the deployment default applies)')),
    contactYears: z
      .number()
      .check(
        z.int('must be a whole number of years'),
        z.minimum(CONTACT_YEARS_MIN, `must be at least ${CONTACT_YEARS_MIN} year`),
        z.maximum(CONTACT_YEARS_MAX, `must be at most ${CONTACT_YEARS_MAX} years`),
        z.describe('how long contacts, their signposting, references and escalations are kept after they were logged, in years'),
      ),
    auditYears: z
      .number()
      .check(
        z.int('must be a whole number of years'),
        z.maximum(AUDIT_YEARS_MAX, `must be at most ${AUDIT_YEARS_MAX} years`),
        z.describe(`how long audit events are kept, in years: at least ${AUDIT_YEARS_BEYOND_CONTACTS} year longer than contacts`),
      ),
  })
  .check(
    z.refine((b) => b.auditYears >= b.contactYears + AUDIT_YEARS_BEYOND_CONTACTS, {
      path: ['auditYears'],
      message: `Keep the audit trail at least ${AUDIT_YEARS_BEYOND_CONTACTS} year longer than contacts, so it outlives the records it describes`,
    }),
  );
export type RetentionBody = z.infer<typeof retentionBodySchema>;

export const retentionSchema = z.object({
  contactYears: z.optional(z.number().check(z.describe('as set by an admin (absent while the deployment default applies)'))),
  auditYears: z.optional(z.number().check(z.describe('as set by an admin (absent while the deployment default applies)'))),
  contactDays: z.number().check(z.describe('days a contact and its records are kept: what new records are written with')),
  auditDays: z.number().check(z.describe('days an audit event is kept')),
  source: z.enum(['default', 'set']).check(z.describe('`default`: the deployment\'s CONTACT_RETENTION_DAYS and AUDIT_RETENTION_DAYS; `set`: an admin\'s setting')),
  version: z.number(),
  updatedAt: z.optional(z.string()),
  updatedBy: z.optional(z.string()),
  bounds: z.object({
    contactYears: z.object({ min: z.number(), max: z.number() }),
    auditYearsBeyondContacts: z.number(),
    auditYearsMax: z.number(),
  }),
});
export type Retention = z.infer<typeof retentionSchema>;

export const retentionBounds: Retention['bounds'] = {
  contactYears: { min: CONTACT_YEARS_MIN, max: CONTACT_YEARS_MAX },
  auditYearsBeyondContacts: AUDIT_YEARS_BEYOND_CONTACTS,
  auditYearsMax: AUDIT_YEARS_MAX,
};

/** The stored setting (if any) over the deployment's defaults. */
export function effectiveRetention(
  stored: { contactYears: number; auditYears: number; version: number; updatedAt?: string; updatedBy?: string } | undefined,
  defaults: { contactDays: number; auditDays: number },
): Retention {
  if (!stored) return { ...defaults, source: 'default', version: 0, bounds: retentionBounds };
  return {
    contactYears: stored.contactYears,
    auditYears: stored.auditYears,
    contactDays: yearsToDays(stored.contactYears),
    auditDays: yearsToDays(stored.auditYears),
    source: 'set',
    version: stored.version,
    ...(stored.updatedAt ? { updatedAt: stored.updatedAt } : {}),
    ...(stored.updatedBy ? { updatedBy: stored.updatedBy } : {}),
    bounds: retentionBounds,
  };
}

const DAY_SECONDS = 86_400;

/** When a record written at `now` under `days` of retention expires (epoch seconds, DynamoDB's TTL). */
export const expiryAfter = (now: Date, days: number): number => Math.floor(now.getTime() / 1000) + days * DAY_SECONDS;

/**
 * A retained record's expiry under a new retention: the time it counts from is its expiry less the days it was
 * written with (records written before the setting existed carry none: the deployment default then applied).
 * Undefined when nothing changes.
 */
export function reexpiry(record: { expiresAt: number; retentionDays?: number | undefined }, legacyDays: number, days: number): number | undefined {
  const writtenWith = record.retentionDays ?? legacyDays;
  if (writtenWith === days) return undefined;
  return record.expiresAt + (days - writtenWith) * DAY_SECONDS;
}
