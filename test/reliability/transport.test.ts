import { randomBytes } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { findDemoUser } from '../../infra/local/demo-users';
import { LOCAL_ALGORITHM } from '../../infra/local/identity-provider';
import { routeKey, routes } from '../../shared/api/routes';
import { getDocumentClient } from '../../shared/store/client';
import { hateCrimeContact, validContact } from '../support/contacts';
import { useTestEnvironment, type ApiResponse } from '../support/environment';
import { fixtures } from './fixtures';
import { useLogScan } from './log-scan';
import { pool } from './pool';

const t = useTestEnvironment();
const f = fixtures(t);
const logs = useLogScan();
/** Letters only, so that a marker never looks like a number to the personal-data detector. */
const marker = () => [...randomBytes(10)].map((b) => String.fromCharCode(97 + (b % 26))).join('');

const apiHeaders: Record<string, RegExp> = {
  'cache-control': /no-store/,
  'strict-transport-security': /max-age=\d{8,}; includeSubDomains/,
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^DENY$/,
  'referrer-policy': /^no-referrer$/,
  'content-security-policy': /frame-ancestors 'none'/,
};

function expectSecurityHeaders(res: ApiResponse, label: string, expected = apiHeaders) {
  for (const [name, pattern] of Object.entries(expected)) {
    expect(res.headers.get(name) ?? '', `${label}: ${name}`).toMatch(pattern);
  }
  expect(res.headers.get('x-powered-by'), `${label}: x-powered-by`).toBeNull();
}

describe('security headers', () => {
  it('every API route answers with them: allowed, refused, invalid and not found alike', { timeout: 60_000 }, async () => {
    const contact = await f.contact('champion-a1');
    const ids = { '{id}': contact.id, '{signpostingId}': contact.signposting[0]!.id };
    const path = (p: string) => p.replace('{id}', ids['{id}']).replace('{signpostingId}', ids['{signpostingId}']);
    let n = 0;
    await pool(routes, 4, async (route) => {
      for (const user of ['admin', 'commissioner', 'champion-a1']) {
        const res = await t.api(route.method, path(route.path), { token: await f.tok(user), ...(route.method === 'GET' ? {} : { body: {} }) });
        expect(res.status, routeKey(route)).toBeLessThan(500);
        expectSecurityHeaders(res, `${routeKey(route)} as ${user} (${res.status})`);
        expect(res.headers.get('content-type') ?? '', routeKey(route)).toMatch(/^(application\/json|text\/csv)/);
        n++;
      }
      const missing = await t.api(route.method, path(route.path).replace(/\/[^/]*$/, '/does-not-exist-x'), { token: await f.tok('admin') });
      expect(missing.status).toBeLessThan(500);
      n++;
    });
    console.log(`security headers: ${n} responses over ${routes.length} routes`);
  });

  it('the web app\'s responses carry them, with a CSP that allows only its own origin', async () => {
    for (const path of ['/', '/index.html', '/config.json']) {
      const res = await t.api('GET', path);
      expect(res.status, path).toBe(200);
      expectSecurityHeaders(res, path, { ...apiHeaders, 'content-security-policy': /default-src 'self'.*frame-ancestors 'none'/ });
      expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    }
  });
});

describe('CORS', () => {
  const web = () => new URL(t.env.url).origin;

  it('a preflight from the web app\'s origin is allowed, for the methods and headers the API uses', async () => {
    const res = await fetch(`${t.env.url}/contacts`, {
      method: 'OPTIONS',
      headers: { origin: web(), 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toBe(web());
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('any other origin gets no CORS permission, on preflight or on the request itself', async () => {
    for (const origin of ['https://evil.example', 'null', `${web()}.evil.example`, web().replace('http://', 'https://'), 'http://localhost']) {
      const pre = await fetch(`${t.env.url}/contacts`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(pre.headers.get('access-control-allow-origin'), origin).toBeNull();
      const res = await t.api('GET', '/me', { token: await f.tok('admin'), headers: { origin } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });
});

describe('logs', () => {
  afterEach(() => {
    getDocumentClient().middlewareStack.remove('reliability-fault');
  });

  it('no note, language word, reason or token the suite writes reaches a log line — on success, refusal or failure', { timeout: 60_000 }, async () => {
    const token = logs.secret(await f.tok('champion-a1'));
    logs.secret(token.split('.')[2]!);
    const note = logs.secret(`Met at the centre, wants leaflets ${marker()}`);
    const language = logs.secret(`Language${marker()}`);
    const created = await t.api('POST', '/contacts', { token, body: hateCrimeContact({ note, demographics: { language } }) });
    expect(created.status, created.text).toBe(201);
    // refused: personal data in the note, an unknown field holding a value, free text where a closed category belongs
    const phone = logs.secret('Call her on 07700 900' + String(100 + Math.floor(Math.random() * 800)));
    expect((await t.api('POST', '/contacts', { token, body: validContact({ note: phone }) })).status).toBe(400);
    const extra = logs.secret(`Surname${marker()}`);
    expect((await t.api('POST', '/contacts', { token, body: validContact({ surname: extra }) })).status).toBe(400);
    const tooLong = logs.secret(`x${marker()}`.repeat(60));
    expect((await t.api('POST', '/contacts', { token, body: validContact({ note: tooLong }) })).status).toBe(400);
    // an escalation with a note, and its withdrawal with a reason
    const escNote = logs.secret(`Prefers mornings ${marker()}`);
    const esc = await t.api('POST', `/contacts/${created.body.id}/escalations`, { token, body: { reason: 'asks_for_specialist_support', consent: 'yes', note: escNote } });
    expect(esc.status, esc.text).toBe(201);
    const withdrawal = logs.secret(`Person asked to stop ${marker()}`);
    expect((await t.api('POST', `/escalations/${esc.body.id}/transitions`, { token: await f.tok('supervisor-a'), body: { to: 'withdrawn', version: esc.body.version, reason: withdrawal } })).status).toBe(200);
    // a deletion reason
    const other = await f.contact('champion-a1');
    const deletion = logs.secret(`Logged in error ${marker()}`);
    expect((await t.api('DELETE', `/contacts/${other.id}`, { token: await f.tok('supervisor-a'), body: { reason: deletion } })).status).toBe(200);
    // a failure in the store while a note is being written: the error is logged, the note is not
    getDocumentClient().middlewareStack.add(
      (next, context) => async (args) => {
        // the contact's write (a transaction carrying the note) fails; the reads before it succeed
        if (!String(context.commandName).startsWith('TransactWrite') || !JSON.stringify(args.input).includes('Failing note')) return next(args);
        throw Object.assign(new Error(`Simulated failure ${marker()}`), { name: 'InternalServerError', $fault: 'server', $metadata: {} });
      },
      { step: 'initialize', name: 'reliability-fault' },
    );
    const failingNote = logs.secret(`Failing note ${marker()}`);
    const failed = await t.api('POST', '/contacts', { token, body: hateCrimeContact({ note: failingNote }) });
    expect(failed.status, failed.text).toBeGreaterThanOrEqual(500);
    expect(failed.text).not.toContain(failingNote);
    getDocumentClient().middlewareStack.remove('reliability-fault');
    await t.env.drainStreams();
    // the logs were written, and at the talkative level
    expect(logs.lines().some((l) => l.includes('"request completed"'))).toBe(true);
    expect(logs.lines().some((l) => l.includes('"request failed"') || l.includes('"status":50')), 'the failure was logged').toBe(true);
  });
});

describe('token attacks the integration suite does not already cover', () => {
  it('an unknown kid, a known kid with another key, an oversized token and alg none: each 401 (or 431), never 5xx, and never logged', async () => {
    const user = findDemoUser('champion-a1')!;
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: user.sub, 'cognito:groups': ['admin'], iss: `${t.env.url}/idp`, client_id: t.env.idp.clientId, token_use: 'access', iat: now, exp: now + 600, username: 'attacker' };
    const { privateKey } = await generateKeyPair(LOCAL_ALGORITHM);
    const attacks: Record<string, string> = {
      'unknown kid': await new SignJWT(claims).setProtectedHeader({ alg: LOCAL_ALGORITHM, kid: 'attacker-kid', typ: 'JWT' }).sign(privateKey),
      'known kid, another key': await new SignJWT(claims).setProtectedHeader({ alg: LOCAL_ALGORITHM, kid: t.env.idp.kid, typ: 'JWT' }).sign(privateKey),
      'no kid': await new SignJWT(claims).setProtectedHeader({ alg: LOCAL_ALGORITHM, typ: 'JWT' }).sign(privateKey),
      'alg none': `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`,
      'oversized (validly signed)': await t.env.idp.issueAccessToken(user, { padding: 'x'.repeat(64 * 1024) }),
      'oversized (garbage)': 'a'.repeat(200 * 1024),
    };
    for (const [name, token] of Object.entries(attacks)) {
      logs.secret(token);
      for (const part of token.split('.').filter((p) => p.length >= 16)) logs.secret(part);
      const res = await fetch(`${t.env.url}/contacts`, { headers: { authorization: `Bearer ${token}` } }).then(
        async (r) => ({ status: r.status, text: await r.text() }),
        () => ({ status: 0, text: 'connection closed' }),
      );
      expect([401, 431, 0], `${name}: ${res.status} ${res.text.slice(0, 100)}`).toContain(res.status);
      expect(res.text).not.toContain(token.slice(0, 40));
    }
  });
});
