import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DirectoryFile } from '../../shared/store/sign-in-directory';
import type { SignInAccount } from '../../shared/domain/sign-in-accounts';
import { demoChampions } from './demo-champions';
import { demoUsers } from './demo-users';

/**
 * The development identity provider's accounts, as a directory file (Cognito's user pool in AWS): the demo users,
 * the seeded champions' accounts (which exist in the directory but have no sign-in here), and any account added
 * since (tests add the accounts of the champions they create). The handlers read it through the sign-in
 * directory's file adapter (SIGN_IN_DIRECTORY_FILE).
 */
export function writeDemoAccounts(file: string): void {
  const accounts: SignInAccount[] = [
    ...demoUsers.map((u) => ({ sub: u.sub, groups: [u.role], team: u.team, enabled: true })),
    ...demoChampions.flatMap((c) => (c.identity ? [{ sub: c.identity, groups: ['champion'], team: c.teamId, enabled: true }] : [])),
  ];
  const kept = existsSync(file) ? readAccounts(file).filter((a) => !accounts.some((d) => d.sub === a.sub)) : [];
  save(file, [...accounts, ...kept]);
}

/** Adds (or replaces) an account, as an administrator creating a Cognito user would. */
export function addSignInAccount(file: string, account: SignInAccount): void {
  save(file, [...readAccounts(file).filter((a) => a.sub !== account.sub), account]);
}

function readAccounts(file: string): SignInAccount[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as DirectoryFile).accounts.map((a) => ({ ...a, team: a.team }));
}

function save(file: string, accounts: SignInAccount[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const body: DirectoryFile = { accounts: accounts.map((a) => ({ sub: a.sub, groups: [...a.groups], ...(a.team ? { team: a.team } : {}), enabled: a.enabled })) };
  // Written aside and renamed into place, so that a handler reading the directory never sees half a file.
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(body, null, 2)}\n`);
  renameSync(temporary, file);
}
