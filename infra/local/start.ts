/**
 * `npm start`: the whole product on one machine. See README.md.
 * PORT and WAYMARK_DATA_DIR override the port (default 3000) and the data folder (default .data/).
 */
import { resolve } from 'node:path';
import { demoUsers } from './demo-users';
import { startLocalEnvironment } from './environment';
import { assertJavaAvailable } from './dynamodb-local';
import { buildWeb } from '../../web/build';
import { roleLabels } from '../../shared/domain/roles';

async function main(): Promise<void> {
  const startedAt = Date.now();
  try {
    assertJavaAvailable();
  } catch (error) {
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
  // The web app the gateway serves, built from web/ (a fraction of a second).
  buildWeb();
  const dataDir = resolve(process.env['WAYMARK_DATA_DIR'] ?? '.data');
  const port = Number(process.env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error(`PORT must be a TCP port number (got ${process.env['PORT']})`);
    process.exit(1);
  }
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'INFO';
  let giveUp: (reason: string) => void = () => undefined;
  const env = await startLocalEnvironment({
    dataDir,
    port,
    accessLog: (line) => console.log(`[gateway] ${line}`),
    ttlSweepIntervalMs: 60_000,
    runSchedules: true,
    notificationLog: (line) => console.log(`[notify] ${line}`),
    onBackgroundError: (error) => console.error(`[background] ${(error as Error).name}: ${(error as Error).message}`),
    superviseDynamoDb: { say: (line) => console.log(`[dynamodb] ${line}`), giveUp: (reason) => giveUp(reason) },
    scheduleLog: (id, result) => {
      if (id !== 'reconciler') return;
      const r = result as { years: { year: string; countersChecked: number }[]; repaired: number };
      const years = r.years.map((y) => y.year).join(', ');
      console.log(`[reconcile] reporting counters of ${years} recomputed from the records: ${r.repaired === 0 ? 'no difference' : `${r.repaired} repaired`}`);
    },
  });
  giveUp = (reason) => {
    console.error(`\nWaymark stopped: ${reason}\nYour data is in ${dataDir}; run npm start again.\n`);
    void env.stop().finally(() => process.exit(1));
  };

  const users = demoUsers
    .map((u) => `    ${u.username.padEnd(14)} ${roleLabels[u.role]}${u.team ? ` (${u.team})` : ''}`)
    .join('\n');
  console.log(`
Waymark is running on this machine (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)

  Web app          ${env.url}/
  API              ${env.url}/health, ${env.url}/me, ...
  Sign-in page     ${env.url}/idp/sign-in
  DynamoDB Local   ${env.dynamo.endpoint}  (data in ${dataDir})

  Demo users:
${users}

  Get a token and call the API:
    TOKEN=$(curl -s -X POST ${env.url}/local/token -H 'content-type: application/json' -d '{"user":"supervisor-a"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
    curl -H "Authorization: Bearer $TOKEN" ${env.url}/me

Press Ctrl+C to stop.
`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Waymark…');
    await env.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`\nWaymark could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
