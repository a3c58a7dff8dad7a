/**
 * The coding of the name lists (shared/domain/person-names.ts): sorted,
 * lower-case words, each written as how many leading letters it shares with
 * the word before (one character, 0–9 then A–Z) and the letters that differ.
 * Half the bytes of a plain list, which every contacts cold start reads.
 */
const counts = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function encodeNameList(words: Iterable<string>): string {
  let previous = '';
  let out = '';
  for (const word of [...new Set(words)].sort()) {
    if (!/^[a-z]+$/.test(word)) throw new Error(`name list: not a lower-case word: ${word}`);
    let shared = 0;
    while (shared < counts.length - 1 && shared < previous.length && shared < word.length && previous[shared] === word[shared]) shared++;
    out += counts[shared] + word.slice(shared);
    previous = word;
  }
  return out;
}

export function decodeNameList(coded: string): Set<string> {
  const words = new Set<string>();
  let previous = '';
  for (const m of coded.matchAll(/([0-9A-Z])([a-z]*)/g)) {
    previous = previous.slice(0, counts.indexOf(m[1] as string)) + (m[2] as string);
    words.add(previous);
  }
  return words;
}
