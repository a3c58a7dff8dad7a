import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findDemoUser } from '../../infra/local/demo-users';
import { canonicalJson, digestHash, hourEnd, hourOf, hourStart, nextHour, type AuditDigest, type Hour } from '../../shared/domain/audit-seal';
import { getConfig } from '../../shared/config';
import { auditPut, buildAuditEvent, type RequestScope } from '../../shared/store/audit';
import { handleNewEvents, sealHour } from '../../shared/store/audit-sealer';
import { verifyAuditRange } from '../../shared/store/audit-verify';
import { keys } from '../../shared/store/keys';
import { useTestEnvironment } from '../support/environment';

// Corrections may admit events written up to three hours from their own time, so that a late event
// can be written on purpose below; a forged event backdated further than that is still an insertion.
process.env['AUDIT_MAX_LATENESS_SECONDS'] = '10800';

const t = useTestEnvironment({ seed: false });

const HOUR_MS = 3_600_000;
const now = Date.now();
const H0: Hour = hourOf(new Date(now - 5 * HOUR_MS).toISOString());
const H1 = nextHour(H0);
const H2 = nextHour(H1);
const H3 = nextHour(H2);
const PER_HOUR = 30;

const supervisorA: RequestScope = { principal: { sub: 'sup-a', role: 'supervisor', team: 'team-a' }, requestId: 'req-a' };
const supervisorB: RequestScope = { principal: { sub: 'sup-b', role: 'supervisor', team: 'team-b' }, requestId: 'req-b' };

const digestDir = () => getConfig().auditDigests.dir as string;
const digestFile = (seq: number) => join(digestDir(), `${String(seq).padStart(12, '0')}.json`);
const readDigest = (seq: number) => JSON.parse(readFileSync(digestFile(seq), 'utf8')) as AuditDigest;
const digestCount = () => readdirSync(digestDir()).filter((n) => n.endsWith('.json')).length;

async function putEvent(scope: RequestScope, at: Date, entityType: string, entityId: string, teamId?: string) {
  const event = buildAuditEvent(scope, { action: `${entityType}s.update`, entityType, entityId, teamId, changedFields: ['name'] }, 'success', at);
  await t.db.send(new PutCommand(auditPut(event).Put));
  return event;
}

async function itemsOfHour(hour: Hour) {
  const res = await t.db.send(
    new QueryCommand({
      TableName: t.env.tableNames.Audit,
      IndexName: 'byHour',
      KeyConditionExpression: 'hourKey = :h',
      ExpressionAttributeValues: { ':h': keys.auditHour(hour) },
    }),
  );
  return res.Items ?? [];
}

const verify = (from: Hour = H0, to: Hour = H3) => verifyAuditRange(from, to);

/** `npm run audit:verify` against this test's environment (its data folder names its tables and digests). */
function runVerifyScript(from: Hour, to: Hour) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/audit-verify.ts', '--from', from, '--to', to, '--data-dir', dirname(digestDir()), '--json'],
    { encoding: 'utf8', env: { ...process.env, AUDIT_TABLE_NAME: '', DYNAMODB_ENDPOINT: '', AUDIT_DIGEST_DIR: '' }, timeout: 60_000 },
  );
  return { status: result.status, report: result.stdout ? JSON.parse(result.stdout) : undefined, stderr: result.stderr };
}

let adminToken = '';
const admin = findDemoUser('admin')!;

beforeAll(async () => {
  // Three past hours of events, written in time order as the functions would have written them;
  // entity `contact:c-<n % 5>`, alternately team-a and team-b.
  for (const hour of [H0, H1, H2]) {
    for (let i = 0; i < PER_HOUR; i += 1) {
      const at = new Date(hourStart(hour).getTime() + i * 100_000 + 1_000);
      await putEvent(i % 2 === 0 ? supervisorA : supervisorB, at, 'contact', `c-${i % 5}`, i % 2 === 0 ? 'team-a' : 'team-b');
    }
  }
  // An event well into the next hour: the stream's clock passes H2 (plus grace), so H0..H2 are sealed.
  await putEvent(supervisorA, new Date(hourStart(H3).getTime() + 10 * 60_000), 'contact', 'c-closer', 'team-a');
  await t.env.drainStreams();
  // H3 is sealed by the schedule (nothing later reached the stream).
  await t.env.runSchedules();
  adminToken = await t.tokenFor('admin');
}, 120_000);

describe('sealing', () => {
  it('seals each past hour once, in a chain of digests, when the stream moves past it, and the quiet last hour by schedule', () => {
    expect(digestCount()).toBe(4);
    const digests = [1, 2, 3, 4].map(readDigest);
    expect(digests.map((d) => [d.hour, d.kind, d.count])).toEqual([
      [H0, 'seal', PER_HOUR],
      [H1, 'seal', PER_HOUR],
      [H2, 'seal', PER_HOUR],
      [H3, 'seal', 1],
    ]);
    expect(digests[0]!.previousHash).toBe('0'.repeat(64));
    for (let i = 1; i < 4; i += 1) expect(digests[i]!.previousHash).toBe(digests[i - 1]!.hash);
    for (const d of digests) expect(digestHash(d)).toBe(d.hash);
    // Canonical order: by time, then event id.
    const ats = digests[0]!.leaves.map((l) => l.at);
    expect([...ats].sort()).toEqual(ats);
    expect(digests[0]!.periodStart).toBe(hourStart(H0).toISOString());
    expect(digests[0]!.periodEnd).toBe(hourEnd(H0).toISOString());
  });

  it('is idempotent: sealing a sealed hour again, or redelivering its events, writes no second digest', async () => {
    expect(await sealHour(H1)).toBeUndefined();
    const items = await itemsOfHour(H1);
    const again = await handleNewEvents(items.map((item) => ({ item: item as never, seenAt: new Date().toISOString() })));
    expect(again).toEqual({ sealed: [], corrections: [] });
    expect(digestCount()).toBe(4);
  });

  it('an untouched trail verifies clean', async () => {
    const report = await verify();
    expect(report).toMatchObject({ ok: true, periodsChecked: 4, eventsChecked: 3 * PER_HOUR + 1, firstBreak: null, breaks: [] });
  });

  it('npm run audit:verify says so too, with exit code 0', () => {
    const { status, report, stderr } = runVerifyScript(H0, H3);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(report).toMatchObject({ ok: true, periodsChecked: 4, eventsChecked: 3 * PER_HOUR + 1 });
  });
});

describe('GET /audit/events', () => {
  const get = (path: string, token = adminToken) => t.api('GET', path, { token });
  const range = `from=${hourStart(H0).toISOString()}&to=${hourEnd(H1).toISOString()}`;

  it('lists an entity\'s events newest first, a page at a time', async () => {
    const first = await get('/audit/events?entity=contact:c-1&limit=4');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(4);
    const all = [...first.body.items];
    let cursor = first.body.nextCursor as string | null;
    while (cursor) {
      const next = await get(`/audit/events?entity=contact:c-1&limit=4&cursor=${encodeURIComponent(cursor)}`);
      all.push(...next.body.items);
      cursor = next.body.nextCursor;
    }
    expect(all).toHaveLength((3 * PER_HOUR) / 5);
    expect(all.every((e: { entityId: string }) => e.entityId === 'c-1')).toBe(true);
    const ats = all.map((e: { at: string }) => e.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    expect(all[0]).not.toHaveProperty('pk');
  });

  it('lists by actor and by time range (indexed, paginated)', async () => {
    const byActor = await get('/audit/events?actor=sup-b&limit=100');
    expect(byActor.body.items).toHaveLength((3 * PER_HOUR) / 2);
    const pages: unknown[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: unknown[]; nextCursor: string | null } } = await get(
        `/audit/events?${range}&limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      pages.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pages).toHaveLength(2 * PER_HOUR);
  });

  it('shows a supervisor only their own team\'s records', async () => {
    const token = await t.tokenFor('supervisor-a');
    const res = await get(`/audit/events?${range}&limit=100`, token);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(PER_HOUR);
    expect(res.body.items.every((e: { teamId: string }) => e.teamId === 'team-a')).toBe(true);
    // An entity's history: only the events of team-a's records; none of another team's record.
    const mixed = await get('/audit/events?entity=contact:c-1&limit=100', token);
    expect(mixed.body.items).toHaveLength((3 * PER_HOUR) / 10);
    expect(mixed.body.items.every((e: { teamId: string }) => e.teamId === 'team-a')).toBe(true);
    const other = await get('/audit/events?entity=contact:c-closer', await t.tokenFor('supervisor-b'));
    expect(other.status).toBe(200);
    expect(other.body.items).toEqual([]);
  });

  it('refuses commissioners and champions with 403', async () => {
    for (const user of ['commissioner', 'champion-a1']) {
      const res = await get(`/audit/events?${range}`, await t.tokenFor(user));
      expect(res.status).toBe(403);
    }
  });

  it('says which parameter is wrong', async () => {
    expect((await get('/audit/events')).status).toBe(400);
    const tooLong = await get(`/audit/events?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z`);
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body.issues)).toContain('31 days');
    expect((await get('/audit/events?entity=contact:c-1&actor=x')).status).toBe(400);
    expect((await get('/audit/events?entity=nocolon')).status).toBe(400);
    expect((await get('/audit/events?entity=contact:c-1&cursor=notacursor')).status).toBe(400);
  });

  it('audits every query of the trail', async () => {
    await get('/audit/events?actor=sup-a&limit=1');
    const res = await t.db.send(
      new QueryCommand({
        TableName: t.env.tableNames.Audit,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditEntity('auditActor', 'sup-a') },
        ConsistentRead: true,
      }),
    );
    expect(res.Items?.some((i) => i['action'] === 'audit.list' && i['actor'].sub === admin.sub)).toBe(true);
  });
});

describe('POST /audit/verify', () => {
  it('lets an admin verify a range, and audits it', async () => {
    const res = await t.api('POST', '/audit/verify', {
      token: adminToken,
      body: { from: hourStart(H0).toISOString(), to: hourStart(H3).toISOString() },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, periodsChecked: 4, eventsChecked: 3 * PER_HOUR + 1, firstBreak: null });
  });

  it('is for admins only', async () => {
    const res = await t.api('POST', '/audit/verify', {
      token: await t.tokenFor('supervisor-a'),
      body: { from: hourStart(H0).toISOString(), to: hourStart(H3).toISOString() },
    });
    expect(res.status).toBe(403);
  });
});

describe('tampering is detected and named', () => {
  it('one field of one event altered', async () => {
    const original = (await itemsOfHour(H1))[5]!;
    await t.db.send(new PutCommand({ TableName: t.env.tableNames.Audit, Item: { ...original, action: 'contacts.read' } }));
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ kind: 'event-altered', hour: H1, eventId: original['eventId'] });
    await t.db.send(new PutCommand({ TableName: t.env.tableNames.Audit, Item: original }));
    expect((await verify()).ok).toBe(true);
  });

  it('one event deleted', async () => {
    const original = (await itemsOfHour(H2))[0]!;
    await t.db.send(new DeleteCommand({ TableName: t.env.tableNames.Audit, Key: { pk: original['pk'], sk: original['sk'] } }));
    const report = await verify();
    expect(report.firstBreak).toMatchObject({ kind: 'event-deleted', hour: H2, eventId: original['eventId'] });
    // Put back, it is the event that was sealed: the stream shows it again, and no correction is written.
    await t.db.send(new PutCommand({ TableName: t.env.tableNames.Audit, Item: original }));
    await t.env.drainStreams();
    expect(digestCount()).toBe(4);
    expect((await verify()).ok).toBe(true);
  });

  it('a digest altered (and a digest altered with its own hash recomputed)', async () => {
    const text = readFileSync(digestFile(2), 'utf8');
    const digest = JSON.parse(text) as AuditDigest;
    writeFileSync(digestFile(2), `${canonicalJson({ ...digest, count: digest.count - 1 })}\n`);
    expect((await verify()).firstBreak).toMatchObject({ kind: 'digest-altered', digestSeq: 2 });

    // Drop a leaf and recompute root, count and self-hash: the next digest still remembers the original.
    const leaves = digest.leaves.slice(1);
    const forged = { ...digest, leaves, count: leaves.length };
    const { merkleRoot } = await import('../../shared/domain/audit-seal');
    const rehashed = { ...forged, root: merkleRoot(leaves.map((l) => l.hash)) };
    writeFileSync(digestFile(2), `${canonicalJson({ ...rehashed, hash: digestHash(rehashed) })}\n`);
    const report = await verify();
    expect(report.firstBreak).toMatchObject({ kind: 'digest-altered', digestSeq: 2 });
    expect(report.firstBreak!.detail).toContain('chains to');

    writeFileSync(digestFile(2), text);
    expect((await verify()).ok).toBe(true);
  });

  it('a digest deleted (in the chain, and the newest)', async () => {
    for (const seq of [2, 4]) {
      const text = readFileSync(digestFile(seq), 'utf8');
      rmSync(digestFile(seq));
      const report = await verify();
      expect(report.firstBreak).toMatchObject({ kind: 'digest-missing', digestSeq: seq });
      writeFileSync(digestFile(seq), text);
    }
    expect((await verify()).ok).toBe(true);
  });

  it('a forged event inserted into a sealed hour', async () => {
    // Backdated into H1 (hours ago): the sealer sees it on the stream and records it in a correction
    // digest with the time DynamoDB saw it; verification names it an insertion, not a late write.
    const forged = await putEvent(supervisorA, new Date(hourStart(H1).getTime() + 30_000), 'contact', 'c-forged', 'team-a');
    await t.env.drainStreams();
    expect(digestCount()).toBe(5);
    expect(readDigest(5)).toMatchObject({ kind: 'correction', hour: H1, corrects: 2, count: 1 });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ kind: 'event-inserted', hour: H1, eventId: forged.eventId });
    // ...and the command line exits non-zero, naming it.
    const script = runVerifyScript(H0, H3);
    expect(script.status).toBe(1);
    expect(script.report.firstBreak).toMatchObject({ kind: 'event-inserted', eventId: forged.eventId });
  });
});

describe('late events', () => {
  it('an event that reaches a sealed hour late goes into a correction digest that says so, never a rewrite', async () => {
    const before = readFileSync(digestFile(4), 'utf8');
    const late = await putEvent(supervisorB, new Date(hourEnd(H3).getTime() - 1_000), 'contact', 'c-late', 'team-b');
    await t.env.drainStreams();
    const correction = readDigest(6);
    expect(correction).toMatchObject({ kind: 'correction', hour: H3, corrects: 4, count: 1, previousHash: readDigest(5).hash });
    expect(correction.leaves[0]).toMatchObject({ eventId: late.eventId, at: late.at });
    expect(correction.leaves[0]!.seenAt).toBeDefined();
    expect(readFileSync(digestFile(4), 'utf8')).toBe(before);
    const report = await verify(H3, H3);
    expect(report).toMatchObject({ ok: true, eventsChecked: 2, lateEventsAccepted: 1 });
  });
});
