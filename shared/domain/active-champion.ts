/**
 * The one rule for a champion's writes: a champion writes only through an
 * active champion record. Their sign-in token may outlive a suspension (it is
 * valid until it expires), so the record, not the token, refuses the write.
 * Pure; kept apart from champions.ts so that the request pipeline, which every
 * function bundles, does not build the champion schemas.
 */
export const NO_CHAMPION_RECORD = 'Only a champion with a champion record may record or change case work; ask your supervisor.';
export const CHAMPION_SUSPENDED =
  'Your champion record is suspended, so you cannot record or change anything; ask your supervisor. If anyone is in immediate danger, call 999.';

/** Why this champion record refuses its champion's writes, or undefined when it is active. */
export function championWriteRefusal(champion: { status: 'active' | 'suspended' } | undefined): string | undefined {
  if (!champion) return NO_CHAMPION_RECORD;
  return champion.status === 'active' ? undefined : CHAMPION_SUSPENDED;
}
