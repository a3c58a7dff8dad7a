import { getConfig } from '../config';
import { cognitoDirectory } from './cognito-directory';
import { fileDirectory } from './directory-file';
import type { IdentityDirectory } from './sign-in-directory';

/**
 * The whole identity port, writes included (invite, role, team, disable, sign-out): imported by the users function
 * only, so that the Cognito SDK client is in its bundle and no other (test/unit/bundle-hygiene.test.ts). Every other
 * function reads accounts through sign-in-directory.ts.
 */
let directory: IdentityDirectory | undefined;

export function identityDirectory(): IdentityDirectory {
  if (directory) return directory;
  const { signInDirectory } = getConfig();
  if (signInDirectory.userPoolId) directory = cognitoDirectory(signInDirectory.userPoolId);
  else if (signInDirectory.file) directory = fileDirectory(signInDirectory.file);
  else throw new Error('Waymark configuration is incomplete: USER_POOL_ID or SIGN_IN_DIRECTORY_FILE');
  return directory;
}
