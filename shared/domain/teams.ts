import * as z from 'zod/mini';
import { versionSchema } from './numbers';
import { nameText } from './text';
import { teamIdSchema } from './roles';

/** A team of champions, run by one or more supervisors. */
export const createTeamSchema = z.strictObject({
  name: nameText(100),
  supervisors: z
    ._default(z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.maxLength(50, 'must list at most 50 supervisors')), [])
    .check(z.describe('sign-in identities (sub) of the supervisors who run the team')),
});
export type CreateTeam = z.infer<typeof createTeamSchema>;

export const teamSchema = z.object({
  id: teamIdSchema,
  name: z.string(),
  supervisors: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: versionSchema,
});
export type Team = z.infer<typeof teamSchema>;
