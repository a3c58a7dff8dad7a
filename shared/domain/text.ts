import * as z from 'zod/mini';

/**
 * The text policy: one for every free-text field, one for names. Runs first,
 * before any other check of the text (the personal-data detector sees what
 * this returns).
 *
 * Free text is normalised to Unicode NFC, line breaks to `\n`, and trimmed.
 * It may not hold control characters (C0 other than the line break, DEL, C1:
 * NUL, terminal escape sequences), bidirectional controls (U+202A–U+202E,
 * U+2066–U+2069, the marks U+200E, U+200F, U+061C), the line and paragraph
 * separators U+2028 and U+2029, or lone surrogates. Lengths count characters
 * (Unicode code points, after normalisation), not bytes or UTF-16 units.
 *
 * A name (team, organisation, champion's display name, course title, service,
 * trainer) is free text on one line, made of letters, marks, digits, spaces and
 * a short punctuation set, and may not start with a character a spreadsheet
 * reads as a formula (`= + - @`). HTML and formulas cannot be written in one.
 */

/** Characters no stored text may hold, whatever the field. */
const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|\p{Cs}/u;

/** The punctuation a name may use besides letters, marks, digits and spaces. */
export const NAME_PUNCTUATION = `'’‘".,:&()/!?–-“”`;
const NAME = /^[\p{L}\p{M}\p{N} '’‘".,:&()/!?–“”-]*$/u;
/** What a spreadsheet would take as the start of a formula. */
const FORMULA_START = /^[=+\-@]/;

const codePoint = (c: string) => `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a text breaks the policy (the first bad character and where it is), or undefined. */
export function forbiddenCharacter(text: string): string | undefined {
  const match = FORBIDDEN.exec(text);
  if (!match) return undefined;
  const at = [...text.slice(0, match.index)].length + 1;
  const what = /\p{Cs}/u.test(match[0])
    ? 'a broken character (a lone surrogate)'
    : /[\u2028\u2029]/.test(match[0])
      ? `a line or paragraph separator (${codePoint(match[0])})`
      : /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(match[0])
        ? `a text direction control (${codePoint(match[0])})`
        : `a control character (${codePoint(match[0])})`;
  return `must not contain ${what}; found at character ${at}`;
}

/** Free text as it is stored: NFC, `\n` line breaks, trimmed. */
export const normaliseText = (text: string): string => text.replace(/\r\n?/g, '\n').normalize('NFC').trim();

/** Length in characters (code points). */
export const characterCount = (text: string): number => [...text].length;

const policy = (max: number, min: number, oneLine: boolean) =>
  z.pipe(
    z.string().check(
      z.superRefine((text, ctx) => {
        const bad = oneLine && /[\r\n]/.test(text) ? 'must be on one line' : forbiddenCharacter(text.replace(/\r\n?/g, '\n'));
        if (bad) ctx.addIssue({ code: 'custom', message: bad, input: text });
      }),
    ),
    z.transform(normaliseText),
  ).check(
    // Empty is "missing" in the message catalogue's words ("Enter a name"); a longer minimum counts characters.
    min <= 1 ? z.minLength(min) : z.refine((text) => characterCount(text) >= min, `must be ${min} characters or more`),
    z.refine((text) => characterCount(text) <= max, `must be ${max} characters or fewer`),
    // JSON Schema counts lengths in code points too, so the API document states the same limits.
    z.meta({ minLength: min, maxLength: max }),
  );

/** Free text of at most `max` characters (line breaks allowed). */
export const freeText = (max: number, min = 1) => policy(max, min, false);

/** Free text on one line. */
export const oneLineText = (max: number, min = 1) => policy(max, min, true);

/** Why a one-line text is not a name, or undefined. */
export function nameProblem(text: string): string | undefined {
  if (FORMULA_START.test(text)) return 'must not start with = + - or @';
  if (!NAME.test(text)) return `must be letters, digits, spaces and ${NAME_PUNCTUATION.split('').join(' ')} only`;
  return undefined;
}

/** A name of at most `max` characters. */
export const nameText = (max: number) =>
  oneLineText(max).check(
    z.superRefine((text, ctx) => {
      const problem = nameProblem(text);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: text });
    }),
  );
