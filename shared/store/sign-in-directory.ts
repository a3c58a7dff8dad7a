import { readFile } from 'node:fs/promises';
import * as z from 'zod/mini';
import { getConfig } from '../config';
import type { SignInAccount } from '../domain/sign-in-accounts';

/**
 * The sign-in directory, read-only: one interface, the adapter chosen by configuration alone. In AWS the Cognito
 * user pool (`USER_POOL_ID`: ListUsers by `sub`, then AdminListGroupsForUser; the function is granted exactly those
 * two actions on that pool); on one machine the development identity provider's accounts (`SIGN_IN_DIRECTORY_FILE`,
 * the file it keeps under the data folder).
 */
export async function findSignInAccount(sub: string): Promise<SignInAccount | undefined> {
  const { signInDirectory } = getConfig();
  if (signInDirectory.userPoolId) {
    const { findCognitoAccount } = await import('./cognito-directory');
    return findCognitoAccount(signInDirectory.userPoolId, sub);
  }
  if (signInDirectory.file) return (await readDirectoryFile(signInDirectory.file)).find((a) => a.sub === sub);
  throw new Error('Waymark configuration is incomplete: USER_POOL_ID or SIGN_IN_DIRECTORY_FILE');
}

const accountSchema = z.object({
  sub: z.string(),
  groups: z.array(z.string()),
  team: z.optional(z.string()),
  enabled: z.boolean(),
});
export const directoryFileSchema = z.object({ accounts: z.array(accountSchema) });
export type DirectoryFile = z.infer<typeof directoryFileSchema>;

async function readDirectoryFile(file: string): Promise<SignInAccount[]> {
  const parsed = directoryFileSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  return parsed.accounts.map((a) => ({ sub: a.sub, groups: a.groups, team: a.team, enabled: a.enabled }));
}
