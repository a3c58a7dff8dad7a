import createHttpError, { type HttpError } from 'http-errors';
import { fieldMessage, problemSummary } from './messages';

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

/** A field issue in the catalogue's words: a rule's predicate ("must not be in the future") gets the field's name. */
const plain = (issue: FieldIssue): FieldIssue => ({ path: issue.path, message: fieldMessage(issue.path, { kind: 'stated', text: issue.message }) });

export const badRequest = (message: string, issues: FieldIssue[] = []): HttpError =>
  createHttpError(400, message, { issues: issues.map(plain) });

/** A 400 for answers that break the rules: each issue a sentence a person can act on, its path for machines. */
export const validationFailed = (issues: FieldIssue[]): HttpError => {
  const plainIssues = issues.map(plain);
  return createHttpError(400, problemSummary(plainIssues), { issues: plainIssues });
};

export const unauthorized = (reason: string): HttpError => createHttpError(401, reason);

export const forbidden = (reason: string, details?: Record<string, unknown>): HttpError =>
  details ? createHttpError(403, reason, { details }) : createHttpError(403, reason);

export const notFound = (what: string): HttpError => createHttpError(404, `${what} not found`);

export const conflict = (message: string, details: Record<string, unknown> = {}): HttpError =>
  createHttpError(409, message, { details });

export const serviceUnavailable = (message: string, retryAfterSeconds = 1, details?: Record<string, unknown>): HttpError =>
  createHttpError(503, message, { expose: true, retryAfterSeconds, ...(details ? { details } : {}) });
