import { getConfig } from '../config';
import type { Role } from '../domain/roles';
import type { SignInAccount } from '../domain/sign-in-accounts';
import type { AccountChange } from '../domain/users';

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

let directory: IdentityDirectory | undefined;

export async function identityDirectory(): Promise<IdentityDirectory> {
  if (directory) return directory;
  const { signInDirectory } = getConfig();
  if (signInDirectory.userPoolId) {
    const { cognitoDirectory } = await import('./cognito-directory');
    directory = cognitoDirectory(signInDirectory.userPoolId);
  } else if (signInDirectory.file) {
    const { fileDirectory } = await import('./directory-file');
    directory = fileDirectory(signInDirectory.file);
  } else {
    throw new Error('Waymark configuration is incomplete: USER_POOL_ID or SIGN_IN_DIRECTORY_FILE');
  }
  return directory;
}

/** The account with this sign-in identity, if any. */
export async function findSignInAccount(sub: string): Promise<SignInAccount | undefined> {
  return (await identityDirectory()).find(sub);
}
