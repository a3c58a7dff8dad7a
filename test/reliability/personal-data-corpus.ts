import type { PersonalDataKind } from '../../shared/domain/personal-data';
import { benign as baseBenign, positives as basePositives } from '../fixtures/personal-data-corpus';

/**
 * The larger corpus of the reliability suite: the unit corpus (60 + 60) plus
 * notes built from templates, with the obfuscations people use to get a
 * number or address past a filter. All values are invented: Ofcom drama
 * numbers (07700 900xxx, 0161 496 0xxx, 020 7946 0xxx), example domains,
 * invented postcodes and NI numbers.
 */
type Positive = { note: string; kind: PersonalDataKind; obfuscation?: string };

const phones = ['07700 900123', '07700900456', '0161 496 0789', '020 7946 0321', '+44 7700 900654', '01632 960111'];
const spell = (digits: string) =>
  digits
    .replace(/\D/g, '')
    .split('')
    .map((d) => ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][Number(d)])
    .join(' ');
const spaced = (digits: string) => digits.replace(/\D/g, '').split('').join(' ');
const fullwidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const arabicIndic = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
const zeroWidth = (s: string) => s.split('').join('\u200b');

const phoneTemplates = [
  (p: string) => `She said to call her on ${p} after 6pm`,
  (p: string) => `number is ${p}, text only`,
  (p: string) => `Sister can be reached on ${p}`,
  (p: string) => `Gave me ${p} but partner checks the phone`,
];
const phoneObfuscations: [string, (p: string) => string][] = [
  ['plain', (p) => p],
  ['spaced digits', spaced],
  ['dashed digits', (p) => p.replace(/\D/g, '').split('').join('-')],
  ['digits as words', spell],
  ['oh for zero', (p) => spell(p).replace(/zero/g, 'oh')],
  ['fullwidth digits', fullwidth],
  ['Arabic-Indic digits', arabicIndic],
  ['zero-width spaces', zeroWidth],
];

const emails: [string, string][] = [
  ['amina', 'example.com'],
  ['j.smith99', 'example.co.uk'],
  ['safe-contact', 'mail.example.org'],
];
const emailObfuscations: [string, (local: string, domain: string) => string][] = [
  ['plain', (l, d) => `${l}@${d}`],
  ['spaced @', (l, d) => `${l} @ ${d}`],
  ['at and dot', (l, d) => `${l} at ${d.replace(/\./g, ' dot ')}`],
  ['(at) [dot]', (l, d) => `${l}(at)${d.replace(/\./g, '[dot]')}`],
  ['fullwidth @', (l, d) => `${l}\uff20${d}`],
  ['Cyrillic look-alikes', (l, d) => `${l}@${d.replace(/o/g, '\u043e').replace(/a/g, '\u0430').replace(/e/g, '\u0435')}`],
];
const providers = ['gmail', 'hotmail', 'yahoo', 'outlook', 'icloud'];

const postcodes = ['SW1A 1AA', 'M1 1AE', 'B33 8TH', 'CR2 6XH', 'LS1 4AP', 'EH1 2NG', 'NE1 7RU', 'BS1 5TR'];
const niNumbers = ['QQ 12 34 56 C', 'AB123456D', 'JG 10 37 49 A', 'TN 31 12 58 B'];
const births = ['03/11/1986', '12.04.1979', '1 March 1990', 'DOB 5-6-2001', 'born 14th July 1975', '1992-08-30'];
const handles = ['@safe_amina22', 'instagram.com/jane.doe.example', 'https://facebook.com/some.person', 'snapchat.com/add/jdoe_example', 'www.example.com/profile/amina'];
const longNumbers = ['943 476 5919', '12345678', '4012 8888 8888 1881', '0011 2233 4455'];

function build(): Positive[] {
  const out: Positive[] = basePositives.map((p) => ({ ...p }));
  phones.forEach((p, i) => {
    for (const [name, obfuscate] of phoneObfuscations) {
      out.push({ note: phoneTemplates[(i + name.length) % phoneTemplates.length]!(obfuscate(p)), kind: 'phone_number', obfuscation: name });
    }
  });
  for (const [local, domain] of emails) {
    for (const [name, obfuscate] of emailObfuscations) out.push({ note: `Email her at ${obfuscate(local, domain)} only`, kind: 'email_address', obfuscation: name });
  }
  for (const provider of providers) {
    out.push({ note: `her email is amina.k at ${provider}`, kind: 'email_address', obfuscation: 'at provider' });
    out.push({ note: `write to jdoe1987 at ${provider} dot com`, kind: 'email_address', obfuscation: 'at provider dot com' });
    out.push({ note: `contact: priya_s@${provider}`, kind: 'email_address', obfuscation: '@provider without a TLD' });
  }
  out.push({ note: 'email is safe.contact at example dot co dot uk', kind: 'email_address', obfuscation: 'dot co dot uk' });
  out.push({ note: 'reach him on j dot smith at example dot co dot uk', kind: 'email_address', obfuscation: 'dot co dot uk' });
  for (const pc of postcodes) {
    out.push({ note: `Lives near ${pc}, by the park`, kind: 'postcode' });
    out.push({ note: `postcode ${pc.toLowerCase()}`, kind: 'postcode', obfuscation: 'lower case' });
    out.push({ note: `at ${pc.replace(' ', '')} now`, kind: 'postcode', obfuscation: 'no space' });
  }
  for (const ni of niNumbers) {
    out.push({ note: `NI number ${ni}`, kind: 'national_insurance_number' });
    out.push({ note: `her NI is ${ni.toLowerCase()}`, kind: 'national_insurance_number', obfuscation: 'lower case' });
  }
  for (const b of births) {
    out.push({ note: `She gave her date of birth as ${b}`, kind: 'date_of_birth' });
    out.push({ note: `${b.startsWith('DOB') || b.startsWith('born') ? b : `DOB ${b}`}, lives alone`, kind: 'date_of_birth' });
  }
  for (const h of handles) {
    out.push({ note: `He messages her from ${h}`, kind: 'social_media_handle' });
    out.push({ note: `find her at ${h} (do not contact)`, kind: 'social_media_handle' });
  }
  for (const n of longNumbers) {
    out.push({ note: `NHS or bank number ${n}`, kind: 'long_number' });
    out.push({ note: `reference ${spaced(n)}`, kind: 'long_number', obfuscation: 'spaced digits' });
  }
  return out;
}

export const positives: readonly Positive[] = build();

const benignTemplates = [
  (n: number) => `Met for ${n} minutes after the service; she wants information only.`,
  (n: number) => `Has been harassed ${n} times on the bus this month.`,
  (n: number) => `Children are aged ${n % 12} and ${(n % 12) + 3}.`,
  (n: number) => `Received ${n * 10} messages in one night.`,
  (n: number) => `Session ${n % 6 + 1} of 6 of the Ask Me training.`,
  (n: number) => `Pay cut by £${n * 25} a month after she refused.`,
  (n: number) => `The incident happened ${n % 5 + 1} weeks ago at the market.`,
  (n: number) => `Room ${n} was free; we spoke for an hour.`,
  (n: number) => `Called the 101 number together; reference to follow in ${n % 7 + 1} days.`,
  (n: number) => `Meeting moved to ${n % 12 + 1}pm on Tuesday at the centre.`,
  (n: number) => `Scored ${n % 10} out of 10 on how safe she feels.`,
  (n: number) => `Neighbour dispute escalated to threats on ${(n % 27) + 1}/10/2026.`,
  (n: number) => `Has lived in the UK for ${n % 30 + 1} years.`,
  (n: number) => `Attended on ${(n % 27) + 1} November 2026 with her sister.`,
  (n: number) => `He sent ${n} texts and ${n % 9} voice notes; she kept them.`,
];
const benignWords = [
  'She was at Outlook Community Cafe when it happened; information only.',
  'Spoke to her at the gurdwara; she prefers Punjabi.',
  'Told her about Tell MAMA and how to report online.',
  'Meeting at the mosque, one or two friends came with her.',
  'She said one, two, maybe three incidents this year.',
  'Oh, she also mentioned the school gates; seven or eight parents saw it.',
  'Double-checked the safety plan with her; triple locks fitted.',
  'We spoke about Karma Nirvana and the forced marriage unit.',
  'Shared the National Domestic Abuse Helpline leaflet.',
  'He shouted at her at the bus station on Friday.',
  'Advised her to keep a diary of dates and times.',
  'At church on Sunday she asked for a quiet word.',
  'She is at college three days a week.',
  'Her partner controls the money; she gets nothing for food.',
  'Wants to look at refuge options but not yet.',
  'Graffiti on the door again, second time in a month.',
  'Explained what an IDVA does and how referral works.',
  'She is worried about her immigration status and her children.',
  'Spoke in Somali; no interpreter needed.',
  'He follows her home from the shop, she thinks.',
  'Information only at this stage; will come back.',
  'Wants advice about a non-molestation order.',
  'Felt safe to talk at the women\u2019s group on Thursday.',
  'Said the abuse started after the wedding in 2019.',
  'Online abuse via group chat with 200 members.',
  'Prefers to be contacted through the centre, not at home.',
  'Gave the Stop Hate UK information card.',
  'We met at 10.30 and again at 2.15 the same day.',
  'Version 2 of the safety plan agreed with the DASV team.',
  'She asked what MARAC means and who goes.',
  'Bruising visible on arms; advised GP and SARC information.',
  'Took 15 minutes; she had to leave before he got back at 5.',
  'He is 65 or over and relies on his son for care.',
  'The caf\u00e9 owner saw it and offered to help.',
  'Her friend from the mosque came with her for support.',
  'Mentioned the 24/7 helpline and the 999 silent call option (55).',
  'Numbers one to ten written in Arabic on the leaflet; she liked that.',
  'Discussed online safety: @ mentions and hiding location.',
  'She used to work at Hotmail support years ago, she joked.',
  'School said they would speak to the children on 3 December.',
];

function buildBenign(): string[] {
  const out = [...baseBenign, ...benignWords];
  for (let n = 1; out.length < 220; n++) out.push(benignTemplates[n % benignTemplates.length]!(n));
  return out;
}

export const benign: readonly string[] = buildBenign();
