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

  /** A person who signs in (Waymark's record of the account: role, team, name, status; never the email). */
  user: (sub: string): ItemKey => ({ pk: `USER#${sub}`, sk: 'USER' }),
  /** gsi1: a team's people, ordered by display name (a supervisor's list is its champions). */
  usersOfTeam: (teamId: string, displayName?: string, sub?: string) => ({
    gsi1pk: `TEAM#${teamId}#USERS`,
    gsi1sk: displayName === undefined ? '' : `${norm(displayName)}#${sub ?? ''}`,
  }),
  /** gsi2: everyone, ordered by display name (admins' list). */
  allUsers: (displayName?: string, sub?: string) => ({
    gsi2pk: 'USERS',
    gsi2sk: displayName === undefined ? '' : `${norm(displayName)}#${sub ?? ''}`,
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

  service: (id: string): ItemKey => ({ pk: `SERVICE#${id}`, sk: 'SERVICE' }),
  /** gsi1: the service directory, ordered by name. */
  servicesByName: (name?: string, id?: string) => ({
    gsi1pk: 'SERVICES',
    gsi1sk: name === undefined ? '' : `${norm(name)}#${id ?? ''}`,
  }),

  /** A contact log; its signposting items share its partition. */
  contact: (id: string): ItemKey => ({ pk: `CONTACT#${id}`, sk: 'CONTACT' }),
  contactPartition: (id: string) => `CONTACT#${id}`,
  signposting: (contactId: string, signpostingId: string): ItemKey => ({ pk: `CONTACT#${contactId}`, sk: `SIGNPOST#${signpostingId}` }),
  /** gsi1: a team's contacts by contact date (then time logged), for supervisors; `from`/`to` bound the date. */
  contactsOfTeam: (teamId: string, contactDate?: string, createdAt?: string, id?: string) => ({
    gsi1pk: `TEAM#${teamId}#CONTACTS`,
    gsi1sk: contactDate === undefined ? '' : `${contactDate}#${createdAt ?? ''}#${id ?? ''}`,
  }),
  /** gsi2: a champion's own contacts by contact date (then time logged), by sign-in identity. */
  contactsOfChampion: (sub: string, contactDate?: string, createdAt?: string, id?: string) => ({
    gsi2pk: `CHAMPIONSUB#${sub}#CONTACTS`,
    gsi2sk: contactDate === undefined ? '' : `${contactDate}#${createdAt ?? ''}#${id ?? ''}`,
  }),
  /** A contact reference given to a person: proves it was issued; holds only the first contact's date. */
  contactReference: (reference: string): ItemKey => ({ pk: `REF#${reference}`, sk: 'REF' }),
  /**
   * gsi1 on a signposting item while its outcome is unrecorded (and its contact not deleted): a team's
   * follow-ups, oldest contact first. Removed when the outcome is recorded or the contact deleted.
   */
  followUpsOfTeam: (teamId: string, contactDate?: string, contactId?: string, signpostingId?: string) => ({
    gsi1pk: `TEAM#${teamId}#FOLLOWUPS`,
    gsi1sk: contactDate === undefined ? '' : `${contactDate}#${contactId ?? ''}#${signpostingId ?? ''}`,
  }),

  /** An escalation raised from a contact. */
  escalation: (id: string): ItemKey => ({ pk: `ESCALATION#${id}`, sk: 'ESCALATION' }),
  /** gsi1 while open: a team's open escalations, by priority rank then time raised (the caseload's one partition). */
  openEscalationsOfTeam: (teamId: string, priorityRank?: number, raisedAt?: string, id?: string) => ({
    gsi1pk: `TEAM#${teamId}#ESCALATIONS#OPEN`,
    gsi1sk: priorityRank === undefined ? '' : `${priorityRank}#${raisedAt ?? ''}#${id ?? ''}`,
  }),
  /** gsi1 once closed or withdrawn: a team's finished escalations, by when they finished. */
  closedEscalationsOfTeam: (teamId: string, finishedAt?: string, id?: string) => ({
    gsi1pk: `TEAM#${teamId}#ESCALATIONS#CLOSED`,
    gsi1sk: finishedAt === undefined ? '' : `${finishedAt}#${id ?? ''}`,
  }),
  /** gsi2: the escalations a champion raised, by time raised (sign-in identity). */
  escalationsOfChampion: (sub: string, raisedAt?: string, id?: string) => ({
    gsi2pk: `CHAMPIONSUB#${sub}#ESCALATIONS`,
    gsi2sk: raisedAt === undefined ? '' : `${raisedAt}#${id ?? ''}`,
  }),
  /** The notification outbox of a team (one machine; SNS in AWS), newest last. */
  notification: (teamId: string, at?: string, id?: string): ItemKey => ({
    pk: `NOTIFY#${teamId}`,
    sk: at === undefined ? '' : `${at}#${id ?? ''}`,
  }),

  /** A session of the peer support network (anonymous headcounts). */
  supportSession: (id: string): ItemKey => ({ pk: `SESSION#${id}`, sk: 'SESSION' }),
  /** gsi1: a team's support sessions by date. */
  supportSessionsOfTeam: (teamId: string, sessionDate?: string, id?: string) => ({
    gsi1pk: `TEAM#${teamId}#SESSIONS`,
    gsi1sk: sessionDate === undefined ? '' : `${sessionDate}#${id ?? ''}`,
  }),
  /** gsi2: every team's support sessions by date (admins). */
  allSupportSessions: (sessionDate?: string, id?: string) => ({
    gsi2pk: 'SESSIONS',
    gsi2sk: sessionDate === undefined ? '' : `${sessionDate}#${id ?? ''}`,
  }),
  /** The targets an admin set for the success criteria of a year. */
  outcomeTargets: (year: string): ItemKey => ({ pk: `TARGETS#${year}`, sk: 'TARGETS' }),

  /** The retention an admin set (GET/PUT /settings/retention); absent while the deployment default applies. */
  retentionSettings: (): ItemKey => ({ pk: 'SETTINGS#retention', sk: 'SETTINGS' }),
  /** The on-call address and office hours (notifications of immediate concerns out of hours). */
  onCallSettings: (): ItemKey => ({ pk: 'SETTINGS#on-call', sk: 'SETTINGS' }),
  /** Where the retention backfill got to (scripts/retention-backfill.ts): resumed from here after an interruption. */
  retentionBackfill: (): ItemKey => ({ pk: 'RETENTION#BACKFILL', sk: 'PROGRESS' }),
  /** Where `npm run contacts:migrate-community` got to (resumable; scripts/community-migrate.ts). */
  communityMigration: (): ItemKey => ({ pk: 'MIGRATION#COMMUNITY', sk: 'PROGRESS' }),

  /** A create's idempotency record, per principal and Idempotency-Key. */
  idempotency: (sub: string, key: string): ItemKey => ({ pk: `IDEMPOTENCY#${sub}#${key}`, sk: 'IDEMPOTENCY' }),

  auditEntity: (entityType: string, entityId: string) => `AUDIT#${entityType}#${entityId}`,
  auditActor: (sub: string) => `ACTOR#${sub}`,
  auditHour: (iso: string) => `HOUR#${iso.slice(0, 13)}`,
  /** The sealer's own items in the audit table (no actorKey/hourKey: never in the audit indexes). */
  sealChain: (seq?: number): ItemKey => ({ pk: 'SEAL#CHAIN', sk: seq === undefined ? '' : String(seq).padStart(12, '0') }),
  /** Which digests cover an hour: `<hour>#seal` (one per hour) and `<hour>#correction#<seq>`. */
  sealHour: (hour: string, kind?: 'seal' | 'correction', seq?: number): ItemKey => ({
    pk: 'SEAL#HOURS',
    sk: kind === undefined ? hour : kind === 'seal' ? `${hour}#seal` : `${hour}#correction#${String(seq ?? 0).padStart(12, '0')}`,
  }),
  /** An hour the stream has shown events for, waiting to be sealed. */
  sealPending: (hour?: string): ItemKey => ({ pk: 'SEAL#PENDING', sk: hour ?? '' }),

  // ---- Aggregates table (reporting; see docs/METRICS.md) ----
  /**
   * A reporting counter: one partition per metric, breakdown dimension and period kind, sorted by period, so a
   * report reads a range of periods with one Query per metric. `ledger: 'retired'` is what records removed by
   * TTL had contributed (kept so reconciliation can tell expiry from a wrong count).
   */
  counter: (c: { metric: string; dim: string; periodKind: string; period?: string; value?: string; series?: string }, ledger: 'live' | 'retired' = 'live'): ItemKey => ({
    pk: `${ledger === 'retired' ? 'RETIRED#' : ''}COUNT#${c.metric}#${c.dim}#${c.periodKind}`,
    sk: c.period === undefined ? '' : `${c.period}#${c.value ?? ''}#${c.series ?? ''}`,
  }),
  /**
   * How many counted contacts carry a contact reference in a period, per breakdown value (behind "distinct
   * references"): one item per reference and period, one attribute per breakdown value (shared/store/reference-counts.ts),
   * so a contact moves three items (month, quarter, year), not one per breakdown value.
   */
  referenceCounts: (r: { periodKind: string; period: string; reference: string }, ledger: 'live' | 'retired' = 'live'): ItemKey => ({
    pk: `${ledger === 'retired' ? 'RETIRED#' : ''}REFS#${r.periodKind}#${r.period}#${r.reference}`,
    sk: 'REFS',
  }),
  /**
   * One contact reference's journey (behind "signposted, then attended" and attendees by gender): its support network
   * signposting by date, its presentations at support sessions by date and placement, and the genders its contacts
   * recorded, one attribute each (shared/store/reference-counts.ts), so the aggregator joins records of different
   * kinds under one reference without reading the case table.
   */
  journey: (reference: string, ledger: 'live' | 'retired' = 'live'): ItemKey => ({
    pk: `${ledger === 'retired' ? 'RETIRED#' : ''}JOURNEY#${reference}`,
    sk: 'JOURNEY',
  }),
  /**
   * A metric's year as the scheduled report protection last protected it (shared/store/protection-store.ts): one
   * partition per metric, a year and threshold per item, so a report reads its metrics' years in one BatchGetItem.
   */
  protection: (p: { metric: string; year: string; threshold: number }): ItemKey => ({ pk: `PROTECTION#${p.metric}`, sk: `${p.year}#${p.threshold}` }),
  /**
   * A year's counter version (shared/store/counted-years.ts): a fresh token written with every change to the year's
   * live counters, so a warm reports instance knows, from one small read, whether the counters it built a year from
   * have moved. One partition of a few items, read in one BatchGetItem.
   */
  countedYear: (year: string): ItemKey => ({ pk: 'COUNTED', sk: year }),
  /** The champion records' token, beside the years' (shared/store/counted-years.ts): moved when a champion, completion or course changes. */
  championRecordsToken: (): ItemKey => ({ pk: 'COUNTED', sk: 'CHAMPIONS' }),
  /** Which older year the scheduled reconciliation took last (it walks back one year per run). */
  reconciliationCursor: (): ItemKey => ({ pk: 'RECONCILE', sk: 'CURSOR' }),
  /** The aggregator's marker: this part of this stream record has been applied (expires by TTL after 2 days). */
  processedRecord: (eventId: string, part: number): ItemKey => ({ pk: `PROCESSED#${eventId}`, sk: String(part).padStart(3, '0') }),
} as const;
