/**
 * Names and numbers that identify no one (issue 28): public names (services,
 * helplines, organisations) are never a person's name, and a public number
 * is signposting, not personal data.
 *
 * Phone numbers that identify no one: every number in the seed service
 * directory (test/unit/public-names.test.ts keeps them here: this module
 * runs in the browser too, so it does not import the directory's schemas),
 * and the national lines champions quote all the time. A note
 * that gives a person one of these is signposting, not personal data, so
 * the personal-data detector lets them through (issue 28). Keep the list
 * short and national; a local service's number belongs in the directory.
 */
export interface PublicNumber {
  number: string;
  who: string;
}

export const publicNumbers: readonly PublicNumber[] = [
  { number: '999', who: 'Emergency services' },
  { number: '112', who: 'Emergency services (European number)' },
  { number: '101', who: 'Police, non-emergency' },
  { number: '111', who: 'NHS 111' },
  { number: '116 123', who: 'Samaritans' },
  { number: '0808 2000 247', who: 'National Domestic Abuse Helpline' },
  { number: '0800 5999 247', who: 'Karma Nirvana' },
  { number: '0808 802 4040', who: 'Respect Phoneline' },
  { number: '0808 801 0327', who: "Men's Advice Line" },
  { number: '0800 999 5428', who: 'Galop, National LGBT+ Domestic Abuse Helpline' },
  { number: '0808 500 2222', who: 'Rape Crisis 24/7 Support Line' },
  { number: '0808 802 9999', who: 'Rape Crisis (former national number)' },
  { number: '0808 168 9111', who: 'Victim Support Supportline' },
  { number: '0808 802 0300', who: 'National Stalking Helpline' },
  { number: '020 7008 0151', who: 'Forced Marriage Unit' },
  { number: '0800 138 1625', who: 'Stop Hate UK' },
  { number: '0800 456 1226', who: 'Tell MAMA' },
  { number: '0800 032 3263', who: 'CST' },
  { number: '0800 1111', who: 'Childline' },
  { number: '0808 800 5000', who: 'NSPCC' },
  { number: '0808 808 8141', who: 'Hourglass' },
  { number: '0808 800 4444', who: 'Shelter' },
  { number: '0800 144 8848', who: 'Citizens Advice Adviceline' },
  { number: '08000 121 700', who: 'Modern Slavery and Exploitation Helpline' },
  { number: '0345 6000 459', who: 'Revenge Porn Helpline' },
];

/** The digits of every public number, for the detector to compare a found number with. */
export const publicNumberDigits: ReadonlySet<string> = new Set(publicNumbers.map((n) => n.number.replace(/\D/g, '')));

/**
 * Names of services and organisations that a note may name, in the words the
 * seed directory uses and champions write: the name finder reads past them
 * ("called Victim Support", "Hope House refuge"). Lower case; matched as whole words.
 */
export const publicNames: readonly string[] = [
  'victim support', "women's aid", 'womens aid', 'karma nirvana', 'tell mama', 'stop hate uk', 'stop hate', 'citizens advice',
  'true vision', 'galop', 'respect', 'samaritans', 'childline', 'nspcc', 'shelter', 'rape crisis', 'refuge', 'hourglass',
  "men's advice line", 'mens advice line', 'national domestic abuse helpline', 'forced marriage unit', 'community security trust',
  'crimestoppers', 'crime stoppers', 'social services', 'children\'s services', 'adult social care', 'housing options', 'hope house',
  'the salvation army', 'salvation army', 'red cross', 'british red cross', 'barnardos', "barnardo's", 'mind', 'age uk', 'safelives',
  'southall black sisters', 'imkaan', 'solace', 'jewish women\'s aid', 'muslim women\'s network', 'sikh helpline', 'roshni',
  'police', 'west yorkshire police', 'met police', 'home office', 'dwp', 'jobcentre', 'job centre', 'universal credit',
];
