/**
 * What Waymark says when an answer cannot be accepted: one plain-English
 * sentence per field and rule, in the GOV.UK style ("Select where the
 * contact happened"), written here once. The API's 400s carry these
 * sentences beside each field's path (the path is for machines, the
 * sentence for people), and the web app shows them as they come.
 *
 * A rule's own sentence lives beside the rule when only that rule can say
 * it (a schema's refinement, a date in the future); it is either a whole
 * sentence, or a predicate ("must not be in the future") that this module
 * completes with the field's name. Everything zod says itself (types,
 * choices, lengths, formats) is replaced here, so no schema vocabulary
 * ("Invalid option: expected one of …") ever reaches a person.
 *
 * Pure: no zod, no I/O; the web app imports it too.
 */

export interface FieldWords {
  /** The field's name as the subject of a sentence: "Date of the contact". */
  label: string;
  /** When there is no answer, or one that is not among the choices: "Select where the contact happened". */
  missing: string;
  /** When a text answer is missing, where that differs from `missing` (a field name shared by a choice and a text). */
  missingText?: string;
  /** When the answer is not in the expected shape: "Enter a date in the format 2026-05-01". */
  format?: string;
  /** For a list, what it lists (plural): "forms of abuse". */
  items?: string;
  /** One sentence for every rule, where no person could act on more (a version a client sent). */
  always?: string;
}

const choose = (label: string, missing: string, items?: string): FieldWords => ({ label, missing, ...(items ? { items } : {}) });

/**
 * Every field a Waymark form or query has, by path (list positions left
 * out: `signposting.0.serviceId` is `signposting.serviceId`). A query's
 * fields are looked up as `query.<name>` first, then by name.
 */
export const fieldWords: Readonly<Record<string, FieldWords>> = {
  // A contact
  contactDate: { label: 'Date of the contact', missing: 'Select when the contact was', format: 'Date of the contact must be a real date' },
  contactDateOther: { label: 'Date of the contact', missing: 'Enter the date of the contact', format: 'Date of the contact must be a real date' },
  setting: choose('Where it happened', 'Select where the contact happened'),
  strands: choose('What it is about', 'Select what the contact is about', 'strands'),
  dasvForms: choose('Forms of abuse', 'Select the forms of abuse the person described', 'forms of abuse'),
  hateMotivations: choose('What the incident is perceived to be motivated by', 'Select what the incident is perceived to be motivated by', 'motivations'),
  hateIncidentKinds: choose('What happened', 'Select what happened', 'kinds of incident'),
  demographics: choose('About the person', 'Answer the questions about the person, or leave them blank'),
  'demographics.ageBand': choose('Age band', 'Select an age band, or Not recorded'),
  'demographics.gender': choose('Gender', 'Select a gender, or Not recorded'),
  'demographics.ethnicGroup': choose('Ethnic group', 'Select an ethnic group, or Not recorded'),
  'demographics.religion': choose('Religion', 'Select a religion, or Not recorded'),
  'demographics.community': { label: 'Community', missing: 'Enter the community in words, or leave it blank', format: 'Community must be words only, like Somali or Polish' },
  'demographics.language': { label: 'Language of the contact', missing: 'Enter the language in words, or leave it blank', format: 'Language of the contact must be words only, like Urdu' },
  'demographics.interpreterNeeded': choose('Interpreter', 'Select whether an interpreter is needed'),
  priorHelp: choose('Whether the person had sought help before', 'Select whether the person had sought help before, or None', 'answers'),
  beforePoliceOrEmergency: choose('Whether this is before any police or 999 involvement', 'Select whether this is before any police or 999 involvement'),
  riskFlags: choose('Risk flags', 'Select the risk flags that apply, or none', 'risk flags'),
  note: { label: 'Note', missing: 'Enter a note, or leave it blank' },
  signposting: choose('Signposting', 'Select at least one service you signposted the person to', 'services'),
  'signposting.serviceId': { label: 'Service', missing: 'Select a service from the directory', format: 'Select a service from the directory' },
  'signposting.mode': choose('How you signposted', 'Select how you signposted the person to the service'),
  contactReference: { label: 'Waymark reference', missing: 'Enter the reference, or leave it blank', format: 'Enter the reference in the format WM-7K3Q-P9' },
  version: {
    label: 'Version',
    missing: 'Reload the page and try again: the version of the record was not sent',
    format: 'Version must be a whole number, as Waymark sent it (a number, not text): reload the page and try again',
  },
  // A concern, and the supervisor's next steps
  reason: { label: 'Reason', missing: 'Select why you are raising a concern', missingText: 'Enter the reason' },
  consent: choose('Consent', 'Select whether the person agreed to their information being shared'),
  to: { label: 'To', missing: 'Select the next step for the concern', format: 'To must be a real date and time' },
  targetServiceKind: choose('Kind of service', 'Select which kind of specialist service it needs'),
  dashScore: { label: 'DASH score', missing: 'Enter the DASH score, or leave it blank', format: 'DASH score must be a whole number from 0 to 24' },
  serviceId: { label: 'Service', missing: 'Select the service', format: 'Select a service from the list' },
  referredOn: { label: 'Date of the referral', missing: 'Enter the date of the referral', format: 'Date of the referral must be a real date' },
  mode: choose('How', 'Select how the person was referred'),
  sharedWithoutConsentJustification: { label: 'Why share without consent', missing: 'Enter why the information is shared without consent' },
  outcome: choose('Outcome', 'Select the outcome'),
  maracMeetingDate: { label: 'Date of the MARAC meeting', missing: 'Enter the date of the MARAC meeting, or leave it for the next one', format: 'Date of the MARAC meeting must be a real date' },
  maracOutcome: choose('MARAC outcome', 'Select what the MARAC meeting decided'),
  // The DASH risk checklist
  answers: choose('Checklist answers', 'Answer every question of the checklist: Yes, No or Not known', 'answers'),
  professionalJudgement: choose('Professional judgement', 'Select whether professional judgement makes this high risk'),
  professionalJudgementReason: choose('Reason for professional judgement', 'Select the reason for professional judgement'),
  potentialEscalation: choose('Escalation', 'Select whether the abuse is escalating'),
  // Training
  courseId: { label: 'Course', missing: 'Select a course', format: 'Select a course from the list' },
  completedOn: { label: 'Date completed', missing: 'Enter the date the course was completed', format: 'Date completed must be a real date' },
  deliveredBy: { label: 'Delivered by', missing: 'Enter who delivered the training' },
  // Champions, teams, organisations
  displayName: { label: 'Name', missing: 'Enter the champion’s name' },
  identity: { label: 'Sign-in identity', missing: 'Enter the champion’s sign-in identity' },
  teamId: { label: 'Team', missing: 'Select a team', format: 'Select a team from the list' },
  organisationId: { label: 'Organisation', missing: 'Select an organisation', format: 'Select an organisation from the list' },
  languages: { label: 'Languages', missing: 'Enter the languages, separated by commas', items: 'languages' },
  status: choose('Status', 'Select a status'),
  role: choose('Role', 'Select a role'),
  'query.role': choose('Role', 'Select a role'),
  email: { label: 'Email address', missing: 'Enter an email address', format: 'Enter an email address in the correct format, like name@example.com' },
  champion: choose('Champion profile', 'Enter the champion\'s organisation and strands'),
  supervisors: { label: 'Supervisors', missing: 'Enter the supervisors’ sign-in identities', items: 'supervisors' },
  name: { label: 'Name', missing: 'Enter a name' },
  neighbourhood: { label: 'Neighbourhood', missing: 'Enter the neighbourhood or area' },
  kind: choose('Kind', 'Select a kind'),
  // Courses and services
  title: { label: 'Title', missing: 'Enter a title' },
  validityMonths: { label: 'Valid for', missing: 'Enter how many months the course is valid for', format: 'Valid for must be a whole number of months' },
  howToRefer: { label: 'How to refer or signpost', missing: 'Enter how to refer or signpost someone to the service' },
  phone: { label: 'Phone number', missing: 'Enter a phone number, or leave it blank', format: 'Enter a phone number, like 0808 2000 247' },
  uiLanguage: choose('Language', 'Select a language Waymark has'),
  descriptions: { label: 'Description', missing: 'Enter what the service does in one sentence, or leave it blank', format: 'Description must be one or two sentences of text' },
  website: { label: 'Website', missing: 'Enter a website, or leave it blank', format: 'Enter a website address, like https://www.example.org' },
  // Retention (years)
  contactYears: { label: 'Keep contacts for', missing: 'Enter how many years to keep contacts for', format: 'Keep contacts for must be a whole number of years from 1 to 10' },
  auditYears: { label: 'Keep the audit trail for', missing: 'Enter how many years to keep the audit trail for', format: 'Keep the audit trail for must be a whole number of years, at most 20' },
  // Notifications: the on-call setting and a supervisor's choice of priorities
  officeHours: { label: 'Office hours', missing: 'Enter the team’s office hours' },
  'officeHours.days': choose('Working days', 'Select the days the DASV team works', 'days'),
  'officeHours.from': { label: 'Start of the working day', missing: 'Enter when the working day starts', format: 'Enter the start of the working day as a time, like 09:00' },
  'officeHours.to': { label: 'End of the working day', missing: 'Enter when the working day ends', format: 'Enter the end of the working day as a time, like 17:00' },
  priorities: choose('Priorities', 'Select the priorities of concerns you want to be told about', 'priorities'),
  // Rights of the person holding a reference
  requestReference: { label: 'Request reference', missing: 'Enter the council’s reference for the request', format: 'Enter the council’s reference for the request, like DSAR-2026-014' },
  // Support network sessions
  sessionDate: { label: 'Date of the session', missing: 'Enter the date of the session', format: 'Date of the session must be a real date' },
  venueKind: choose('Kind of venue', 'Select the kind of venue (never an address)'),
  runBy: choose('Who ran it', 'Select whether the DASV team or a partner organisation ran the session'),
  attendance: choose('Headcounts', 'Enter at least one headcount, by gender and age band', 'headcounts'),
  'attendance.count': { label: 'Headcount', missing: 'Enter how many came', format: 'Headcount must be a whole number from 1 to 500' },
  'attendance.gender': choose('Gender', 'Select a gender, or leave it blank'),
  'attendance.ageBand': choose('Age band', 'Select an age band, or leave it blank'),
  referencesPresented: { label: 'References presented', missing: 'Enter the references attendees showed, or leave it blank', format: 'Enter each reference in the format WM-7K3Q-P9', items: 'references' },
  // Targets for the success criteria
  targets: { label: 'Targets', missing: 'Enter the targets for the year' },
  'targets.women_attending_support_network': { label: 'Target: women attending the support network', missing: 'Enter the target, or leave it blank', format: 'The target must be a whole number, 0 or more' },
  'targets.women_signposted': { label: 'Target: women signposted', missing: 'Enter the target, or leave it blank', format: 'The target must be a whole number, 0 or more' },
  'targets.women_earlier_help': { label: 'Target: women who sought earlier help', missing: 'Enter the target, or leave it blank', format: 'The target must be a whole number, 0 or more' },
  'query.quarter': { label: 'Quarter', missing: 'Enter the quarter', format: 'Quarter must be like 2026-Q2' },
  // Lists and searches
  'query.limit': {
    label: 'Number of results',
    missing: 'Enter how many results to show',
    format: 'Number of results must be a whole number written in digits only, like 25 (not 1e2, 0x10 or 2.5)',
  },
  'query.cursor': { label: 'Page', missing: 'Go back to the first page and try again', format: 'Go back to the first page of the list and try again: this page link is not valid' },
  'query.strand': choose('Strand', 'Select a strand'),
  'query.from': { label: 'From', missing: 'Enter the start of the period', format: 'From must be a real date' },
  'query.to': { label: 'To', missing: 'Enter the end of the period', format: 'To must be a real date' },
  'query.riskFlag': choose('Risk flag', 'Select a risk flag'),
  'query.hasEscalation': choose('Concern raised', 'Select whether a concern was raised'),
  'query.includeDeleted': choose('Include deleted contacts', 'Select whether to include deleted contacts'),
  'query.teamId': { label: 'Team', missing: 'Select a team', format: 'Select a team from the list' },
  'query.state': choose('State', 'Select a state'),
  'query.status': choose('Status', 'Select a status'),
  'query.kind': choose('Kind', 'Select a kind'),
  'query.trainingStatus': choose('Training', 'Select a training status'),
  'query.period': choose('By', 'Select month, quarter or year'),
  'query.breakdown': choose('Broken down by', 'Select what to break the figures down by'),
  'query.metrics': { label: 'Figures', missing: 'Select the figures to show' },
  'query.format': choose('Format', 'Select a format'),
  'query.unsuppressed': choose('Figures without disclosure control', 'Select whether to show figures without disclosure control'),
  'query.entity': { label: 'Record', missing: 'Enter a record', format: 'Enter a record as its type and id, like team:team-a' },
  'query.actor': { label: 'User', missing: 'Enter a user', format: 'Enter a user’s sign-in identity' },
  'query.signpostingId': choose('Signposting', 'Select a signposting'),
  'query.id': choose('Record', 'Select a record'),
  from: { label: 'From', missing: 'Enter the start of the period', format: 'From must be a real date and time' },
  // Headers and the request as a whole
  'Idempotency-Key': { label: 'Idempotency key', missing: 'Send an idempotency key', format: 'Send an idempotency key of letters, digits, dashes, underscores, dots or colons' },
  query: { label: 'The search', missing: 'Enter what to search for' },
  '': { label: 'The request', missing: 'Send the answers with the request' },
};

/** What went wrong, in terms of the field rather than of a schema library. */
export type Rule =
  | { kind: 'missing'; text?: boolean }
  | { kind: 'not_a_choice' }
  | { kind: 'wrong_type'; expected: string }
  | { kind: 'too_long'; max: number; unit: 'characters' | 'items' | 'value' }
  | { kind: 'too_short'; min: number; unit: 'characters' | 'items' | 'value'; exclusive?: boolean }
  | { kind: 'whole_number' }
  | { kind: 'format' }
  | { kind: 'unknown_field' }
  /** A rule's own words: a whole sentence, or a predicate to complete with the field's name. */
  | { kind: 'stated'; text: string };

const humanise = (key: string): string => {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_.-]+/g, ' ').trim().toLowerCase();
  return words ? words[0]?.toUpperCase() + words.slice(1) : 'This answer';
};

/** The words of the field at `path` (e.g. `query.to`, `signposting.0.serviceId`). */
export function wordsFor(path: string): FieldWords {
  const bare = path.split('.').filter((p) => !/^\d+$/.test(p)).join('.');
  const unprefixed = bare.replace(/^(body|path)\./, '');
  const last = unprefixed.split('.').pop() ?? '';
  const found =
    fieldWords[unprefixed] ?? fieldWords[unprefixed.replace(/^query\./, '')] ?? fieldWords[unprefixed.split('.').slice(-2).join('.')] ?? fieldWords[last];
  if (found) return found;
  const label = humanise(last);
  return { label, missing: `Enter ${label.toLowerCase()}` };
}

const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s[0]?.toLowerCase() + s.slice(1) : s);
const endWithStop = (s: string) => s.replace(/[.\s]+$/, '');

/** The sentence for a rule broken at `path`: what a person reads. No full stop, as GOV.UK error messages have none. */
export function fieldMessage(path: string, rule: Rule): string {
  const w = wordsFor(path);
  if (w.always && rule.kind !== 'stated' && rule.kind !== 'unknown_field') return w.always;
  switch (rule.kind) {
    case 'missing':
      return rule.text && w.missingText ? w.missingText : w.missing;
    case 'not_a_choice':
      return w.format ?? w.missing;
    case 'wrong_type':
      if (rule.expected === 'number' || rule.expected === 'int') return w.format ?? `${w.label} must be a number`;
      if (rule.expected === 'string') return w.missingText ?? w.format ?? w.missing;
      return w.missing;
    case 'too_long':
      if (rule.unit === 'characters') return `${w.label} must be ${rule.max} characters or fewer`;
      if (rule.unit === 'items') return `Select no more than ${rule.max} ${w.items ?? 'answers'}`;
      return w.format && /whole number from/.test(w.format) ? w.format : `${w.label} must be ${rule.max} or less`;
    case 'too_short':
      if (rule.unit === 'characters') return rule.min <= 1 ? (w.missingText ?? w.missing) : `${w.label} must be ${rule.min} characters or more`;
      if (rule.unit === 'items') return w.missing;
      if (w.format && /whole number from/.test(w.format)) return w.format;
      return rule.exclusive ? `${w.label} must be more than ${rule.min}` : `${w.label} must be ${rule.min} or more`;
    case 'whole_number':
      return w.format ?? `${w.label} must be a whole number`;
    case 'format':
      return w.format ?? `${w.label} is not in the right format`;
    case 'unknown_field':
      return 'Remove this field: Waymark does not take it';
    case 'stated': {
      const text = endWithStop(rule.text.trim());
      // A whole sentence stands alone; a predicate ("must not be in the future") is completed with the field's name.
      return /^[A-Z]/.test(text) ? text : `${w.label} ${text}`;
    }
  }
}

/** The words zod, the JSON parser or a handler must never show a person (used by the tests that walk every rule). */
export const schemaVocabulary: readonly RegExp[] = [
  /\bInvalid\b/,
  /\bexpected\b/i,
  /\|/,
  /"[a-z0-9]+(_[a-z0-9]+)+"/,
  /'[a-z0-9]+(_[a-z0-9]+)+'/,
  /\b[a-z]+(_[a-z]+)+\b/,
  /\b[a-z]+[A-Z][a-zA-Z]*\b/,
  /[<>]=?\s*\d/,
  /\bundefined\b|\bNaN\b|\bnull\b/,
];

/** Rule-specific sentences that belong to no one schema (used by the schemas and handlers that enforce them). */
export const ruleMessages = {
  notInFuture: 'must be today or in the past',
  noneAlone: 'Select None on its own, or the people the person had sought help from',
  notEarlierHelpAfterPolice: 'Select No: the person has already sought help from the police or 999, so this is not before police involvement',
  changeSomething: 'Change at least one answer',
  repeated: (items: string) => `must not name the same ${items} twice`,
  strandNeeds: (what: string, strand: string) => `Select at least one ${what} for a ${strand} contact`,
  strandExcludes: (what: string, strand: string) => `Remove the ${what}: they are only for a ${strand} contact`,
  toBeforeFrom: 'To must be the same as or after From',
  rangeTooLong: (amount: string) => `To must be no more than ${amount} after From`,
} as const;

/** The message of a whole refused request, for whoever reads the response rather than a form: each field's path and sentence. */
export const problemSummary = (issues: readonly { path: string; message: string }[]): string =>
  `There is a problem: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`;
