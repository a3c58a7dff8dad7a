/**
 * Contact references: `WM-XXXX-XX`, given to a person so that a repeat
 * contact can be linked without knowing who they are. Five random Crockford
 * base32 symbols (about 33 million values) and one check symbol: a weighted
 * sum over GF(32) with distinct powers of a primitive element as weights, which
 * catches every single mistyped symbol and every swap of neighbouring symbols
 * (Luhn mod 32 would miss swapping 0 and Z).
 * Random, never derived from anything about the person.
 */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE = CROCKFORD_ALPHABET.length;
const RANDOM_SYMBOLS = 5;

export const CONTACT_REFERENCE_PATTERN = /^WM-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/;

/** Multiplication in GF(2^5) with the primitive polynomial x^5 + x^2 + 1. */
function gfMultiply(a: number, b: number): number {
  let product = 0;
  for (let x = a, y = b; y > 0; y >>= 1) {
    if (y & 1) product ^= x;
    x <<= 1;
    if (x & 0b100000) x ^= 0b100101;
  }
  return product;
}

/**
 * The check symbol for a run of symbols: sum (xor) of symbol_i × α^(i+1),
 * so that the whole reference, with the check symbol at weight α^0 = 1, sums to zero.
 */
export function checkSymbol(symbols: string): string {
  let sum = 0;
  let weight = 1;
  for (let i = symbols.length - 1; i >= 0; i -= 1) {
    weight = gfMultiply(weight, 2); // α = x, a primitive element
    const code = CROCKFORD_ALPHABET.indexOf(symbols[i] as string);
    if (code < 0) throw new Error(`not a Crockford symbol: ${symbols[i]}`);
    sum ^= gfMultiply(code, weight);
  }
  return CROCKFORD_ALPHABET[sum] as string;
}

const format = (body: string) => `WM-${body.slice(0, 4)}-${body.slice(4, 6)}`;

/** A uniform random whole number below `max` (at most 256), from the Web Crypto API Node and browsers share; rejection keeps it uniform. */
function randomBelow(max: number): number {
  const limit = 256 - (256 % max);
  const byte = new Uint8Array(1);
  do globalThis.crypto.getRandomValues(byte);
  while ((byte[0] as number) >= limit);
  return (byte[0] as number) % max;
}

/** A new random reference. */
export function newContactReference(random: (max: number) => number = randomBelow): string {
  let symbols = '';
  for (let i = 0; i < RANDOM_SYMBOLS; i += 1) symbols += CROCKFORD_ALPHABET[random(BASE)];
  return format(symbols + checkSymbol(symbols));
}

export type ReferenceProblem = 'format' | 'check';

/** What a person is told of a reference that cannot be one: the API's 400s and the web app's own check alike. */
export const referenceProblemMessages: Record<ReferenceProblem, string> = {
  format: 'Enter the reference in the format WM-7K3Q-P9',
  check: 'Check the reference with the person: it was probably mistyped (its last character does not match)',
};

/**
 * Reads a reference as a person might type it — any case, with or without
 * dashes or spaces, O for 0 and I or L for 1 — and returns its canonical form,
 * or what is wrong with it.
 */
export function parseContactReference(input: string): { ok: true; reference: string } | { ok: false; problem: ReferenceProblem } {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/^WM/, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (cleaned.length !== RANDOM_SYMBOLS + 1 || [...cleaned].some((c) => !CROCKFORD_ALPHABET.includes(c))) {
    return { ok: false, problem: 'format' };
  }
  const body = cleaned.slice(0, RANDOM_SYMBOLS);
  if (checkSymbol(body) !== cleaned.slice(RANDOM_SYMBOLS)) return { ok: false, problem: 'check' };
  return { ok: true, reference: format(cleaned) };
}

/**
 * A reference as issued: the team whose champion issued it, and the date of the first contact under it. A reference
 * belongs to that team. Another team's champion who is quoted it, and anyone probing, gets exactly what an unknown
 * reference gets: the reference never links contacts across teams, and never shows one team another's dates.
 */
export interface IssuedReference {
  teamId?: string;
  firstContactDate?: string;
  /** The dates of MARAC referrals made under the reference (repeat MARAC: issue 23). */
  maracReferrals?: string[];
}

/**
 * The one rule for a quoted reference (contacts, and anything else that takes one): it counts only in the team that
 * issued it. Returns the reference for that team, or `undefined` whether it is unknown or another team's, so that
 * callers cannot tell the two apart. (A reference stored before references carried their team counts nowhere.)
 */
export function referenceForTeam<T extends IssuedReference>(issued: T | undefined, teamId: string): T | undefined {
  return issued !== undefined && issued.teamId === teamId ? issued : undefined;
}
