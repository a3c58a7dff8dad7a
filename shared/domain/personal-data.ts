/**
 * The personal-data detector: refuses free text that could identify someone.
 * Contact notes pass through it before anything is stored. It reports the
 * kind of data found and where — never the value itself.
 *
 * Pure and deterministic; its corpus and its detection and false-positive
 * rates live in test/unit/personal-data.test.ts.
 */
import { findNames } from './person-name-finder';
import { publicNumberDigits } from './public-names';

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
  /** A cheap test of the whole text that must pass for the rule to be worth running (most notes hold no "@"). */
  when?: RegExp;
  /** Further check on a match (e.g. a plausible birth year). */
  accept?: (match: RegExpExecArray, now: Date) => boolean;
}

const birthYear = (year: string, now: Date): boolean => {
  const y = year.length === 2 ? Number(year) + (Number(year) > now.getUTCFullYear() % 100 ? 1900 : 2000) : Number(year);
  // Someone born at least 10 years ago: a date that old in a contact note is a birth date, not an incident date.
  return y >= 1900 && y <= now.getUTCFullYear() - 10;
};

const ordinalWords =
  'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth';
/** A day of the month: 3, 3rd, third, twenty first, twenty-first, thirty first. */
const day = `(?:\\d{1,2}(?:st|nd|rd|th)?|(?:twenty|thirty)[\\s-](?:${ordinalWords})|${ordinalWords})`;
const dayAndMonth = `(?:${day}\\s*(?:of\\s+)?(?:${months})\\b|(?:${months})\\.?\\s+${day}\\b)`;
/** Words that say a date is someone's birth date. */
const birthCue = '(?:\\bd\\.?\\s?o\\.?\\s?b\\b\\.?|\\bdate\\s+of\\s+birth\\b|\\bborn\\b|\\bbirth\\s*day\\b|\\bbday\\b|\\bbirth\\s+date\\b)';

/** Street words: a number, one to three words, then one of these is an address. */
const streetWords =
  'road|rd|street|st|avenue|ave|av|close|cl|way|lane|ln|court|ct|crescent|cres|drive|dr|grove|gr|gardens|gdns|place|pl|terrace|terr|tce|walk|row|mount|mt|view|hill|square|sq|bank|wharf|dock|park|parade|rise|green|mews|vale|fold|croft|garth|approach|boulevard|gate|yard|heights|fields|villas|estate|towers';
/** Words between a number and a street word that show it is not an address ("3 doors down the road"). */
const notStreetName =
  'the|a|an|of|to|from|down|up|in|on|at|by|near|doors?|mins?|minutes|miles?|times|kids|children|years?|yrs|weeks?|days?|hours?|hrs|people|women|men|houses?|streets?|roads?|and|or|bus|buses|stops?|more|less|other';
const vehicleCue = '\\b(?:reg(?:istration)?|plates?|number\\s+plate|car|van|taxi|cab|vehicle|motor|bike|lorry|drives?|driving|bmw|audi|merc(?:edes)?|ford|vw|golf|corsa|fiesta|toyota|nissan|honda|kia|hyundai|vauxhall|skoda|seat|peugeot|renault)\\b';
/** Words that make the number after them a reference ("crime ref", "log number", "incident no."). */
const referenceCue =
  '\\b(?:crime|crn|police|log|incident|occurrence|cad|ref|refs|reference|case|claim|court|report|complaint|ticket|application|file|urn)\\b';
const numberCue = '\\b(?:number|no|nr|num|id|acc|account|a\\/c|passport|brp|nhs|hospital|student|employee|staff|member|membership|policy|card)\\b';
const platformCue = '\\b(?:insta(?:gram)?|ig|snap(?:chat)?|sc|tik\\s?tok|twitter|telegram|fb|facebook|youtube|threads|discord|twitch|kik|signal|onlyfans|reddit|linkedin|tinder|hinge|bumble|grindr)\\b';

const afterVehicleWord = new RegExp(`${vehicleCue}[^.]{0,40}$`, 'i');
const followsVehicleWord = (m: RegExpExecArray) => afterVehicleWord.test(m.input.slice(Math.max(0, m.index - 60), m.index));
const afterReferenceWord = new RegExp(`${referenceCue}[^.]{0,25}$`, 'i');

/** A date like d/m/y, so that "incident 03/11/2025" is not read as a reference. */
const looksLikeDate = (code: string) => /^\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?$/.test(code);

const rules: Rule[] = [
  {
    kind: 'email_address',
    when: /@/,
    pattern: /[a-z0-9._%+'-]+\s*@\s*[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi,
  },
  {
    kind: 'email_address',
    // Written out to dodge filters: "name at domain dot com", "name (at) domain [dot] co [dot] uk", "sana underscore k at …".
    when: /\bat\b/i,
    pattern: new RegExp(
      `[a-z0-9._%+'-]+(?:\\s+(?:underscore|dot)\\s+[a-z0-9]+)*\\s*(?:${AT})\\s*[a-z0-9-]+(?:(?:${DOT})[a-z0-9-]+)*(?:${DOT})(?:${TLDS})\\b`,
      'gi',
    ),
  },
  {
    kind: 'email_address',
    // A webmail provider without its domain: "amina.k at gmail", "priya_s@hotmail". The local part must look like one
    // (a digit, dot or underscore) or the note must speak of email, so that "she was at Outlook Cafe" is not caught.
    when: /gmail|hotmail|yahoo|outlook|icloud|live|aol|proton|ymail|btinternet|msn/i,
    pattern: /[a-z0-9._%+'-]+\s*(?:@|\s+at\s+)(?:gmail|googlemail|hotmail|yahoo|outlook|icloud|live|aol|protonmail|proton|ymail|btinternet|msn)\b(?!\s+(?:support|cafe|café|community|centre|center|office|account|team))/gi,
    accept: (m) => /[\d._@]/.test(m[0].split(/\s+at\s+|@/i)[0] ?? '') || m[0].includes('@') || /e-?mail/i.test(m.input),
  },
  {
    kind: 'email_address',
    // An address given without its domain: "her gmail is ayanx99", "email: kasia_m".
    pattern: /\b(?:e-?mail|gmail|hotmail|yahoo|outlook|icloud)(?:\s+(?:address|addr|account))?\s*(?:is|:|=)?\s*(?=[a-z0-9._-]*[\d._])[a-z][a-z0-9._-]{3,}\b/gi,
  },
  {
    kind: 'social_media_handle',
    pattern: /\b(?:https?:\/\/|www\.)[^\s]+|\b(?:facebook|fb|instagram|twitter|x|tiktok|snapchat|linkedin|youtube|threads|telegram|t|wa|chat\.whatsapp|m)\.(?:com|me|net)\/[^\s]+|(?<![\w.@])@[a-z0-9_.]{3,30}\b/gi,
  },
  {
    kind: 'social_media_handle',
    // A platform, then (perhaps "handle", "username", "is") a name shaped like a handle: a dot, underscore or digit in it.
    pattern: new RegExp(`${platformCue}(?:\\s+(?:handle|username|user\\s?name|account|acc|name|page|profile|id))?\\s*(?:is|:|=|-)?\\s*(?=[a-z0-9._]*[\\d._])[a-z0-9][a-z0-9._]{2,29}\\b`, 'gi'),
    accept: (m) => !/^\d+$/.test(m[0].replace(/^.*?[\s:=-]\s*/s, '')),
  },
  {
    kind: 'social_media_handle',
    // A profile named in words: "fb name is Shaz Khan Official".
    pattern: new RegExp(`${platformCue}\\s+(?:handle|username|user\\s?name|name|page|profile)\\s*(?:is|:|=|-)\\s*[A-Za-z][\\w.]*(?:\\s+[A-Z][\\w.]*)*`, 'g'),
  },
  {
    kind: 'national_insurance_number',
    // Any two letters, six digits and A–D, however spaced: broader than HMRC's valid prefixes, so example and mistyped numbers are caught too.
    pattern: /\b[A-Z]\s?[A-Z][\s-]?\d\s?\d[\s-]?\d\s?\d[\s-]?\d\s?\d\s?[A-D]\b/gi,
  },
  {
    kind: 'postcode',
    pattern: /\b(?:GIR\s?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRV-Y\d]?)\s?\d[ABD-HJLNP-UW-Z]{2})\b/gi,
    // Bare lower-case letter-digit runs like "a1" are not postcodes; a postcode has its inward part.
    accept: (m) => /\d[a-z]{2}$/i.test(m[0].replace(/\s/g, '')),
  },
  {
    kind: 'postcode',
    // Spaced any way ("ls 6 2 aa", "l s 9 7 d r", "LS14  1NB"): the letters and digits of a postcode, at most two spaces apart.
    pattern: /\b[A-PR-UWYZ](?:\s{0,2}[A-HK-Y])?\s{0,2}\d(?:\s{0,2}[A-HJKPSTUW\d])?\s{0,2}\d\s{0,2}[ABD-HJLNP-UW-Z]\s{0,2}[ABD-HJLNP-UW-Z]\b/gi,
    accept: (m) => {
      const compact = m[0].replace(/\s/g, '');
      return /^[a-z]{1,2}\d[a-z\d]?\d[a-z]{2}$/i.test(compact) && !/^(?:on|in|at|to|of|is|it|as|by|me|he|we|us|up|so|do|go|or|an|no|my)\s/i.test(m[0]);
    },
  },
  {
    kind: 'vehicle_registration',
    // Current format (2001 on): two letters, the age identifier, three letters (any three: a reg written down from
    // memory may hold a letter the DVLA never issues). Lower case and oddly spaced only beside a vehicle word.
    pattern: /\b[A-HJ-PR-Y]\s?[A-HJ-PR-Y]\s?(?:0\s?[2-9]|[12]\s?\d|5\s?[1-9]|[67]\s?\d)\s{0,2}[A-Z]\s?[A-Z]\s?[A-Z]\b/gi,
    accept: (m) => {
      const v = m[0];
      // "ld21xkp", "yc15 ynw": the shape of a registration, not words and a number ("is 34 and").
      const tidy = /^[a-z]{2}\d{2}\s?[a-z]{3}$/i.test(v);
      return tidy || v === v.toUpperCase() || followsVehicleWord(m);
    },
  },
  {
    kind: 'vehicle_registration',
    // Prefix (1983–2001, "P123 ABC") and suffix (1963–1983, "ABC 123D") formats.
    // The prefix letter may stand apart ("plate is b 123 xyz"), but then only beside a vehicle word and not as "a".
    pattern: /\b(?:[A-HJ-NP-Y]\s?\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}[A-HJ-NP-Y])\b/gi,
    accept: (m) =>
      /^[a-z]\s/i.test(m[0]) ? followsVehicleWord(m) && !/^a\s/.test(m[0]) : m[0] === m[0].toUpperCase() || followsVehicleWord(m),
  },
  {
    kind: 'phone_number',
    // +44 / 0044 / 0 followed by 9–10 digits, in groups with spaces, dashes, dots or brackets.
    pattern: /(?<![\d\w])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)(?:[\s\-.()]*\d){9,10}(?!\d)/g,
    accept: (m) => !publicNumberDigits.has(m[0].replace(/\D/g, '')),
  },
  {
    kind: 'phone_number',
    // A number split across the note: "07700 and then 900 344", "starts 07700 900, last bit 561". A run that starts
    // like a UK number, then the next runs of digits within a few words, until there are as many digits as a number has.
    pattern: /(?<![\d\w])(?:\+?44|0)\d{3,}(?:[^\d\n]{1,30}?\d[\d ]*){1,3}/g,
    accept: (m) => {
      const digits = m[0].replace(/\D/g, '');
      const national = digits.startsWith('44') ? `0${digits.slice(2)}` : digits;
      return /^0[1-37]\d{9}$/.test(national) && !publicNumberDigits.has(national);
    },
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
    // A day and month near a word of birth, in digits or words: "born on the 3rd of june", "birthday is 23rd september",
    // "dob twenty sixth october", "born in 1986, on the 4th of april".
    pattern: new RegExp(`${birthCue}[^.!?\\n]{0,30}?${dayAndMonth}|${dayAndMonth}[^.!?\\n]{0,12}?${birthCue}`, 'gi'),
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
    kind: 'date_of_birth',
    // A birth year written in words after a day and month: "twenty first of april nineteen ninety".
    pattern: new RegExp(`${dayAndMonth}\\s*,?\\s*(?:nineteen|two thousand)\\b`, 'gi'),
  },
  {
    kind: 'reference_number',
    // A police crime reference as forces write it: force/serial/year, "13/204587/24".
    pattern: /\b\d{1,4}\/\d{4,8}\/\d{2,4}\b/g,
  },
  {
    kind: 'reference_number',
    // A police log: "log 0456 of 12/11", "incident no. 1123 of 14th nov", "cad 2231 of 3 oct".
    pattern: new RegExp(`\\b\\d{2,6}\\s+of\\s+(?:the\\s+)?\\d{1,2}(?:st|nd|rd|th)?(?:[/.-]\\d{1,2}(?:[/.-]\\d{2,4})?|\\s+(?:${months})\\b)`, 'gi'),
    accept: (m) => afterReferenceWord.test(m.input.slice(Math.max(0, m.index - 60), m.index)),
  },
  {
    kind: 'reference_number',
    // A code of letters and digits with at least four digits: "HC-2024-0457", "LS24C00123", "WY/2024/55312", "B1234567".
    pattern: /(?<![\w/-])(?=[a-z0-9/-]*\d)(?=[a-z0-9/-]*[a-z])[a-z0-9]+(?:[/-][a-z0-9]+)*(?![\w/])/gi,
    accept: (m) => (m[0].match(/\d/g)?.length ?? 0) >= 4 && m[0].length >= 5 && !/^\d+(?:st|nd|rd|th|am|pm|k|kg|km|ml|mg|s|hrs?)$/i.test(m[0]),
  },
  {
    kind: 'reference_number',
    // Digits after a reference word: "log number 0456", "ref 7788 4412 90", "crn 24-0012345".
    pattern: new RegExp(`${referenceCue}(?:\\s+(?:ref(?:erence)?|no|nr|num|number|log))?\\s*(?:no\\.?|number|#)?\\s*[:.]?\\s*(?:is\\s+)?(\\d[\\d\\s/-]{2,}\\d)\\b`, 'gi'),
    accept: (m) => (m[1]?.match(/\d/g)?.length ?? 0) >= 4 && !looksLikeDate((m[1] as string).trim()),
  },
  {
    kind: 'long_number',
    // Eight or more digits, together or in groups (NHS numbers are 3-3-4).
    pattern: /(?<![\d])\d(?:[\s-]?\d){7,}(?![\d])/g,
    accept: (m) => !publicNumberDigits.has(m[0].replace(/\D/g, '')),
  },
  {
    kind: 'long_number',
    // Six or more digits after a word for a number: "hospital number RR8 123456", "passport no. 5 3 2 1 …".
    pattern: new RegExp(`${numberCue}\\.?\\s*(?:no\\.?|number)?\\s*[:.]?\\s*(?:is\\s+)?([a-z]{0,3}\\d[\\d\\s-]{4,}\\d)\\b`, 'gi'),
    accept: (m) => (m[1]?.match(/\d/g)?.length ?? 0) >= 6 && !publicNumberDigits.has((m[1] as string).replace(/\D/g, '')),
  },
  {
    kind: 'street_address',
    // A house number, one to three words of a street name, and a street word: "14 beech rd", "26 St Lukes Street".
    pattern: new RegExp(
      `\\b\\d{1,4}[a-z]?\\b,?\\s+(?!(?:${notStreetName})\\b)[\\p{L}'’.-]+(?:\\s+(?!(?:${notStreetName})\\b)[\\p{L}'’.-]+){0,2}\\s+(?:${streetWords})\\b\\.?`,
      'giu',
    ),
  },
  {
    kind: 'street_address',
    // "15 the crescent", "no. 15 the green".
    pattern: /\b\d{1,4}[a-z]?\s+the\s+(?:crescent|green|grove|avenue|drive|close|parade|mews|square|terrace|walk|oval|circle|rise|paddock|meadows)\b/gi,
  },
  {
    kind: 'street_address',
    // A flat or apartment with its number: "flat 3", "Apt 6", "apartment 14".
    pattern: /\b(?:flat|apt|apartment|flt)\.?\s*(?:no\.?\s*)?\d{1,4}[a-z]?\b/gi,
  },
  {
    kind: 'street_address',
    // "number 7 cowper street" and "no. 11 Brookfield street" are covered above; a house name is a capitalised word and a house word.
    pattern: /\b[A-Z][a-z]+\s+(?:Cottage|Lodge|Farm|Farmhouse|Barn|Villa|Manor|Bungalow|Grange)\b/g,
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
    // Plain ASCII needs none of the folding below: most notes are nothing else.
    if (char.charCodeAt(0) < 0x80) push(char, at);
    else if (!/[\p{Cf}]/u.test(char)) push(digitValue(char) ?? lookAlikes[char] ?? char.normalize('NFKC'), at);
    at += char.length;
  }
  origin.push(text.length);
  // A letter o typed for a zero inside a run of digits ("07700 9oo 123", "0770090O471"): same length, so positions hold.
  out = out.replace(/(?<![\p{L}])[\dOo]*\d[\dOo]*(?![\p{L}])/gu, (run, at: number, whole: string) =>
    (run.match(/\d/g)?.length ?? 0) >= 3 || /\d[\s.-]?$/.test(whole.slice(Math.max(0, at - 2), at)) || /^[\s.-]?\d/.test(whole.slice(at + run.length, at + run.length + 2))
      ? run.replace(/[Oo]/g, '0')
      : run,
  );
  // Digits written as words: each word becomes its digits, in place.
  digitWordRun.lastIndex = 0;
  if (!digitWordRun.test(out)) return { text: out, origin };
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
    if (rule.when && !rule.when.test(normalised)) continue;
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
  // Names last: a word inside an address or a handle is already refused as that.
  for (const name of findNames(normalised)) {
    if (!overlaps(name.index, name.length)) findings.push({ kind: 'person_name', ...name });
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
