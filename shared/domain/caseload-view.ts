import * as z from 'zod/mini';
import { championStatusSchema } from './champions';
import { supervisorEscalationViewSchema } from './escalation-views';
import { signpostingModes } from './taxonomies';
import { strandTrainingSchema } from './training';

/** A signposting awaiting its outcome, as the caseload lists it (oldest contact first). */
export const followUpSchema = z.object({
  contactId: z.string(),
  signpostingId: z.string(),
  contactDate: z.string(),
  serviceId: z.string(),
  serviceKind: z.string(),
  serviceName: z.string(),
  mode: signpostingModes.schema,
});
export type FollowUp = z.infer<typeof followUpSchema>;

/**
 * `GET /caseload`: a supervisor's team at a glance — open escalations
 * (overdue first), signposting awaiting a follow-up, champions whose training
 * needs renewing, and contacts per champion over 30 and 90 days.
 */
export const caseloadSchema = z.object({
  teamId: z.string(),
  asOf: z.string(),
  escalations: z.object({
    items: z.array(supervisorEscalationViewSchema),
    total: z.number().check(z.int()),
    overdue: z.number().check(z.int()),
  }),
  followUps: z.object({ items: z.array(followUpSchema), more: z.boolean().check(z.describe('more follow-ups than the caseload shows')) }),
  training: z.array(z.object({ championId: z.string(), displayName: z.string(), trainingStatus: z.array(strandTrainingSchema) })),
  contactCounts: z.array(
    z.object({
      championId: z.string(),
      displayName: z.string(),
      status: championStatusSchema,
      last30Days: z.number().check(z.int()),
      last90Days: z.number().check(z.int()),
    }),
  ),
});
export type Caseload = z.infer<typeof caseloadSchema>;
