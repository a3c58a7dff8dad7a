import * as z from 'zod';
import { teamIdSchema } from './roles';

/** A team of champions, run by one or more supervisors. */
export const createTeamSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  supervisors: z
    .array(z.string().min(1).max(128))
    .max(50, 'must list at most 50 supervisors')
    .default([])
    .describe('sign-in identities (sub) of the supervisors who run the team'),
});
export type CreateTeam = z.infer<typeof createTeamSchema>;

export const teamSchema = z.object({
  id: teamIdSchema,
  name: z.string(),
  supervisors: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int().positive(),
});
export type Team = z.infer<typeof teamSchema>;
