import * as z from 'zod/mini';
import { notifyPrioritiesSchema } from './notification-routing';
import { createChampionSchema } from './champions';
import { forbidden } from './errors';
import { ruleMessages } from './messages';
import { versionSchema } from './numbers';
import { roleSchema, teamIdSchema, type Principal, type Role } from './roles';
import { nameText } from './text';
import { statusTransitions, userStatusLabels } from './user-labels';

/**
 * The people who sign in to Waymark: staff and volunteers, each with one role, a team (supervisors and champions),
 * a display name and a status. Waymark keeps these on its own record; the email address is the one personal detail
 * it holds about them, and it lives in the identity provider only (Cognito in AWS, the development identity
 * provider's directory on one machine): never in DynamoDB, never in a log. The record's id is the account's sign-in
 * identity (the token's `sub`), which the identity provider assigns; nobody types it.
 */
export const userIdSchema = z.string().check(z.regex(/^[A-Za-z0-9-]{1,128}$/, 'must be a sign-in identity'));

export const userStatusSchema = z.enum(['invited', 'active', 'suspended', 'left']);
export type UserStatus = z.infer<typeof userStatusSchema>;

export { userStatusLabels };

export { statusTransitions };

/** May the account sign in and call the API? Only invited (first sign-in) and active accounts. */
export const mayUseWaymark = (status: UserStatus): boolean => status === 'invited' || status === 'active';

export const emailSchema = z
  .string()
  .check(z.maxLength(254), z.regex(/^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/, 'must be an email address'));

const displayName = nameText(80);

/** A champion's profile when the invitation is a champion's: the champion record is created in the same step. */
const championProfileSchema = z.strictObject({
  organisationId: createChampionSchema.shape.organisationId,
  strands: createChampionSchema.shape.strands,
  languages: createChampionSchema.shape.languages,
});

export const inviteUserSchema = z
  .strictObject({
    role: roleSchema,
    displayName,
    email: emailSchema.check(z.describe('where the invitation goes; kept by the identity provider only')),
    teamId: z.optional(teamIdSchema).check(z.describe('supervisors and champions; a supervisor\'s invitations join the supervisor\'s team')),
    champion: z.optional(championProfileSchema).check(z.describe('for a champion: the champion record created with the account')),
  })
  .check(
    z.refine((b) => b.role === 'champion' || b.champion === undefined, { message: 'Only a champion has a champion profile', path: ['champion'] }),
    z.refine((b) => b.role !== 'champion' || b.champion !== undefined, { message: 'Enter the champion\'s organisation and strands', path: ['champion'] }),
    z.refine((b) => !(b.role === 'admin' || b.role === 'commissioner') || b.teamId === undefined, {
      message: 'Administrators and commissioners belong to no team',
      path: ['teamId'],
    }),
  );
export type InviteUser = z.infer<typeof inviteUserSchema>;

export const updateUserSchema = z
  .strictObject({
    version: versionSchema,
    displayName: z.optional(displayName),
    role: z.optional(roleSchema).check(z.describe('admins only')),
    teamId: z.optional(z.nullable(teamIdSchema)).check(z.describe('move to another team (admins only); null for no team')),
    status: z.optional(userStatusSchema).check(z.describe('suspend, reinstate, or record that the person has left')),
  })
  .check(z.refine((b) => Object.keys(b).some((k) => k !== 'version'), { message: ruleMessages.changeSomething }));
export type UpdateUser = z.infer<typeof updateUserSchema>;

/** Waymark's record of a person (no email). */
export const userRecordSchema = z.object({
  id: userIdSchema,
  role: roleSchema,
  teamId: z.nullable(z.string()),
  displayName: z.string(),
  status: userStatusSchema,
  championId: z.nullable(z.string()).check(z.describe('the champion record created with a champion\'s account')),
  notifyPriorities: z.optional(notifyPrioritiesSchema).check(z.describe('a supervisor: the priorities of their team\'s concerns they are emailed about (every priority when not chosen)')),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().check(z.int(), z.positive()),
});
export type User = z.infer<typeof userRecordSchema>;

/** A user as the API shows them; `email` only on a single user's read, fetched from the identity provider. */
export const userViewSchema = z.extend(userRecordSchema, {
  email: z.optional(z.nullable(z.string())).check(z.describe('from the identity provider, on GET /users/{id} only')),
});
export type UserView = z.infer<typeof userViewSchema>;

export const userListFilterSchema = z.strictObject({
  teamId: z.optional(teamIdSchema),
  role: z.optional(roleSchema),
  status: z.optional(userStatusSchema),
});
export type UserListFilter = z.infer<typeof userListFilterSchema>;

/**
 * Whose a user record is, for the policy: a champion's belongs to their team (a supervisor manages the champions of
 * their own team); every other role's to no team, so only an admin reaches it. A user is never their own manager.
 */
export const userScope = (u: Pick<User, 'role' | 'teamId'>) => ({ teamId: u.role === 'champion' ? (u.teamId ?? undefined) : undefined });

export const matchesUserFilter = (u: User, f: UserListFilter, principal: Principal): boolean =>
  (principal.role !== 'supervisor' || u.role === 'champion') &&
  (f.role === undefined || u.role === f.role) &&
  (f.status === undefined || u.status === f.status);

const TEAM_ROLES: readonly Role[] = ['supervisor', 'champion'];

/**
 * The team of a new account and whether the inviter may create it: a supervisor invites champions of their own team
 * only (the team is theirs whatever was asked); an admin anyone, naming the team of a supervisor or champion.
 */
export function planInvitation(principal: Principal, input: InviteUser): { teamId: string | undefined } | { problem: { path: string; message: string } } {
  if (principal.role === 'supervisor' && input.role !== 'champion') throw forbidden('Supervisors invite champions only');
  const teamId = principal.role === 'supervisor' ? (input.teamId ?? principal.team) : input.teamId;
  if (TEAM_ROLES.includes(input.role) && !teamId) return { problem: { path: 'teamId', message: 'Select a team' } };
  return { teamId };
}

/** A change a caller may make to a user: supervisors change a champion's name and status, never role or team. */
export function checkUserChange(principal: Principal, before: User, change: UpdateUser): { path: string; message: string } | undefined {
  if (principal.role === 'supervisor' && (change.role !== undefined || change.teamId !== undefined)) {
    throw forbidden('Only an administrator may change a person\'s role or team');
  }
  if (principal.sub === before.id && (change.role !== undefined || (change.status !== undefined && change.status !== before.status))) {
    return { path: 'status', message: 'You cannot change your own role or status; ask another administrator' };
  }
  if (change.status !== undefined && change.status !== before.status && !statusTransitions[before.status].includes(change.status)) {
    return { path: 'status', message: `A person whose status is ${userStatusLabels[before.status].toLowerCase()} cannot become ${userStatusLabels[change.status].toLowerCase()}` };
  }
  const role = change.role ?? before.role;
  const team = change.teamId === undefined ? before.teamId : change.teamId;
  if (TEAM_ROLES.includes(role) && !team) return { path: 'teamId', message: 'Select a team' };
  if (!TEAM_ROLES.includes(role) && team) return { path: 'teamId', message: 'Administrators and commissioners belong to no team' };
  if (before.role === 'champion' && role !== 'champion') {
    return { path: 'role', message: 'A champion keeps the champion role; invite the person again with the new role' };
  }
  if (before.role !== 'champion' && role === 'champion') {
    return { path: 'role', message: 'A champion is invited as one, with their champion record' };
  }
  return undefined;
}

/** What the identity provider must do after a change: its groups, team attribute and whether the account signs in. */
export interface AccountChange {
  role?: Role;
  teamId?: string | null;
  displayName?: string;
  /** Disable (suspended, left) or enable (active again). */
  enabled?: boolean;
  /** Revoke the account's refresh tokens (on suspension and leaving). */
  signOut?: boolean;
}

export function accountChangeOf(before: User, change: UpdateUser): AccountChange {
  const statusChanged = change.status !== undefined && change.status !== before.status;
  const closing = statusChanged && !mayUseWaymark(change.status as UserStatus);
  return {
    ...(change.role !== undefined && change.role !== before.role ? { role: change.role } : {}),
    ...(change.teamId !== undefined && change.teamId !== before.teamId ? { teamId: change.teamId } : {}),
    ...(change.displayName !== undefined ? { displayName: change.displayName } : {}),
    ...(statusChanged ? { enabled: !closing } : {}),
    ...(closing ? { signOut: true } : {}),
  };
}
