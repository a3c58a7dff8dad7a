import * as z from 'zod/mini';
import { officeHoursSchema } from './notification-routing';
import { emailSchema } from './users';

/**
 * The on-call setting an admin keeps (GET/PUT /settings/on-call, audited): the address that hears of immediate
 * concerns raised out of hours, and the DASV team's office hours. The address is a shared on-call mailbox, not a
 * person's own; people's emails stay in the identity provider.
 */
/** `PUT /settings/on-call`: the address (a shared on-call mailbox, not a person's own) and the team's hours. */
export const onCallBodySchema = z
  .strictObject({
    version: z.number().check(z.int(), z.gte(0), z.describe('the version read (0 when never set)')),
    email: z.optional(emailSchema).check(z.describe('the on-call mailbox; leave it out for none')),
    officeHours: officeHoursSchema,
  })
  .check(z.refine((b) => b.officeHours.from < b.officeHours.to, { path: ['officeHours', 'to'], message: 'The end of the working day must be after its start' }));
export type OnCallBody = z.infer<typeof onCallBodySchema>;

export const onCallSchema = z.object({
  email: z.nullable(z.string()),
  officeHours: officeHoursSchema,
  version: z.number(),
  source: z.enum(['default', 'setting']),
});
export type OnCall = z.infer<typeof onCallSchema>;

