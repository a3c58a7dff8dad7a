import * as z from 'zod/mini';
import { ruleMessages } from './messages';

/**
 * The plausible range of every date (and month, and time) the API takes: nothing in Waymark happened before 2000
 * (no course is valid for 26 years) or will be dated after 2099. Fields add tighter rules of their own: a contact
 * within the logging window, a completion or referral not in the future, a report range within its limits.
 */
export const EARLIEST_DATE = '2000-01-01';
export const LATEST_DATE = '2099-12-31';
/** Compares as text: `YYYY-MM-DD`, `YYYY-MM` and ISO date-times all sort by time. */
export const isPlausibleDate = (dateOrMonthOrTime: string): boolean =>
  dateOrMonthOrTime >= EARLIEST_DATE.slice(0, 7) && dateOrMonthOrTime.slice(0, 10) <= LATEST_DATE;

/**
 * Calendar dates as ISO `YYYY-MM-DD` strings. "Today" is the UTC date: a
 * training record that expires on a date is valid up to and including that
 * date, in UTC. Pure: no clock is read except where a caller passes `now`.
 */
export const isoDateSchema = z
  .string()
  .check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'),
    z.refine((s) => isCalendarDate(s), 'must be a real date'),
    z.refine((s) => isPlausibleDate(s), `must be between ${EARLIEST_DATE} and ${LATEST_DATE}`),
  );

export type IsoDate = z.infer<typeof isoDateSchema>;

/**
 * The one rule of a from–to range (dates, months or instants, compared as text): `to` is on or after `from`, either
 * may be absent. A check for the object that holds both, so the refusal names `to`.
 */
export const fromNotAfterTo = <T extends { from?: string | undefined; to?: string | undefined }>() =>
  z.refine<T>((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { path: ['to'], message: ruleMessages.toBeforeFrom });

export function isCalendarDate(s: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

/**
 * Calendar parts of an instant in a time zone. Formatters are made once per
 * zone: building an Intl.DateTimeFormat costs far more than using one
 * (about half a millisecond of each contact logged, when it was built per call).
 */
const zoneFormatters = new Map<string, Intl.DateTimeFormat>();
export function zonedParts(instant: Date, timeZone: string): Record<string, string> {
  let format = zoneFormatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    zoneFormatters.set(timeZone, format);
  }
  return Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
}

/** The date in the UK (where champions work) of an instant: a contact logged just after midnight BST is not "in the future". */
export function ukDate(instant: Date): IsoDate {
  const parts = zonedParts(instant, 'Europe/London');
  return `${parts['year']}-${parts['month']}-${parts['day']}`;
}

/** The UTC calendar date of an instant. */
export const todayUtc = (now: Date = new Date()): IsoDate => now.toISOString().slice(0, 10);

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * `date` plus `months` calendar months; a day that the target month lacks is
 * clamped to the month's last day (31 January + 1 month = 28 or 29 February).
 * `months` may be negative.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, daysInMonth(year, month)))}`;
}

/** `date` plus `days` days (negative allowed). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
