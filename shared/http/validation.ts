import * as z from 'zod/mini';
import '../zod-messages';
import { validationFailed, type FieldIssue, type HttpError } from '../domain/errors';

/**
 * Turns zod's issues into `{ path, message }` pairs that name each bad field.
 * Unknown keys (strict objects) become one issue per key, at the key's path.
 */
export function toFieldIssues(error: z.core.$ZodError, prefix: string[] = []): FieldIssue[] {
  return error.issues.flatMap((issue): FieldIssue[] => {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'is not an allowed field' }));
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return [{ path: path.join('.'), message: 'is required' }];
    }
    return [{ path: path.join('.'), message: issue.message }];
  });
}

/** Parses `input` with `schema`, or throws a 400 naming every bad field (prefixed with where it came from). */
export function parseOrThrow<S extends z.core.$ZodType>(schema: S, input: unknown, prefix: string[] = []): z.output<S> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  throw validationFailed(toFieldIssues(result.error, prefix)) as HttpError;
}
