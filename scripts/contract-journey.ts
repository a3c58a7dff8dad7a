/**
 * A journey through every operation of the API — the replies people get and the refusals (400, 401, 403,
 * 404, 409, 413, 415, an idempotent replay) — sent to `--target`, e.g. a validating proxy in front of a
 * running app, so that each reply can be checked against docs/openapi.json:
 *
 *   PORT=3117 WAYMARK_DATA_DIR=$PWD/.data-dev npm start
 *   npx @stoplight/prism-cli proxy docs/openapi.json http://localhost:3117 --errors --port 4117
 *   npx tsx scripts/contract-journey.ts --target http://localhost:4117 --app http://localhost:3117
 *
 * Tokens come from the app itself (`POST /local/token`, one machine only). Prints one line per request and,
 * with a Prism proxy in front, the violations Prism reported (its `sl-violations` header or, with `--errors`,
 * its problem replies), split into those of the request and those of the response.
 */
import { randomUUID } from 'node:crypto';
import { routeKey, routes } from '../shared/api/routes';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] as string) : fallback;
};
const target = arg('target', 'http://localhost:4117');
const app = arg('app', 'http://localhost:3117');

const today = new Date().toISOString().slice(0, 10);
const monthAgo = new Date(Date.now() - 30 * 86400_000).toISOString().slice(0, 10);
const month = today.slice(0, 7);
const unique = `${Date.now().toString(36)}`;

interface Step {
  op: string;
  status: number;
  violations: { location: string; message: string }[];
}
const steps: Step[] = [];
const tokens = new Map<string, string>();

async function token(user: string): Promise<string> {
  const cached = tokens.get(user);
  if (cached) return cached;
  const res = await fetch(`${app}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
  const t = ((await res.json()) as { access_token: string }).access_token;
  tokens.set(user, t);
  return t;
}

interface CallOptions {
  as?: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** One request; `op` is the route key the request is meant for (for the summary). */
async function call(op: string, method: string, path: string, options: CallOptions = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.as) headers['authorization'] = `Bearer ${await token(options.as)}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const res = await fetch(`${target}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const violations: Step['violations'] = [];
  const header = res.headers.get('sl-violations');
  if (header) {
    for (const v of JSON.parse(header) as { location?: string[]; message: string }[]) violations.push({ location: (v.location ?? []).join('.'), message: v.message });
  }
  // With --errors, Prism answers a violation itself (a problem+json reply naming each one).
  if (typeof parsed?.type === 'string' && parsed.type.includes('prism/errors')) {
    for (const v of (parsed.validation ?? [{ location: [parsed.title], message: parsed.detail }]) as { location?: string[]; message: string }[]) {
      violations.push({ location: (v.location ?? []).join('.'), message: v.message });
    }
  }
  steps.push({ op, status: res.status, violations });
  console.log(`${String(res.status).padEnd(4)} ${op.padEnd(58)} ${violations.length ? `${violations.length} violation(s): ${violations.map((v) => `${v.location} ${v.message}`).join(' | ')}` : ''}`);
  return { status: res.status, body: parsed, headers: res.headers };
}

async function journey(): Promise<void> {
  // Public, and signed in.
  await call('GET /health', 'GET', '/health');
  await call('GET /me', 'GET', '/me', { as: 'supervisor-a' });
  await call('GET /me', 'GET', '/me');

  // Teams, organisations, courses.
  await call('GET /teams', 'GET', '/teams', { as: 'admin' });
  await call('GET /teams', 'GET', '/teams', { as: 'champion-a1' });
  await call('POST /teams', 'POST', '/teams', { as: 'admin', body: { name: `Journey team ${unique}`, supervisors: [] } });
  await call('POST /teams', 'POST', '/teams', { as: 'admin', body: { name: `Journey team ${unique}`, supervisors: [] } });
  await call('POST /teams', 'POST', '/teams', { as: 'admin', body: { name: 'x', colour: 'red' } });
  await call('POST /teams', 'POST', '/teams', { as: 'admin', raw: 'name=x', contentType: 'application/x-www-form-urlencoded' });
  await call('POST /teams', 'POST', '/teams', { as: 'admin', raw: JSON.stringify({ name: 'x'.repeat(70_000) }) });
  await call('POST /teams', 'POST', '/teams', { as: 'supervisor-a', body: { name: `Journey team B ${unique}`, supervisors: [] } });
  await call('GET /organisations', 'GET', '/organisations', { as: 'supervisor-a' });
  await call('POST /organisations', 'POST', '/organisations', { as: 'admin', body: { name: `Journey mosque ${unique}`, kind: 'mosque', neighbourhood: 'Riverside' } });
  await call('GET /courses', 'GET', '/courses', { as: 'champion-a1' });
  const course = await call('POST /courses', 'POST', '/courses', { as: 'admin', body: { title: `Journey course ${unique}`, strands: ['dasv'], validityMonths: 24 } });
  await call('PATCH /courses/{id}', 'PATCH', `/courses/${course.body?.id}`, { as: 'admin', body: { version: course.body?.version, validityMonths: 36 } });
  await call('PATCH /courses/{id}', 'PATCH', `/courses/${course.body?.id}`, { as: 'admin', body: { version: course.body?.version, validityMonths: 12 } });
  await call('PATCH /courses/{id}', 'PATCH', '/courses/course-nowhere', { as: 'admin', body: { version: 1, validityMonths: 12 } });

  // Champions and training.
  await call('GET /champions/me', 'GET', '/champions/me', { as: 'champion-a1' });
  await call('GET /champions/me', 'GET', '/champions/me', { as: 'supervisor-a' });
  await call('PATCH /champions/me', 'PATCH', '/champions/me', { as: 'champion-a1', body: { uiLanguage: 'en' } });
  await call('PATCH /champions/me', 'PATCH', '/champions/me', { as: 'champion-a1', body: { uiLanguage: 'tlh' } });
  await call('GET /champions', 'GET', '/champions', { as: 'supervisor-a' });
  await call('GET /champions', 'GET', '/champions?teamId=team-nowhere', { as: 'admin' });
  // A champion comes with their sign-in account (POST /users, below); a champion record for an identity that is no
  // account of the team is refused.
  await call('POST /champions', 'POST', '/champions', {
    as: 'supervisor-a',
    body: { displayName: `Journey Champion ${unique}`, organisationId: 'org-demo-central-mosque', strands: ['dasv', 'hate_crime'], identity: randomUUID() },
  });
  const invited = await call('POST /users', 'POST', '/users', {
    as: 'supervisor-a',
    body: { role: 'champion', displayName: `Journey Invitee ${unique}`, email: `journey-${unique}@example.org`, champion: { organisationId: 'org-demo-central-mosque', strands: ['dasv', 'hate_crime'] } },
  });
  const championId = invited.body?.championId as string;
  await call('GET /champions/{id}', 'GET', `/champions/${championId}`, { as: 'supervisor-a' });
  await call('GET /champions/{id}', 'GET', `/champions/${championId}`, { as: 'supervisor-b' });
  await call('PATCH /champions/{id}', 'PATCH', `/champions/${championId}`, { as: 'supervisor-a', body: { version: 1, status: 'suspended' } });
  await call('PATCH /champions/{id}', 'PATCH', `/champions/${championId}`, { as: 'supervisor-a', body: { version: 1, status: 'active' } });
  await call('GET /champions/{id}/training', 'GET', `/champions/${championId}/training`, { as: 'supervisor-a' });
  await call('POST /champions/{id}/training', 'POST', `/champions/${championId}/training`, {
    as: 'supervisor-a',
    body: { courseId: 'course-hate-crime-champion', completedOn: monthAgo, deliveredBy: 'Journey' },
  });
  await call('POST /champions/{id}/training', 'POST', '/champions/champion-nowhere/training', {
    as: 'admin',
    body: { courseId: 'course-hate-crime-champion', completedOn: monthAgo, deliveredBy: 'Journey' },
  });

  // Services.
  await call('GET /services', 'GET', '/services', { as: 'champion-a1' });
  await call('GET /services', 'GET', '/services?strand=dasv&kind=idva&status=all', { as: 'admin' });
  const service = await call('POST /services', 'POST', '/services', {
    as: 'admin',
    body: { name: `Journey service ${unique}`, kind: 'advice', strands: ['hate_crime'], languages: [], howToRefer: 'Drop in' },
  });
  await call('PATCH /services/{id}', 'PATCH', `/services/${service.body?.id}`, { as: 'admin', body: { version: 1, status: 'retired' } });
  await call('PATCH /services/{id}', 'PATCH', `/services/${service.body?.id}`, { as: 'admin', body: { version: 1, name: 'Stale' } });

  // Contacts.
  const contactBody = {
    contactDate: today,
    setting: 'community_centre',
    strands: ['dasv'],
    dasvForms: ['controlling_or_coercive'],
    priorHelp: ['none'],
    beforePoliceOrEmergency: true,
    riskFlags: ['person_is_afraid'],
    signposting: [{ serviceId: 'service-idva', mode: 'information_given' }],
  };
  const key = randomUUID();
  const contact = await call('POST /contacts', 'POST', '/contacts', { as: 'champion-a1', body: contactBody, headers: { 'idempotency-key': key } });
  await call('POST /contacts', 'POST', '/contacts', { as: 'champion-a1', body: contactBody, headers: { 'idempotency-key': key } });
  await call('POST /contacts', 'POST', '/contacts', { as: 'champion-a1', body: { ...contactBody, setting: 'phone' }, headers: { 'idempotency-key': key } });
  await call('POST /contacts', 'POST', '/contacts', { as: 'champion-a1', body: { ...contactBody, note: 'Call Jane on 07700 900123' } });
  await call('POST /contacts', 'POST', '/contacts', { as: 'supervisor-a', body: contactBody });
  const contactId = contact.body?.id as string;
  const signpostingId = contact.body?.signposting?.[0]?.id as string;
  await call('GET /contacts', 'GET', '/contacts', { as: 'champion-a1' });
  await call('GET /contacts', 'GET', '/contacts?strand=dasv&hasEscalation=false', { as: 'supervisor-a' });
  await call('GET /contacts/{id}', 'GET', `/contacts/${contactId}`, { as: 'supervisor-a' });
  await call('GET /contacts/{id}', 'GET', `/contacts/${contactId}`, { as: 'champion-b1' });
  await call('PATCH /contacts/{id}', 'PATCH', `/contacts/${contactId}`, { as: 'champion-a1', body: { version: contact.body?.version, setting: 'phone' } });
  await call('PATCH /contacts/{id}', 'PATCH', `/contacts/${contactId}`, { as: 'champion-a1', body: { version: contact.body?.version, setting: 'online' } });
  await call('PUT /contacts/{id}/signposting/{signpostingId}/outcome', 'PUT', `/contacts/${contactId}/signposting/${signpostingId}/outcome`, { as: 'champion-a1', body: { outcome: 'engaged' } });
  await call('PUT /contacts/{id}/signposting/{signpostingId}/outcome', 'PUT', `/contacts/${contactId}/signposting/signposting-nowhere/outcome`, { as: 'champion-a1', body: { outcome: 'engaged' } });

  // Escalations, caseload, notifications.
  const escalationKey = randomUUID();
  const escalation = await call('POST /contacts/{id}/escalations', 'POST', `/contacts/${contactId}/escalations`, {
    as: 'champion-a1',
    body: { reason: 'asks_for_specialist_support', consent: 'yes' },
    headers: { 'idempotency-key': escalationKey },
  });
  await call('POST /contacts/{id}/escalations', 'POST', `/contacts/${contactId}/escalations`, {
    as: 'champion-a1',
    body: { reason: 'asks_for_specialist_support', consent: 'yes' },
    headers: { 'idempotency-key': escalationKey },
  });
  await call('POST /contacts/{id}/escalations', 'POST', `/contacts/${contactId}/escalations`, { as: 'champion-a1', body: { reason: 'asks_for_specialist_support', consent: 'yes' } });
  const escalationId = escalation.body?.id as string;
  await call('GET /escalations', 'GET', '/escalations', { as: 'champion-a1' });
  await call('GET /escalations', 'GET', '/escalations?status=open', { as: 'supervisor-a' });
  await call('GET /escalations/{id}', 'GET', `/escalations/${escalationId}`, { as: 'champion-a1' });
  await call('GET /escalations/{id}', 'GET', `/escalations/${escalationId}`, { as: 'supervisor-a' });
  const triaged = await call('POST /escalations/{id}/transitions', 'POST', `/escalations/${escalationId}/transitions`, { as: 'supervisor-a', body: { to: 'triaged', version: 1, targetServiceKind: 'idva' } });
  const dash = { answers: Array.from({ length: 24 }, (_, i) => (i % 5 === 0 ? 'yes' : 'no')), professionalJudgement: false, potentialEscalation: false };
  await call('PUT /escalations/{id}/risk-assessment', 'PUT', `/escalations/${escalationId}/risk-assessment`, { as: 'supervisor-a', body: { version: triaged.body?.version, ...dash } });
  await call('PUT /escalations/{id}/risk-assessment', 'PUT', `/escalations/${escalationId}/risk-assessment`, { as: 'supervisor-a', body: { version: triaged.body?.version, ...dash, answers: ['yes'] } });
  await call('PUT /escalations/{id}/risk-assessment', 'PUT', `/escalations/${escalationId}/risk-assessment`, { as: 'champion-a1', body: { version: triaged.body?.version, ...dash } });
  const current = await call('GET /escalations/{id}', 'GET', `/escalations/${escalationId}`, { as: 'supervisor-a' });
  // Triaged cannot be closed (referred or withdrawn first): a refusal naming the current state.
  await call('POST /escalations/{id}/transitions', 'POST', `/escalations/${escalationId}/transitions`, { as: 'supervisor-a', body: { to: 'closed', version: current.body?.version } });
  await call('POST /escalations/{id}/transitions', 'POST', `/escalations/${escalationId}/transitions`, { as: 'supervisor-a', body: { to: 'withdrawn', version: current.body?.version, reason: 'The person asked for nothing more to be done' } });
  await call('GET /caseload', 'GET', '/caseload', { as: 'supervisor-a' });
  await call('GET /caseload', 'GET', '/caseload', { as: 'admin' });
  await call('GET /notifications', 'GET', '/notifications', { as: 'supervisor-a' });
  // The support network: a session where the person shows their card.
  const session = await call('POST /support-sessions', 'POST', '/support-sessions', {
    as: 'supervisor-a',
    body: {
      sessionDate: today,
      venueKind: 'place_of_worship',
      strands: ['dasv'],
      runBy: 'dasv_team',
      attendance: [{ gender: 'woman', ageBand: '35_44', count: 9 }, { count: 1 }],
      referencesPresented: [contact.body?.contactReference],
    },
  });
  await call('POST /support-sessions', 'POST', '/support-sessions', { as: 'supervisor-a', body: { sessionDate: today, venueKind: 'the vicarage on Elm Road', strands: [], attendance: [] } });
  await call('POST /support-sessions', 'POST', '/support-sessions', { as: 'champion-a1', body: { sessionDate: today, venueKind: 'community_centre', strands: ['dasv'], runBy: 'dasv_team', attendance: [] } });
  await call('GET /support-sessions', 'GET', `/support-sessions?from=${monthAgo}&to=${today}`, { as: 'supervisor-a' });
  await call('GET /support-sessions', 'GET', `/support-sessions?from=${month}`, { as: 'supervisor-a' });
  await call('GET /support-sessions/{id}', 'GET', `/support-sessions/${session.body?.id}`, { as: 'supervisor-a' });
  await call('GET /support-sessions/{id}', 'GET', `/support-sessions/${session.body?.id}`, { as: 'supervisor-b' });
  await call('PATCH /support-sessions/{id}', 'PATCH', `/support-sessions/${session.body?.id}`, { as: 'supervisor-a', body: { version: session.body?.version, venueKind: 'community_centre' } });
  await call('PATCH /support-sessions/{id}', 'PATCH', `/support-sessions/${session.body?.id}`, { as: 'supervisor-a', body: { version: session.body?.version, status: 'cancelled' } });

  // The person's rights, acted on by their team's supervisor.
  await call('POST /rights/access', 'POST', '/rights/access', { as: 'supervisor-a', body: { contactReference: contact.body?.contactReference, requestReference: `DSAR-${unique}` } });
  await call('POST /rights/access', 'POST', '/rights/access', { as: 'supervisor-b', body: { contactReference: contact.body?.contactReference, requestReference: `DSAR-${unique}` } });
  await call('POST /rights/access', 'POST', '/rights/access', { as: 'supervisor-a', body: { contactReference: 'not a reference', requestReference: '' } });
  const erased = await call('POST /contacts', 'POST', '/contacts', { as: 'champion-a1', body: contactBody });
  await call('POST /rights/erasure', 'POST', '/rights/erasure', { as: 'supervisor-a', body: { contactReference: erased.body?.contactReference, requestReference: `ERASE-${unique}` } });
  await call('POST /rights/erasure', 'POST', '/rights/erasure', { as: 'supervisor-a', body: { contactReference: 'WM-0000-00', requestReference: `ERASE-${unique}` } });

  await call('DELETE /contacts/{id}', 'DELETE', `/contacts/${contactId}`, { as: 'supervisor-a', body: { reason: 'Logged twice by mistake' } });
  await call('DELETE /contacts/{id}', 'DELETE', `/contacts/${contactId}`, { as: 'champion-a1', body: { reason: 'Logged twice by mistake' } });

  // Audit and reports.
  const from = new Date(Date.now() - 3600_000).toISOString();
  const to = new Date().toISOString();
  await call('GET /audit/events', 'GET', `/audit/events?entity=contact:${contactId}`, { as: 'admin' });
  await call('GET /audit/events', 'GET', `/audit/events?limit=5&from=${from}&to=${to}`, { as: 'supervisor-a' });
  await call('POST /audit/verify', 'POST', '/audit/verify', { as: 'admin', body: { from, to } });
  await call('GET /reports/definitions', 'GET', '/reports/definitions', { as: 'commissioner' });
  await call('GET /reports/metrics', 'GET', `/reports/metrics?from=${month}&to=${month}`, { as: 'commissioner' });
  await call('GET /reports/metrics', 'GET', `/reports/metrics?from=${month}&to=${month}&format=csv`, { as: 'commissioner' });
  await call('GET /reports/metrics', 'GET', `/reports/metrics?from=${month}&to=${month}`, { as: 'champion-a1' });
  const year = today.slice(0, 4);
  const quarter = `${year}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;
  const targets = await call('GET /reports/targets/{year}', 'GET', `/reports/targets/${year}`, { as: 'commissioner' });
  await call('PUT /reports/targets/{year}', 'PUT', `/reports/targets/${year}`, { as: 'admin', body: { version: targets.body?.version ?? 0, targets: { women_attending_support_network: 500, women_signposted: 90, women_earlier_help: 60 } } });
  await call('PUT /reports/targets/{year}', 'PUT', `/reports/targets/${year}`, { as: 'admin', body: { version: 0, targets: { women_signposted: -3 } } });
  await call('PUT /reports/targets/{year}', 'PUT', `/reports/targets/${year}`, { as: 'commissioner', body: { version: 0, targets: {} } });
  await call('GET /reports/outcomes', 'GET', `/reports/outcomes?from=${year}-01&to=${month}`, { as: 'commissioner' });
  await call('GET /reports/outcomes', 'GET', `/reports/outcomes?from=${month}&to=${year}-01`, { as: 'commissioner' });
  await call('GET /reports/pack', 'GET', `/reports/pack?quarter=${quarter}`, { as: 'commissioner' });
  await call('GET /reports/pack', 'GET', `/reports/pack?quarter=${year}-Q5`, { as: 'commissioner' });
  await call('GET /audit/export', 'GET', `/audit/export?from=${today}&to=${today}`, { as: 'admin' });
  await call('GET /audit/export', 'GET', `/audit/export?from=${today}&to=${today}`, { as: 'supervisor-a' });

  // Settings.
  const retention = await call('GET /settings/retention', 'GET', '/settings/retention', { as: 'admin' });
  await call('PUT /settings/retention', 'PUT', '/settings/retention', { as: 'admin', body: { version: retention.body?.version ?? 0, contactYears: 6, auditYears: 7 } });
  await call('PUT /settings/retention', 'PUT', '/settings/retention', { as: 'admin', body: { version: 0, contactYears: 6, auditYears: 6 } });
  const onCall = await call('GET /settings/on-call', 'GET', '/settings/on-call', { as: 'admin' });
  await call('PUT /settings/on-call', 'PUT', '/settings/on-call', { as: 'admin', body: { version: onCall.body?.version ?? 0, email: 'duty.dasv@council.example', officeHours: { days: [1, 2, 3, 4, 5], from: '08:30', to: '17:30' } } });
  await call('PUT /settings/on-call', 'PUT', '/settings/on-call', { as: 'admin', body: { version: 0, email: 'not an address', officeHours: { days: [8], from: '25:00', to: '17:00' } } });

  // People and sign-in accounts.
  await call('GET /users/me/notifications', 'GET', '/users/me/notifications', { as: 'supervisor-b' });
  await call('PUT /users/me/notifications', 'PUT', '/users/me/notifications', { as: 'supervisor-b', body: { priorities: ['immediate', 'high'] } });
  await call('PUT /users/me/notifications', 'PUT', '/users/me/notifications', { as: 'champion-a1', body: { priorities: ['immediate'] } });
  await call('GET /users', 'GET', '/users', { as: 'admin' });
  await call('GET /users', 'GET', '/users?limit=2', { as: 'supervisor-a' });
  await call('POST /users', 'POST', '/users', { as: 'supervisor-a', body: { role: 'admin', displayName: 'Not allowed', email: `nope-${unique}@example.org` } });
  await call('POST /users', 'POST', '/users', { as: 'admin', body: { role: 'supervisor', displayName: '', email: 'nobody' } });
  await call('GET /users/{id}', 'GET', `/users/${invited.body?.id}`, { as: 'supervisor-a' });
  await call('GET /users/{id}', 'GET', `/users/${invited.body?.id}`, { as: 'supervisor-b' });
  await call('PATCH /users/{id}', 'PATCH', `/users/${invited.body?.id}`, { as: 'supervisor-a', body: { version: invited.body?.version, status: 'suspended' } });
  await call('PATCH /users/{id}', 'PATCH', `/users/${invited.body?.id}`, { as: 'supervisor-a', body: { version: invited.body?.version, status: 'active' } });
  await call('POST /users/{id}/sign-out', 'POST', `/users/${invited.body?.id}/sign-out`, { as: 'supervisor-a' });
  await call('POST /users/{id}/sign-out', 'POST', '/users/user-nowhere/sign-out', { as: 'admin' });
}

await journey();
const covered = new Set(steps.map((s) => s.op));
const missing = routes.map(routeKey).filter((k) => !covered.has(k));
/** Prism names where a violation is: the request's path, query, headers or body, or else the response. */
const ofRequest = (v: { location: string }) => /^(request|path|query|header|body)\b/.test(v.location) || v.location === '';
const request = steps.flatMap((s) => s.violations.filter(ofRequest));
const response = steps.flatMap((s) => s.violations.filter((v) => !ofRequest(v)));
const flagged = steps.filter((s) => s.violations.some((v) => !ofRequest(v))).length;
console.log(
  `\n${steps.length} requests over ${covered.size} of ${routes.length} operations${missing.length ? ` (not covered: ${missing.join(', ')})` : ''}; ` +
    `${flagged} responses flagged; ${response.length} response violations, ${request.length} request violations`,
);
