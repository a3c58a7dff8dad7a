import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findDemoUser } from '../../infra/local/demo-users';
import { newContactReference } from '../../shared/domain/contact-reference';
import { csvField, toCsv } from '../../shared/domain/reports';
import { CHAMPION_IDENTITY_MESSAGE } from '../../shared/domain/sign-in-accounts';
import { INVALID_PAGE_LINK } from '../../shared/store/pagination';
import { caseItemCount, hateCrimeContact } from '../support/contacts';
import { useTestEnvironment, type ApiResponse } from '../support/environment';
import { newIdentity } from '../support/training';
import { fixtures, uniqueName } from './fixtures';
import { hostileText } from './hostile-text';

/**
 * Regression tests for what an outside sweep found (issue 19): each finding is
 * tried as the sweep tried it, over HTTP against the local gateway.
 */
const t = useTestEnvironment();
const f = fixtures(t);

const handlerHeaders: Record<string, RegExp> = {
  'cache-control': /no-store/,
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^DENY$/,
  'referrer-policy': /^no-referrer$/,
  'content-security-policy': /frame-ancestors 'none'/,
  'strict-transport-security': /max-age=\d+/,
};

async function as(user: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse> {
  return t.api(method, path, { token: await f.tok(user), ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });
}

function expectInvalidLink(res: ApiResponse, label: string) {
  expect(res.status, `${label}: ${res.text.slice(0, 200)}`).toBe(400);
  expect(res.body.error, label).toBe(INVALID_PAGE_LINK);
  expect(res.body.issues, label).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);
}

/** A field named, with a message that says why. */
function expectFieldRefused(res: ApiResponse, field: string, message: RegExp, label: string) {
  expect(res.status, `${label}: ${res.text.slice(0, 300)}`).toBe(400);
  const issue = (res.body.issues as { path: string; message: string }[]).find((i) => i.path === field);
  expect(issue, `${label}: ${JSON.stringify(res.body.issues)}`).toBeDefined();
  expect(issue!.message, label).toMatch(message);
}

/** Raw bytes on a socket, for requests fetch will not send (a malformed Host). */
function rawRequest(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(t.env.port, '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('utf8')));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => {
      socket.destroy();
      resolve(data);
    });
  });
}

describe('page links (cursors) are sealed and bound to caller, route and query', () => {
  const lists: [string, string, string][] = [
    ['champion-a1', '/contacts', ''],
    ['champion-a1', '/escalations', ''],
    ['supervisor-a', '/champions', ''],
    ['supervisor-a', '/notifications', ''],
    ['supervisor-a', '/champions/champion-demo-a1/training', ''],
    ['admin', '/audit/events', `&actor=${findDemoUser('admin')!.sub}`],
    ['admin', '/teams', ''],
    ['admin', '/organisations', ''],
    ['admin', '/courses', ''],
    ['admin', '/services', ''],
  ];

  it('a forged cursor (`e30`, any base64, a store key) is a 400 saying the page link is not valid, on every list', { timeout: 60_000 }, async () => {
    const storeKey = Buffer.from(JSON.stringify({ pk: 'TEAM#team-b', sk: 'CONTACT#x' })).toString('base64url');
    for (const [user, path, extra] of lists) {
      for (const forged of ['e30', 'AAAA', storeKey, 'not base64 at all!', `${'A'.repeat(60)}`]) {
        expectInvalidLink(await as(user, 'GET', `${path}?limit=1&cursor=${encodeURIComponent(forged)}${extra}`), `${path} cursor=${forged}`);
      }
    }
  });

  it('a real cursor works for its caller and query, and is refused (400) for another caller, route, path or filter, or when altered', { timeout: 60_000 }, async () => {
    const first = await as('supervisor-b', 'GET', '/champions?limit=1');
    expect(first.status).toBe(200);
    const cursor = first.body.nextCursor as string;
    expect(typeof cursor).toBe('string');
    // No key values readable by the client.
    const decoded = Buffer.from(cursor, 'base64url').toString('latin1');
    for (const leak of ['pk', 'sk', 'gsi', 'TEAM', 'CHAMPION', 'team-b', 'champion-']) expect(decoded, `cursor shows ${leak}`).not.toContain(leak);

    const next = await as('supervisor-b', 'GET', `/champions?limit=1&cursor=${cursor}`);
    expect(next.status, next.text).toBe(200);
    expect(next.body.items[0].id).not.toBe(first.body.items[0].id);
    // The page size may change between pages.
    expect((await as('supervisor-b', 'GET', `/champions?limit=2&cursor=${cursor}`)).status).toBe(200);

    expectInvalidLink(await as('supervisor-a', 'GET', `/champions?limit=1&cursor=${cursor}`), 'another team\'s supervisor');
    expectInvalidLink(await as('admin', 'GET', `/champions?limit=1&teamId=team-b&cursor=${cursor}`), 'admin with the same team');
    expectInvalidLink(await as('supervisor-b', 'GET', `/champions?limit=1&status=active&cursor=${cursor}`), 'another filter');
    expectInvalidLink(await as('supervisor-b', 'GET', `/contacts?limit=1&cursor=${cursor}`), 'another route');
    const flipped = cursor.slice(0, 20) + (cursor[20] === 'A' ? 'B' : 'A') + cursor.slice(21);
    expectInvalidLink(await as('supervisor-b', 'GET', `/champions?limit=1&cursor=${flipped}`), 'altered');

    const training = await as('supervisor-a', 'GET', '/champions/champion-demo-a1/training?limit=1');
    if (training.body.nextCursor) {
      expectInvalidLink(await as('supervisor-a', 'GET', `/champions/champion-demo-a2/training?limit=1&cursor=${training.body.nextCursor}`), 'another champion\'s training');
    }
  });
});

describe('one text policy for free text, one for names', () => {
  it('hostile characters in every name and free-text field are refused naming the field; nothing stored', { timeout: 90_000 }, async () => {
    const champion = await f.champion('champion-a1');
    const before = await caseItemCount(t);
    const targets: [string, string, string, (v: string) => Record<string, unknown>][] = [
      ['admin', 'POST', '/teams', (v) => ({ name: v, supervisors: [] })],
      ['admin', 'POST', '/organisations', (v) => ({ name: v, kind: 'mosque', neighbourhood: 'Northfield' })],
      ['admin', 'POST', '/courses', (v) => ({ title: v, strands: ['dasv'], validityMonths: 12 })],
      ['supervisor-a', 'PATCH', `/champions/${champion.id}`, (v) => ({ version: champion.version, displayName: v })],
      ['supervisor-a', 'POST', `/champions/${champion.id}/training`, (v) => ({ ...f.completion(), deliveredBy: v })],
      ['admin', 'POST', '/services', (v) => ({ name: v, kind: 'advice', strands: ['dasv'], howToRefer: 'Phone' })],
    ];
    const fieldOf = (body: Record<string, unknown>, v: string) => Object.keys(body).find((k) => body[k] === v)!;
    let n = 0;
    for (const [user, method, path, body] of targets) {
      for (const hostile of hostileText.names) {
        const b = body(hostile.value);
        const res = await as(user, method, path, b);
        expectFieldRefused(res, fieldOf(b, hostile.value), hostile.message, `${method} ${path} ${hostile.label}`);
        n++;
      }
    }
    const contactTargets: [string, (v: string) => Record<string, unknown>][] = [
      ['note', (v) => hateCrimeContact({ note: v })],
      ['demographics.language', (v) => hateCrimeContact({ demographics: { language: v } })],
    ];
    for (const [field, body] of contactTargets) {
      for (const hostile of hostileText.freeText) {
        expectFieldRefused(await as('champion-a1', 'POST', '/contacts', body(hostile.value)), field, hostile.message, `contact ${field} ${hostile.label}`);
        n++;
      }
    }
    expect(await caseItemCount(t)).toBe(before);
    expect(n).toBeGreaterThan(50);
  });

  it('names and free text are stored in NFC, trimmed, and measured in characters, not UTF-16 units', async () => {
    const decomposed = uniqueName('Cafe\u0301 team ').replace(/ /g, ' ');
    const team = await as('admin', 'POST', '/teams', { name: `  ${decomposed}  `, supervisors: [] });
    expect(team.status, team.text).toBe(201);
    expect(team.body.name).toBe(decomposed.normalize('NFC').trim());
    expect(team.body.name).toContain('Café');
    // 500 astral characters are 1000 UTF-16 units: within a 500-character note.
    const note = 'ᚠ'.repeat(10) + ' ' + '𝒜'.repeat(480);
    expect(note.length).toBeGreaterThan(500);
    const contact = await as('champion-a1', 'POST', '/contacts', hateCrimeContact({ note }));
    expect(contact.status, contact.text).toBe(201);
    expect([...contact.body.note].length).toBe(491);
    const tooLong = await as('champion-a1', 'POST', '/contacts', hateCrimeContact({ note: '𝒜'.repeat(501) }));
    expectFieldRefused(tooLong, 'note', /500 characters or fewer/, 'a 501-character note');
  });

  it('the CSV writer neutralises formula prefixes in every cell (defence in depth), leaving numbers as numbers', () => {
    expect(csvField('=HYPERLINK("https://x.example","y")')).toBe(`"'=HYPERLINK(""https://x.example"",""y"")"`);
    for (const cell of ['+1', '-x', '@SUM(A1)', '\t=1', '\r=1']) expect(csvField(cell).replace(/^"/, '').startsWith("'"), cell).toBe(true);
    expect(csvField('-3')).toBe('-3');
    expect(csvField('12')).toBe('12');
    expect(toCsv([['=1+1', 'ok']])).toBe("'=1+1,ok\r\n");
  });
});

describe('contact references neither link nor reveal across teams', () => {
  it('another team\'s reference gets exactly the answer an unknown one gets, links nothing and stores nothing', async () => {
    const a = await f.contact('champion-a1');
    const own = (await as('champion-a1', 'GET', `/contacts/${a.id}`)).body.contactReference as string;
    const before = await caseItemCount(t);
    const foreign = await as('champion-b1', 'POST', '/contacts', hateCrimeContact({ contactReference: own }));
    let unknown = newContactReference();
    while (unknown === own) unknown = newContactReference();
    const missing = await as('champion-b1', 'POST', '/contacts', hateCrimeContact({ contactReference: unknown }));
    expect(foreign.status, foreign.text).toBe(400);
    const { requestId: _a, ...foreignBody } = foreign.body;
    const { requestId: _b, ...missingBody } = missing.body;
    expect(foreignBody).toEqual(missingBody);
    expect(foreignBody.issues[0].path).toBe('contactReference');
    expect(foreignBody.issues[0].message).not.toMatch(/exist/);
    expect(await caseItemCount(t)).toBe(before);
    // The team that issued it may quote it: a repeat contact.
    const repeat = await as('champion-a2', 'POST', '/contacts', hateCrimeContact({ contactReference: own }));
    expect(repeat.status, repeat.text).toBe(201);
    expect(repeat.body.repeatContact).toBe(true);
  });
});

describe('the local gateway never exits on a request, and its own answers carry the handlers\' headers', () => {
  it('a malformed Host header is a 400 and the gateway keeps serving', async () => {
    for (const host of ['[', 'a b', '[::1', '%zz']) {
      const answer = await rawRequest(`GET /contacts HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(answer, `Host: ${host}`).toMatch(/^HTTP\/1\.1 400/);
      expect(answer.toLowerCase(), `Host: ${host}`).toContain('cache-control: no-store');
    }
    const garbage = await rawRequest('GET /\x01 HTTP/1.1\r\nHost: x\r\nX: \x00\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400/);
    expect((await t.api('GET', '/health')).status).toBe(200);
  });

  it('a malformed percent-escape in the path is a 400, not a 500', async () => {
    for (const path of ['/contacts/%E0%A4%A', '/champions/%', '/%C0%AF', '/does-not-exist/%ZZ']) {
      const res = await as('admin', 'GET', path);
      expect(res.status, path).toBe(400);
      for (const [name, pattern] of Object.entries(handlerHeaders)) expect(res.headers.get(name) ?? '', `${path} ${name}`).toMatch(pattern);
    }
  });

  it('the gateway\'s own 401, 404 and 413 carry Cache-Control: no-store and the security headers', async () => {
    const answers: [string, ApiResponse][] = [
      ['401 no token', await t.api('GET', '/contacts')],
      ['401 bad token', await t.api('GET', '/contacts', { headers: { authorization: 'Bearer x.y.z' } })],
      ['404', await t.api('GET', '/no-such-route/at/all')],
      ['413', await t.api('POST', '/contacts', { rawBody: 'x'.repeat(10 * 1024 * 1024 + 1), headers: { 'content-type': 'application/json' } })],
    ];
    for (const [label, res] of answers) {
      expect(res.status, label).toBe(Number(label.slice(0, 3)));
      for (const [name, pattern] of Object.entries(handlerHeaders)) expect(res.headers.get(name) ?? '', `${label} ${name}`).toMatch(pattern);
      expect(res.headers.get('content-type') ?? '', label).toMatch(/^application\/json/);
    }
  });
});

describe('a champion record\'s identity is checked against the sign-in directory', () => {
  it('another team\'s supervisor, one\'s own, another team\'s champion and an unknown identity all get the same 400; a champion\'s account in the team is taken', async () => {
    const before = await caseItemCount(t);
    const body = (identity: string) => ({ displayName: uniqueName('Identity Champion'), organisationId: 'org-demo-central-mosque', strands: ['dasv'], identity });
    const answers = [];
    for (const identity of [findDemoUser('supervisor-b')!.sub, findDemoUser('supervisor-a')!.sub, findDemoUser('champion-b1')!.sub, findDemoUser('admin')!.sub, 'no-such-account-anywhere', newIdentity('team-b')]) {
      const res = await as('supervisor-a', 'POST', '/champions', body(identity));
      expectFieldRefused(res, 'identity', new RegExp(CHAMPION_IDENTITY_MESSAGE), identity);
      const { requestId: _r, ...rest } = res.body;
      answers.push(JSON.stringify(rest));
    }
    expect(new Set(answers).size, 'one answer whatever the account').toBe(1);
    expect(await caseItemCount(t)).toBe(before);
    const created = await as('supervisor-a', 'POST', '/champions', body(newIdentity('team-a')));
    expect(created.status, created.text).toBe(201);
  });
});

describe('the request edges: scheme, dates, whole numbers', () => {
  it('the Bearer scheme is case-insensitive, as the gateway\'s is', async () => {
    const token = await f.tok('supervisor-a');
    for (const scheme of ['bearer', 'BEARER', 'Bearer', 'bEaReR']) {
      const res = await t.api('GET', '/me', { headers: { authorization: `${scheme} ${token}` } });
      expect(res.status, `${scheme}: ${res.text}`).toBe(200);
    }
  });

  it('every date field refuses dates outside 2000-01-01 to 2099-12-31, naming the field', async () => {
    const champion = await f.champion('champion-a1');
    for (const completedOn of ['0000-01-01', '1999-12-31', '9999-12-31']) {
      expectFieldRefused(await as('supervisor-a', 'POST', `/champions/${champion.id}/training`, { ...f.completion(), completedOn }), 'completedOn', /between 2000-01-01 and 2099-12-31|future/, completedOn);
    }
    expectFieldRefused(await as('supervisor-a', 'GET', '/contacts?from=0001-01-01'), 'query.from', /between 2000-01-01 and 2099-12-31/, 'contacts from');
    expectFieldRefused(await as('champion-a1', 'POST', '/contacts', hateCrimeContact({ contactDate: '1900-01-01' })), 'contactDate', /between 2000-01-01 and 2099-12-31/, 'contactDate');
    expectFieldRefused(await as('commissioner', 'GET', '/reports/metrics?from=0000-01&to=2026-01'), 'query.from', /between 2000-01 and 2099-12/, 'report from');
    expectFieldRefused(await as('admin', 'GET', '/audit/events?from=1970-01-01T00:00:00Z&to=1970-01-02T00:00:00Z'), 'query.from', /between 2000-01-01 and 2099-12-31/, 'audit from');
  });

  it('whole numbers: exponent, hex, decimal and signed forms are refused saying so; "1" for a version says it must be a whole number', async () => {
    for (const limit of ['1e2', '0x10', '1.5', '+3', ' 7', '1_000']) {
      expectFieldRefused(await as('supervisor-a', 'GET', `/champions?limit=${encodeURIComponent(limit)}`), 'query.limit', /whole number written in digits/, `limit=${limit}`);
      expectFieldRefused(await as('admin', 'GET', `/audit/events?limit=${encodeURIComponent(limit)}&actor=x`), 'query.limit', /whole number written in digits/, `audit limit=${limit}`);
    }
    const champion = await f.champion('champion-a1');
    const res = await as('supervisor-a', 'PATCH', `/champions/${champion.id}`, { version: String(champion.version), displayName: 'Renamed' });
    expectFieldRefused(res, 'version', /must be a whole number/, '"version": "1"');
    expect(res.body.issues[0].message).not.toMatch(/not sent/);
    expectFieldRefused(await as('supervisor-a', 'PATCH', `/champions/${champion.id}`, { version: 1.5, displayName: 'Renamed' }), 'version', /must be a whole number/, 'version 1.5');
    expectFieldRefused(await as('supervisor-a', 'PATCH', `/champions/${champion.id}`, { displayName: 'Renamed' }), 'version', /version of the record was not sent/, 'no version');
  });
});
