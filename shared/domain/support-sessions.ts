import * as z from 'zod/mini';
import { contactReferenceSchema } from './contacts';
import { isoDateSchema, ukDate, type IsoDate } from './dates';
import { organisationIdSchema } from './organisations';
import { teamIdSchema } from './roles';
import { strandListSchema, type Strand } from './strands';
import { ageBands, genders, settings } from './taxonomies';

/**
 * Sessions of the peer support network that the DASV team sets up (success
 * criterion 1, "women attending the support network"). A session records no
 * one's identity: its date, the team, the kind of venue (the setting
 * taxonomy, never an address), the strands, who ran it, and attendance as
 * anonymous headcounts by gender and age band. Attendees may show their
 * contact reference card; the supervisor may record the references
 * presented — the check character is verified, and a well-formed reference
 * that was never issued is counted apart (`unknownReferences`), not kept.
 *
 * Who records them: the team's supervisors (and admins for any team). A
 * champion does not, even when their organisation ran the session: headcounts
 * are the DASV team's record of its own network, and a champion's role is
 * the contacts they log; they tell their supervisor the headcount.
 */
export const supportSessionIdSchema = z.string().check(z.regex(/^session-[a-z0-9-]{1,60}$/, 'must be a support session id (session-...)'));

export const MAX_ATTENDANCE_ROWS = 60;
export const MAX_HEADCOUNT = 500;
export const MAX_REFERENCES_PRESENTED = 200;

export const attendanceRowSchema = z.strictObject({
  gender: z.optional(genders.schema).check(z.describe('omit when not recorded')),
  ageBand: z.optional(ageBands.schema).check(z.describe('omit when not recorded')),
  count: z.number().check(z.int('must be a whole number'), z.minimum(1, 'must be at least 1'), z.maximum(MAX_HEADCOUNT, `must be at most ${MAX_HEADCOUNT}`)),
});
export type AttendanceRow = z.infer<typeof attendanceRowSchema>;

const attendanceSchema = z
  .array(attendanceRowSchema)
  .check(
    z.minLength(1, 'must give at least one headcount'),
    z.maxLength(MAX_ATTENDANCE_ROWS, `must list at most ${MAX_ATTENDANCE_ROWS} headcounts`),
    z.refine(
      (rows) => new Set(rows.map((r) => `${r.gender ?? ''}|${r.ageBand ?? ''}`)).size === rows.length,
      'must give each gender and age band once (add the counts together)',
    ),
  );

const referencesSchema = z
  .array(contactReferenceSchema)
  .check(
    z.maxLength(MAX_REFERENCES_PRESENTED, `must list at most ${MAX_REFERENCES_PRESENTED} references`),
    z.refine((list) => new Set(list).size === list.length, 'must not repeat a reference'),
  );

export const runByValues = ['dasv_team', 'partner_organisation'] as const;

const fields = {
  sessionDate: isoDateSchema.check(z.describe('the date of the session (not in the future)')),
  venueKind: settings.schema.check(z.describe('the kind of venue (the setting taxonomy), never an address')),
  strands: strandListSchema.check(z.describe('DASV, hate crime or both')),
  runBy: z.enum(runByValues).check(z.describe('the DASV team, or a partner organisation (then organisationId)')),
  organisationId: organisationIdSchema.check(z.describe('the partner organisation that ran it')),
  attendance: attendanceSchema.check(z.describe('anonymous headcounts by gender and age band; no identities')),
  referencesPresented: referencesSchema.check(z.describe('contact references attendees chose to show (optional); well-formed but never issued ones are counted apart, not kept')),
};

const runByConsistency = (b: { runBy?: string | undefined; organisationId?: string | undefined }, ctx: z.core.$RefinementCtx) => {
  if (b.runBy === 'partner_organisation' && b.organisationId === undefined) ctx.addIssue({ code: 'custom', path: ['organisationId'], message: 'must name the partner organisation that ran the session' });
  if (b.runBy === 'dasv_team' && b.organisationId !== undefined) ctx.addIssue({ code: 'custom', path: ['organisationId'], message: 'must be left out when the DASV team ran the session' });
};

export const createSupportSessionSchema = z
  .strictObject({
    teamId: z.optional(teamIdSchema).check(z.describe('admins: the team whose network it is (supervisors: their own team)')),
    sessionDate: fields.sessionDate,
    venueKind: fields.venueKind,
    strands: fields.strands,
    runBy: fields.runBy,
    organisationId: z.optional(fields.organisationId),
    attendance: fields.attendance,
    referencesPresented: z._default(fields.referencesPresented, []),
  })
  .check(z.superRefine(runByConsistency));
export type CreateSupportSession = z.infer<typeof createSupportSessionSchema>;

export const updateSupportSessionSchema = z
  .strictObject({
    version: z.number().check(z.int(), z.positive(), z.describe('the version the change is based on')),
    sessionDate: z.optional(fields.sessionDate),
    venueKind: z.optional(fields.venueKind),
    strands: z.optional(fields.strands),
    runBy: z.optional(fields.runBy),
    organisationId: z.optional(z.nullable(fields.organisationId)).check(z.describe('null removes it')),
    attendance: z.optional(fields.attendance),
    referencesPresented: z.optional(fields.referencesPresented),
    status: z.optional(z.enum(['active', 'cancelled'])).check(z.describe('cancelled: recorded in error; its headcounts leave the figures')),
  })
  .check(z.refine((b) => Object.keys(b).some((k) => k !== 'version'), { message: 'must change at least one field besides version' }));
export type UpdateSupportSession = z.infer<typeof updateSupportSessionSchema>;

export const supportSessionListQuerySchema = z.strictObject({
  from: z.optional(isoDateSchema).check(z.describe('sessions on or after this date')),
  to: z.optional(isoDateSchema).check(z.describe('sessions on or before this date')),
  teamId: z.optional(teamIdSchema).check(z.describe('admins: the team (default: every team)')),
});

export interface SupportSession {
  id: string;
  teamId: string;
  sessionDate: IsoDate;
  venueKind: z.infer<typeof settings.schema>;
  strands: Strand[];
  runBy: (typeof runByValues)[number];
  organisationId?: string;
  attendance: AttendanceRow[];
  /** Verified references presented (issued by Waymark). */
  referencesPresented: string[];
  /** References presented that were well formed but never issued: counted, not kept. */
  unknownReferences: number;
  status: 'active' | 'cancelled';
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

export const headcount = (s: Pick<SupportSession, 'attendance'>): number => s.attendance.reduce((n, r) => n + r.count, 0);

/** Why a session may not be dated so, or undefined. */
export function sessionDateProblem(date: IsoDate, now: Date): string | undefined {
  return date > ukDate(now) ? 'must not be in the future' : undefined;
}

/** The rule across fields after a change: who ran it and the organisation go together. */
export function sessionConsistency(s: Pick<SupportSession, 'runBy' | 'organisationId'>): Array<{ path: string; message: string }> {
  if (s.runBy === 'partner_organisation' && !s.organisationId) return [{ path: 'organisationId', message: 'must name the partner organisation that ran the session' }];
  if (s.runBy === 'dasv_team' && s.organisationId) return [{ path: 'organisationId', message: 'must be left out when the DASV team ran the session' }];
  return [];
}

/** A session as the API shows it. */
export const supportSessionSchema = z.object({
  id: supportSessionIdSchema,
  teamId: z.string(),
  sessionDate: z.string(),
  venueKind: settings.schema,
  strands: z.array(z.string()),
  runBy: z.enum(runByValues),
  organisationId: z.optional(z.string()),
  attendance: z.array(attendanceRowSchema),
  referencesPresented: z.array(z.string()),
  unknownReferences: z.number(),
  status: z.enum(['active', 'cancelled']),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
