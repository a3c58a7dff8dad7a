import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger (JSON lines). It is given correlation id, route,
 * status and latency — never a request body, a token, or a case field.
 */
export const logger = new Logger({ serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? 'waymark' });

/** A 5xx is logged by the error's name and stack frames only: messages can carry values. */
export function describeErrorForLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { errorName: typeof error };
  const frames = (error.stack ?? '').split('\n').slice(1, 8).map((l) => l.trim());
  return { errorName: error.name, frames };
}
