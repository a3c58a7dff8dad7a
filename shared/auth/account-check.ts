import { getConfig } from '../config';
import { forbidden } from '../domain/errors';
import type { Principal } from '../domain/roles';
import { roleOf, type SignInAccount } from '../domain/sign-in-accounts';
import { findSignInAccount } from '../store/sign-in-directory';

/**
 * Immediate effect: a token says who someone was when it was issued; the directory says who they are now. On every
 * request the caller's account is looked up, and its current state wins: a disabled account (suspended, left) is
 * refused for reads and writes alike, and the role and team come from the directory, not the token — a move, a
 * role change or a suspension counts from the person's next request, not their next token.
 *
 * Each warm instance remembers an account for at most `ACCOUNT_CHECK_SECONDS` (≤ 60, the configuration schema
 * refuses more): an entry records when it was fetched, and every use compares its age with the bound, so an entry
 * is never used once older. An account not found is not remembered. A change made through this instance forgets
 * the entry at once (`forgetAccount`); other instances see it within the bound.
 */
interface Remembered {
  account: SignInAccount;
  fetchedAt: number;
}

const remembered = new Map<string, Remembered>();

export const ACCOUNT_CLOSED = 'Your Waymark account is suspended or closed, so you cannot use Waymark. Ask your supervisor or administrator.';
export const ACCOUNT_UNKNOWN = 'Your sign-in account is not in the Waymark directory. Ask your administrator.';

export async function currentAccount(sub: string, now = Date.now()): Promise<SignInAccount | undefined> {
  const boundMs = Math.min(getConfig().accountCheckSeconds, 60) * 1000;
  const entry = remembered.get(sub);
  if (entry && now - entry.fetchedAt < boundMs && now >= entry.fetchedAt) return entry.account;
  const account = await findSignInAccount(sub);
  if (account) remembered.set(sub, { account, fetchedAt: now });
  else remembered.delete(sub);
  return account;
}

/** Drops what this instance remembers of an account (after changing it here). */
export const forgetAccount = (sub: string): void => void remembered.delete(sub);

/** The principal as the directory has them now; refuses a closed or unknown account (403). */
export async function checkedPrincipal(fromToken: Principal, now = Date.now()): Promise<Principal> {
  const account = await currentAccount(fromToken.sub, now);
  if (!account) throw forbidden(ACCOUNT_UNKNOWN);
  if (!account.enabled) throw forbidden(ACCOUNT_CLOSED);
  const role = roleOf(account);
  if (!role) throw forbidden(ACCOUNT_UNKNOWN);
  const { team: _fromToken, ...rest } = fromToken;
  return { ...rest, role, ...(account.team ? { team: account.team } : {}) };
}
