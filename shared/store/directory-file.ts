import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as z from 'zod/mini';
import { conflict } from '../domain/errors';
import type { SignInAccount } from '../domain/sign-in-accounts';
import type { AccountChange } from '../domain/users';
import type { IdentityDirectory, Invitation } from './sign-in-directory';

/**
 * The development identity provider's user directory: one JSON file under the data folder (Cognito's user pool in
 * AWS). Each account: its sign-in identity, role group, team, whether it may sign in, and the email and name the
 * invitation was sent to — the file is the identity provider's, not Waymark's table, so the email lives here only.
 * Invitations are written to the local outbox beside it (`invitations.jsonl`), as Cognito would email them.
 */
const accountSchema = z.object({
  sub: z.string(),
  groups: z.array(z.string()),
  team: z.optional(z.string()),
  enabled: z.boolean(),
  email: z.optional(z.string()),
  displayName: z.optional(z.string()),
  /** When the account's refresh tokens were last revoked (the development provider issues none; kept for parity). */
  signedOutAt: z.optional(z.string()),
});
export const directoryFileSchema = z.object({ accounts: z.array(accountSchema) });
export type DirectoryFile = z.infer<typeof directoryFileSchema>;
export type DirectoryAccount = z.infer<typeof accountSchema>;

export function readDirectoryFile(file: string): DirectoryAccount[] {
  if (!existsSync(file)) return [];
  return directoryFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).accounts;
}

export function writeDirectoryFile(file: string, accounts: readonly DirectoryAccount[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const body: DirectoryFile = { accounts: accounts.map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as DirectoryAccount) };
  // Written aside and renamed into place, so that a handler reading the directory never sees half a file.
  const temporary = `${file}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(body, null, 2)}\n`);
  renameSync(temporary, file);
}

export const invitationOutbox = (file: string): string => join(dirname(file), 'invitations.jsonl');

const toAccount = (a: DirectoryAccount): SignInAccount => ({ sub: a.sub, groups: a.groups, team: a.team, enabled: a.enabled });

export function fileDirectory(file: string): IdentityDirectory {
  const change = (sub: string, apply: (a: DirectoryAccount) => DirectoryAccount) => {
    const accounts = readDirectoryFile(file);
    if (!accounts.some((a) => a.sub === sub)) throw new Error(`No account ${sub} in the directory`);
    writeDirectoryFile(file, accounts.map((a) => (a.sub === sub ? apply(a) : a)));
  };
  return {
    async find(sub) {
      const account = readDirectoryFile(file).find((a) => a.sub === sub);
      return account ? toAccount(account) : undefined;
    },
    async invite(invitation: Invitation) {
      const accounts = readDirectoryFile(file);
      const email = invitation.email.toLowerCase();
      if (accounts.some((a) => a.email?.toLowerCase() === email)) throw conflict('An account with this email address already exists', { field: 'email' });
      const sub = randomUUID();
      writeDirectoryFile(file, [
        ...accounts,
        { sub, groups: [invitation.role], ...(invitation.teamId ? { team: invitation.teamId } : {}), enabled: true, email, displayName: invitation.displayName },
      ]);
      appendFileSync(
        invitationOutbox(file),
        `${JSON.stringify({ to: email, sub, subject: 'You are invited to Waymark', signIn: '/idp/sign-in', at: new Date().toISOString() })}\n`,
      );
      return { sub };
    },
    async update(sub, accountChange: AccountChange) {
      change(sub, (a) => ({
        ...a,
        ...(accountChange.role !== undefined ? { groups: [accountChange.role] } : {}),
        ...(accountChange.teamId !== undefined ? { team: accountChange.teamId ?? undefined } : {}),
        ...(accountChange.displayName !== undefined ? { displayName: accountChange.displayName } : {}),
        ...(accountChange.enabled !== undefined ? { enabled: accountChange.enabled } : {}),
        ...(accountChange.signOut ? { signedOutAt: new Date().toISOString() } : {}),
      }));
    },
    async signOut(sub) {
      change(sub, (a) => ({ ...a, signedOutAt: new Date().toISOString() }));
    },
    async remove(sub) {
      writeDirectoryFile(file, readDirectoryFile(file).filter((a) => a.sub !== sub));
    },
    async emailOf(sub) {
      return readDirectoryFile(file).find((a) => a.sub === sub)?.email;
    },
  };
}
