import createHttpError, { type HttpError } from 'http-errors';

/**
 * The errors domain and store code throw. The handler pipeline turns each
 * into a JSON response: 4xx with its message and details, 5xx with only a
 * correlation id.
 */
export interface FieldIssue {
  /** Dotted path of the field, e.g. `supervisors.0`; empty for the body itself. */
  path: string;
  message: string;
}

export type { HttpError };
export const isHttpError = createHttpError.isHttpError;

export const badRequest = (message: string, issues: FieldIssue[] = []): HttpError =>
  createHttpError(400, message, { issues });

export const validationFailed = (issues: FieldIssue[]): HttpError =>
  badRequest(
    `Invalid request: ${issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; ')}`,
    issues,
  );

export const unauthorized = (reason: string): HttpError => createHttpError(401, reason);

export const forbidden = (reason: string): HttpError => createHttpError(403, reason);

export const notFound = (what: string): HttpError => createHttpError(404, `${what} not found`);

export const conflict = (message: string, details: Record<string, unknown> = {}): HttpError =>
  createHttpError(409, message, { details });

export const serviceUnavailable = (message: string, retryAfterSeconds = 1): HttpError =>
  createHttpError(503, message, { expose: true, retryAfterSeconds });
