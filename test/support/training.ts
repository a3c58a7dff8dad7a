import { addMonths, todayUtc, type IsoDate } from '../../shared/domain/dates';
import { expiryOf } from '../../shared/domain/training';
import type { TestEnvironment } from './environment';

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
/** A unique sign-in identity for a champion created by a test. */
export const newIdentity = () => `test-identity-${process.pid}-${Date.now()}-${counter++}`;
