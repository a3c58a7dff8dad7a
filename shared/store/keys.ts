/**
 * Every key format in one place. Items in the case table carry `pk`/`sk` and,
 * where they are listed, `gsi1pk`/`gsi1sk`; audit items carry their own keys
 * (see audit.ts). Nothing else builds a key string.
 */
export interface ItemKey {
  pk: string;
  sk: string;
}

export const keys = {
  /** Sentinel item that /health reads to prove the table answers. */
  health: (): ItemKey => ({ pk: 'HEALTH', sk: 'HEALTH' }),

  team: (teamId: string): ItemKey => ({ pk: `TEAM#${teamId}`, sk: 'TEAM' }),
  /** Uniqueness guard: one item per normalised team name. */
  teamName: (name: string): ItemKey => ({ pk: `TEAMNAME#${name.trim().toLowerCase()}`, sk: 'TEAMNAME' }),
  /** gsi1: all teams, ordered by name. */
  teamsByName: (name?: string, teamId?: string) => ({
    gsi1pk: 'TEAMS',
    gsi1sk: name === undefined ? '' : `${name.trim().toLowerCase()}#${teamId ?? ''}`,
  }),

  auditEntity: (entityType: string, entityId: string) => `AUDIT#${entityType}#${entityId}`,
  auditActor: (sub: string) => `ACTOR#${sub}`,
  auditHour: (iso: string) => `HOUR#${iso.slice(0, 13)}`,
} as const;
