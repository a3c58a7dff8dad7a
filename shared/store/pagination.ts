import * as z from 'zod/mini';
import { badRequest } from '../domain/errors';

/**
 * Cursor pagination. A cursor is the opaque, URL-safe form of DynamoDB's
 * LastEvaluatedKey; a client passes it back unchanged to get the next page.
 */
export const pageQuerySchema = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1, 'must be at least 1'), z.lte(100, 'must be at most 100')), 25),
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

const keySchema = z.record(z.string(), z.union([z.string(), z.number()]));

export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | null {
  if (!lastEvaluatedKey) return null;
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Record<string, string | number> | undefined {
  if (cursor === undefined) return undefined;
  try {
    return keySchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw badRequest('There is a problem with the page', [{ path: 'cursor', message: 'Go back to the first page and try again' }]);
  }
}
