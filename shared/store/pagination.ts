import * as z from 'zod/mini';
import { badRequest } from '../domain/errors';
import { wholeNumberParameter } from '../domain/numbers';
import { cursorKey, open, seal } from './cursor-seal';

/**
 * Cursor pagination. Inside the store a cursor is DynamoDB's LastEvaluatedKey
 * as URL-safe text; a client only ever sees it sealed (cursor-seal.ts), bound
 * to the caller, the route and the query it was issued for. The request
 * pipeline opens the `cursor` a client sends and seals the `nextCursor` it is
 * given back, so every list, whatever its store, is sealed the same way.
 */
export const pageQuerySchema = z.strictObject({
  limit: z._default(wholeNumberParameter(1, 100), 25).check(z.meta({ default: '25' })),
  cursor: z.optional(z.string().check(z.maxLength(2048, 'is too long'))),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The schema of a page of `item`s, as every list operation replies. */
export const pageSchema = <T extends z.core.$ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.nullable(z.string()).check(z.describe('pass it back as `cursor` for the next page; null on the last page')),
  });

const keySchema = z.record(z.string(), z.union([z.string(), z.number()])).check(z.refine((key) => Object.keys(key).length > 0));

export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | null {
  if (!lastEvaluatedKey) return null;
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Record<string, string | number> | undefined {
  if (cursor === undefined) return undefined;
  try {
    return keySchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalidPageLink();
  }
}

/** What a page link says when it is not one this API issued to this caller for this list. */
export const INVALID_PAGE_LINK = 'This page link is not valid. Go back to the first page of the list and try again.';
const invalidPageLink = () =>
  badRequest(INVALID_PAGE_LINK, [{ path: 'query.cursor', message: 'Go back to the first page of the list and try again: this page link is not valid' }]);

/** What a cursor is bound to: who asked, on which route (and path), with which filters. The page size may change between pages. */
export interface CursorBinding {
  caller: string;
  routeKey: string;
  pathParameters: Readonly<Record<string, unknown>>;
  query: Readonly<Record<string, unknown>>;
}

const canonical = (values: Readonly<Record<string, unknown>>): [string, unknown][] =>
  Object.entries(values)
    .filter(([name, value]) => name !== 'cursor' && name !== 'limit' && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const bindingText = (b: CursorBinding): string =>
  JSON.stringify([b.caller, b.routeKey, canonical(b.pathParameters), canonical(b.query)]);

/** The store's cursor inside a sealed page link, or a 400 that says the link is not valid. */
export async function openPageLink(link: string, binding: CursorBinding): Promise<string> {
  const inner = open(await cursorKey(), link, bindingText(binding));
  if (inner === undefined) throw invalidPageLink();
  return inner;
}

/** A store cursor sealed into a page link for this binding. */
export async function sealPageLink(cursor: string, binding: CursorBinding): Promise<string> {
  return seal(await cursorKey(), cursor, bindingText(binding));
}
