import { addMonths, todayUtc, type IsoDate } from '../../shared/domain/dates';
import { expiryOf } from '../../shared/domain/training';
import type { TestEnvironment } from './environment';
import { addSignInAccount } from '../../infra/local/sign-in-accounts';

/**
 * A completion date and course validity whose derived expiry is exactly
 * `target` (month-end clamping makes some dates unreachable from 12 months,
 * e.g. 29 February; 48 months always reaches them).
 */
export function completionExpiringOn(target: IsoDate): { completedOn: IsoDate; validityMonths: number } {
  for (const validityMonths of [12, 24, 36, 48]) {
    const completedOn = addMonths(target, -validityMonths);
    if (expiryOf(completedOn, validityMonths) === target) return { completedOn, validityMonths };
  }
  throw new Error(`no completion expires on ${target}`);
}

export const today = () => todayUtc();

export { auditEventsFor } from './audit';

let counter = 0;
/**
 * A unique sign-in identity for a champion created by a test: a champion's account in `team`, added to the
 * development identity provider's directory (as an administrator adds a Cognito user before the champion record).
 */
export function newIdentity(team = 'team-a'): string {
  const sub = `test-identity-${process.pid}-${Date.now()}-${counter++}`;
  const file = process.env['SIGN_IN_DIRECTORY_FILE'];
  if (!file) throw new Error('newIdentity needs a running local environment (SIGN_IN_DIRECTORY_FILE)');
  addSignInAccount(file, { sub, groups: ['champion'], team, enabled: true });
  return sub;
}
