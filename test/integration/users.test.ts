import { readFileSync } from 'node:fs';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { findDemoUser } from '../../infra/local/demo-users';
import type { Role } from '../../shared/domain/roles';
import { invitationOutbox, readDirectoryFile } from '../../shared/store/directory-file';
import { keys } from '../../shared/store/keys';
import { auditEventsFor } from '../support/audit';
import { hateCrimeContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';
import { fixtures, supportSessionBody, uniqueName } from '../reliability/fixtures';

// Each function remembers an account for up to ACCOUNT_CHECK_SECONDS in its own module graph, as each Lambda does;
// the users function forgets its own entry at once, but no other function's. These tests ask for the change at the
// next request in every function, so they run with no memory (test/integration/function-isolation.test.ts shows the memory).
process.env['ACCOUNT_CHECK_SECONDS'] = '0';
const t = useTestEnvironment();
const f = fixtures(t);
const directoryFile = () => process.env['SIGN_IN_DIRECTORY_FILE'] as string;
const sub = (username: string) => findDemoUser(username)!.sub;

let mail = 0;
const newEmail = () => `person-${process.pid}-${Date.now().toString(36)}-${mail++}@example.org`;

interface Invited {
  id: string;
  role: Role;
  teamId: string | null;
  displayName: string;
  version: number;
  championId: string | null;
  email: string;
}

async function invite(by: string, body: Record<string, unknown>): Promise<Invited> {
  const res = await t.api('POST', '/users', { token: await f.tok(by), body: { displayName: uniqueName('Person'), email: newEmail(), ...body } });
  expect(res.status, res.text).toBe(201);
  return res.body as Invited;
}

const championProfile = { organisationId: 'org-demo-central-mosque', strands: ['dasv', 'hate_crime'] };

/** A token the development identity provider issued to the person before any change: it keeps its claims. */
const tokenOf = (u: Pick<Invited, 'id' | 'role' | 'teamId' | 'displayName'>) =>
  t.env.idp.issueAccessToken({ username: u.id, sub: u.id, role: u.role, ...(u.teamId ? { team: u.teamId } : {}), displayName: u.displayName });

async function patch(by: string, u: { id: string }, change: Record<string, unknown>) {
  const current = await f.ok('GET', `/users/${u.id}`, 'admin');
  return t.api('PATCH', `/users/${u.id}`, { token: await f.tok(by), body: { version: current.version, ...change } });
}

describe('each role\'s rights over each other role', () => {
  const targets = ['admin', 'commissioner', 'supervisor-a', 'supervisor-b', 'champion-a2', 'champion-b1'] as const;
  const expected: Record<string, Record<(typeof targets)[number], number>> = {
    admin: { admin: 200, commissioner: 200, 'supervisor-a': 200, 'supervisor-b': 200, 'champion-a2': 200, 'champion-b1': 200 },
    'supervisor-a': { admin: 404, commissioner: 404, 'supervisor-a': 404, 'supervisor-b': 404, 'champion-a2': 200, 'champion-b1': 404 },
    'supervisor-b': { admin: 404, commissioner: 404, 'supervisor-a': 404, 'supervisor-b': 404, 'champion-a2': 404, 'champion-b1': 200 },
    commissioner: { admin: 403, commissioner: 403, 'supervisor-a': 403, 'supervisor-b': 403, 'champion-a2': 403, 'champion-b1': 403 },
    'champion-a1': { admin: 403, commissioner: 403, 'supervisor-a': 403, 'supervisor-b': 403, 'champion-a2': 403, 'champion-b1': 403 },
  };

  it('reads, changes and sign-outs: admins everyone, a supervisor only their own team\'s champions, nobody else anyone', async () => {
    const failures: string[] = [];
    for (const [caller, row] of Object.entries(expected)) {
      for (const target of targets) {
        const token = await f.tok(caller);
        const read = await t.api('GET', `/users/${sub(target)}`, { token });
        if (read.status !== row[target]) failures.push(`GET ${target} as ${caller}: ${read.status}`);
        // A change that would succeed if allowed, refused by scope or role before anything is done (a stale version would be a 409).
        const denied = row[target] !== 200;
        if (denied) {
          const change = await t.api('PATCH', `/users/${sub(target)}`, { token, body: { version: 1, status: 'suspended' } });
          if (change.status !== row[target]) failures.push(`PATCH ${target} as ${caller}: ${change.status}`);
          const out = await t.api('POST', `/users/${sub(target)}/sign-out`, { token });
          if (out.status !== row[target]) failures.push(`sign-out ${target} as ${caller}: ${out.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Nobody was suspended by the refused attempts.
    for (const target of targets) expect(readDirectoryFile(directoryFile()).find((a) => a.sub === sub(target))?.enabled, target).toBe(true);
  });

  it('invitations: an admin invites any role; a supervisor champions of their own team only; commissioners and champions nobody', async () => {
    for (const role of ['admin', 'commissioner'] as const) expect((await invite('admin', { role })).teamId).toBeNull();
    expect((await invite('admin', { role: 'supervisor', teamId: 'team-b' })).teamId).toBe('team-b');
    expect((await invite('supervisor-a', { role: 'champion', champion: championProfile })).teamId).toBe('team-a');
    const body = (extra: Record<string, unknown>) => ({ displayName: uniqueName('Refused'), email: newEmail(), ...extra });
    const refusals: [string, Record<string, unknown>, number][] = [
      ['supervisor-a', { role: 'supervisor' }, 403],
      ['supervisor-a', { role: 'admin' }, 403],
      ['supervisor-a', { role: 'champion', teamId: 'team-b', champion: championProfile }, 404],
      ['commissioner', { role: 'champion', teamId: 'team-a', champion: championProfile }, 403],
      ['champion-a1', { role: 'champion', teamId: 'team-a', champion: championProfile }, 403],
      ['admin', { role: 'supervisor' }, 400],
      ['admin', { role: 'champion', teamId: 'team-a' }, 400],
      ['admin', { role: 'commissioner', teamId: 'team-a' }, 400],
    ];
    const before = readDirectoryFile(directoryFile()).length;
    for (const [caller, extra, status] of refusals) {
      const res = await t.api('POST', '/users', { token: await f.tok(caller), body: body(extra) });
      expect(res.status, `${caller} ${JSON.stringify(extra)}: ${res.text}`).toBe(status);
    }
    expect(readDirectoryFile(directoryFile()).length, 'no account was created by a refused invitation').toBe(before);
  });

  it('a supervisor may not change a champion\'s role or team (403); an admin may move a supervisor', async () => {
    const champion = await invite('supervisor-a', { role: 'champion', champion: championProfile });
    expect((await patch('supervisor-a', champion, { teamId: 'team-b' })).status).toBe(403);
    expect((await patch('supervisor-a', champion, { role: 'supervisor' })).status).toBe(403);
    const supervisor = await invite('admin', { role: 'supervisor', teamId: 'team-a' });
    const moved = await patch('admin', supervisor, { teamId: 'team-b' });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.teamId).toBe('team-b');
  });
});

describe('the list', () => {
  it('is paginated; a supervisor\'s holds their team\'s champions only (champion-a2\'s user among them); an admin\'s everyone', async () => {
    const seen: { id: string; role: string; teamId: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.api('GET', `/users?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: await f.tok('supervisor-a') });
      expect(res.status, res.text).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.map((u) => u.id)).toContain(sub('champion-a2'));
    expect(seen.every((u) => u.role === 'champion' && u.teamId === 'team-a')).toBe(true);
    expect(seen.some((u) => 'email' in u && u.email)).toBe(false);
    const admin = await f.ok('GET', '/users?limit=100', 'admin');
    expect(admin.items.map((u: { id: string }) => u.id)).toEqual(expect.arrayContaining([sub('admin'), sub('commissioner'), sub('supervisor-b'), sub('champion-b1')]));
    const teamB = await f.ok('GET', '/users?limit=100&teamId=team-b&role=champion', 'admin');
    expect(teamB.items.every((u: { teamId: string; role: string }) => u.teamId === 'team-b' && u.role === 'champion')).toBe(true);
    expect((await t.api('GET', '/users?teamId=team-b', { token: await f.tok('supervisor-a') })).status).toBe(404);
  });
});

describe('inviting a champion', () => {
  it('creates the sign-in account, the user record and the champion record in one step; the email stays in the identity provider', async () => {
    const email = newEmail();
    const displayName = uniqueName('Invited Champion');
    const res = await t.api('POST', '/users', {
      token: await f.tok('supervisor-a'),
      body: { role: 'champion', displayName, email, champion: { ...championProfile, languages: ['English', 'Tigrinya'] } },
    });
    expect(res.status, res.text).toBe(201);
    const user = res.body as Invited;
    expect(user).toMatchObject({ role: 'champion', teamId: 'team-a', status: 'invited', email, displayName });
    expect(res.headers.get('location')).toBe(`/users/${user.id}`);

    // The account, in the directory, with its email; the invitation in the local outbox.
    const account = readDirectoryFile(directoryFile()).find((a) => a.sub === user.id);
    expect(account).toMatchObject({ groups: ['champion'], team: 'team-a', enabled: true, email });
    const outbox = readFileSync(invitationOutbox(directoryFile()), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(outbox.some((m: { to: string; sub: string }) => m.to === email && m.sub === user.id)).toBe(true);

    // The champion record, bound to the account's identity (nobody typed it).
    const champion = await f.ok('GET', `/champions/${user.championId}`, 'supervisor-a');
    expect(champion).toMatchObject({ identity: user.id, teamId: 'team-a', displayName, languages: ['English', 'Tigrinya'] });
    const me = await t.api('GET', '/champions/me', { token: await tokenOf(user) });
    expect(me.status, me.text).toBe(200);
    expect(me.body.champion.id).toBe(user.championId);

    // No email in the table: not in the user's record, nor anywhere in the champion's.
    const stored = await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.user(user.id), ConsistentRead: true }));
    expect(stored.Item?.['role']).toBe('champion');
    expect(JSON.stringify(stored.Item)).not.toContain(email);
    const championItems = await t.db.send(new QueryCommand({ TableName: t.env.tableNames.Case, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.champion(user.championId!).pk } }));
    expect(JSON.stringify(championItems.Items)).not.toContain(email);

    // The email is read from the identity provider when one person is read.
    expect((await f.ok('GET', `/users/${user.id}`, 'supervisor-a')).email).toBe(email);

    // Audited: the invitation and the champion's creation, by the supervisor, in the one request.
    const [created] = await auditEventsFor(t, 'user', user.id);
    expect(created).toMatchObject({ action: 'users.create', outcome: 'success', actor: { sub: sub('supervisor-a') }, teamId: 'team-a' });
    const [championCreated] = await auditEventsFor(t, 'champion', user.championId!);
    expect(championCreated).toMatchObject({ action: 'champions.create', requestId: created!['requestId'] });
    expect(JSON.stringify([created, championCreated])).not.toContain(email);
  });

  it('the same email twice is a 409 and nothing more is stored; an unknown organisation removes the account again', async () => {
    const email = newEmail();
    await invite('admin', { role: 'commissioner', email });
    const before = readDirectoryFile(directoryFile()).length;
    const again = await t.api('POST', '/users', { token: await f.tok('admin'), body: { role: 'commissioner', displayName: 'Again', email } });
    expect(again.status).toBe(409);
    const unknownOrg = await t.api('POST', '/users', {
      token: await f.tok('supervisor-a'),
      body: { role: 'champion', displayName: uniqueName('No org'), email: newEmail(), champion: { organisationId: 'org-nowhere', strands: ['dasv'] } },
    });
    expect(unknownOrg.status, unknownOrg.text).toBe(400);
    expect(readDirectoryFile(directoryFile()).length).toBe(before);
  });
});

describe('immediate effect of each change on a token issued before it', () => {
  it('a supervisor suspends their champion: the champion\'s read and write are refused at once; reinstated, both work again', async () => {
    const champion = await invite('supervisor-a', { role: 'champion', champion: { organisationId: 'org-demo-central-mosque', strands: ['hate_crime'] } });
    await f.ok('POST', `/champions/${champion.championId}/training`, 'supervisor-a', f.completion());
    const token = await tokenOf(champion);
    const write = () => t.api('POST', '/contacts', { token, body: hateCrimeContact() });
    const read = () => t.api('GET', '/champions/me', { token });
    expect((await write()).status).toBe(201);
    expect((await read()).status).toBe(200);

    const suspended = await patch('supervisor-a', champion, { status: 'suspended' });
    expect(suspended.status, suspended.text).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    for (const res of [await read(), await write()]) {
      expect(res.status).toBe(403);
      expect(res.body.error).toMatch(/suspended or closed/);
    }
    expect(readDirectoryFile(directoryFile()).find((a) => a.sub === champion.id)).toMatchObject({ enabled: false, signedOutAt: expect.any(String) });

    expect((await f.ok('GET', `/champions/${champion.championId}`, 'supervisor-a')).status).toBe('suspended');
    expect((await patch('supervisor-a', champion, { status: 'active' })).status).toBe(200);
    expect((await f.ok('GET', `/champions/${champion.championId}`, 'supervisor-a')).status).toBe('active');
    expect((await read()).status).toBe(200);
    expect((await write()).status).toBe(201);

    const events = await auditEventsFor(t, 'user', champion.id);
    expect(events.filter((e) => e['action'] === 'users.update').map((e) => e['changedFields'])).toEqual([['status'], ['status']]);
  });

  it('leaving: reads and writes refused; leaving is final; what they logged stays with the team and attributed to them', async () => {
    const champion = await invite('supervisor-a', { role: 'champion', champion: { organisationId: 'org-demo-central-mosque', strands: ['hate_crime'] } });
    await f.ok('POST', `/champions/${champion.championId}/training`, 'supervisor-a', f.completion());
    const token = await tokenOf(champion);
    const contact = await t.api('POST', '/contacts', { token, body: hateCrimeContact() });
    expect(contact.status).toBe(201);
    expect((await patch('supervisor-a', champion, { status: 'left' })).status).toBe(200);
    expect((await t.api('GET', `/contacts/${contact.body.id}`, { token })).status).toBe(403);
    expect((await t.api('POST', '/contacts', { token, body: hateCrimeContact() })).status).toBe(403);
    const back = await patch('supervisor-a', champion, { status: 'active' });
    expect(back.status).toBe(400);
    expect(back.body.issues[0].path).toBe('status');
    // Their champion record is suspended with the account: they no longer count as an active champion.
    expect((await f.ok('GET', `/champions/${champion.championId}`, 'supervisor-a')).status).toBe('suspended');
    // The team keeps the record; the audit trail still names the leaver as the one who logged it.
    const kept = await f.ok('GET', `/contacts/${contact.body.id}`, 'supervisor-a');
    expect(kept.teamId).toBe('team-a');
    const logged = (await auditEventsFor(t, 'contact', contact.body.id)).find((e) => e['action'] === 'contacts.create');
    expect(logged?.['actor']).toMatchObject({ sub: champion.id, role: 'champion' });
  });

  it('a team move: the supervisor\'s old team is gone and the new one theirs on the next request, for a read and a write', async () => {
    const supervisor = await invite('admin', { role: 'supervisor', teamId: 'team-a' });
    const token = await tokenOf(supervisor);
    expect((await t.api('GET', '/champions/champion-demo-a1', { token })).status).toBe(200);
    expect((await patch('admin', supervisor, { teamId: 'team-b' })).status).toBe(200);
    expect((await t.api('GET', '/champions/champion-demo-a1', { token })).status).toBe(404);
    expect((await t.api('GET', '/champions/champion-demo-b1', { token })).status).toBe(200);
    const session = await t.api('POST', '/support-sessions', { token, body: supportSessionBody() });
    expect(session.status, session.text).toBe(201);
    expect(session.body.teamId).toBe('team-b');
  });

  it('a role change: a supervisor made commissioner loses case work and gains the reports on the next request', async () => {
    const supervisor = await invite('admin', { role: 'supervisor', teamId: 'team-a' });
    const token = await tokenOf(supervisor);
    expect((await t.api('GET', '/caseload', { token })).status).toBe(200);
    expect((await t.api('GET', '/reports/targets/2026', { token })).status).toBe(403);
    expect((await patch('admin', supervisor, { role: 'commissioner', teamId: null })).status).toBe(200);
    expect((await t.api('GET', '/caseload', { token })).status).toBe(403);
    expect((await t.api('POST', '/support-sessions', { token, body: supportSessionBody() })).status).toBe(403);
    const reports = await t.api('GET', '/reports/targets/2026', { token });
    expect(reports.status, reports.text).toBe(200);
  });

  it('an account not in the directory is refused, whatever its token says', async () => {
    const stranger = await t.tokenFor('champion-a1', { sub: 'no-such-account' });
    const res = await t.api('GET', '/me', { token: stranger });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatch(/not in the Waymark directory/);
  });
});

describe('signing out', () => {
  it('revokes the person\'s refresh tokens in the identity provider and is audited', async () => {
    const champion = await invite('supervisor-a', { role: 'champion', champion: championProfile });
    const res = await t.api('POST', `/users/${champion.id}/sign-out`, { token: await f.tok('supervisor-a') });
    expect(res.status, res.text).toBe(200);
    expect(readDirectoryFile(directoryFile()).find((a) => a.sub === champion.id)?.signedOutAt).toEqual(expect.any(String));
    const events = await auditEventsFor(t, 'user', champion.id);
    expect(events.map((e) => e['action'])).toContain('users.signOut');
  });

  it('nobody changes their own status or role', async () => {
    const res = await patch('admin', { id: sub('admin') }, { status: 'suspended' });
    expect(res.status).toBe(400);
    expect(readDirectoryFile(directoryFile()).find((a) => a.sub === sub('admin'))?.enabled).toBe(true);
  });
});

describe('the development identity provider signs people in from the directory', () => {
  it('lists active accounts only: an invited person can sign in from it; once suspended they are not offered', async () => {
    const person = await invite('supervisor-a', { role: 'champion', champion: championProfile });
    const page = async () => (await fetch(`${t.env.url}/idp/sign-in`)).text();
    expect(await page()).toContain(`Sign in as <strong>${person.displayName}</strong>`);
    expect(await page()).toContain('Sign in as <strong>supervisor-a</strong>');
    const signedIn = await fetch(`${t.env.url}/idp/sign-in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `user=${person.id}` });
    expect(signedIn.status).toBe(200);
    const token = /<textarea[^>]*>([^<]+)<\/textarea>/.exec(await signedIn.text())?.[1];
    const me = await t.api('GET', '/me', { token: token! });
    expect(me.body).toMatchObject({ sub: person.id, role: 'champion', team: 'team-a' });
    expect(me.body.username).not.toContain('@');
    expect((await patch('supervisor-a', person, { status: 'suspended' })).status).toBe(200);
    expect(await page()).not.toContain(person.displayName);
    const refused = await fetch(`${t.env.url}/idp/sign-in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `user=${person.id}` });
    expect(refused.status).toBe(400);
  });
});
