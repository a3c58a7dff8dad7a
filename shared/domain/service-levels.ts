/**
 * Service levels for triage: how long the DASV team has to triage an
 * escalation, by priority, in hours or in working days. Working days are
 * Monday to Friday in the UK (Europe/London), skipping configured bank
 * holidays. Pure: the calendar is passed in.
 */
import { zonedParts } from './dates';

export type Priority = 'immediate' | 'high' | 'standard';

export type ServiceLevel = { hours: number } | { workingDays: number };

export const defaultServiceLevels: Record<Priority, ServiceLevel> = {
  immediate: { hours: 1 },
  high: { workingDays: 1 },
  standard: { workingDays: 3 },
};

export interface WorkingCalendar {
  /** Bank holidays as `YYYY-MM-DD` dates in the UK. */
  bankHolidays: ReadonlySet<string>;
  timeZone: string;
}

export const ukCalendar = (bankHolidays: Iterable<string> = []): WorkingCalendar => ({
  bankHolidays: new Set(bankHolidays),
  timeZone: 'Europe/London',
});

interface LocalParts {
  date: string;
  weekday: number;
  minutesIntoDay: number;
}

function localParts(instant: Date, timeZone: string): LocalParts {
  const parts = zonedParts(instant, timeZone);
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    weekday: weekdays.indexOf(parts['weekday'] as string),
    minutesIntoDay: Number(parts['hour']) * 60 + Number(parts['minute']) + Number(parts['second']) / 60,
  };
}

/** The UTC instant of a local wall-clock time (minutes into `date`) in `timeZone`. */
function instantOf(date: string, minutesIntoDay: number, timeZone: string): Date {
  const guess = new Date(`${date}T00:00:00Z`).getTime() + minutesIntoDay * 60_000;
  // Correct by the zone's offset at that moment (twice, for instants near a clock change).
  let instant = guess;
  for (let i = 0; i < 2; i += 1) {
    const local = localParts(new Date(instant), timeZone);
    const localAsUtc = new Date(`${local.date}T00:00:00Z`).getTime() + local.minutesIntoDay * 60_000;
    instant += guess - localAsUtc;
  }
  return new Date(instant);
}

const nextDate = (date: string): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

const weekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  const weekday = weekdayOf(date);
  return weekday !== 0 && weekday !== 6 && !calendar.bankHolidays.has(date);
}

/**
 * When triage is due. Hours run on the clock, every day. Working days run
 * only on working days: N working days after the moment raised, at the same
 * local time; raised on a non-working day, the clock starts at the beginning
 * of the next working day.
 */
export function triageDueAt(raisedAt: Date, priority: Priority, calendar: WorkingCalendar, levels = defaultServiceLevels): Date {
  const level = levels[priority];
  if ('hours' in level) return new Date(raisedAt.getTime() + level.hours * 3_600_000);
  let { date, minutesIntoDay } = localParts(raisedAt, calendar.timeZone);
  if (!isWorkingDay(date, calendar)) {
    while (!isWorkingDay(date, calendar)) date = nextDate(date);
    minutesIntoDay = 0;
  }
  for (let left = level.workingDays; left > 0; ) {
    date = nextDate(date);
    if (isWorkingDay(date, calendar)) left -= 1;
  }
  return instantOf(date, minutesIntoDay, calendar.timeZone);
}

export function isOverdue(dueAt: Date, now: Date): boolean {
  return now.getTime() > dueAt.getTime();
}

/**
 * Bank holidays in England and Wales, 2026–2027 (GOV.UK), the default when
 * BANK_HOLIDAYS is not configured. Extend the configuration each year.
 */
export const defaultBankHolidays: readonly string[] = [
  '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28',
  '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28',
];

/** Where an escalation of this priority sits in the caseload (lower first). */
export const priorityRank: Record<Priority, number> = { immediate: 0, high: 1, standard: 2 };
