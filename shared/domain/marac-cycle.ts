import * as z from 'zod/mini';
import { isoDateSchema, type IsoDate } from './dates';

/**
 * MARAC meets on a cycle: every `cycleDays` days from `firstMeeting`. Its own
 * module, so that configuration reads the default without the DASH checklist. Pure.
 */
export const maracCycleSchema = z.object({
  firstMeeting: isoDateSchema,
  cycleDays: z.number().check(z.int(), z.gte(1), z.lte(62)),
});
export type MaracCycle = z.infer<typeof maracCycleSchema>;
/** Default: fortnightly, from a Thursday. */
export const DEFAULT_MARAC_CYCLE: MaracCycle = { firstMeeting: '2026-01-08', cycleDays: 14 };

const DAY_MS = 86_400_000;

/** The first MARAC meeting on or after `date`. */
export function nextMaracMeeting(date: IsoDate, cycle: MaracCycle = DEFAULT_MARAC_CYCLE): IsoDate {
  const first = Date.parse(`${cycle.firstMeeting}T00:00:00Z`);
  const at = Date.parse(`${date}T00:00:00Z`);
  if (at <= first) return cycle.firstMeeting;
  const cycles = Math.ceil((at - first) / (cycle.cycleDays * DAY_MS));
  return new Date(first + cycles * cycle.cycleDays * DAY_MS).toISOString().slice(0, 10);
}

