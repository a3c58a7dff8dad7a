import * as z from 'zod/mini';
import { versionSchema } from './numbers';
import { freeText, oneLineText } from './text';
import { parseContactReference, referenceProblemMessages } from './contact-reference';
import { addDays, isoDateSchema, ukDate, type IsoDate } from './dates';
import type { FieldIssue } from './errors';
import { ruleMessages } from './messages';
import { describeFindings, findPersonalData } from './personal-data';
import { serviceIdSchema } from './services';
import { strandListSchema, strandSchema, type Strand } from './strands';
import {
  ageBands,
  dasvForms,
  ethnicGroups,
  genders,
  hateIncidentKinds,
  hateMotivations,
  priorHelp,
  religions,
  riskFlags,
  settings,
  signpostingModes,
  signpostingOutcomes,
} from './taxonomies';

/**
 * Anonymised contact logs. Privacy is enforced by the schema itself: there is
 * no field for a name, address, phone, email, date of birth or exact age;
 * unknown keys are refused (strict objects); ethnic group and religion are
 * closed census categories; the only free text — the note, the language, a
 * deletion reason — is checked for personal
 * data before anything is stored, and the refusal names the kind of data and
 * its position, never the value.
 */
export const contactIdSchema = z.string().check(z.regex(/^contact-[a-z0-9-]{1,60}$/, 'must be a contact id (contact-...)'));
export const signpostingIdSchema = z.string().check(z.regex(/^sp-[a-z0-9-]{1,60}$/, 'must be a signposting id (sp-...)'));

import { CORRECTION_WINDOW_HOURS } from './contact-defaults';
export { CORRECTION_WINDOW_HOURS, DEFAULT_CONTACT_RETENTION_DAYS, DEFAULT_LOG_WINDOW_DAYS } from './contact-defaults';
export const NOTE_MAX_LENGTH = 500;
export const MAX_SIGNPOSTING = 10;

/**
 * Free text that must not identify anyone: the text policy (text.ts) first,
 * then the personal-data detector on the normalised text.
 */
export const safeText = (max: number) =>
  freeText(max).check(
    z.superRefine((text, ctx) => {
      const findings = findPersonalData(text);
      if (findings.length > 0) ctx.addIssue({ code: 'custom', message: describeFindings(findings) });
    }),
  );

/** A language in words: no digits or symbols, so it cannot carry a number, address or handle. */
const words = oneLineText(60).check(
  z.regex(/^[\p{L}\p{M}][\p{L}\p{M} '’().,/&-]{0,59}$/u, 'must be words only (letters, spaces, hyphens), at most 60 characters'),
);

const uniqueList = <T extends z.ZodMiniType>(item: T, what: string, max: number) =>
  z
    .array(item)
    .check(
      z.maxLength(max, `must list at most ${max} ${what}`),
      z.refine((list) => new Set(list).size === list.length, ruleMessages.repeated(what)),
    );

/** A reference the person quotes: any case, with or without dashes; canonical `WM-XXXX-XX` after parsing. */
export const contactReferenceSchema = z.pipe(
  z.string().check(z.maxLength(20, 'is not a contact reference (WM-XXXX-XX)')),
  z.transform((input: string, ctx) => {
    const parsed = parseContactReference(input);
    if (parsed.ok) return parsed.reference;
    // zod/mini's transform context has no addIssue (classic's adds it); the issue is pushed as addIssue would.
    ctx.issues.push({
      code: 'custom',
      input,
      message: referenceProblemMessages[parsed.problem],
    });
    return z.NEVER;
  }),
);

export const demographicsSchema = z.strictObject({
  ageBand: z.optional(ageBands.schema),
  gender: z.optional(genders.schema),
  ethnicGroup: z.optional(ethnicGroups.schema).check(z.describe('ONS 2021 Census ethnic group, or prefer_not_to_say')),
  religion: z.optional(religions.schema).check(z.describe('ONS 2021 Census religion, or prefer_not_to_say')),
  language: z.optional(words).check(z.describe('the language the contact was in')),
  interpreterNeeded: z.optional(z.boolean()),
});
export type Demographics = z.infer<typeof demographicsSchema>;

export const signpostingInputSchema = z.strictObject({
  serviceId: serviceIdSchema,
  mode: signpostingModes.schema,
});
export type SignpostingInput = z.infer<typeof signpostingInputSchema>;

const signpostingList = z
  .array(signpostingInputSchema)
  .check(
    z.minLength(1, 'must name at least one service'),
    z.maxLength(MAX_SIGNPOSTING, `must list at most ${MAX_SIGNPOSTING} services`),
    z.refine((list) => new Set(list.map((s) => s.serviceId)).size === list.length, ruleMessages.repeated('service')),
  );

/** Every field of a contact a champion enters, each optional: the create schema requires some, a correction may send any. */
const fields = {
  contactDate: isoDateSchema.check(z.describe('the date of the contact (not in the future, nor older than the logging window)')),
  setting: settings.schema,
  strands: strandListSchema.check(z.describe('DASV, hate crime or both')),
  dasvForms: uniqueList(dasvForms.schema, 'forms', dasvForms.values.length).check(z.describe('for a DASV contact: the forms of abuse')),
  hateMotivations: uniqueList(hateMotivations.schema, 'motivations', hateMotivations.values.length).check(
    z.describe('for a hate crime contact: the monitored strands the incident is perceived to target'),
  ),
  hateIncidentKinds: uniqueList(hateIncidentKinds.schema, 'kinds', hateIncidentKinds.values.length).check(
    z.describe('for a hate crime contact: what happened'),
  ),
  demographics: demographicsSchema.check(z.describe('all optional and banded')),
  priorHelp: uniqueList(priorHelp.schema, 'answers', priorHelp.values.length)
    .check(z.minLength(1, 'must say whether the person had sought help before (none, or from whom)'))
    .check(z.describe('whether the person had sought help before, and from whom')),
  beforePoliceOrEmergency: z
    .boolean()
    .check(z.describe('"earlier help": this contact comes before any police or emergency involvement')),
  riskFlags: uniqueList(riskFlags.schema, 'flags', riskFlags.values.length),
  note: safeText(NOTE_MAX_LENGTH).check(z.describe('optional short note for the supervisor; refused if it contains personal data')),
  signposting: signpostingList.check(z.describe('the services the person was signposted to')),
};

export interface ContactFields {
  contactDate: IsoDate;
  setting: z.infer<typeof settings.schema>;
  strands: Strand[];
  dasvForms: z.infer<typeof dasvForms.schema>[];
  hateMotivations: z.infer<typeof hateMotivations.schema>[];
  hateIncidentKinds: z.infer<typeof hateIncidentKinds.schema>[];
  demographics: Demographics;
  priorHelp: z.infer<typeof priorHelp.schema>[];
  beforePoliceOrEmergency: boolean;
  riskFlags: z.infer<typeof riskFlags.schema>[];
  note?: string | undefined;
}

/**
 * The rules across fields, for a new contact and for a corrected one alike:
 * the taxonomy of each strand is filled exactly when the strand is chosen;
 * "none" stands alone; a contact after police or 999 help is not earlier help.
 */
export function contactConsistency(c: Partial<ContactFields>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const strands = c.strands ?? [];
  const need = (field: keyof ContactFields, list: unknown[] | undefined, strand: Strand, what: string, whats: string) => {
    const has = (list ?? []).length > 0;
    const name = strand === 'dasv' ? 'DASV' : 'hate crime';
    if (strands.includes(strand) && !has) issues.push({ path: field, message: ruleMessages.strandNeeds(what, name) });
    if (!strands.includes(strand) && has) issues.push({ path: field, message: ruleMessages.strandExcludes(whats, name) });
  };
  need('dasvForms', c.dasvForms, 'dasv', 'form of abuse', 'forms of abuse');
  need('hateMotivations', c.hateMotivations, 'hate_crime', 'motivation', 'motivations');
  need('hateIncidentKinds', c.hateIncidentKinds, 'hate_crime', 'kind of incident', 'kinds of incident');
  if ((c.priorHelp ?? []).includes('none') && (c.priorHelp ?? []).length > 1) {
    issues.push({ path: 'priorHelp', message: ruleMessages.noneAlone });
  }
  if (c.beforePoliceOrEmergency === true && (c.priorHelp ?? []).includes('police_or_999')) {
    issues.push({ path: 'beforePoliceOrEmergency', message: ruleMessages.notEarlierHelpAfterPolice });
  }
  return issues;
}

const addIssues = (issues: FieldIssue[], ctx: z.core.$RefinementCtx) => {
  for (const issue of issues) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
};

export const createContactSchema = z
  .strictObject({
    contactDate: fields.contactDate,
    setting: fields.setting,
    strands: fields.strands,
    dasvForms: z._default(fields.dasvForms, []),
    hateMotivations: z._default(fields.hateMotivations, []),
    hateIncidentKinds: z._default(fields.hateIncidentKinds, []),
    demographics: z._default(fields.demographics, {}),
    priorHelp: fields.priorHelp,
    beforePoliceOrEmergency: fields.beforePoliceOrEmergency,
    riskFlags: z._default(fields.riskFlags, []),
    signposting: fields.signposting,
    note: z.optional(fields.note),
    contactReference: z
      .optional(contactReferenceSchema)
      .check(z.describe('a repeat contact: the reference the person was given before; omit to issue a new one')),
  })
  .check(z.superRefine((body, ctx) => addIssues(contactConsistency(body), ctx)));
export type CreateContact = z.infer<typeof createContactSchema>;

/** A correction: the version read and the fields that change (the note may be removed with null). */
export const updateContactSchema = z
  .strictObject({
    version: versionSchema,
    contactDate: z.optional(fields.contactDate),
    setting: z.optional(fields.setting),
    strands: z.optional(fields.strands),
    dasvForms: z.optional(fields.dasvForms),
    hateMotivations: z.optional(fields.hateMotivations),
    hateIncidentKinds: z.optional(fields.hateIncidentKinds),
    demographics: z.optional(fields.demographics),
    priorHelp: z.optional(fields.priorHelp),
    beforePoliceOrEmergency: z.optional(fields.beforePoliceOrEmergency),
    riskFlags: z.optional(fields.riskFlags),
    note: z.optional(z.nullable(fields.note)).check(z.describe('null removes the note')),
    signposting: z.optional(fields.signposting).check(z.describe('the full list after the correction; outcomes of services kept are kept')),
  })
  .check(z.refine((b) => Object.keys(b).some((k) => k !== 'version'), { message: ruleMessages.changeSomething }));
export type UpdateContact = z.infer<typeof updateContactSchema>;

export const deleteContactSchema = z.strictObject({
  reason: safeText(NOTE_MAX_LENGTH).check(z.describe('why the contact is deleted (kept for the audit trail); no personal data')),
});

export const outcomeSchema = z.strictObject({ outcome: signpostingOutcomes.schema });

const booleanQuery = z.pipe(z.enum(['true', 'false']), z.transform((v: 'true' | 'false') => v === 'true'));

export const contactListFilterSchema = z.strictObject({
  strand: z.optional(strandSchema),
  from: z.optional(isoDateSchema).check(z.describe('contacts on or after this date')),
  to: z.optional(isoDateSchema).check(z.describe('contacts on or before this date')),
  riskFlag: z.optional(riskFlags.schema),
  hasEscalation: z.optional(booleanQuery),
  includeDeleted: z.optional(booleanQuery).check(z.describe('supervisors: include deleted contacts (default false)')),
  teamId: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a team id'))).check(z.describe('admins: the team')),
});
export type ContactListFilter = z.infer<typeof contactListFilterSchema>;

export const contactStatusSchema = z.enum(['active', 'deleted']);
export type ContactStatus = z.infer<typeof contactStatusSchema>;

/**
 * A contact as stored: the fields the champion entered and what the store
 * adds. This schema decides what a stored item holds and what is read back
 * (the keys, `type` and the escalation's id stay in the item).
 */
export const contactRecordSchema = z.object({
  id: z.string(),
  teamId: z.string(),
  championId: z.string(),
  /** The sign-in identity of the champion who logged it (the owner, for the policy). */
  championSub: z.string(),
  contactDate: isoDateSchema,
  setting: fields.setting,
  strands: fields.strands,
  dasvForms: fields.dasvForms,
  hateMotivations: fields.hateMotivations,
  hateIncidentKinds: fields.hateIncidentKinds,
  demographics: demographicsSchema,
  priorHelp: fields.priorHelp,
  beforePoliceOrEmergency: z.boolean(),
  riskFlags: fields.riskFlags,
  note: z.optional(z.string()),
  contactReference: z.string(),
  /** The person quoted a reference they had been given: a repeat contact. */
  repeatContact: z.boolean(),
  /** Set when an escalation is raised from this contact. */
  hasEscalation: z.boolean(),
  status: contactStatusSchema,
  deletedReason: z.optional(z.string()),
  deletedBy: z.optional(z.string()),
  deletedAt: z.optional(z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  version: z.number(),
  /** When DynamoDB's TTL removes the record (epoch seconds). */
  expiresAt: z.number(),
});
export type Contact = z.infer<typeof contactRecordSchema>;

/** One service a contact was signposted to: as stored with its contact, and as the API shows it. */
export const signpostingSchema = z.object({
  id: signpostingIdSchema,
  contactId: contactIdSchema,
  serviceId: serviceIdSchema,
  serviceKind: z.string().check(z.describe("the service's kind when it was chosen (a later change does not rewrite history)")),
  serviceName: z.string().check(z.describe("the service's name when it was chosen")),
  mode: signpostingModes.schema,
  outcome: z.optional(signpostingOutcomes.schema),
  outcomeRecordedAt: z.optional(z.string()),
  outcomeRecordedBy: z.optional(z.string()),
});
export type Signposting = z.infer<typeof signpostingSchema>;

/** A contact as the API shows it: what the champion recorded, its reference, state and signposting (never the champion's sign-in identity). */
export const contactViewSchema = z.extend(z.omit(contactRecordSchema, { championSub: true, expiresAt: true }), {
  id: contactIdSchema,
  contactReference: z.string().check(z.describe('the reference the person may quote on a repeat contact (WM-XXXX-XX)')),
  repeatContact: z.boolean().check(z.describe('the person quoted a reference they had been given')),
  version: z.number().check(z.int(), z.positive()),
  signposting: z.array(signpostingSchema),
  retainedUntil: isoDateSchema.check(z.describe('the date after which the record is removed (retention)')),
});
export type ContactView = z.infer<typeof contactViewSchema>;

/** A contact in a list: its view without the signposting. */
export const contactSummarySchema = z.omit(contactViewSchema, { signposting: true });
export type ContactSummary = z.infer<typeof contactSummarySchema>;

/**
 * What a signposting item carries of its contact's demographics, so that signposting figures (success criterion 2,
 * "women signposted") can be broken down without reading the contact: gender and age band, null when not recorded.
 */
export const signpostingDemographics = (c: Pick<ContactFields, 'demographics'>) => ({
  gender: c.demographics.gender ?? null,
  ageBand: c.demographics.ageBand ?? null,
});


export function contactView(contact: Contact, signposting: Signposting[]): ContactView {
  const { expiresAt, championSub: _sub, ...rest } = contact;
  return {
    ...rest,
    signposting: [...signposting].sort((a, b) => a.id.localeCompare(b.id)),
    retainedUntil: new Date(expiresAt * 1000).toISOString().slice(0, 10),
  };
}

/** Whose a contact is, for the policy: its team's, and the champion's who logged it. */
export const contactScope = ({ contact }: { contact: Pick<Contact, 'teamId' | 'championSub'> }) => ({ teamId: contact.teamId, ownerSub: contact.championSub });

/** A contact in a list (`contactSummarySchema`). */
export function contactSummary(contact: Contact): ContactSummary {
  const { signposting: _none, ...rest } = contactView(contact, []);
  return rest;
}

/**
 * A deleted contact is kept for the audit trail: supervisors and admins may
 * still read it; nothing else happens to it, and its champion no longer sees it.
 */
export const hiddenWhenDeleted = (contact: Pick<Contact, 'status'>, action: string, role: string): boolean =>
  contact.status === 'deleted' && (action !== 'contacts.read' || role === 'champion');

/** Why a champion may not date a contact so, or undefined. */
export function contactDateProblem(date: IsoDate, now: Date, windowDays: number): string | undefined {
  const today = ukDate(now);
  if (date > today) return ruleMessages.notInFuture;
  const earliest = addDays(today, -windowDays);
  if (date < earliest) return `must be within the last ${windowDays} days`;
  return undefined;
}

/** May the contact still be corrected (within the window after it was logged)? */
export const correctable = (contact: Pick<Contact, 'createdAt'>, now: Date): boolean =>
  now.getTime() - Date.parse(contact.createdAt) < CORRECTION_WINDOW_HOURS * 3_600_000;

/** Does a contact pass the list's filters (those that are not part of the key condition)? */
export function matchesContactFilter(contact: Contact, filter: ContactListFilter): boolean {
  if (contact.status === 'deleted' && !filter.includeDeleted) return false;
  if (filter.strand !== undefined && !contact.strands.includes(filter.strand)) return false;
  if (filter.riskFlag !== undefined && !contact.riskFlags.includes(filter.riskFlag)) return false;
  if (filter.hasEscalation !== undefined && contact.hasEscalation !== filter.hasEscalation) return false;
  return true;
}
