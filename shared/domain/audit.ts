import * as z from 'zod';
import { roleSchema } from './roles';

/**
 * An audit event: who did what to which record, when, from which request,
 * and with what outcome. It names the fields a change touched, never their
 * values, so the trail holds no case data of its own.
 */
export const auditOutcomeSchema = z.enum(['success', 'denied']);

export const auditEventSchema = z.object({
  eventId: z.string(),
  at: z.string().describe('ISO 8601 time, UTC'),
  actor: z.object({ sub: z.string(), role: roleSchema, team: z.string().optional() }),
  action: z.string().describe('what was done, e.g. teams.create or contacts.read'),
  entityType: z.string(),
  entityId: z.string(),
  teamId: z.string().optional().describe('team the record belongs to, for supervisors\' audit views'),
  requestId: z.string(),
  outcome: auditOutcomeSchema,
  changedFields: z.array(z.string()).describe('names of the fields written; never their values'),
  reason: z.string().optional().describe('why an attempt was denied'),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
