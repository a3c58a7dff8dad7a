import type { SignInAccount } from '../../shared/domain/sign-in-accounts';
import { readDirectoryFile, writeDirectoryFile, type DirectoryAccount } from '../../shared/store/directory-file';
import { demoChampions } from './demo-champions';
import { demoUsers } from './demo-users';

/**
 * The development identity provider's accounts, as a directory file (Cognito's user pool in AWS): the demo users,
 * the seeded champions' accounts (which exist in the directory but have no sign-in here), and any account added
 * since (invited from the app, or added by tests for the champions they create). The handlers read and change it
 * through the identity directory's file adapter (SIGN_IN_DIRECTORY_FILE, shared/store/directory-file.ts).
 */
export function writeDemoAccounts(file: string): void {
  const accounts: DirectoryAccount[] = [
    ...demoUsers.map((u) => ({ sub: u.sub, groups: [u.role], ...(u.team ? { team: u.team } : {}), enabled: true, email: demoEmail(u.username), displayName: u.displayName })),
    ...demoChampions.flatMap((c) =>
      c.identity ? [{ sub: c.identity, groups: ['champion'], team: c.teamId, enabled: true, email: demoEmail(c.identity), displayName: c.displayName }] : [],
    ),
  ];
  // A demo account changed since (suspended, moved) keeps its change across restarts; new accounts are added.
  const existing = readDirectoryFile(file);
  const kept = existing.filter((a) => !accounts.some((d) => d.sub === a.sub));
  const demo = accounts.map((d) => existing.find((a) => a.sub === d.sub) ?? d);
  writeDirectoryFile(file, [...demo, ...kept]);
}

/** The demo accounts' addresses: the reserved `.invalid` domain, so nothing is ever sent anywhere. */
export const demoEmail = (name: string): string => `${name}@waymark.invalid`;

/** Adds (or replaces) an account, as an administrator creating a Cognito user would. */
export function addSignInAccount(file: string, account: SignInAccount): void {
  writeDirectoryFile(file, [
    ...readDirectoryFile(file).filter((a) => a.sub !== account.sub),
    { sub: account.sub, groups: [...account.groups], ...(account.team ? { team: account.team } : {}), enabled: account.enabled },
  ]);
}
