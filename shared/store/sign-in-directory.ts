import { getConfig } from '../config';
import type { Role } from '../domain/roles';
import type { SignInAccount } from '../domain/sign-in-accounts';
import type { AccountChange } from '../domain/users';
import { cognitoEmailOf, findCognitoAccount } from './cognito-accounts';

/**
 * The identity provider's user directory: one port, the adapter chosen by configuration alone. In AWS the Cognito
 * user pool (`USER_POOL_ID`, cognito-directory.ts: each function is granted exactly the actions it uses on that
 * pool); on one machine the development identity provider's directory file (`SIGN_IN_DIRECTORY_FILE`,
 * directory-file.ts, under the data folder). Email addresses live here only.
 */
export interface Invitation {
  email: string;
  displayName: string;
  role: Role;
  teamId: string | undefined;
}

export interface IdentityDirectory {
  /** The account with this sign-in identity: its role groups, team and whether it may sign in. */
  find(sub: string): Promise<SignInAccount | undefined>;
  /** Creates the account and sends the invitation (Cognito emails it; on one machine it goes to the local outbox). 409 for an email already in use. */
  invite(invitation: Invitation): Promise<{ sub: string }>;
  /** Role group, team attribute, name; disables or enables sign-in; revokes refresh tokens. */
  update(sub: string, change: AccountChange): Promise<void>;
  /** Revokes every refresh token of the account (Cognito: AdminUserGlobalSignOut). */
  signOut(sub: string): Promise<void>;
  /** Removes an account whose invitation could not be completed (its Waymark record was not written). */
  remove(sub: string): Promise<void>;
  /** The account's email address, for the one person who manages it; never stored or logged by Waymark. */
  emailOf(sub: string): Promise<string | undefined>;
}

/**
 * The reads every function may make, by configuration: in AWS over the small signed path (cognito-accounts.ts), so
 * that no function but the users function carries the Cognito SDK client; on one machine from the directory file.
 * The whole port, writes included, is `identityDirectory()` in identity-directory.ts, for the users function alone.
 */
async function reads(): Promise<Pick<IdentityDirectory, 'find' | 'emailOf'>> {
  const { signInDirectory } = getConfig();
  if (signInDirectory.userPoolId) {
    const userPoolId = signInDirectory.userPoolId;
    return { find: (sub) => findCognitoAccount(userPoolId, sub), emailOf: (sub) => cognitoEmailOf(userPoolId, sub) };
  }
  if (signInDirectory.file) {
    const { fileDirectory } = await import('./directory-file');
    return fileDirectory(signInDirectory.file);
  }
  throw new Error('Waymark configuration is incomplete: USER_POOL_ID or SIGN_IN_DIRECTORY_FILE');
}

/** The account with this sign-in identity, if any. */
export async function findSignInAccount(sub: string): Promise<SignInAccount | undefined> {
  return (await reads()).find(sub);
}

/** The account's email address; never stored or logged by Waymark. */
export async function signInEmailOf(sub: string): Promise<string | undefined> {
  return (await reads()).emailOf(sub);
}
