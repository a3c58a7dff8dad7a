import {
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { TEAM_CLAIM } from '../auth/access-token';
import { getConfig } from '../config';
import type { SignInAccount } from '../domain/sign-in-accounts';

/**
 * The Cognito adapter of the sign-in directory (sign-in-directory.ts), loaded with `import()` when an identity is
 * first checked, so that no other cold start evaluates the client.
 */
let client: CognitoIdentityProviderClient | undefined;

export async function findCognitoAccount(userPoolId: string, sub: string): Promise<SignInAccount | undefined> {
  // A sub is a UUID; anything that could break out of the filter's quotes is no account's.
  if (!/^[A-Za-z0-9-]{1,128}$/.test(sub)) return undefined;
  client ??= new CognitoIdentityProviderClient({ region: getConfig().region, maxAttempts: 3 });
  const found = await client.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: `sub = "${sub}"`, Limit: 1 }));
  const user = found.Users?.[0];
  if (!user?.Username) return undefined;
  const groups = await client.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: user.Username, Limit: 10 }));
  const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
  return {
    sub,
    groups: (groups.Groups ?? []).map((g) => g.GroupName ?? '').filter(Boolean),
    team: attribute(TEAM_CLAIM),
    enabled: user.Enabled === true,
  };
}
