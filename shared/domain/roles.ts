import * as z from 'zod/mini';

/** The four roles of the brief; each is a Cognito group of the same name. */
export const roleSchema = z.enum(['champion', 'supervisor', 'commissioner', 'admin']);
export type Role = z.infer<typeof roleSchema>;
export const roles = roleSchema.options;

export const roleLabels: Record<Role, string> = {
  champion: 'Champion',
  supervisor: 'Supervisor (DASV team)',
  commissioner: 'Commissioner',
  admin: 'Administrator',
};

/** Identifiers of teams (also carried in the access token's team claim). */
export const teamIdSchema = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1-64 lowercase letters, digits or dashes'));
export type TeamId = z.infer<typeof teamIdSchema>;

/** Who is making a request, as established from a verified access token. */
export const principalSchema = z.object({
  sub: z.string().check(z.minLength(1)),
  username: z.optional(z.string()),
  role: roleSchema,
  team: z.optional(teamIdSchema),
});
export type Principal = z.infer<typeof principalSchema>;

/** `GET /me`: who the caller is, as the verified token says. */
export const meSchema = z.object({
  sub: z.string(),
  username: z.nullable(z.string()),
  role: roleSchema,
  roleLabel: z.string(),
  team: z.nullable(z.string()),
});
export type Me = z.infer<typeof meSchema>;
