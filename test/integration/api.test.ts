import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, afterEach } from 'vitest';
import { getDocumentClient } from '../../shared/store/client';
import { keys } from '../../shared/store/keys';
import { auditEventsFor as auditEventsForRecord } from '../support/audit';
import { useTestEnvironment } from '../support/environment';

const t = useTestEnvironment();

const auditEventsFor = (entityType: string, entityId: string) => auditEventsForRecord(t, entityType, entityId);

async function teamByName(name: string) {
  const guard = await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.teamName(name), ConsistentRead: true }));
  return guard.Item;
}

describe('GET /health', () => {
  it('answers 200 without a token once the table is reachable', async () => {
    const res = await t.api('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', table: 'reachable' });
  });

  it('carries the security headers and no-store on every API response', async () => {
    for (const res of [await t.api('GET', '/health'), await t.api('GET', '/me', { token: await t.tokenFor('admin') })]) {
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('x-request-id')).toBeTruthy();
    }
  });
});

describe('GET /me', () => {
  it('is 401 without a token and 200 with one', async () => {
    expect((await t.api('GET', '/me')).status).toBe(401);
    const res = await t.api('GET', '/me', { token: await t.tokenFor('supervisor-b') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'supervisor', team: 'team-b' });
  });
});

describe('POST /teams', () => {
  it('creates a team and its audit event, naming the fields written but not their values', async () => {
    const res = await t.api('POST', '/teams', { token: await t.tokenFor('admin'), body: { name: 'East City DASV team', supervisors: [] } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'East City DASV team', version: 1 });
    const events = await auditEventsFor('team', res.body.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'teams.create',
      outcome: 'success',
      actor: { role: 'admin' },
      changedFields: ['name', 'supervisors'],
      requestId: res.headers.get('x-request-id'),
    });
    expect(JSON.stringify(events[0])).not.toContain('East City');
  });

  it('answers 400 naming an unknown key, and stores nothing', async () => {
    const res = await t.api('POST', '/teams', { token: await t.tokenFor('admin'), body: { name: 'Unknown key team', colour: 'red' } });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ path: 'colour', message: 'Remove this field: Waymark does not take it' }]);
    expect(res.body.error).toContain('colour');
    expect(await teamByName('Unknown key team')).toBeUndefined();
  });

  it('answers 400 naming each missing or bad field', async () => {
    const res = await t.api('POST', '/teams', { token: await t.tokenFor('admin'), body: { supervisors: 'me' } });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['name', 'supervisors']);
  });

  it.each([
    ['malformed JSON', '{"name": ', 'application/json', 400, /not valid JSON/],
    ['a non-JSON content type', 'name=x', 'application/x-www-form-urlencoded', 415, /application\/json/],
    ['an empty body', '', 'application/json', 400, /required/],
  ])('answers a 4xx for %s', async (_label, rawBody, contentType, status, message) => {
    const res = await t.api('POST', '/teams', { token: await t.tokenFor('admin'), rawBody, headers: { 'content-type': contentType } });
    expect(res.status).toBe(status);
    expect(res.body.error).toMatch(message);
  });

  it('answers 409 for a duplicate name (case-insensitive), and the first team is unchanged', async () => {
    const token = await t.tokenFor('admin');
    const first = await t.api('POST', '/teams', { token, body: { name: 'West City DASV team' } });
    expect(first.status).toBe(201);
    const second = await t.api('POST', '/teams', { token, body: { name: 'west city dasv TEAM' } });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ field: 'name' });
    expect((await teamByName('West City DASV team'))?.['teamId']).toBe(first.body.id);
  });

  it('audits a denied attempt', async () => {
    const token = await t.tokenFor('champion-a1');
    const res = await t.api('POST', '/teams', { token, body: { name: 'Not allowed' } });
    expect(res.status).toBe(403);
    const events = await auditEventsFor('route', 'POST /teams');
    const mine = events.filter((e) => e['requestId'] === res.headers.get('x-request-id'));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ outcome: 'denied', action: 'teams.create', actor: { role: 'champion', team: 'team-a' } });
  });
});

describe('GET /teams', () => {
  it('shows admins every team, a page at a time, and supervisors only their own', async () => {
    const admin = await t.api('GET', '/teams?limit=1', { token: await t.tokenFor('admin') });
    expect(admin.status).toBe(200);
    expect(admin.body.items).toHaveLength(1);
    expect(admin.body.nextCursor).toEqual(expect.any(String));
    const next = await t.api('GET', `/teams?limit=100&cursor=${admin.body.nextCursor}`, { token: await t.tokenFor('admin') });
    expect(next.body.items.map((x: { id: string }) => x.id)).not.toContain(admin.body.items[0].id);

    const supervisor = await t.api('GET', '/teams', { token: await t.tokenFor('supervisor-b') });
    expect(supervisor.body.items.map((x: { id: string }) => x.id)).toEqual(['team-b']);
  });

  it('answers 400 for a cursor it did not issue and a limit out of range', async () => {
    const token = await t.tokenFor('admin');
    const bad = await t.api('GET', '/teams?cursor=not-a-cursor', { token });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('query.cursor');
    const limit = await t.api('GET', '/teams?limit=1000', { token });
    expect(limit.status).toBe(400);
    expect(limit.body.issues[0]).toMatchObject({ path: 'query.limit' });
  });
});

describe('a write and its audit event land together or not at all', () => {
  const name = 'failAuditPut';
  afterEach(() => {
    getDocumentClient().middlewareStack.remove(name);
  });

  it('when the audit put fails, the team is not written either, and the client gets 503', async () => {
    // Fault injection through the SDK client's middleware: the audit Put in
    // the transaction gets a condition that cannot hold, so DynamoDB Local
    // itself cancels the whole transaction.
    getDocumentClient().middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { TransactItems?: Array<{ Put?: { TableName?: string; ConditionExpression?: string } }> };
        for (const item of input.TransactItems ?? []) {
          if (item.Put?.TableName === t.env.tableNames.Audit) item.Put.ConditionExpression = 'attribute_exists(pk)';
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    const res = await t.api('POST', '/teams', { token: await t.tokenFor('admin'), body: { name: 'Never stored team' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body.error).toMatch(/audited/);
    expect(await teamByName('Never stored team')).toBeUndefined();
    const all = await t.db.send(
      new QueryCommand({
        TableName: t.env.tableNames.Case,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'TEAMS' },
      }),
    );
    expect((all.Items ?? []).map((i) => i['name'])).not.toContain('Never stored team');
  });

  it('an unexpected failure is a 500 with only a correlation id', async () => {
    getDocumentClient().middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('secret internal detail: table waymark-case item TEAM#x'), { name: 'SomethingOdd' });
      },
      { step: 'initialize', name },
    );
    const res = await t.api('POST', '/teams', { token: await t.tokenFor('admin'), body: { name: 'Odd failure team' } });
    expect(res.status).toBe(500);
    expect(Object.keys(res.body).sort()).toEqual(['error', 'requestId']);
    expect(res.text).not.toContain('secret');
    expect(res.text).not.toMatch(/at .*\.ts/);
  });

  it('throttling becomes 503 with Retry-After, not a 500', async () => {
    getDocumentClient().middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      },
      { step: 'initialize', name },
    );
    const res = await t.api('POST', '/teams', { token: await t.tokenFor('admin'), body: { name: 'Throttled team' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
  });
});

describe('routing', () => {
  it('answers 404 for a route that is not in the route table', async () => {
    const res = await t.api('GET', '/nowhere', { token: await t.tokenFor('admin') });
    expect(res.status).toBe(404);
  });

  it('serves the web app and the development sign-in page', async () => {
    const home = await t.api('GET', '/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Waymark');
    const signIn = await t.api('GET', '/idp/sign-in');
    expect(signIn.text).toContain('champion-a1');
  });

  it('issues tokens at POST /local/token only for demo users', async () => {
    const ok = await t.api('POST', '/local/token', { body: { user: 'champion-b1' } });
    expect(ok.status).toBe(200);
    const me = await t.api('GET', '/me', { token: ok.body.access_token });
    expect(me.body).toMatchObject({ role: 'champion', team: 'team-b' });
    const bad = await t.api('POST', '/local/token', { body: { user: 'mallory' } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('user');
  });

  it('publishes the discovery document and JWKS', async () => {
    const discovery = await t.api('GET', '/idp/.well-known/openid-configuration');
    expect(discovery.body.issuer).toBe(`${t.env.url}/idp`);
    const jwks = await t.api('GET', '/idp/.well-known/jwks.json');
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: t.env.idp.kid });
    expect(jwks.body.keys[0].d).toBeUndefined();
  });
});
