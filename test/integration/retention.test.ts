import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { backfillRetention } from '../../scripts/retention-backfill';
import { yearsToDays } from '../../shared/domain/retention';
import { keys } from '../../shared/store/keys';
import { hateCrimeContact, validContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';

/**
 * Retention an admin sees and sets (GET/PUT /settings/retention), applied by TTL to new records at once and by
 * the resumable backfill to the ones written before, over HTTP against DynamoDB Local.
 */
const t = useTestEnvironment();
const DAY = 86_400;
const caseTable = () => t.env.tableNames.Case;

async function retainedItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await t.db.send(new ScanCommand({ TableName: caseTable(), ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []).filter((i) => ['contact', 'signposting', 'contactReference', 'escalation'].includes(String(i['type']))));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function auditOf(action: string): Promise<Record<string, unknown>[]> {
  const res = await t.db.send(
    new QueryCommand({ TableName: t.env.tableNames.Audit, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.auditEntity('settings', 'retention') } }),
  );
  return (res.Items ?? []).filter((e) => e['action'] === action);
}

describe('retention settings', () => {
  it('shows the deployment default until an admin sets it, with its bounds; only admins read it, and each read is audited', async () => {
    const res = await t.api('GET', '/settings/retention', { token: await t.tokenFor('admin') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: 'default', version: 0, contactDays: 2192, bounds: { contactYears: { min: 1, max: 10 }, auditYearsBeyondContacts: 1 } });
    expect(await auditOf('settings.readRetention')).toHaveLength(1);
    for (const user of ['supervisor-a', 'commissioner', 'champion-a1']) {
      expect((await t.api('GET', '/settings/retention', { token: await t.tokenFor(user) })).status).toBe(403);
      expect((await t.api('PUT', '/settings/retention', { token: await t.tokenFor(user), body: { version: 0, contactYears: 3, auditYears: 5 } })).status).toBe(403);
    }
  });

  it.each([
    [{ contactYears: 0, auditYears: 5 }, 'contactYears', /must be 1 or more/],
    [{ contactYears: 11, auditYears: 15 }, 'contactYears', /must be 10 or less/],
    [{ contactYears: 2.5, auditYears: 5 }, 'contactYears', /must be a (whole )?number/],
    [{ contactYears: 6, auditYears: 6 }, 'auditYears', /at least 1 year longer than contacts/],
    [{ contactYears: 6, auditYears: 21 }, 'auditYears', /must be 20 or less/],
  ])('refuses %j, naming %s, and stores nothing', async (values, field, message) => {
    const admin = await t.tokenFor('admin');
    const res = await t.api('PUT', '/settings/retention', { token: admin, body: { version: 0, ...values } });
    expect(res.status).toBe(400);
    const detail = res.body.issues.find((d: { path: string }) => d.path === field);
    expect(detail?.message, JSON.stringify(res.body)).toMatch(message);
    expect((await t.db.send(new GetCommand({ TableName: caseTable(), Key: keys.retentionSettings() }))).Item).toBeUndefined();
  });

  it('applies a new setting to records written after it, and the backfill (interrupted, then resumed) to those written before', async () => {
    const champion = await t.tokenFor('champion-a1');
    const before: Array<{ id: string; contactReference: string; retainedUntil: string }> = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await t.api('POST', '/contacts', { token: champion, body: i % 2 ? hateCrimeContact() : validContact() });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      before.push(res.body);
    }
    // A repeat under the first reference, and a concern raised from it: every kind of retained record exists.
    const repeat = await t.api('POST', '/contacts', { token: champion, body: validContact({ contactReference: before[0]!.contactReference }) });
    expect(repeat.status).toBe(201);
    expect((await t.api('POST', `/contacts/${before[0]!.id}/escalations`, { token: champion, body: { reason: 'other', consent: 'yes' } })).status).toBe(201);
    expect(before[0]!.retainedUntil).toBe(new Date((Date.now() / 1000 + 2192 * DAY) * 1000).toISOString().slice(0, 10));

    const admin = await t.tokenFor('admin');
    const set = await t.api('PUT', '/settings/retention', { token: admin, body: { version: 0, contactYears: 3, auditYears: 5 } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ source: 'set', version: 1, contactYears: 3, auditYears: 5, contactDays: yearsToDays(3), auditDays: yearsToDays(5) });
    expect(await auditOf('settings.setRetention')).toHaveLength(1);
    // The version read is checked: a second admin working from version 0 is told it changed.
    expect((await t.api('PUT', '/settings/retention', { token: admin, body: { version: 0, contactYears: 4, auditYears: 5 } })).status).toBe(409);

    // A new record carries the new retention at once (and the supervisor sees its deletion date).
    const after = await t.api('POST', '/contacts', { token: champion, body: validContact() });
    const threeYears = yearsToDays(3);
    const expected = (createdAt: string) => Math.floor(Date.parse(createdAt) / 1000) + threeYears * DAY;
    const afterItem = (await t.db.send(new GetCommand({ TableName: caseTable(), Key: keys.contact(after.body.id) }))).Item!;
    expect(afterItem['expiresAt']).toBe(expected(String(afterItem['createdAt'])));
    const seen = await t.api('GET', `/contacts/${after.body.id}`, { token: await t.tokenFor('supervisor-a') });
    expect(seen.body.retainedUntil).toBe(new Date(expected(String(afterItem['createdAt'])) * 1000).toISOString().slice(0, 10));
    // The audit event of that write carries the audit retention set.
    const auditEvent = (
      await t.db.send(new QueryCommand({ TableName: t.env.tableNames.Audit, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.auditEntity('contact', after.body.id) } }))
    ).Items![0]!;
    expect(auditEvent['expiresAt']).toBe(Math.floor(Date.parse(String(auditEvent['at'])) / 1000) + yearsToDays(5) * DAY);

    // Records written before still carry six years until the backfill runs.
    const stale = (await retainedItems()).filter((i) => i['retentionDays'] !== threeYears && i['pk'] !== keys.contact(after.body.id).pk);
    expect(stale.length).toBeGreaterThan(8);

    // Interrupted after two pages of three items...
    const first = await backfillRetention(t.db, caseTable(), { pageSize: 3, stopAfterPages: 2 });
    expect(first).toMatchObject({ pages: 2, scanned: 6, resumed: false, finished: false });
    const progress = (await t.db.send(new GetCommand({ TableName: caseTable(), Key: keys.retentionBackfill() }))).Item!;
    expect(progress).toMatchObject({ contactDays: threeYears, settingVersion: 1, scanned: 6, pages: 2 });
    expect(progress['cursor']).toBeDefined();
    // ...then run again: it carries on from the page recorded (it does not scan the first six items again) and finishes.
    const second = await backfillRetention(t.db, caseTable(), { pageSize: 3 });
    expect(second.resumed).toBe(true);
    expect(second.finished).toBe(true);
    const total = (await t.db.send(new ScanCommand({ TableName: caseTable(), Select: 'COUNT', ConsistentRead: true }))).Count!;
    // Every item was scanned once across the two runs (the progress item itself was written after the first page).
    expect(second.progress.scanned).toBeGreaterThanOrEqual(total - 1);
    expect(second.progress.scanned).toBeLessThanOrEqual(total);
    expect(first.scanned + second.scanned).toBe(second.progress.scanned);

    // Every retained record now expires three years after the time it counts from.
    const items = await retainedItems();
    const contacts = new Map(items.filter((i) => i['type'] === 'contact').map((c) => [c['id'], c]));
    for (const item of items) {
      const from =
        item['type'] === 'contact' ? item['createdAt'] : item['type'] === 'escalation' ? item['raisedAt'] : item['type'] === 'signposting' ? contacts.get(item['contactId'])?.['createdAt'] : undefined;
      if (from !== undefined) expect(item['expiresAt'], `${item['type']} ${item['pk']}`).toBe(expected(String(from)));
    }
    const reference = items.find((i) => i['pk'] === keys.contactReference(before[0]!.contactReference).pk)!;
    const repeatItem = contacts.get(repeat.body.id)!;
    // The reference expires three years after its latest contact (the repeat), not its first.
    expect(reference['expiresAt']).toBe(expected(String(repeatItem['createdAt'])));
    expect(reference['retentionDays']).toBe(threeYears);

    // Finished for this setting: a third run does nothing.
    const third = await backfillRetention(t.db, caseTable(), { pageSize: 3 });
    expect(third).toMatchObject({ scanned: 0, updated: 0, finished: true });
  });
});
