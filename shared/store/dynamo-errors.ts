import { conflict, serviceUnavailable, type HttpError } from '../domain/errors';

/** Names of the DynamoDB errors that mean "try again shortly". */
const retryable = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'AbortError',
]);

/** Network failures on the way to DynamoDB (refused, reset, unreachable): nothing was stored, so "try again". */
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
const networkCode = (error: unknown): string | undefined => {
  const code = typeof error === 'object' && error && 'code' in error ? String((error as { code: unknown }).code) : undefined;
  return code && networkCodes.has(code) ? code : undefined;
};

export interface CancellationReason {
  Code?: string;
  Message?: string;
}

export const errorName = (error: unknown): string =>
  error instanceof Error ? error.name : typeof error === 'object' && error && 'name' in error ? String(error.name) : '';

export function cancellationReasons(error: unknown): CancellationReason[] {
  if (errorName(error) !== 'TransactionCanceledException') return [];
  const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons;
  return Array.isArray(reasons) ? reasons : [];
}

/**
 * Turns a DynamoDB failure the caller did not handle itself into an HTTP
 * error: contention and throttling become 503 with Retry-After; anything
 * else is rethrown as it is (a 500 with only a correlation id).
 */
export function mapDynamoError(error: unknown): HttpError | unknown {
  const name = errorName(error);
  if (retryable.has(name) || networkCode(error)) return serviceUnavailable('The service is busy; nothing was stored. Try again shortly.', 1);
  if (name === 'TransactionCanceledException') {
    const codes = cancellationReasons(error).map((r) => r.Code);
    if (codes.some((c) => c === 'TransactionConflict' || c === 'ThrottlingError' || c === 'ProvisionedThroughputExceeded')) {
      return serviceUnavailable('The record is busy; nothing was stored. Try again shortly.', 1);
    }
    if (codes.includes('ConditionalCheckFailed')) {
      return conflict('The record changed or already exists; nothing was stored.');
    }
    return serviceUnavailable('The change could not be completed; nothing was stored. Try again shortly.', 1);
  }
  return error;
}
