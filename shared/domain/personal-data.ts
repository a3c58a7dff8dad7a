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
  | 'long_number'
  | 'person_name'
  | 'street_address'
  | 'vehicle_registration'
  | 'reference_number';

export const personalDataLabels: Record<PersonalDataKind, string> = {
  phone_number: 'a phone number',
  email_address: 'an email address',
  postcode: 'a postcode',
  national_insurance_number: 'a National Insurance number',
  date_of_birth: 'a date that looks like a date of birth',
  social_media_handle: 'a web address or social media handle for a person',
  long_number: 'a long number (an account, NHS or reference number)',
  person_name: "a person's name",
  street_address: 'a street address',
  vehicle_registration: 'a vehicle registration',
  reference_number: 'a police crime reference or case reference',
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
    kind: 'email_address',
    // A webmail provider without its domain: "amina.k at gmail", "priya_s@hotmail". The local part must look like one
    // (a digit, dot or underscore) or the note must speak of email, so that "she was at Outlook Cafe" is not caught.
    pattern: /[a-z0-9._%+'-]+\s*(?:@|\s+at\s+)(?:gmail|googlemail|hotmail|yahoo|outlook|icloud|live|aol|protonmail|proton|ymail|btinternet|msn)\b(?!\s+(?:support|cafe|café|community|centre|center|office|account|team))/gi,
    accept: (m) => /[\d._@]/.test(m[0].split(/\s+at\s+|@/i)[0] ?? '') || m[0].includes('@') || /e-?mail/i.test(m.input),
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

/** Latin letters that Cyrillic and Greek look-alikes stand in for ("еxаmplе.cоm" with Cyrillic е, а, о). */
const lookAlikes: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', х: 'x', у: 'y', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ɡ: 'g', һ: 'h', ӏ: 'l', ո: 'n',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', І: 'I',
  ο: 'o', α: 'a', ν: 'v', ρ: 'p', τ: 't', ι: 'i', κ: 'k', Ο: 'O', Α: 'A', Β: 'B', Ε: 'E', Κ: 'K', Μ: 'M', Ν: 'N', Τ: 'T', Χ: 'X',
};
const digitWords: Record<string, string> = {
  zero: '0', nought: '0', oh: '0', o: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};
const digitToken = `(?:${Object.keys(digitWords).join('|')}|\\d)`;
/** Four or more digits written as words ("oh seven seven oh oh…", "double seven"), possibly mixed with digits. */
const digitWordRun = new RegExp(`\\b(?:(?:double|triple)\\s+)?${digitToken}\\b(?:[\\s,.-]+(?:(?:double|triple)\\s+)?${digitToken}\\b){3,}`, 'gi');

/** The value of a decimal digit of any script (Arabic-Indic, Devanagari…): its distance from the zero of its run. */
function digitValue(char: string): string | undefined {
  if (!/\p{Nd}/u.test(char) || /[0-9]/.test(char)) return undefined;
  const cp = char.codePointAt(0) as number;
  let k = 0;
  while (k < 9 && /\p{Nd}/u.test(String.fromCodePoint(cp - k - 1))) k++;
  return String(k);
}

/**
 * The text as the rules read it — zero-width and other invisible characters
 * dropped, compatibility forms folded (fullwidth ０７７００, ＠), digits of
 * any script made ASCII, Cyrillic and Greek look-alikes made Latin, digits
 * written as words made digits — with, for each character, where it came
 * from in the original, so that findings point into what the champion wrote.
 */
function normalise(text: string): { text: string; origin: number[] } {
  let out = '';
  const origin: number[] = [];
  const push = (piece: string, at: number) => {
    out += piece;
    for (let i = 0; i < piece.length; i++) origin.push(at);
  };
  let at = 0;
  for (const char of text) {
    if (!/[\p{Cf}]/u.test(char)) push(digitValue(char) ?? lookAlikes[char] ?? char.normalize('NFKC'), at);
    at += char.length;
  }
  origin.push(text.length);
  // Digits written as words: each word becomes its digits, in place.
  let words = '';
  const wordOrigin: number[] = [];
  let last = 0;
  const copy = (from: number, to: number) => {
    words += out.slice(from, to);
    for (let i = from; i < to; i++) wordOrigin.push(origin[i] as number);
  };
  digitWordRun.lastIndex = 0;
  for (let m = digitWordRun.exec(out); m !== null; m = digitWordRun.exec(out)) {
    copy(last, m.index);
    const token = /((?:double|triple)\s+)?([a-z]+|\d)/gi;
    let from = m.index;
    for (let t = token.exec(m[0]); t !== null; t = token.exec(m[0])) {
      const start = m.index + t.index;
      copy(from, start);
      const digit = digitWords[(t[2] as string).toLowerCase()] ?? (t[2] as string);
      const times = t[1] ? (/^triple/i.test(t[1]) ? 3 : 2) : 1;
      const piece = digit.repeat(times);
      words += piece;
      for (let i = 0; i < piece.length; i++) wordOrigin.push(origin[start] as number);
      from = start + t[0].length;
    }
    copy(from, m.index + m[0].length);
    last = m.index + m[0].length;
  }
  copy(last, out.length);
  wordOrigin.push(text.length);
  return { text: words, origin: wordOrigin };
}

/**
 * Every piece of personal data found in `text`, first by position. Where two
 * rules match overlapping text, the first rule in the list (the more specific) wins.
 * The rules read the normalised text (see `normalise`); positions are in `text`.
 */
export function findPersonalData(text: string, now: Date = new Date()): PersonalDataFinding[] {
  const findings: PersonalDataFinding[] = [];
  const overlaps = (index: number, length: number) =>
    findings.some((f) => index < f.index + f.length && f.index < index + length);
  const { text: normalised, origin } = normalise(text);
  for (const rule of rules) {
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(normalised); m !== null; m = rule.pattern.exec(normalised)) {
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
  return findings
    .map((f) => {
      const index = origin[f.index] as number;
      const end = origin[f.index + f.length] as number;
      return { ...f, index, length: Math.max(1, end - index) };
    })
    .sort((a, b) => a.index - b.index);
}

/** The message for a refused field: the kinds found and where, never the values. */
export function describeFindings(findings: PersonalDataFinding[]): string {
  const parts = findings.map((f) => `${personalDataLabels[f.kind]} at character ${f.index + 1}`);
  return `must not contain personal data: found ${parts.join(', ')}. Describe what happened without details that could identify anyone.`;
}
