import * as z from 'zod/mini';

/**
 * Whole numbers, one rule for all of them. In a JSON body a whole number is a
 * JSON number (`"1"` is text, and is refused saying so); in a query string it
 * is digits only: `1e2`, `0x10`, `1.0`, ` 12` and `+3` are refused with a
 * message that says why, where `Number()` (and zod's coercion) would quietly
 * take them.
 */

export const WHOLE_NUMBER_MESSAGE = 'must be a whole number';
const DIGITS_MESSAGE = 'must be a whole number written in digits only (no exponent such as 1e2, no hex such as 0x10, no decimal point or sign)';

/** A whole number in a JSON body, between `min` and `max`. */
export const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .number({ error: (issue) => (issue.input === undefined ? undefined : `${WHOLE_NUMBER_MESSAGE} (a JSON number, without quotes)`) })
    .check(z.int(WHOLE_NUMBER_MESSAGE), z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`));

/** The version a change is based on: the `version` the client last read. */
export const versionSchema = wholeNumber(1).check(z.describe('the version the change is based on (the `version` you last read)'));

/** A whole number in a query string, between `min` and `max`. */
export const wholeNumberParameter = (min: number, max: number) =>
  z.pipe(
    z.pipe(z.string().check(z.regex(/^[0-9]{1,15}$/, DIGITS_MESSAGE)), z.transform((text) => Number(text))),
    z.number().check(z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`)),
  ).check(z.meta({ description: `a whole number from ${min} to ${max}, in digits` }));
