import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { TEAM_CLAIM } from '../auth/access-token';
import { getConfig } from '../config';
import { conflict } from '../domain/errors';
import { roles } from '../domain/roles';
import { cognitoEmailOf, findCognitoAccount } from './cognito-accounts';
import type { IdentityDirectory } from './sign-in-directory';

/**
 * The Cognito adapter of the identity directory (sign-in-directory.ts), in the users function's bundle only
 * (identity-directory.ts): its reads are cognito-accounts.ts's, over the small signed path every function shares;
 * its writes use the Cognito SDK client. The pool signs in by email, so each user's
 * Cognito username is its `sub`: every Admin* call names the user by the identity Waymark knows.
 *
 * Leaving, in Cognito: the user is disabled (AdminDisableUser: no sign-in, no token refresh) and signed out
 * everywhere (AdminUserGlobalSignOut: refresh tokens revoked), and kept — not deleted — so that the `sub` the audit
 * trail attributes their work to stays one person's and is never issued again. Waymark's record says `left`.
 */
let client: CognitoIdentityProviderClient | undefined;

/** The client every call goes through; tests reach it to see the calls at the SDK boundary. */
export function cognitoClient(): CognitoIdentityProviderClient {
  const { region, cognitoEndpoint } = getConfig();
  client ??= new CognitoIdentityProviderClient({ region, maxAttempts: 3, ...(cognitoEndpoint ? { endpoint: cognitoEndpoint } : {}) });
  return client;
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
    emailOf: (sub) => cognitoEmailOf(userPoolId, sub),
  };
}
