import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/ports';

const root = new URL('../../', import.meta.url).pathname;
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'waymark-start-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs `npm start`'s entry point as a child process, exactly as the script does. */
function start(env: Record<string, string>): { child: ChildProcess; output: () => string; ready: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('Press Ctrl+C to stop')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  ready.catch(() => undefined); // awaited by the tests that need it; a start that is meant to fail is not an unhandled error
  return { child, output: () => output, ready, exited };
}

describe('npm start', () => {
  it('stops at once with what to install when java is missing', async () => {
    const bin = join(tempDir(), 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const run = start({ PATH: bin, PORT: String(await freePort()), WAYMARK_DATA_DIR: tempDir() });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/Java is required/);
    expect(run.output()).toMatch(/openjdk-17-jre-headless/);
  });

  it('serves the API on PORT, keeps data in WAYMARK_DATA_DIR across restarts, and stops cleanly', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const name = `Persisted team ${Date.now()}`;

    const first = start({ PORT: String(port), WAYMARK_DATA_DIR: dataDir });
    await first.ready;
    expect(first.output()).toContain(`${url}/idp/sign-in`);
    expect(first.output()).toContain('champion-a1');
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const { access_token: token } = (await (
      await fetch(`${url}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"admin"}' })
    ).json()) as { access_token: string };
    const created = await fetch(`${url}/teams`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ name }),
    });
    expect(created.status).toBe(201);
    // The start-up reconciliation runs once the seed's stream records are counted: it finds nothing to repair (run
    // while they were still in the streams, it set the counters to the records and the aggregator then added them
    // again — every figure of a first start doubled).
    while (!first.output().includes('[reconcile]')) await new Promise((r) => setTimeout(r, 500));
    expect(first.output()).toMatch(/\[reconcile\] reporting counters of [\d, ]+ recomputed from the records: no difference/);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);

    const second = start({ PORT: String(port), WAYMARK_DATA_DIR: dataDir });
    await second.ready;
    // The identity provider kept its key: the token from the first run still verifies.
    const teams = await fetch(`${url}/teams?limit=100`, { headers: { authorization: `Bearer ${token}` } });
    expect(teams.status).toBe(200);
    const body = (await teams.json()) as { items: Array<{ name: string }> };
    expect(body.items.map((t) => t.name)).toContain(name);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 300_000); // two starts, each seeding the demo data: about a minute each on a busy two-core runner
});
