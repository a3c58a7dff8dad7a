import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findDemoUser } from '../../infra/local/demo-users';
import { startDynamoDbLocal, type RunningDynamoDb } from '../../infra/local/dynamodb-local';
import { startLocalEnvironment, type LocalEnvironment } from '../../infra/local/environment';
import { hateCrimeContact } from '../support/contacts';

/**
 * DynamoDB Local of this file's own, on a data directory, killed (SIGKILL)
 * while writes are in flight and restarted on the same directory and port:
 * every write the API acknowledged is still there; every write it did not
 * acknowledge was answered with an error, not left hanging.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'waymark-restart-'));
let dynamo: RunningDynamoDb | undefined;
let env: LocalEnvironment | undefined;

afterAll(async () => {
  await env?.stop();
  await dynamo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(token: string, body: unknown): Promise<{ status: number; id?: string; retryAfter: string | null }> {
  const res = await fetch(`${env!.url}/contacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const json = (await res.json().catch(() => ({}))) as { id?: string };
  return { status: res.status, ...(json.id ? { id: json.id } : {}), retryAfter: res.headers.get('retry-after') };
}

describe('DynamoDB killed mid-run and restarted on the same data', () => {
  it('acknowledged writes survive; writes during the outage fail fast with an error, never a false 201', { timeout: 120_000 }, async () => {
    dynamo = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') });
    const background: unknown[] = [];
    env = await startLocalEnvironment({ dataDir, dynamoEndpoint: dynamo.endpoint, seed: true, onBackgroundError: (e) => background.push(e) });
    const token = await env.idp.issueAccessToken(findDemoUser('champion-a1')!);

    const acknowledged: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await post(token, hateCrimeContact());
      expect(res.status).toBe(201);
      acknowledged.push(res.id!);
    }
    // A burst of writes, and the database killed while they are in flight.
    const burst = Array.from({ length: 12 }, (_, i) => new Promise((r) => setTimeout(r, i * 15)).then(() => post(token, hateCrimeContact())));
    await new Promise((r) => setTimeout(r, 60));
    dynamo.process.kill('SIGKILL');
    const outcomes = await Promise.all(burst);
    const during = await post(token, hateCrimeContact());
    const statuses = [...outcomes, during].map((o) => o.status);
    console.log(`restart: statuses during the kill ${JSON.stringify(statuses)}`);
    for (const o of [...outcomes, during]) {
      // an outage is "busy, nothing stored, try again": 503 with Retry-After, never a 500 or a hang
      expect([201, 503]).toContain(o.status);
      if (o.status === 503) expect(o.retryAfter).toMatch(/^\d+$/);
      if (o.status === 201) acknowledged.push(o.id!);
    }
    expect(during.status).toBe(503);

    // Restart on the same directory and port: the handlers' client reconnects by itself.
    const port = dynamo.port;
    dynamo = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb'), port });
    const reader = await env.idp.issueAccessToken(findDemoUser('champion-a1')!);
    for (const id of acknowledged) {
      const res = await fetch(`${env.url}/contacts/${id}`, { headers: { authorization: `Bearer ${reader}` } });
      expect(res.status, id).toBe(200);
    }
    // and writes work again
    expect((await post(reader, hateCrimeContact())).status).toBe(201);
    console.log(`restart: ${acknowledged.length} acknowledged writes, all present after the restart`);
  });
});
