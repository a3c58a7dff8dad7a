import { TEAM_CLAIM } from '../auth/access-token';
import type { SignInAccount } from '../domain/sign-in-accounts';
import { awsJsonCall } from './aws-json';

/**
 * The reads of the Cognito user pool that every API function makes (the account check on each request, a champion's
 * identity, a supervisor's address for their subscription), over the small signed path (aws-json.ts) rather than the
 * Cognito SDK client, which only the users function carries (cognito-directory.ts, whose `find` and `emailOf` are
 * these very functions: one implementation of each read).
 */
interface Attribute {
  Name?: string;
  Value?: string;
}

/** The account whose `sub` this is (ListUsers filtered by sub, then AdminListGroupsForUser). */
export async function findCognitoAccount(userPoolId: string, sub: string): Promise<SignInAccount | undefined> {
  // A sub is a UUID; anything that could break out of the filter's quotes is no account's.
  if (!/^[A-Za-z0-9-]{1,128}$/.test(sub)) return undefined;
  const found = await awsJsonCall<{ Users?: { Username?: string; Enabled?: boolean; Attributes?: Attribute[] }[] }>('cognito-idp', 'ListUsers', {
    UserPoolId: userPoolId,
    Filter: `sub = "${sub}"`,
    Limit: 1,
  });
  const user = found.Users?.[0];
  if (!user?.Username) return undefined;
  const groups = await awsJsonCall<{ Groups?: { GroupName?: string }[] }>('cognito-idp', 'AdminListGroupsForUser', { UserPoolId: userPoolId, Username: user.Username, Limit: 10 });
  const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
  return {
    sub,
    groups: (groups.Groups ?? []).map((g) => g.GroupName ?? '').filter(Boolean),
    team: attribute(TEAM_CLAIM),
    enabled: user.Enabled === true,
  };
}

/** The account's email address (AdminGetUser; the pool's usernames are subs). */
export async function cognitoEmailOf(userPoolId: string, sub: string): Promise<string | undefined> {
  const user = await awsJsonCall<{ UserAttributes?: Attribute[] }>('cognito-idp', 'AdminGetUser', { UserPoolId: userPoolId, Username: sub });
  return user.UserAttributes?.find((a) => a.Name === 'email')?.Value;
}
