/**
 * The personal-data detector: refuses free text that could identify someone.
 * Contact notes pass through it before anything is stored. It reports the
 * kind of data found and where — never the value itself.
 *
 * Pure and deterministic; its corpus and its detection and false-positive
 * rates live in test/unit/personal-data.test.ts.
 */
export type PersonalDataKind =
  | 'phone_number'
  | 'email_address'
  | 'postcode'
  | 'national_insurance_number'
  | 'date_of_birth'
  | 'social_media_handle'
  | 'long_number';

export const personalDataLabels: Record<PersonalDataKind, string> = {
  phone_number: 'a phone number',
  email_address: 'an email address',
  postcode: 'a postcode',
  national_insurance_number: 'a National Insurance number',
  date_of_birth: 'a date that looks like a date of birth',
  social_media_handle: 'a web address or social media handle for a person',
  long_number: 'a long number (an account, NHS or reference number)',
};

export interface PersonalDataFinding {
  kind: PersonalDataKind;
  /** Zero-based character offset in the text. */
  index: number;
  length: number;
}

const months =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const sep = '[\\s.\\-]?';
const AT = '\\(at\\)|\\[at\\]|\\{at\\}|\\s+at\\s+';
const DOT = '\\.|\\s*\\(dot\\)\\s*|\\s*\\[dot\\]\\s*|\\s*\\{dot\\}\\s*|\\s+dot\\s+';
const TLDS = 'com|org|net|co|uk|gov|ac|nhs|info|io|me|edu';

interface Rule {
  kind: PersonalDataKind;
  pattern: RegExp;
  /** Further check on a match (e.g. a plausible birth year). */
  accept?: (match: RegExpExecArray, now: Date) => boolean;
}

const birthYear = (year: string, now: Date): boolean => {
  const y = year.length === 2 ? Number(year) + (Number(year) > now.getUTCFullYear() % 100 ? 1900 : 2000) : Number(year);
  // Someone born at least 10 years ago: a date that old in a contact note is a birth date, not an incident date.
  return y >= 1900 && y <= now.getUTCFullYear() - 10;
};

const rules: Rule[] = [
  {
    kind: 'email_address',
    pattern: /[a-z0-9._%+'-]+\s*@\s*[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi,
  },
  {
    kind: 'email_address',
    // Written out to dodge filters: "name at domain dot com", "name (at) domain [dot] co [dot] uk".
    pattern: new RegExp(
      `[a-z0-9._%+'-]+\\s*(?:${AT})\\s*[a-z0-9-]+(?:(?:${DOT})[a-z0-9-]+)*(?:${DOT})(?:${TLDS})\\b`,
      'gi',
    ),
  },
  {
    kind: 'social_media_handle',
    pattern: /\b(?:https?:\/\/|www\.)[^\s]+|\b(?:facebook|fb|instagram|twitter|x|tiktok|snapchat|linkedin|youtube|threads|telegram|t)\.(?:com|me|net)\/[^\s]+|(?<![\w.@])@[a-z0-9_.]{3,30}\b/gi,
  },
  {
    kind: 'national_insurance_number',
    // Any two letters, six digits and A–D: broader than HMRC's valid prefixes, so example and mistyped numbers are caught too.
    pattern: /\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b/gi,
  },
  {
    kind: 'postcode',
    pattern: /\b(?:GIR\s?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRV-Y\d]?)\s?\d[ABD-HJLNP-UW-Z]{2})\b/gi,
    // Bare lower-case letter-digit runs like "a1" are not postcodes; a postcode has its inward part.
    accept: (m) => /\d[a-z]{2}$/i.test(m[0].replace(/\s/g, '')),
  },
  {
    kind: 'phone_number',
    // +44 / 0044 / 0 followed by 9–10 digits, in groups with spaces, dashes, dots or brackets.
    pattern: /(?<![\d\w])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)(?:[\s\-.()]*\d){9,10}(?!\d)/g,
  },
  {
    kind: 'date_of_birth',
    pattern: new RegExp(
      `\\b(?:d\\.?o\\.?b\\.?|date of birth|born(?: on)?)\\s*[:\\-]?\\s*(?:\\d{1,2}(?:st|nd|rd|th)?${sep}(?:\\d{1,2}|${months})${sep}\\d{2,4}|\\d{4}-\\d{2}-\\d{2}|(?:${months})\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})`,
      'gi',
    ),
  },
  {
    kind: 'date_of_birth',
    pattern: new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s*[/.\\-\\s]\\s*(?:\\d{1,2}|${months})\\s*[/.\\-\\s,]\\s*((?:19|20)?\\d{2})\\b`, 'gi'),
    accept: (m, now) => birthYear(m[1] as string, now),
  },
  {
    kind: 'date_of_birth',
    pattern: new RegExp(`\\b(?:${months})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+((?:19|20)\\d{2})\\b`, 'gi'),
    accept: (m, now) => birthYear(m[1] as string, now),
  },
  {
    kind: 'date_of_birth',
    pattern: /\b((?:19|20)\d{2})[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])\b/g,
    accept: (m, now) => birthYear(m[1] as string, now),
  },
  {
    kind: 'long_number',
    // Eight or more digits, together or in groups (NHS numbers are 3-3-4).
    pattern: /(?<![\d])\d(?:[\s-]?\d){7,}(?![\d])/g,
  },
];

/**
 * Every piece of personal data found in `text`, first by position. Where two
 * rules match overlapping text, the first rule in the list (the more specific) wins.
 */
export function findPersonalData(text: string, now: Date = new Date()): PersonalDataFinding[] {
  const findings: PersonalDataFinding[] = [];
  const overlaps = (index: number, length: number) =>
    findings.some((f) => index < f.index + f.length && f.index < index + length);
  for (const rule of rules) {
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(text); m !== null; m = rule.pattern.exec(text)) {
      if (m[0].length === 0) {
        rule.pattern.lastIndex += 1;
        continue;
      }
      const trimmed = m[0].trimEnd();
      if (rule.accept && !rule.accept(m, now)) continue;
      if (overlaps(m.index, trimmed.length)) continue;
      findings.push({ kind: rule.kind, index: m.index, length: trimmed.length });
    }
  }
  return findings.sort((a, b) => a.index - b.index);
}

/** The message for a refused field: the kinds found and where, never the values. */
export function describeFindings(findings: PersonalDataFinding[]): string {
  const parts = findings.map((f) => `${personalDataLabels[f.kind]} at character ${f.index + 1}`);
  return `must not contain personal data: found ${parts.join(', ')}. Describe what happened without details that could identify anyone.`;
}
