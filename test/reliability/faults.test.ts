import { createServer, type Server } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DYNAMO_MAX_ATTEMPTS, DYNAMO_REQUEST_TIMEOUT_MS, dynamoClientOptions, getDocumentClient } from '../../shared/store/client';
import { mapDynamoError } from '../../shared/store/dynamo-errors';
import { caseItemCount } from '../support/contacts';
import { useTestEnvironment, type ApiResponse } from '../support/environment';
import { fixtures } from './fixtures';

const t = useTestEnvironment();
const f = fixtures(t);
const FAULT = 'reliability-fault';

afterEach(() => {
  getDocumentClient().middlewareStack.remove(FAULT);
});

const writeCommands = /^(TransactWrite|Put|Update|Delete|BatchWrite)/;

/**
 * Makes the next write of the API to the case or audit table fail with `fault`
 * (reads go through; the stream consumers' writes to the aggregates are left alone).
 */
function injectOnWrite(fault: (input: Record<string, unknown>) => unknown | Promise<unknown>) {
  getDocumentClient().middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const text = JSON.stringify(input);
      const apiWrite = writeCommands.test(String(context.commandName)) && (text.includes(t.env.tableNames.Case) || text.includes(t.env.tableNames.Audit));
      if (!apiWrite || text.includes(t.env.tableNames.Aggregates)) return next(args);
      const replaced = await fault(input);
      if (replaced === 'pass') return next(args);
      throw replaced;
    },
    { step: 'initialize', name: FAULT },
  );
}

const err = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${name} (injected)`), { name, $fault: 'server', $metadata: {}, ...extra });

const faults: Record<string, { inject: () => void; expect: number[] }> = {
  throttling: { inject: () => injectOnWrite(() => err('ThrottlingException')), expect: [503] },
  'provisioned throughput exceeded': { inject: () => injectOnWrite(() => err('ProvisionedThroughputExceededException')), expect: [503] },
  'transaction cancelled: conflict': {
    inject: () => injectOnWrite(() => err('TransactionCanceledException', { CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }] })),
    expect: [503],
  },
  'transaction cancelled: condition failed': {
    inject: () => injectOnWrite(() => err('TransactionCanceledException', { CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] })),
    expect: [409, 503],
  },
  'timeout (after a delay)': {
    inject: () =>
      injectOnWrite(async () => {
        await new Promise((r) => setTimeout(r, 300));
        return err('TimeoutError');
      }),
    expect: [503],
  },
  'audit write refused by DynamoDB': {
    // DynamoDB Local itself cancels the transaction: the audit Put gets a condition that cannot hold.
    inject: () =>
      injectOnWrite((input) => {
        const items = (input as { TransactItems?: Array<{ Put?: { TableName?: string; ConditionExpression?: string } }> }).TransactItems ?? [];
        for (const item of items) if (item.Put?.TableName === t.env.tableNames.Audit) item.Put.ConditionExpression = 'attribute_exists(pk)';
        return 'pass';
      }),
    expect: [503],
  },
};

describe('GET /health when the database does not answer', () => {
  it('is 503 with Retry-After and names the failing part', async () => {
    getDocumentClient().middlewareStack.add(
      (next, context) => async (args) => {
        if (String(context.commandName).startsWith('GetItem')) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1 (injected)'), { code: 'ECONNREFUSED', $metadata: {} });
        return next(args);
      },
      { step: 'initialize', name: FAULT },
    );
    const res = await t.api('GET', '/health');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(res.body).toMatchObject({ status: 'unavailable', failing: 'database', table: 'unreachable' });
    expect(res.body.error).toBe('The database (DynamoDB) does not answer: the case table cannot be read');
    getDocumentClient().middlewareStack.remove(FAULT);
    expect((await t.api('GET', '/health')).body).toMatchObject({ status: 'ok', table: 'reachable' });
  });
});

/** Audit events of one request (or all, without an id). The audit table of this file is small: a scan in the test only. */
async function auditCount(requestId?: string): Promise<number> {
  const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const res = await t.db.send(
      new ScanCommand({
        TableName: t.env.tableNames.Audit,
        Select: 'COUNT',
        ExclusiveStartKey: start,
        ConsistentRead: true,
        ...(requestId ? { FilterExpression: 'requestId = :r', ExpressionAttributeValues: { ':r': requestId } } : {}),
      }),
    );
    n += res.Count ?? 0;
    start = res.LastEvaluatedKey;
  } while (start);
  return n;
}

/** The write routes tried under each fault: each builds a fresh valid request. */
const writes: Record<string, () => Promise<{ method: string; path: string; user: string; body: unknown; check: () => Promise<unknown> }>> = {
  'POST /contacts': async () => ({ method: 'POST', path: '/contacts', user: 'champion-a1', body: (await import('../support/contacts')).hateCrimeContact(), check: async () => null }),
  'PATCH /contacts/{id}': async () => {
    const c = await f.contact('champion-a1');
    return { method: 'PATCH', path: `/contacts/${c.id}`, user: 'champion-a1', body: { version: c.version, riskFlags: [] }, check: async () => (await f.ok('GET', `/contacts/${c.id}`, 'champion-a1')).version };
  },
  'DELETE /contacts/{id}': async () => {
    const c = await f.contact('champion-a1');
    return { method: 'DELETE', path: `/contacts/${c.id}`, user: 'supervisor-a', body: { reason: 'Logged twice by mistake.' }, check: async () => (await f.ok('GET', `/contacts/${c.id}`, 'supervisor-a')).status };
  },
  'POST /contacts/{id}/escalations': async () => {
    const c = await f.contact('champion-a1');
    return {
      method: 'POST',
      path: `/contacts/${c.id}/escalations`,
      user: 'champion-a1',
      body: { reason: 'asks_for_specialist_support', consent: 'yes' },
      check: async () => (await f.ok('GET', `/contacts/${c.id}`, 'champion-a1')).hasEscalation,
    };
  },
  'POST /escalations/{id}/transitions': async () => {
    const e = await f.escalation('champion-a1');
    return {
      method: 'POST',
      path: `/escalations/${e.id}/transitions`,
      user: 'supervisor-a',
      body: { to: 'triaged', version: e.version, targetServiceKind: 'police' },
      check: async () => (await f.ok('GET', `/escalations/${e.id}`, 'supervisor-a')).version,
    };
  },
  'PATCH /champions/{id}': async () => {
    const c = await f.champion('champion-a1');
    return { method: 'PATCH', path: `/champions/${c.id}`, user: 'supervisor-a', body: { version: c.version, status: 'suspended' }, check: async () => (await f.ok('GET', `/champions/${c.id}`, 'admin')).version };
  },
  'POST /champions/{id}/training': async () => {
    const c = await f.champion('champion-a1');
    return { method: 'POST', path: `/champions/${c.id}/training`, user: 'supervisor-a', body: f.completion(), check: async () => (await f.ok('GET', `/champions/${c.id}/training`, 'admin')).items?.length };
  },
  'POST /teams': async () => ({ method: 'POST', path: '/teams', user: 'admin', body: { name: `Faulty team ${Math.random().toString(36).slice(2)}` }, check: async () => null }),
};

describe('faults in DynamoDB, injected into the handlers\' client, on write routes', () => {
  it('each fault on each write route: 503 with Retry-After (or 409), nothing written, no audit event', { timeout: 120_000 }, async () => {
    const table: Record<string, Record<string, number>> = {};
    for (const [routeName, build] of Object.entries(writes)) {
      for (const [faultName, fault] of Object.entries(faults)) {
        const request = await build();
        const state = await request.check(); // (an audited read: before the audit count)
        const before = { state, items: await caseItemCount(t) };
        fault.inject();
        let res: ApiResponse;
        try {
          res = await t.api(request.method, request.path, { token: await f.tok(request.user), body: request.body });
        } finally {
          getDocumentClient().middlewareStack.remove(FAULT);
        }
        const label = `${routeName} under ${faultName}: ${res.status} ${res.text.slice(0, 200)}`;
        expect(fault.expect, label).toContain(res.status);
        if (res.status === 503) expect(res.headers.get('retry-after'), label).toMatch(/^\d+$/);
        expect(typeof res.body.error, label).toBe('string');
        if (res.status === 503) expect(res.body.error, label).toMatch(/nothing was stored|try again/i);
        expect(res.text, label).not.toMatch(/injected|Exception|TableName|arn:/);
        expect(await caseItemCount(t), `${label}: case items`).toBe(before.items);
        expect(res.headers.get('x-request-id'), label).toBeTruthy();
        expect(await auditCount(res.headers.get('x-request-id') ?? 'none'), `${label}: audit events of the request`).toBe(0);
        expect(await request.check(), `${label}: the record is as it was`).toEqual(before.state);
        table[routeName] ??= {};
        table[routeName][faultName] = res.status;
      }
    }
    console.table(table);
  });
});

describe('a DynamoDB that does not answer', () => {
  let server: Server | undefined;
  afterAll(() => server?.close());

  it(`the client gives up after ${DYNAMO_REQUEST_TIMEOUT_MS} ms per attempt (${DYNAMO_MAX_ATTEMPTS} attempts), well inside the function's 10 s, and the API maps that to 503`, { timeout: 30_000 }, async () => {
    // A TCP server that accepts connections and never replies: a hung DynamoDB endpoint.
    const sockets: import('node:net').Socket[] = [];
    server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const client = new DynamoDBClient({ region: 'eu-west-2', endpoint: `http://127.0.0.1:${port}`, ...dynamoClientOptions() });
    const started = Date.now();
    const error = await client.send(new ListTablesCommand({})).then(
      () => undefined,
      (e: unknown) => e,
    );
    const took = Date.now() - started;
    client.destroy();
    for (const s of sockets) s.destroy();
    expect((error as Error | undefined)?.name).toBe('TimeoutError');
    expect(took).toBeGreaterThanOrEqual(DYNAMO_REQUEST_TIMEOUT_MS);
    expect(took).toBeLessThan(9_000);
    const mapped = mapDynamoError(error) as { status?: number; headers?: Record<string, string> };
    expect(mapped.status).toBe(503);
  });
});

// The store's own queries, used above, must not be what broke: a last sanity read.
it('the table answers normally once the faults are gone', async () => {
  const res = await t.db.send(new QueryCommand({ TableName: t.env.tableNames.Case, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'TEAM#team-a' } }));
  expect(res.$metadata.httpStatusCode).toBe(200);
});
