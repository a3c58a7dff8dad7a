import * as z from 'zod/mini';
import { roleSchema } from './roles';

/**
 * An audit event: who did what to which record, when, from which request,
 * and with what outcome. It names the fields a change touched, never their
 * values, so the trail holds no case data of its own.
 */
export const auditOutcomeSchema = z.enum(['success', 'denied']);

export const auditEventSchema = z.object({
  eventId: z.string(),
  at: z.string().check(z.describe('ISO 8601 time, UTC')),
  actor: z.object({ sub: z.string(), role: roleSchema, team: z.optional(z.string()) }),
  action: z.string().check(z.describe('what was done, e.g. teams.create or contacts.read')),
  entityType: z.string(),
  entityId: z.string(),
  teamId: z.optional(z.string()).check(z.describe('team the record belongs to, for supervisors\' audit views')),
  requestId: z.string(),
  outcome: auditOutcomeSchema,
  changedFields: z.array(z.string()).check(z.describe('names of the fields written; never their values')),
  reason: z.optional(z.string()).check(z.describe('why an attempt was denied')),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
