import { decodeNameList } from './name-list-coding';
import { commonWords, names as nameList, rarerWords } from './person-names';
import { publicNames } from './public-names';

/**
 * Finds people's names in a note (issue 28). A name list alone refuses too
 * much (Grace, Hope, Victoria…) and finds too little (names it lacks), so a
 * word is a name by what it is and where it stands:
 *
 * - a known name that is no English word (tariq, agnieszka, hodan) is a name
 *   wherever it stands, in any case;
 * - a known name that is also a rarer word (craig, maria, begum) is a name
 *   when capitalised inside a sentence, or after a cue;
 * - a name that is an everyday word (Grace, Hope, Will, Mark) is a name only
 *   capitalised and right after a cue ("her daughter Grace", "Mr Bell");
 * - any capitalised word that is no English word is a name right after a cue
 *   ("her husband Tesfalem").
 *
 * - a rarer-word name doing something is a name ("Aster from the church",
 *   "paul said"); after a title that is nothing else, any word is ("mr bell").
 *
 * Public names (services, organisations: public-names.ts), saints ("St
 * Mary's") and a capitalised word before a place word ("Victoria Park",
 * "Brook Street surgery") are read past. Cues are relation words (husband,
 * sister in law, hooyo…), titles (Mr, Mrs, Dr…), naming phrases (her name is,
 * called, named, known as) and a relation named by a verb ("her ex is kyle");
 * right after a relation or title even a stop word that is a name is one
 * when capitalised ("her husband Will"). Pure.
 */
export interface NameFinding {
  index: number;
  length: number;
}

let lists: { names: Set<string>; rarer: Set<string>; common: Set<string>; publicName: RegExp } | undefined;
/** The lists are split once, on first use: a function that never reads a note never pays for them. */
function nameLists() {
  lists ??= {
    names: decodeNameList(nameList),
    rarer: decodeNameList(rarerWords),
    common: decodeNameList(commonWords),
    publicName: new RegExp(`\\b(?:${[...publicNames].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "['’]")).join('|')})\\b`, 'gi'),
  };
  return lists;
}

const fold = (word: string) =>
  /^[a-z]+$/i.test(word) ? word.toLowerCase() : word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').replace(/ø/g, 'o').replace(/ß/g, 'ss').replace(/đ/g, 'd');

/** Relation and role words after which a capitalised word is a person's name. */
const relations = new Set(
  `husband hubby husbands wife partner partners boyfriend bf girlfriend gf ex fiance fiancee fiancé fiancée son sons daughter daughters
  dad father mum mom mother mums mother's brother bro brothers sister sis sisters cousin cousins uncle auntie aunty aunt nan nana nani
  gran grandma granny grandad grandpa grandfather grandmother niece nephew friend friends neighbour neighbor stepdad stepmum stepson
  stepdaughter stepfather stepmother law mil fil bil sil colleague boss manager landlord landlady client lady woman man girl boy guy
  victim abuser perpetrator perp child kid baby bhabi bhabhi bhai baji apa appa ammi abbu amma abba didi bhaiya hooyo aabo abti eedo
  habibi sheikh imam pastor father sister reverend rev cllr councillor officer pc dc sgt teacher carer worker mate`.split(/\s+/),
);
const titles = new Set('mr mrs ms miss mx dr prof sir madam mister'.split(' '));
/** Titles that are nothing else: after these even an everyday word is a surname ("mr bell"), where "miss" and "sir" may be words. */
const onlyTitles = new Set('mr mrs ms mx dr prof mister'.split(' '));
/** A relation named by a verb ("her ex is Kyle", "husband was called Wasim", "sister's name is"): the name may follow a few words on. */
const relationIs = new RegExp(`\\b(?:${[...relations].join('|')})\\s+(?:is|was|=|:|called|named|is\\s+called|was\\s+called)\\s+$`, 'i');
/** Words after which a rarer-word name is someone doing something ("Aster from the church", "Paul said"). */
const actsAfter = /^\s+(?:said|says|told|tells|asked|asks|rang|rings|texted|messaged|came|comes|cried|wants|wanted|left|from|and\s+(?:her|his)\b)/i;
/** A capitalised word before one of these names a place, not a person ("Victoria Park", "Brook Street surgery", "Grace Church"). */
const placeAfter =
  /^['’]?s?\s+(?:church|chapel|cathedral|mosque|masjid|gurdwara|temple|mandir|synagogue|school|academy|college|university|hospital|surgery|centre|center|park|station|street|road|lane|avenue|house|hall|court|library|ward|estate|square|market|primary|infants|juniors)\b/i;
/** "St Mary's", "Saint Anne's": a church, school or hospital, not a person. */
const saints = new Set(['st', 'saint', 'sts']);
/** Words after which the next word is a name: "called", "named", "name is", "known as", "asked for". */
const namingPhrase = /(?:\bname(?:\s+is|'s|\s+was|:)?|\bnamed|\bcalled|\bknown\s+as|\bcalls\s+herself|\bcalls\s+himself|\bi\s+know\s+her\s+as|\bi\s+know\s+him\s+as|\basked\s+for|\bsurname(?:\s+is)?|\bvictim\s+is|\bperson\s+is|\babuser\s+is|\bperpetrator\s+is)\s*$/i;
/** Words that a cue may be followed by without naming anyone ("her husband said", "called the police"). */
const notNames = new Set(
  `the a an and or but of to in on at by for from with her his him she he they them their it its is was are were be been has had have
  do does did not no yes this that these those who which what when where why how all any some one two three said says told tells came
  come went go goes got gets get took takes take will would can could should may might must also too very so just then than there here
  back again now still only even never always often because if as about after before over under into onto out up down off away
  police officer doctor gp school work home house family community mosque church temple gurdwara centre center team service services
  dasv idva isva marac mash sarc helpline refuge court shop bus car phone number someone everyone anyone nobody people kids children
  in-law inlaw inlaws`.split(/\s+/),
);

/** A word: letters, perhaps joined by hyphens ("Ana-Maria"); an apostrophe ends it ("Mariam's" is Mariam and s). */
const word = /\p{L}[\p{L}\p{M}]*(?:-\p{L}[\p{L}\p{M}]*)*/gu;
const isUpper = (c: string) => c !== c.toLowerCase();

/** Every name in `text`, first by position. */
export function findNames(text: string): NameFinding[] {
  const { names, rarer, common, publicName } = nameLists();
  const found: NameFinding[] = [];
  const publicSpans: Array<[number, number]> = [];
  publicName.lastIndex = 0;
  for (let p = publicName.exec(text); p !== null; p = publicName.exec(text)) publicSpans.push([p.index, p.index + p[0].length]);
  let previous: { folded: string; end: number } | undefined;
  let previousWasName = false;
  word.lastIndex = 0;
  for (let m = word.exec(text); m !== null; m = word.exec(text)) {
    const raw = m[0];
    const at = m.index;
    const folded = fold(raw);
    const prior = previous;
    const priorWasName: boolean = previousWasName;
    previous = { folded, end: at + raw.length };
    previousWasName = false;
    if (publicSpans.some(([from, to]) => at >= from && at < to)) {
      previous = { folded: 'the', end: at + raw.length };
      continue;
    }
    const gap = prior ? text.slice(prior.end, at) : '';
    const afterTitle = prior !== undefined && titles.has(prior.folded) && /^\.?\s+$/.test(gap);
    const tier = folded.length < 3 ? 'short' : common.has(folded) ? 'common' : rarer.has(folded) ? 'rarer' : names.has(folded) ? 'name' : 'unknown';
    const capitalised = isUpper(raw[0] as string) && (raw.length === 1 || !isUpper(raw[1] as string));
    const after = text.slice(at + raw.length, at + raw.length + 24);
    if (notNames.has(folded)) {
      // "her husband Will checks…": a word of the stop list is still a name when capitalised right after a relation or title.
      const cued = prior !== undefined && (relations.has(prior.folded) || onlyTitles.has(prior.folded)) && /^\.?\s+$/.test(gap);
      if (!(tier === 'common' && capitalised && cued)) continue;
    }
    if ((prior !== undefined && saints.has(prior.folded) && /^\.?\s+$/.test(gap)) || (capitalised && placeAfter.test(after))) continue;
    let isName = tier === 'name';
    if (!isName && tier !== 'short') {
      // Cues are read only for a word that could need one: most words of a note are not names of any kind.
      if (capitalised || tier === 'rarer' || afterTitle) {
        const afterRelation = prior !== undefined && relations.has(prior.folded) && /^\s*[(,]?\s*$/.test(gap);
        const before = text.slice(Math.max(0, at - 40), at);
        const afterNaming = /\s$/.test(before) && (namingPhrase.test(before) || relationIs.test(before));
        const cue = afterRelation || afterTitle || afterNaming;
        const startsSentence = prior === undefined || /[.!?:;\n]/.test(gap);
        if (tier === 'common') isName = capitalised && (cue || priorWasName);
        else if (tier === 'rarer') isName = cue || (capitalised && !startsSentence) || (priorWasName && capitalised) || actsAfter.test(after);
        // "called" also means phoned ("called Local Housing"): after it, only a known name is one.
        else isName = capitalised && (afterRelation || afterTitle || (afterNaming && !/\bcalled\s*$/i.test(before)) || priorWasName);
      }
    }
    // A title names whoever follows, known or not ("mrs begum", "Dr Okonkwo").
    if (!isName && afterTitle && folded.length >= 2 && (tier !== 'common' || onlyTitles.has(prior?.folded ?? ''))) isName = true;
    if (isName) found.push({ index: at, length: raw.length });
    previousWasName = isName;
  }
  return found;
}
