import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeKey, routes } from '../../shared/api/routes';
import { findDemoUser } from '../../infra/local/demo-users';
import { keys } from '../../shared/store/keys';
import { hateCrimeContact } from '../support/contacts';
import { newIdentity } from '../support/training';
import { useTestEnvironment } from '../support/environment';
import { authorizationMatrix, callers, relationOf, type Caller, type MatrixEntry } from './authorization-matrix';
import { championRecordOf, fixtures, owners, supervisorOf, supportSessionBody, teamOf, uniqueName, type Owner } from './fixtures';
import { pool } from './pool';

// Each function remembers an account for up to ACCOUNT_CHECK_SECONDS in its own module graph, as each Lambda does
// (test/integration/function-isolation.test.ts shows the memory and unit tests its bound): a change reaches another
// function's warm instance within that bound. These tests ask for it at the next request, so they run with no memory.
process.env['ACCOUNT_CHECK_SECONDS'] = '0';
const t = useTestEnvironment();
const f = fixtures(t);
const hate = () => hateCrimeContact();

interface Records {
  contact: { id: string; version: number; contactReference: string; signposting: { id: string }[] };
  escalation: { id: string; version: number };
  champion: { id: string; version: number };
  session: { id: string; version: number };
}
const shared = {} as Record<Owner, Records> & { course: { id: string; version: number }; service: { id: string; version: number } };

beforeAll(async () => {
  for (const owner of owners) {
    const contact = await f.contact(owner);
    const escalation = await f.escalation(owner);
    const champion = await f.ok('GET', `/champions/${championRecordOf(owner)}`, 'admin');
    const session = await f.session(owner);
    shared[owner] = { contact, escalation, champion, session };
  }
  shared.course = await f.course();
  shared.service = await f.service();
});

const hourStart = (d: Date) => new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000).toISOString();

/** A valid request for the route on `owner`'s record, fresh when it is expected to succeed (so one success cannot change the next row). */
async function requestFor(key: string, entry: MatrixEntry, caller: Caller, owner: Owner, fresh: boolean): Promise<{ path: string; body?: unknown }> {
  const [, template] = key.split(' ') as [string, string];
  let id = '';
  let signpostingId = '';
  let version = 1;
  const s = shared[owner];
  switch (entry.target) {
    case 'contact': {
      const c = fresh ? await f.contact(owner) : s.contact;
      [id, version, signpostingId] = [c.id, c.version, c.signposting[0]!.id];
      break;
    }
    case 'escalation': {
      const e = fresh ? await f.escalation(owner) : s.escalation;
      [id, version] = [e.id, e.version];
      break;
    }
    case 'champion': {
      // A new champion of the owner's team for a write that should succeed; the owner's own record otherwise.
      const c = fresh ? await f.champion(owner) : s.champion;
      [id, version] = [c.id, c.version];
      break;
    }
    case 'course': {
      const c = fresh ? await f.course() : shared.course;
      [id, version] = [c.id, c.version];
      break;
    }
    case 'service': {
      const c = fresh ? await f.service() : shared.service;
      [id, version] = [c.id, c.version];
      break;
    }
    case 'session': {
      const c = fresh ? await f.session(owner) : s.session;
      [id, version] = [c.id, c.version];
      break;
    }
    case 'user': {
      // A newly invited champion of the owner's team for a write that should succeed; the owner's own account otherwise.
      if (fresh) {
        const u = await f.ok('POST', '/users', 'admin', { role: 'champion', teamId: teamOf(owner), displayName: uniqueName('Matrix Person'), email: `${uniqueName('m').replace(/\W+/g, '-')}@example.org`, champion: { organisationId: 'org-demo-central-mosque', strands: ['dasv'] } });
        [id, version] = [u.id, u.version];
      } else {
        [id, version] = [findDemoUser(owner)!.sub, 1];
      }
      break;
    }
    case 'none':
      break;
  }
  const query = typeof entry.query === 'string' ? entry.query : (entry.query?.[caller] ?? '');
  const path = template.replace('{id}', id).replace('{signpostingId}', signpostingId).replace('{year}', '2031') + query;
  // A rights request names team-a's reference (champion-a1's): an erasure that should succeed erases a fresh one.
  const reference = key === 'POST /rights/erasure' && fresh ? (await f.contact('champion-a1')).contactReference : shared['champion-a1'].contact.contactReference;
  const bodies: Record<string, () => unknown> = {
    'POST /rights/access': () => ({ contactReference: reference, requestReference: 'DSAR-MATRIX-1' }),
    'POST /rights/erasure': () => ({ contactReference: reference, requestReference: 'DSAR-MATRIX-2' }),
    'POST /teams': () => ({ name: uniqueName('Matrix team'), supervisors: [] }),
    'POST /organisations': () => ({ name: uniqueName('Matrix organisation'), kind: 'mosque', neighbourhood: 'Northfield' }),
    'POST /courses': () => ({ title: uniqueName('Matrix course'), strands: ['dasv'], validityMonths: 24 }),
    'PATCH /courses/{id}': () => ({ version, title: uniqueName('Matrix course renamed') }),
    'POST /champions': () => ({
      displayName: uniqueName('Matrix Champion'),
      organisationId: 'org-demo-central-mosque',
      strands: ['dasv'],
      identity: newIdentity(caller === 'supervisor-b' ? 'team-b' : 'team-a'),
      ...(caller === 'admin' ? { teamId: 'team-a' } : {}),
    }),
    'PATCH /champions/{id}': () => ({ version, languages: ['English', 'French'] }),
    'PATCH /champions/me': () => ({ uiLanguage: 'en' }),
    'POST /champions/{id}/training': () => f.completion(),
    'POST /services': () => ({ name: uniqueName('Matrix service'), kind: 'advice', strands: ['dasv'], languages: [], howToRefer: 'Phone' }),
    'PATCH /services/{id}': () => ({ version, howToRefer: 'Phone the duty line' }),
    'POST /contacts': () => hate(),
    'PATCH /contacts/{id}': () => ({ version, riskFlags: [] }),
    'DELETE /contacts/{id}': () => ({ reason: 'Logged twice by mistake.' }),
    'PUT /contacts/{id}/signposting/{signpostingId}/outcome': () => ({ outcome: 'engaged' }),
    'POST /audit/verify': () => ({ from: hourStart(new Date(Date.now() - 3_600_000)), to: hourStart(new Date()) }),
    'POST /contacts/{id}/escalations': () => ({ reason: 'asks_for_specialist_support', consent: 'yes' }),
    'PUT /reports/targets/{year}': () => ({ version: 0, targets: { women_attending_support_network: 120 } }),
    'PUT /settings/retention': () => ({ version: 0, contactYears: 6, auditYears: 7 }),
    'PUT /settings/on-call': () => ({ version: 0, officeHours: { days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' } }),
    'PUT /users/me/notifications': () => ({ priorities: ['immediate', 'high', 'standard'] }),
    'POST /support-sessions': () => supportSessionBody(caller === 'admin' ? { teamId: 'team-a' } : {}),
    'PATCH /support-sessions/{id}': () => ({ version, venueKind: 'place_of_worship' }),
    'POST /escalations/{id}/transitions': () => ({ to: 'triaged', version, targetServiceKind: 'police' }),
    'PUT /escalations/{id}/risk-assessment': () => ({ version, answers: Array.from({ length: 24 }, () => 'no'), professionalJudgement: false, potentialEscalation: false }),
    'POST /users': () => ({
      role: 'champion',
      displayName: uniqueName('Matrix Invitee'),
      email: `${uniqueName('invitee').replace(/\W+/g, '-')}@example.org`,
      champion: { organisationId: 'org-demo-central-mosque', strands: ['dasv'] },
      ...(caller === 'admin' ? { teamId: 'team-a' } : {}),
    }),
    'PATCH /users/{id}': () => ({ version, displayName: uniqueName('Matrix Person renamed') }),
  };
  const body = bodies[key]?.();
  return body === undefined ? { path } : { path, body };
}


interface Row {
  key: string;
  caller: Caller;
  owner: Owner;
  relation: string;
  expected: number;
}

function rowsOf(key: string, entry: MatrixEntry): Row[] {
  return callers.flatMap((caller) => {
    const e = entry.expect[caller];
    const targets = entry.target === 'none' || entry.target === 'course' || entry.target === 'service' ? (['champion-a1'] as const) : owners;
    return targets.map((owner, i) => ({
      key,
      caller,
      owner,
      relation: entry.target === 'none' || entry.target === 'course' || entry.target === 'service' ? 'none' : relationOf(caller, owner),
      expected: typeof e === 'number' ? e : e[i]!,
    }));
  });
}

describe('the authorisation matrix', () => {
  it('has rows for every route in the route table, and no row for a route that does not exist', () => {
    const keys = routes.map(routeKey);
    expect(keys.filter((k) => !authorizationMatrix[k]), 'routes without rows').toEqual([]);
    expect(Object.keys(authorizationMatrix).filter((k) => !keys.includes(k)), 'rows without routes').toEqual([]);
    for (const [key, entry] of Object.entries(authorizationMatrix)) {
      expect(Object.keys(entry.expect).sort(), key).toEqual([...callers].sort());
      const hasRecord = key.includes('{id}');
      expect(entry.target !== 'none', `${key}: a route on a record names its target`).toBe(hasRecord);
    }
  });

  it('every route × role × relation answers as the table says, over HTTP with real tokens', { timeout: 240_000 }, async () => {
    const rows = Object.entries(authorizationMatrix).flatMap(([key, entry]) => rowsOf(key, entry));
    const failures: string[] = [];
    await pool(rows, 4, async (row) => {
      const entry = authorizationMatrix[row.key]!;
      const fresh = row.expected < 300 && row.key.split(' ')[0] !== 'GET';
      const { path, body } = await requestFor(row.key, entry, row.caller, row.owner, fresh);
      const method = row.key.split(' ')[0]!;
      const res = await t.api(method, path, { token: await f.tok(row.caller), ...(body !== undefined ? { body } : {}) });
      if (res.status !== row.expected) {
        failures.push(`${row.key} as ${row.caller} on ${row.owner}'s record (${row.relation}): expected ${row.expected}, got ${res.status} ${res.text.slice(0, 200)}`);
      }
      if (res.status === 404 || res.status === 403) {
        // A refusal says nothing about the record.
        expect(res.text).not.toMatch(/champion-a|team-b|teamId/);
      }
    });
    console.log(`authorisation matrix: ${rows.length} rows over ${routes.length} routes`);
    expect(failures).toEqual([]);
  });

  it('a refused write changed nothing: the shared records are still at the version they were created at', async () => {
    for (const owner of owners) {
      const s = shared[owner];
      const contact = await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.contact(s.contact.id), ConsistentRead: true }));
      expect(contact.Item?.['version']).toBe(s.contact.version);
      expect(contact.Item?.['status']).toBe('active');
      const escalation = await f.ok('GET', `/escalations/${s.escalation.id}`, supervisorOf(owner));
      expect(escalation.version).toBe(s.escalation.version);
      const champion = await f.ok('GET', `/champions/${s.champion.id}`, 'admin');
      expect(champion.version).toBe(s.champion.version);
      expect(champion.teamId).toBe(teamOf(owner));
    }
  });

  it('without a token every route but /health is 401', async () => {
    await pool(routes, 4, async (route) => {
      const res = await t.api(route.method, route.path.replace('{id}', 'x').replace('{signpostingId}', 'y'), route.method === 'GET' ? {} : { body: {} });
      expect(res.status, routeKey(route)).toBe(route.auth === 'none' ? 200 : 401);
    });
  });
});

describe('a suspended champion', () => {
  it('their still-valid token is refused for every write; reads of their own records still answer', async () => {
    const identity = newIdentity('team-a');
    const champion = await f.champion('champion-a1', identity);
    await f.ok('POST', `/champions/${champion.id}/training`, 'supervisor-a', f.completion());
    const token = await t.tokenFor('champion-a1', { sub: identity, username: 'suspended-champion' });
    const contact = await t.api('POST', '/contacts', { token, body: hate() });
    expect(contact.status, contact.text).toBe(201);
    const other = await t.api('POST', '/contacts', { token, body: hate() });
    expect(other.status).toBe(201);
    const current = await f.ok('GET', `/champions/${champion.id}`, 'supervisor-a');
    await f.ok('PATCH', `/champions/${champion.id}`, 'supervisor-a', { version: current.version, status: 'suspended' });

    // The token is still valid (same signature, not expired): the refusal comes from the champion record.
    const writes: [string, string, unknown][] = [
      ['POST', '/contacts', hate()],
      ['PATCH', `/contacts/${contact.body.id}`, { version: contact.body.version, riskFlags: [] }],
      ['PUT', `/contacts/${contact.body.id}/signposting/${contact.body.signposting[0].id}/outcome`, { outcome: 'engaged' }],
      ['POST', `/contacts/${other.body.id}/escalations`, { reason: 'asks_for_specialist_support', consent: 'yes' }],
    ];
    for (const [method, path, body] of writes) {
      const res = await t.api(method, path, { token, body });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(403);
      expect(res.body.error).toMatch(/suspended/);
    }
    const after = await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.contact(contact.body.id), ConsistentRead: true }));
    expect(after.Item?.['version']).toBe(contact.body.version);
    expect((await t.api('GET', `/contacts/${contact.body.id}`, { token })).status).toBe(200);
  });
});

describe('a user moved to another team', () => {
  // "Moved" means an admin changed the user's team (PATCH /users/{id}): the directory says so at once, and the API
  // checks the caller's account in the directory on every request, so a token issued before the move loses the old
  // team's records on its next request. The team claim of a token is not trusted over the directory.
  it('a supervisor moved to team-b loses team-a records at once and gains team-b\'s, with the token issued before the move', async () => {
    const invited = await f.ok('POST', '/users', 'admin', { role: 'supervisor', teamId: 'team-a', displayName: uniqueName('Moving Supervisor'), email: `${uniqueName('moving').replace(/\W+/g, '-')}@example.org` });
    const moved = await t.env.idp.issueAccessToken({ username: invited.id, sub: invited.id, role: 'supervisor', team: 'team-a', displayName: invited.displayName });
    const a = shared['champion-a1'];
    const b = shared['champion-b1'];
    expect((await t.api('GET', `/contacts/${a.contact.id}`, { token: moved })).status).toBe(200);
    await f.ok('PATCH', `/users/${invited.id}`, 'admin', { version: invited.version, teamId: 'team-b' });
    expect((await t.api('GET', `/contacts/${a.contact.id}`, { token: moved })).status).toBe(404);
    expect((await t.api('GET', `/escalations/${a.escalation.id}`, { token: moved })).status).toBe(404);
    expect((await t.api('GET', `/champions/${a.champion.id}`, { token: moved })).status).toBe(404);
    expect((await t.api('POST', `/escalations/${a.escalation.id}/transitions`, { token: moved, body: { to: 'triaged', version: a.escalation.version, targetServiceKind: 'police' } })).status).toBe(404);
    expect((await t.api('GET', `/contacts/${b.contact.id}`, { token: moved })).status).toBe(200);
    const list = await t.api('GET', '/contacts?limit=100', { token: moved });
    expect(list.status).toBe(200);
    expect(list.body.items.every((c: { teamId: string }) => c.teamId === 'team-b')).toBe(true);
    const asked = await t.api('GET', '/contacts?limit=100&teamId=team-a', { token: moved });
    expect([200, 400, 403, 404]).toContain(asked.status);
    if (asked.status === 200) expect(asked.body.items.every((c: { teamId: string }) => c.teamId === 'team-b')).toBe(true);
  });

  it('a token whose team claim says team-b, for a supervisor the directory has in team-a, still acts for team-a only', async () => {
    const claimed = await t.tokenFor('supervisor-a', { 'custom:team': 'team-b' });
    expect((await t.api('GET', `/contacts/${shared['champion-b1'].contact.id}`, { token: claimed })).status).toBe(404);
    expect((await t.api('GET', `/contacts/${shared['champion-a1'].contact.id}`, { token: claimed })).status).toBe(200);
  });

  it('a champion whose token names team-b still has only their own records (ownership is by sign-in identity, not team)', async () => {
    const moved = await t.tokenFor('champion-a1', { 'custom:team': 'team-b' });
    expect((await t.api('GET', `/contacts/${shared['champion-a2'].contact.id}`, { token: moved })).status).toBe(404);
    expect((await t.api('GET', `/contacts/${shared['champion-b1'].contact.id}`, { token: moved })).status).toBe(404);
    expect((await t.api('GET', `/contacts/${shared['champion-a1'].contact.id}`, { token: moved })).status).toBe(200);
  });
});
