import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { TEAM_CLAIM } from '../auth/access-token';
import { getConfig } from '../config';
import { conflict } from '../domain/errors';
import { roles } from '../domain/roles';
import type { SignInAccount } from '../domain/sign-in-accounts';
import type { IdentityDirectory } from './sign-in-directory';

/**
 * The Cognito adapter of the identity directory (sign-in-directory.ts), loaded with `import()` when an account is
 * first looked up, so that no other cold start evaluates the client. The pool signs in by email, so each user's
 * Cognito username is its `sub`: every Admin* call names the user by the identity Waymark knows.
 *
 * Leaving, in Cognito: the user is disabled (AdminDisableUser: no sign-in, no token refresh) and signed out
 * everywhere (AdminUserGlobalSignOut: refresh tokens revoked), and kept — not deleted — so that the `sub` the audit
 * trail attributes their work to stays one person's and is never issued again. Waymark's record says `left`.
 */
let client: CognitoIdentityProviderClient | undefined;

/** The client every call goes through; tests reach it to see the calls at the SDK boundary. */
export function cognitoClient(): CognitoIdentityProviderClient {
  client ??= new CognitoIdentityProviderClient({ region: getConfig().region, maxAttempts: 3 });
  return client;
}

export async function findCognitoAccount(userPoolId: string, sub: string): Promise<SignInAccount | undefined> {
  // A sub is a UUID; anything that could break out of the filter's quotes is no account's.
  if (!/^[A-Za-z0-9-]{1,128}$/.test(sub)) return undefined;
  const found = await cognitoClient().send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: `sub = "${sub}"`, Limit: 1 }));
  const user = found.Users?.[0];
  if (!user?.Username) return undefined;
  const groups = await cognitoClient().send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: user.Username, Limit: 10 }));
  const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
  return {
    sub,
    groups: (groups.Groups ?? []).map((g) => g.GroupName ?? '').filter(Boolean),
    team: attribute(TEAM_CLAIM),
    enabled: user.Enabled === true,
  };
}

export function cognitoDirectory(userPoolId: string): IdentityDirectory {
  return {
    find: (sub) => findCognitoAccount(userPoolId, sub),
    async invite({ email, displayName, role, teamId }) {
      let sub: string | undefined;
      try {
        const created = await cognitoClient().send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: email,
            DesiredDeliveryMediums: ['EMAIL'],
            UserAttributes: [
              { Name: 'email', Value: email },
              { Name: 'email_verified', Value: 'true' },
              { Name: 'name', Value: displayName },
              ...(teamId ? [{ Name: TEAM_CLAIM, Value: teamId }] : []),
            ],
          }),
        );
        sub = created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value ?? created.User?.Username;
      } catch (error) {
        if (error instanceof UsernameExistsException || (error as { name?: string }).name === 'UsernameExistsException') {
          throw conflict('An account with this email address already exists', { field: 'email' });
        }
        throw error;
      }
      if (!sub) throw new Error('Cognito created a user without a sub');
      await cognitoClient().send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: sub, GroupName: role }));
      return { sub };
    },
    async update(sub, change) {
      if (change.role !== undefined) {
        const current = await cognitoClient().send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: sub, Limit: 10 }));
        for (const group of current.Groups ?? []) {
          if (group.GroupName && group.GroupName !== change.role && (roles as readonly string[]).includes(group.GroupName)) {
            await cognitoClient().send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: sub, GroupName: group.GroupName }));
          }
        }
        await cognitoClient().send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: sub, GroupName: change.role }));
      }
      const attributes = [
        ...(change.displayName !== undefined ? [{ Name: 'name', Value: change.displayName }] : []),
        ...(typeof change.teamId === 'string' ? [{ Name: TEAM_CLAIM, Value: change.teamId }] : []),
      ];
      if (attributes.length > 0) await cognitoClient().send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: sub, UserAttributes: attributes }));
      if (change.teamId === null) await cognitoClient().send(new AdminDeleteUserAttributesCommand({ UserPoolId: userPoolId, Username: sub, UserAttributeNames: [TEAM_CLAIM] }));
      if (change.enabled === false) await cognitoClient().send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: sub }));
      if (change.enabled === true) await cognitoClient().send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: sub }));
      if (change.signOut) await cognitoClient().send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: sub }));
    },
    async signOut(sub) {
      await cognitoClient().send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: sub }));
    },
    async remove(sub) {
      await cognitoClient().send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: sub }));
    },
    async emailOf(sub) {
      const user = await cognitoClient().send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: sub }));
      return user.UserAttributes?.find((a) => a.Name === 'email')?.Value;
    },
  };
}
