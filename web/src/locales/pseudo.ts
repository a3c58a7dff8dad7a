/**
 * The pseudo-locales, made from the English catalogue (issue 21): `en-XA`
 * accents every letter and makes each message 40% longer (German and Polish
 * run long: a layout that survives this survives them), and `ar-XB` is the
 * same words forced right to left, with the page mirrored. Placeholders are
 * kept as they are, so the messages still work. For layout checks only.
 */
import type { Catalogue, Message } from '../i18n';

const ACCENTS: Record<string, string> = {
  a: 'ȧ', b: 'ƀ', c: 'ƈ', d: 'ḓ', e: 'ḗ', f: 'ƒ', g: 'ɠ', h: 'ħ', i: 'ï', j: 'ĵ', k: 'ķ', l: 'ŀ', m: 'ḿ', n: 'ƞ', o: 'ǿ', p: 'ƥ', q: 'ɋ', r: 'ř', s: 'ş', t: 'ŧ', u: 'ŭ', v: 'ṽ', w: 'ẇ', x: 'ẋ', y: 'ẏ', z: 'ẑ',
  A: 'Ȧ', B: 'Ɓ', C: 'Ƈ', D: 'Ḓ', E: 'Ḗ', F: 'Ƒ', G: 'Ɠ', H: 'Ħ', I: 'Ī', J: 'Ĵ', K: 'Ķ', L: 'Ŀ', M: 'Ḿ', N: 'Ƞ', O: 'Ǿ', P: 'Ƥ', Q: 'Ɋ', R: 'Ř', S: 'Ş', T: 'Ŧ', U: 'Ŭ', V: 'Ṽ', W: 'Ẇ', X: 'Ẋ', Y: 'Ẏ', Z: 'Ẑ',
};
const PADDING = ['ŀǿřḗḿ', 'ïƥşŭḿ', 'ḓǿŀǿř', 'şïŧ', 'ȧḿḗŧ', 'ƈǿƞşḗƈŧḗŧŭř'];

const PARTS = /(\{\w+\}|\d+)/;

/** One message accented and 40% longer (placeholders and numbers untouched). */
export function accent(text: string): string {
  const body = text
    .split(PARTS)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[A-Za-z]/g, (c) => ACCENTS[c] ?? c)))
    .join('');
  const extra = Math.ceil(text.length * 0.4);
  let pad = '';
  for (let i = 0; pad.length < extra; i++) pad += ` ${PADDING[i % PADDING.length]}`;
  return `[${body}${pad}]`;
}

const mapMessages = (catalogue: Catalogue, f: (s: string) => string): Catalogue =>
  Object.fromEntries(
    Object.entries(catalogue).map(([key, message]) => [
      key,
      typeof message === 'string' ? f(message) : Object.fromEntries(Object.entries(message as Exclude<Message, string>).map(([k, v]) => [k, f(v as string)])),
    ]),
  ) as Catalogue;

export const accented = (catalogue: Catalogue): Catalogue => mapMessages(catalogue, accent);

/** The accented words forced right to left (RIGHT-TO-LEFT OVERRIDE … POP DIRECTIONAL FORMATTING), as Android's ar-XB does. */
export const rightToLeft = (catalogue: Catalogue): Catalogue => mapMessages(catalogue, (s) => `\u202e${accent(s)}\u202c`);
