/**
 * Every key format in one place. Items in the case table carry `pk`/`sk` and,
 * where they are listed, `gsi1pk`/`gsi1sk`; audit items carry their own keys
 * (see audit.ts). Nothing else builds a key string.
 */
export interface ItemKey {
  pk: string;
  sk: string;
}

/** Case- and space-insensitive form of a name inside a key. */
const norm = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();

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

  organisation: (id: string): ItemKey => ({ pk: `ORG#${id}`, sk: 'ORG' }),
  /** Uniqueness guard: one organisation per normalised name within a neighbourhood. */
  organisationName: (name: string, neighbourhood: string): ItemKey => ({
    pk: `ORGNAME#${norm(neighbourhood)}#${norm(name)}`,
    sk: 'ORGNAME',
  }),
  /** gsi1: all organisations, ordered by name. */
  organisationsByName: (name?: string, id?: string) => ({
    gsi1pk: 'ORGS',
    gsi1sk: name === undefined ? '' : `${norm(name)}#${id ?? ''}`,
  }),

  course: (id: string): ItemKey => ({ pk: `COURSE#${id}`, sk: 'COURSE' }),
  /** Uniqueness guard: one course per normalised title. */
  courseTitle: (title: string): ItemKey => ({ pk: `COURSETITLE#${norm(title)}`, sk: 'COURSETITLE' }),
  /** gsi1: the course catalogue, ordered by title. */
  coursesByTitle: (title?: string, id?: string) => ({
    gsi1pk: 'COURSES',
    gsi1sk: title === undefined ? '' : `${norm(title)}#${id ?? ''}`,
  }),

  champion: (id: string): ItemKey => ({ pk: `CHAMPION#${id}`, sk: 'CHAMPION' }),
  /** Uniqueness guard and lookup: one champion per sign-in identity (Cognito sub). */
  championIdentity: (sub: string): ItemKey => ({ pk: `CHAMPIONSUB#${sub}`, sk: 'CHAMPIONSUB' }),
  /** gsi1: a team's champions, ordered by display name. */
  championsOfTeam: (teamId: string, displayName?: string, id?: string) => ({
    gsi1pk: `TEAM#${teamId}#CHAMPIONS`,
    gsi1sk: displayName === undefined ? '' : `${norm(displayName)}#${id ?? ''}`,
  }),
  /** gsi2: every champion, ordered by display name (admins' list across teams). */
  allChampions: (displayName?: string, id?: string) => ({
    gsi2pk: 'CHAMPIONS',
    gsi2sk: displayName === undefined ? '' : `${norm(displayName)}#${id ?? ''}`,
  }),

  /**
   * A training completion, in its champion's partition, newest last by date.
   * One per champion, course and date: a retried submission is stored once.
   */
  completion: (championId: string, completedOn: string, courseId: string): ItemKey => ({
    pk: `CHAMPION#${championId}`,
    sk: `TRAINING#${completedOn}#${courseId}`,
  }),
  completionPrefix: (championId: string) => ({ pk: `CHAMPION#${championId}`, skPrefix: 'TRAINING#' }),
  /** gsi2: completions of a course (to say how many a change of validity affects). */
  completionsOfCourse: (courseId: string, completedOn?: string, championId?: string) => ({
    gsi2pk: `COURSE#${courseId}#COMPLETIONS`,
    gsi2sk: completedOn === undefined ? '' : `${completedOn}#${championId ?? ''}`,
  }),

  auditEntity: (entityType: string, entityId: string) => `AUDIT#${entityType}#${entityId}`,
  auditActor: (sub: string) => `ACTOR#${sub}`,
  auditHour: (iso: string) => `HOUR#${iso.slice(0, 13)}`,
} as const;
