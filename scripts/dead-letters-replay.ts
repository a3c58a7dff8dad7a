/**
 * `npm run dead-letters:replay -- [--data-dir <dir>] [--json]`
 *
 * Replays the stream batches the local stream poller gave up on (the data
 * folder's dead-letters/*.jsonl): reads their records again from the table's
 * stream and hands them to the same consumer (the aggregator, the audit
 * sealer). Each record counts once however often it is replayed (the
 * consumers are idempotent per stream record). Batches whose records the
 * stream no longer holds stay in the file: run the reconciliation
 * (`npm run reports:rebuild -- --repair`; `npm start` also runs it at start
 * and daily). Exit code 0 when everything was replayed, 1 when some batch
 * could not be, 2 when nothing could be done (Waymark not running).
 *
 * In AWS the same operation is a procedure: see docs/RELIABILITY.md,
 * "Dead letters in AWS".
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { replayDeadLetters } from '../infra/local/dead-letter-replay';
import type { StreamHandler } from '../infra/local/stream-poller';
import { dataDirOf, requireRunningLocal } from './local-target';

function usage(message: string): never {
  console.error(`dead-letters:replay: ${message}\nUsage: npm run dead-letters:replay -- [--data-dir <dir>] [--json]`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true }));
  } catch (error) {
    usage((error as Error).message);
  }
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'ERROR';
  const dataDir = dataDirOf(values['data-dir']);
  const target = await requireRunningLocal(dataDir, 'dead-letters:replay');
  // The consumers' configuration, as the local environment gives it to them.
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: target.dynamoEndpoint,
    CASE_TABLE_NAME: target.tableNames.Case,
    AUDIT_TABLE_NAME: target.tableNames.Audit,
    ...(target.tableNames.Aggregates ? { AGGREGATES_TABLE_NAME: target.tableNames.Aggregates } : {}),
    AUDIT_DIGEST_DIR: target.auditDigestDir,
  });
  process.env['JWT_ISSUER'] ??= 'https://dead-letters-replay.invalid';
  process.env['JWT_AUDIENCE'] ??= 'dead-letters-replay';
  const { loadHandler } = await import('../infra/local/gateway');
  const report = await replayDeadLetters({
    endpoint: target.dynamoEndpoint,
    deadLetterDir: join(dataDir, 'dead-letters'),
    loadHandler: (consumer) => loadHandler(consumer) as unknown as Promise<StreamHandler>,
  });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`Dead letters in ${join(dataDir, 'dead-letters')}: ${report.batches} batches`);
    if (report.batches === 0) console.log('  nothing to replay');
    if (report.replayed > 0) console.log(`  replayed ${report.replayed} batches (${report.records} records); each record counts once`);
    for (const n of report.notReplayed) console.log(`  not replayed: ${n.consumer} batch of ${n.at}: ${n.reason}`);
  }
  process.exit(report.notReplayed.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(`dead-letters:replay could not replay: ${(error as Error).name}: ${(error as Error).message}`);
  process.exit(2);
});
