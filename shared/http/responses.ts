import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';

/** Headers on every API response: JSON, never cached, locked down for browsers. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
};

export function jsonResponse(
  statusCode: number,
  body: unknown,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { ...securityHeaders, 'x-request-id': requestId, ...extraHeaders },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/**
 * The body of every refusal and failure the pipeline answers (4xx and 5xx): the
 * message, the request id, and where the input was at fault, each bad field
 * with its reason. Some refusals say more: the field and version a conflict is
 * about, the state an escalation is in and where it may go next.
 */
export const errorBodySchema = z.object({
  error: z.string().check(z.describe('what went wrong, in plain words (5xx: only "Internal error" or a retry hint)')),
  issues: z.optional(
    z.array(z.object({ path: z.string().check(z.describe('dotted path of the field; empty for the body itself')), message: z.string() })),
  ).check(z.describe('one entry per bad field')),
  field: z.optional(z.string()).check(z.describe('the field (or header) a refusal is about')),
  currentVersion: z.optional(z.number()).check(z.describe('a stale version: the record\'s version now')),
  currentState: z.optional(z.string()).check(z.describe('an escalation that cannot move so: its state now')),
  allowedNext: z.optional(z.array(z.string())).check(z.describe('...and the states it may move to')),
  escalationId: z.optional(z.string()).check(z.describe('a contact already escalated: the escalation raised from it')),
  completionId: z.optional(z.string()).check(z.describe('a completion already recorded: its id')),
  strand: z.optional(z.string()).check(z.describe('a champion not qualified: the strand')),
  reason: z.optional(z.string()).check(z.describe('...and why (the training gate\'s reason)')),
  requestId: z.string().check(z.describe('correlation id, also in the x-request-id header and the audit trail')),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** What API Gateway itself answers (no token, a payload over its limit, a function that timed out or failed). */
export const gatewayErrorSchema = z.object({ message: z.string() });
