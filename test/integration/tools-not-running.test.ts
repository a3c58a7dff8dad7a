import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_ENVIRONMENT_FILE } from '../../infra/local/environment';
import { freePort } from '../../infra/local/ports';

/**
 * Issue 27: with Waymark stopped, the operator tools say so in one plain
 * sentence and exit 2 ("could not check"), instead of a bare ECONNREFUSED —
 * both when the data folder never ran Waymark and when it ran and stopped.
 */
const root = new URL('../../', import.meta.url).pathname;
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'waymark-tools-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function run(script: string, dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--data-dir', dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

const tools = ['scripts/reports-rebuild.ts', 'scripts/audit-verify.ts', 'scripts/dead-letters-replay.ts'];

describe('the operator tools with Waymark stopped', () => {
  it('say "Waymark is not running: start it with npm start" and exit 2 when the folder never ran it', async () => {
    const dataDir = tempDir();
    for (const tool of tools) {
      const { code, output } = await run(tool, dataDir);
      expect(code, tool).toBe(2);
      expect(output, tool).toContain('Waymark is not running: start it with npm start');
      expect(output, tool).not.toMatch(/ECONNREFUSED|at .*\.ts:\d+/);
    }
  });

  it('say the same, naming where it last ran, when nothing answers at its DynamoDB endpoint', async () => {
    const dataDir = tempDir();
    const port = await freePort(); // nothing listens there
    writeFileSync(
      join(dataDir, LOCAL_ENVIRONMENT_FILE),
      JSON.stringify({ dynamoEndpoint: `http://127.0.0.1:${port}`, tableNames: { Case: 'case', Audit: 'audit', Aggregates: 'aggregates' }, auditDigestDir: join(dataDir, 'audit-digests') }),
    );
    for (const tool of tools) {
      const { code, output } = await run(tool, dataDir);
      expect(code, tool).toBe(2);
      expect(output, tool).toContain(`Waymark is not running: start it with npm start (nothing answers at http://127.0.0.1:${port}`);
      expect(output, tool).not.toMatch(/ECONNREFUSED/);
    }
  });
});
