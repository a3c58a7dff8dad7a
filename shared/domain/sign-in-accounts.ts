import { roles, type Role } from './roles';

/**
 * A sign-in account as the directory holds it (Cognito in AWS, the development identity provider on one machine):
 * its identity (the token's `sub`), its Waymark role (from its groups) and team, and whether it may sign in.
 */
export interface SignInAccount {
  sub: string;
  /** Waymark role groups the account is in (exactly one for a usable account). */
  groups: readonly string[];
  team: string | undefined;
  enabled: boolean;
}

/** The role an account signs in with: its one Waymark role group, as the token check reads it (access-token.ts). */
export function roleOf(account: SignInAccount): Role | undefined {
  const roleGroups = account.groups.filter((g): g is Role => (roles as readonly string[]).includes(g));
  return roleGroups.length === 1 ? roleGroups[0] : undefined;
}

export const CHAMPION_IDENTITY_MESSAGE = 'Enter the sign-in identity of a champion’s account in this champion’s team';

/**
 * May this account be a champion record's identity in `teamId`? Only an enabled account whose one role is champion,
 * in that team: not a supervisor's, not another team's. One message for every refusal, so that the answer does not
 * tell a caller which accounts exist or what they are.
 */
export function championIdentityProblem(account: SignInAccount | undefined, teamId: string): string | undefined {
  if (account && account.enabled && roleOf(account) === 'champion' && account.team === teamId) return undefined;
  return CHAMPION_IDENTITY_MESSAGE;
}
