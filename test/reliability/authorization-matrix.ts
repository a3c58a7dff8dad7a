/**
 * The authorisation matrix: every route × every demo user × the record's
 * relation to that user → the status the API must answer.
 *
 * Written out by hand (not derived from shared/domain/policy.ts) so that a
 * change to the policy, a handler's scope check or the route table shows up as
 * a failing row here. test/reliability/authorization.test.ts enumerates the
 * route table and fails for a route without a row, or a row without a route.
 *
 * Targets. A route on one record (`{id}`) is tried on three records: the one
 * owned by champion-a1 (team-a), by champion-a2 (team-a) and by champion-b1
 * (team-b); an entry `[a1, a2, b1]` gives the status for each. From each
 * caller's side that is a relation:
 *   champion-a1: own, same team, other team;  champion-a2: same team, own, other team;
 *   champion-b1: other team, other team, own; supervisor-a: team, team, other team;
 *   supervisor-b: other team, other team, team; admin and commissioner: none (no team).
 * A single number applies to all three (or to a route with no record).
 *
 * Reading of the statuses: 403 — the role may never do this; 404 — the role
 * may, but this record is outside the caller's scope, and its existence is
 * not revealed; 2xx — done (writes use valid bodies, so a 400 would be a
 * failure of the test, not an authorisation answer).
 */
export const callers = ['admin', 'commissioner', 'supervisor-a', 'supervisor-b', 'champion-a1', 'champion-a2', 'champion-b1'] as const;
export type Caller = (typeof callers)[number];

/** What `{id}` (and `{signpostingId}`) name in the route's path. */
export type Target = 'none' | 'contact' | 'escalation' | 'champion' | 'course' | 'service' | 'session' | 'user';

export type Expect = number | readonly [ownedByA1: number, ownedByA2: number, ownedByB1: number];

export interface MatrixEntry {
  target: Target;
  /** Query string some collection routes need to be a valid request (per caller: an admin names the team). */
  query?: string | Partial<Record<Caller, string>>;
  expect: Record<Caller, Expect>;
}

const all = (status: number): Record<Caller, Expect> =>
  Object.fromEntries(callers.map((c) => [c, status])) as Record<Caller, Expect>;
const only = (allowed: Partial<Record<Caller, Expect>>, otherwise = 403): Record<Caller, Expect> => ({ ...all(otherwise), ...allowed });

/** Team-scoped on a record: supervisors see their team's, admins any. */
const TEAM_A: Expect = [200, 200, 404];
const TEAM_B: Expect = [404, 404, 200];
const A1: Expect = [200, 404, 404];
const A2: Expect = [404, 200, 404];
const B1: Expect = [404, 404, 200];
const created = (e: Expect): Expect => (typeof e === 'number' ? (e === 200 ? 201 : e) : (e.map((s) => (s === 200 ? 201 : s)) as unknown as Expect));

export const authorizationMatrix: Record<string, MatrixEntry> = {
  'GET /health': { target: 'none', expect: all(200) },
  'GET /me': { target: 'none', expect: all(200) },
  'GET /teams': { target: 'none', expect: all(200) },
  'POST /teams': { target: 'none', expect: only({ admin: 201 }) },
  'GET /organisations': { target: 'none', expect: all(200) },
  'POST /organisations': { target: 'none', expect: only({ admin: 201 }) },
  'GET /courses': { target: 'none', expect: all(200) },
  'POST /courses': { target: 'none', expect: only({ admin: 201 }) },
  'PATCH /courses/{id}': { target: 'course', expect: only({ admin: 200 }) },
  'GET /champions/me': { target: 'none', expect: only({ 'champion-a1': 200, 'champion-a2': 200, 'champion-b1': 200 }) },
  'PATCH /champions/me': { target: 'none', expect: only({ 'champion-a1': 200, 'champion-a2': 200, 'champion-b1': 200 }) },
  'GET /champions': { target: 'none', expect: only({ admin: 200, 'supervisor-a': 200, 'supervisor-b': 200 }) },
  'POST /champions': { target: 'none', expect: only({ admin: 201, 'supervisor-a': 201, 'supervisor-b': 201 }) },
  'GET /champions/{id}': {
    target: 'champion',
    expect: only({ admin: 200, 'supervisor-a': TEAM_A, 'supervisor-b': TEAM_B, 'champion-a1': A1, 'champion-a2': A2, 'champion-b1': B1 }),
  },
  'PATCH /champions/{id}': { target: 'champion', expect: only({ admin: 200, 'supervisor-a': TEAM_A, 'supervisor-b': TEAM_B }) },
  'GET /champions/{id}/training': {
    target: 'champion',
    expect: only({ admin: 200, 'supervisor-a': TEAM_A, 'supervisor-b': TEAM_B, 'champion-a1': A1, 'champion-a2': A2, 'champion-b1': B1 }),
  },
  'POST /champions/{id}/training': {
    target: 'champion',
    expect: only({ admin: 201, 'supervisor-a': created(TEAM_A), 'supervisor-b': created(TEAM_B) }),
  },
  'GET /services': { target: 'none', expect: all(200) },
  'POST /services': { target: 'none', expect: only({ admin: 201 }) },
  'PATCH /services/{id}': { target: 'service', expect: only({ admin: 200 }) },
  'GET /contacts': { target: 'none', query: { admin: '?teamId=team-a' }, expect: only({ admin: 200, 'supervisor-a': 200, 'supervisor-b': 200, 'champion-a1': 200, 'champion-a2': 200, 'champion-b1': 200 }) },
  'POST /contacts': { target: 'none', expect: only({ 'champion-a1': 201, 'champion-a2': 201, 'champion-b1': 201 }) },
  'GET /contacts/{id}': {
    target: 'contact',
    expect: only({ admin: 200, 'supervisor-a': TEAM_A, 'supervisor-b': TEAM_B, 'champion-a1': A1, 'champion-a2': A2, 'champion-b1': B1 }),
  },
  'PATCH /contacts/{id}': { target: 'contact', expect: only({ 'champion-a1': A1, 'champion-a2': A2, 'champion-b1': B1 }) },
  'DELETE /contacts/{id}': { target: 'contact', expect: only({ 'supervisor-a': TEAM_A, 'supervisor-b': TEAM_B }) },
  'PUT /contacts/{id}/signposting/{signpostingId}/outcome': {
    target: 'contact',
    expect: only({ 'supervisor-a': TEAM_A, 'supervisor-b': TEAM_B, 'champion-a1': A1, 'champion-a2': A2, 'champion-b1': B1 }),
  },
  'GET /audit/events': { target: 'none', query: '?limit=5&from=2026-01-01T00:00:00.000Z&to=2026-01-01T02:00:00.000Z', expect: only({ admin: 200, 'supervisor-a': 200, 'supervisor-b': 200 }) },
  'GET /reports/definitions': { target: 'none', expect: all(200) },
  'GET /reports/metrics': { target: 'none', query: '?from=2026-01&to=2026-03', expect: only({ admin: 200, commissioner: 200 }) },
  'GET /reports/outcomes': { target: 'none', query: '?from=2026-01&to=2026-06', expect: only({ admin: 200, commissioner: 200 }) },
  'GET /reports/targets/{year}': { target: 'none', expect: only({ admin: 200, commissioner: 200 }) },
  'PUT /reports/targets/{year}': { target: 'none', expect: only({ admin: 200 }) },
  'GET /reports/pack': { target: 'none', query: '?quarter=2026-Q1', expect: only({ admin: 200, commissioner: 200 }) },
  // Support sessions: a team's supervisors (and admins) record them; champions and commissioners never.
  'POST /support-sessions': { target: 'none', expect: only({ admin: 201, 'supervisor-a': 201, 'supervisor-b': 201 }) },
  'GET /support-sessions': { target: 'none', expect: only({ admin: 200, 'supervisor-a': 200, 'supervisor-b': 200 }) },
  'GET /support-sessions/{id}': { target: 'session', expect: only({ admin: 200, 'supervisor-a': TEAM_A, 'supervisor-b': TEAM_B }) },
  'PATCH /support-sessions/{id}': { target: 'session', expect: only({ admin: 200, 'supervisor-a': TEAM_A, 'supervisor-b': TEAM_B }) },
  'POST /audit/verify': { target: 'none', expect: only({ admin: 200 }) },
  // Records of processing: admins only (a supervisor has the history of their team's records instead).
  'GET /audit/export': { target: 'none', query: '?from=2026-01-01&to=2026-01-02', expect: only({ admin: 200 }) },
  'POST /contacts/{id}/escalations': {
    target: 'contact',
    expect: only({ 'champion-a1': created(A1), 'champion-a2': created(A2), 'champion-b1': created(B1) }),
  },
  'GET /escalations': { target: 'none', query: { admin: '?teamId=team-a' }, expect: only({ admin: 200, 'supervisor-a': 200, 'supervisor-b': 200, 'champion-a1': 200, 'champion-a2': 200, 'champion-b1': 200 }) },
  'GET /escalations/{id}': {
    target: 'escalation',
    expect: only({ admin: 200, 'supervisor-a': TEAM_A, 'supervisor-b': TEAM_B, 'champion-a1': A1, 'champion-a2': A2, 'champion-b1': B1 }),
  },
  'POST /escalations/{id}/transitions': { target: 'escalation', expect: only({ 'supervisor-a': TEAM_A, 'supervisor-b': TEAM_B }) },
  // The DASH checklist is the DASV team's: supervisors of the team; not admins, not champions. The matrix's concerns
  // are hate crime ones, so a supervisor let through meets the checklist's own rule (409: DASV concerns only), never
  // the 404 of another team's record or the 403 of a role without the right.
  'PUT /escalations/{id}/risk-assessment': { target: 'escalation', expect: only({ 'supervisor-a': [409, 409, 404], 'supervisor-b': [404, 404, 409] }) },
  'GET /caseload': { target: 'none', query: { admin: '?teamId=team-a' }, expect: only({ admin: 200, 'supervisor-a': 200, 'supervisor-b': 200 }) },
  // A reference issued by team-a: its supervisor may, team-b's is told it does not exist.
  'POST /rights/access': { target: 'none', expect: only({ 'supervisor-a': 200, 'supervisor-b': 404 }) },
  'POST /rights/erasure': { target: 'none', expect: only({ 'supervisor-a': 200, 'supervisor-b': 404 }) },
  'GET /settings/retention': { target: 'none', expect: only({ admin: 200 }) },
  'PUT /settings/retention': { target: 'none', expect: only({ admin: 200 }) },
  'GET /settings/on-call': { target: 'none', expect: only({ admin: 200 }) },
  'PUT /settings/on-call': { target: 'none', expect: only({ admin: 200 }) },
  // Each supervisor chooses for themselves (the target is their own record).
  'GET /users/me/notifications': { target: 'none', expect: only({ 'supervisor-a': 200, 'supervisor-b': 200 }) },
  'PUT /users/me/notifications': { target: 'none', expect: only({ 'supervisor-a': 200, 'supervisor-b': 200 }) },
  'GET /notifications': { target: 'none', query: { admin: '?teamId=team-a' }, expect: only({ admin: 200, 'supervisor-a': 200, 'supervisor-b': 200 }) },
  // People: admins everyone; a supervisor the champions of their own team (the target is the owner's own account).
  'GET /users': { target: 'none', expect: only({ admin: 200, 'supervisor-a': 200, 'supervisor-b': 200 }) },
  'POST /users': { target: 'none', expect: only({ admin: 201, 'supervisor-a': 201, 'supervisor-b': 201 }) },
  'GET /users/{id}': { target: 'user', expect: only({ admin: 200, 'supervisor-a': TEAM_A, 'supervisor-b': TEAM_B }) },
  'PATCH /users/{id}': { target: 'user', expect: only({ admin: 200, 'supervisor-a': TEAM_A, 'supervisor-b': TEAM_B }) },
  'POST /users/{id}/sign-out': { target: 'user', expect: only({ admin: 200, 'supervisor-a': TEAM_A, 'supervisor-b': TEAM_B }) },
};

/** The relation of a record owned by `owner` to `caller`, for reports. */
export function relationOf(caller: Caller, owner: 'champion-a1' | 'champion-a2' | 'champion-b1'): 'own' | 'same team' | 'other team' | 'none' {
  if (caller === owner) return 'own';
  if (caller === 'admin' || caller === 'commissioner') return 'none';
  const team = (u: string) => (u.endsWith('-b') || u.endsWith('-b1') ? 'b' : 'a');
  return team(caller) === team(owner) ? 'same team' : 'other team';
}
