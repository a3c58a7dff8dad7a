import * as z from 'zod/mini';
import { ruleMessages } from './messages';
import { versionSchema } from './numbers';
import { freeText, nameText } from './text';
import { strandListSchema, strandSchema, type Strand } from './strands';
import { serviceKinds } from './taxonomies';
import { languageCodes, type Language } from './locales';

/**
 * The service directory: where champions signpost people to. Admins add and
 * retire services; a retired service stays valid on the records that name it
 * but cannot be chosen for a new one. Only the *service's* own contact
 * details are held here, never a person's.
 */
export const serviceIdSchema = z.string().check(z.regex(/^service-[a-z0-9-]{1,60}$/, 'must be a service id (service-...)'));

export const serviceStatusSchema = z.enum(['active', 'retired']);
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;
export type ServiceKind = z.infer<typeof serviceKinds.schema>;

const name = nameText(120);
const languages = z
  .array(nameText(40))
  .check(
    z.maxLength(30, 'must list at most 30 languages'),
    z.refine((list) => new Set(list.map((l) => l.toLowerCase())).size === list.length, 'must not repeat a language'),
  );
const howToRefer = freeText(500);
/**
 * What the service does, in one sentence, per language of the signposting
 * card (issue 21): the person reads it in their own language, English where
 * none is written. Keys are the card's languages; the map is replaced whole.
 */
const descriptions = z.partialRecord(z.enum(languageCodes), freeText(300));
export type ServiceDescriptions = Partial<Record<Language, string>>;
/** A service's public number: digits, spaces, +, brackets and dashes (999, 101, 0808 2000 247, +44 ...). */
const phone = z
  .string()
  .check(z.trim(), z.regex(/^\+?[0-9][0-9 ()-]{1,22}$/, 'must be a phone number of digits, spaces, brackets, dashes and an optional leading +'));
const website = z
  .string()
  .check(
    z.trim(),
    z.maxLength(300, 'must be at most 300 characters'),
    z.url('must be a web address'),
    z.refine((u) => u.startsWith('https://'), 'must start with https://'),
  );

export const createServiceSchema = z.strictObject({
  name,
  kind: serviceKinds.schema,
  strands: strandListSchema.check(z.describe('the strands the service serves')),
  languages: z._default(languages, []).check(z.describe('languages the service works in, beyond English')),
  howToRefer: howToRefer.check(z.describe('how a champion refers or signposts to the service')),
  phone: z.optional(phone).check(z.describe("the service's public phone number")),
  website: z.optional(website).check(z.describe("the service's public website")),
  descriptions: z.optional(descriptions).check(z.describe('what the service does, one sentence per language (en, ar, ur, pl, ro, lt, pt, pa, so); English is the fallback')),
});
export type CreateService = z.infer<typeof createServiceSchema>;

export const updateServiceSchema = z
  .strictObject({
    version: versionSchema,
    name: z.optional(name),
    kind: z.optional(serviceKinds.schema),
    strands: z.optional(strandListSchema),
    languages: z.optional(languages),
    howToRefer: z.optional(howToRefer),
    phone: z.optional(z.nullable(phone)).check(z.describe('null removes it')),
    website: z.optional(z.nullable(website)).check(z.describe('null removes it')),
    descriptions: z.optional(descriptions).check(z.describe('replaces every language\'s description')),
    status: z.optional(serviceStatusSchema).check(z.describe('retire (or reinstate) the service')),
  })
  .check(z.refine((b) => Object.keys(b).some((k) => k !== 'version'), { message: ruleMessages.changeSomething }));
export type UpdateService = z.infer<typeof updateServiceSchema>;

export const serviceListQuerySchema = z.strictObject({
  strand: z.optional(z.enum(['dasv', 'hate_crime'])),
  kind: z.optional(serviceKinds.schema),
  status: z._default(z.enum(['active', 'retired', 'all']), 'active').check(z.describe('active services only, unless asked')),
});

export const serviceSchema = z.object({
  id: serviceIdSchema,
  name: z.string(),
  kind: serviceKinds.schema,
  kindLabel: z.string(),
  strands: z.array(strandSchema),
  languages: z.array(z.string()),
  howToRefer: z.string(),
  phone: z.optional(z.string()),
  website: z.optional(z.string()),
  descriptions: z.partialRecord(z.enum(languageCodes), z.string()).check(z.describe('what the service does, by language')),
  status: serviceStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().check(z.int(), z.positive()),
});
export type Service = z.infer<typeof serviceSchema>;

/** A service as stored: everything the API shows but the kind's label, which is derived. */
export const serviceRecordSchema = z.omit(serviceSchema, { kindLabel: true });
export type ServiceRecord = z.infer<typeof serviceRecordSchema>;

/** The service as the API shows it, from its record (services added before languages or descriptions have none). */
export const serviceFromRecord = (record: ServiceRecord): Service => ({
  ...record,
  kindLabel: serviceKinds.labels[record.kind] ?? record.kind,
  languages: record.languages ?? [],
  descriptions: record.descriptions ?? {},
});

/** Why a service cannot be chosen for a contact of these strands, or undefined if it can. */
export function unusableService(service: Service | undefined, strands: readonly Strand[]): string | undefined {
  if (!service) return 'Select a service from the directory';
  if (service.status !== 'active') return 'Select another service: this one has been retired';
  if (!service.strands.some((s) => strands.includes(s))) return 'Select a service that serves what the contact is about';
  return undefined;
}

type SeedService = Omit<CreateService, 'languages'> & { id: string; languages?: string[] };

/**
 * The directory a new installation starts with: the brief's list. Public
 * numbers only where they are national and certain (999/101, the National
 * Domestic Abuse Helpline); local services are left for the admin to complete.
 */
export const seedServices: readonly SeedService[] = [
  {
    id: 'service-police', name: 'Police (999 in an emergency, 101 otherwise)', kind: 'police', strands: ['dasv', 'hate_crime'], phone: '999',
    howToRefer: 'Emergency: call 999 (on a mobile, unable to speak: call 999 and press 55 when prompted). Non-emergency and reporting: 101.',
  },
  {
    id: 'service-idva', name: 'IDVA service (independent domestic violence advisers)', kind: 'idva', strands: ['dasv'],
    howToRefer: 'Referral with consent through the DASV team; self-referral accepted.',
  },
  {
    id: 'service-da-outreach', name: "Local domestic abuse outreach / Women's Aid service", kind: 'da_outreach', strands: ['dasv'],
    howToRefer: 'Self-referral or referral with consent; the DASV team holds the local contact details.',
  },
  { id: 'service-refuge', name: 'Refuge accommodation', kind: 'refuge', strands: ['dasv'], howToRefer: 'Through the National Domestic Abuse Helpline or the local outreach service.' },
  {
    id: 'service-national-da-helpline', name: 'National Domestic Abuse Helpline', kind: 'national_helpline', strands: ['dasv'], phone: '0808 2000 247',
    howToRefer: 'Free, 24 hours: the person calls the helpline themselves.',
  },
  { id: 'service-marac', name: 'MARAC (via the DASV team)', kind: 'marac', strands: ['dasv'], howToRefer: 'Only through the DASV team, which refers on a DASH assessment or professional judgement.' },
  { id: 'service-mash', name: "Children's safeguarding (MASH)", kind: 'childrens_safeguarding', strands: ['dasv', 'hate_crime'], howToRefer: 'Through the DASV team or the MASH front door; in an emergency call 999.' },
  { id: 'service-adult-safeguarding', name: 'Adult safeguarding', kind: 'adult_safeguarding', strands: ['dasv', 'hate_crime'], howToRefer: "Through the DASV team or the council's adult social care front door." },
  { id: 'service-sarc-isva', name: 'Sexual assault referral centre (SARC) / ISVA', kind: 'sarc_isva', strands: ['dasv'], howToRefer: 'Self-referral or referral with consent; the DASV team holds the local contact details.' },
  { id: 'service-victim-support', name: 'Victim Support', kind: 'victim_support', strands: ['dasv', 'hate_crime'], howToRefer: 'Self-referral or referral with consent.' },
  { id: 'service-true-vision', name: 'True Vision (online hate crime reporting)', kind: 'hate_crime_reporting', strands: ['hate_crime'], howToRefer: 'The person (or the champion, as a third-party reporting centre, with consent) reports online.' },
  { id: 'service-stop-hate-uk', name: 'Stop Hate UK', kind: 'hate_crime_reporting', strands: ['hate_crime'], howToRefer: 'Self-referral; reporting and support line.' },
  { id: 'service-tell-mama', name: 'Tell MAMA', kind: 'specialist_hate_crime_support', strands: ['hate_crime'], howToRefer: 'Self-referral; reports and support for anti-Muslim hatred.' },
  { id: 'service-cst', name: 'CST (Community Security Trust)', kind: 'specialist_hate_crime_support', strands: ['hate_crime'], howToRefer: 'Self-referral; reports and support for antisemitic incidents.' },
  { id: 'service-galop', name: 'Galop', kind: 'specialist_hate_crime_support', strands: ['dasv', 'hate_crime'], howToRefer: 'Self-referral; support for LGBT+ people facing abuse or violence.' },
  { id: 'service-karma-nirvana', name: 'Karma Nirvana', kind: 'forced_marriage_honour', strands: ['dasv'], howToRefer: 'Self-referral; support for honour-based abuse and forced marriage.' },
  { id: 'service-citizens-advice', name: 'Citizens Advice', kind: 'advice', strands: ['dasv', 'hate_crime'], howToRefer: 'Self-referral; advice on money, housing, rights.' },
  { id: 'service-gp-health', name: 'GP or health services', kind: 'health', strands: ['dasv', 'hate_crime'], howToRefer: 'The person contacts their GP; in an emergency call 999.' },
  {
    id: 'service-support-network', name: 'Peer support network (DASV team)', kind: 'support_network', strands: ['dasv'],
    howToRefer: 'The DASV team runs regular sessions in community venues; tell the person when and where, or ask the team to expect them.',
  },
  { id: 'service-housing-options', name: 'Housing options', kind: 'housing', strands: ['dasv', 'hate_crime'], howToRefer: "The council's housing options team; the DASV team can advise." },
];
