/**
 * `npm run audit:verify -- [--from <time>] [--to <time>] [--data-dir <dir>] [--json]`
 *
 * Re-reads the audit events and digests of a range of UTC hours and reports
 * the periods and events checked and the first break found (event altered,
 * deleted or inserted; digest altered or missing). Exit code 0 when the
 * trail verifies, 1 on any break, 2 when it could not be checked.
 *
 *   --from, --to   ISO 8601 times or UTC hours (`2026-05-01T09`); default the last 24 hours
 *   --data-dir     the folder `npm start` runs on (default $WAYMARK_DATA_DIR or .data): its
 *                  local-environment.json says where DynamoDB Local, the tables and the digests are
 *   --json         print the whole report as JSON
 *
 * Against AWS instead: set AUDIT_TABLE_NAME, AUDIT_DIGEST_BUCKET and AWS credentials (the
 * environment the functions get), and the data folder is not read.
 * See docs/AUDIT.md.
 */
import { parseArgs } from 'node:util';
import { dataDirOf, requireRunningLocal } from './local-target';
import { hourOf, HOUR_PATTERN } from '../shared/domain/audit-seal';
import { summary } from './audit-verify-summary';
import { verifyAuditRange } from '../shared/store/audit-verify';

function usage(message: string): never {
  console.error(`audit:verify: ${message}\nUsage: npm run audit:verify -- [--from <time>] [--to <time>] [--data-dir <dir>] [--json]`);
  process.exit(2);
}

function toHour(value: string, flag: string): string {
  if (HOUR_PATTERN.test(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) usage(`${flag} must be an ISO 8601 time or a UTC hour like 2026-05-01T09 (got ${value})`);
  return hourOf(new Date(ms).toISOString());
}

async function configure(dataDir: string): Promise<string> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  process.env['POWERTOOLS_LOG_LEVEL'] ??= 'ERROR';
  if (!process.env['AUDIT_TABLE_NAME']) {
    const local = await requireRunningLocal(dataDir, 'audit:verify');
    Object.assign(process.env, {
      DYNAMODB_ENDPOINT: local.dynamoEndpoint,
      CASE_TABLE_NAME: local.tableNames.Case,
      AUDIT_TABLE_NAME: local.tableNames.Audit,
      AUDIT_DIGEST_DIR: local.auditDigestDir,
    });
  }
  // The verifier checks no tokens; the shared configuration asks for these all the same.
  process.env['CASE_TABLE_NAME'] ??= 'unused-by-audit-verify';
  process.env['JWT_ISSUER'] ??= 'https://audit-verify.invalid';
  process.env['JWT_AUDIENCE'] ??= 'audit-verify';
  return process.env['AUDIT_DIGEST_DIR'] ?? `s3://${process.env['AUDIT_DIGEST_BUCKET'] ?? '?'}`;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { from: { type: 'string' }, to: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } },
      strict: true,
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  const now = new Date();
  const to = toHour(values.to ?? now.toISOString(), '--to');
  const from = toHour(values.from ?? new Date(now.getTime() - 24 * 3_600_000).toISOString(), '--from');
  if (from > to) usage('--from must not be after --to');
  const digests = await configure(dataDirOf(values['data-dir']));
  const report = await verifyAuditRange(from, to, now);
  console.log(values.json ? JSON.stringify(report, null, 2) : summary(report, digests));
  process.exit(report.ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(`audit:verify could not check the trail: ${(error as Error).name}: ${(error as Error).message}`);
  process.exit(2);
});
