import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../scripts/reports-rebuild';
import { newContactReference } from '../../shared/domain/contact-reference';
import { isSuppressed } from '../../shared/domain/disclosure';
import { allCounters, contributions, metricDefinitions, parseCellKey, periodKinds, successCriterionIds, sumContributions } from '../../shared/domain/metrics';
import { referenceLedgerExpiry } from '../../shared/domain/retention';
import { applyChanges } from '../../shared/store/aggregates';
import { getDocumentClient } from '../../shared/store/client';
import { keys } from '../../shared/store/keys';
import { supportSessionBody } from '../reliability/fixtures';
import { daysAgo, ukToday, validContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';

const t = useTestEnvironment();
const tok = (u: string) => t.tokenFor(u);
const thisMonth = () => ukToday().slice(0, 7);
const tables = () => ({ caseTable: t.env.tableNames.Case, aggregatesTable: t.env.tableNames.Aggregates });

async function expectCountersReconcile() {
  await t.env.drainStreams();
  const report = await reconcile(t.db, tables());
  expect(report.differences, JSON.stringify(report.differences.slice(0, 5))).toEqual([]);
}

/** Every Aggregates item keyed by a contact reference (live or retired reference counts, its journey). */
async function itemsKeyedBy(reference: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await t.db.send(new ScanCommand({ TableName: t.env.tableNames.Aggregates, ExclusiveStartKey: start, FilterExpression: 'contains(pk, :r)', ExpressionAttributeValues: { ':r': reference } }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A figure as counted (admin, unsuppressed): overall, or one row of a breakdown, for this month. */
async function figure(metric: string, breakdown = 'none', value = '*'): Promise<number> {
  const res = await t.api('GET', `/reports/metrics?from=${thisMonth()}&to=${thisMonth()}&metrics=${metric}&breakdown=${breakdown}&unsuppressed=true`, { token: await tok('admin') });
  expect(res.status, res.text).toBe(200);
  const row = res.body.metrics[0].periods[0].rows.find((r: { value: string }) => r.value === value);
  return row ? (row.total ?? row.cells.count) : 0;
}

describe('support network sessions', () => {
  it('a supervisor records a session of their team: headcounts by gender and age band, references verified, unknown ones counted apart', async () => {
    const champion = await t.api('POST', '/contacts', { token: await tok('champion-a1'), body: validContact() });
    expect(champion.status).toBe(201);
    const issued = champion.body.contactReference as string;
    const token = await tok('supervisor-a');
    // A mistyped reference fails its check character: refused, naming the field.
    const typo = `${issued.slice(0, -1)}${issued.endsWith('A') ? 'B' : 'A'}`;
    const refused = await t.api('POST', '/support-sessions', { token, body: supportSessionBody({ referencesPresented: [typo] }) });
    expect(refused.status).toBe(400);
    expect(refused.body.issues[0].path).toBe('referencesPresented.0');
    // An address instead of a venue kind, a name among the headcounts: refused.
    expect((await t.api('POST', '/support-sessions', { token, body: supportSessionBody({ venueKind: '12 High Street' }) })).status).toBe(400);
    const named = await t.api('POST', '/support-sessions', { token, body: supportSessionBody({ attendance: [{ gender: 'woman', count: 3, name: 'Amina' }] }) });
    expect(named.status).toBe(400);
    expect(named.body.issues[0].path).toBe('attendance.0.name');
    const partner = await t.api('POST', '/support-sessions', { token, body: supportSessionBody({ runBy: 'partner_organisation' }) });
    expect(partner.body.issues[0].path).toBe('organisationId');

    const unknown = newContactReference(); // well formed, its check character right, but never issued
    const res = await t.api('POST', '/support-sessions', { token, body: supportSessionBody({ referencesPresented: [issued, unknown], runBy: 'partner_organisation', organisationId: 'org-demo-central-mosque' }) });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ teamId: 'team-a', referencesPresented: [issued], unknownReferences: 1, status: 'active', version: 1 });
    expect(JSON.stringify(res.body)).not.toContain(unknown);

    // Listed for the team, read with an audit record; not visible to the other team or to champions.
    const list = await t.api('GET', '/support-sessions', { token });
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain(res.body.id);
    expect((await t.api('GET', `/support-sessions/${res.body.id}`, { token: await tok('supervisor-b') })).status).toBe(404);
    expect((await t.api('GET', `/support-sessions/${res.body.id}`, { token: await tok('champion-a1') })).status).toBe(403);
    expect((await t.api('GET', `/support-sessions/${res.body.id}`, { token })).status).toBe(200);

    // A correction at the version read; a stale one is a 409.
    const patched = await t.api('PATCH', `/support-sessions/${res.body.id}`, { token, body: { version: 1, attendance: [{ gender: 'woman', count: 15 }] } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.version).toBe(2);
    const stale = await t.api('PATCH', `/support-sessions/${res.body.id}`, { token, body: { version: 1, venueKind: 'phone' } });
    expect(stale.status).toBe(409);
  });

  it('the support network is a kind of service, so signposting to it is recorded like any other', async () => {
    const services = await t.api('GET', '/services?kind=support_network', { token: await tok('champion-a1') });
    expect(services.status).toBe(200);
    expect(services.body.items.length).toBeGreaterThan(0);
  });
});

describe('the new figures are kept through the stream and reconcile: create, correct, delete, TTL expiry', () => {
  it('support network attendance, women signposted and women who sought earlier help', async () => {
    await t.env.drainStreams();
    const [attendance0, women0, signposted0, earlier0] = [
      await figure('support_network_attendance'),
      await figure('support_network_attendance', 'gender', 'woman'),
      await figure('women_signposted'),
      await figure('women_earlier_help'),
    ];
    const supervisor = await tok('supervisor-a');
    // Create.
    const session = await t.api('POST', '/support-sessions', { token: supervisor, body: supportSessionBody({ attendance: [{ gender: 'woman', ageBand: '25_34', count: 9 }, { gender: 'man', count: 2 }] }) });
    expect(session.status).toBe(201);
    const woman = { demographics: { gender: 'woman', ageBand: '35_44' }, signposting: [{ serviceId: 'service-support-network', mode: 'referral_with_consent' }, { serviceId: 'service-idva', mode: 'information_given' }] };
    const contact = await t.api('POST', '/contacts', { token: await tok('champion-a1'), body: validContact({ ...woman, contactDate: daysAgo(0) }) });
    expect(contact.status, contact.text).toBe(201);
    await expectCountersReconcile();
    expect(await figure('support_network_attendance')).toBe(attendance0 + 11);
    expect(await figure('support_network_attendance', 'gender', 'woman')).toBe(women0 + 9);
    expect(await figure('women_signposted')).toBe(signposted0 + 2);
    expect(await figure('women_signposted', 'serviceKind', 'support_network')).toBeGreaterThanOrEqual(1);
    expect(await figure('women_earlier_help')).toBe(earlier0 + 1);

    // Correct: the session's headcount and the contact's gender change; the figures follow.
    expect((await t.api('PATCH', `/support-sessions/${session.body.id}`, { token: supervisor, body: { version: 1, attendance: [{ gender: 'woman', count: 12 }] } })).status).toBe(200);
    const corrected = await t.api('PATCH', `/contacts/${contact.body.id}`, { token: await tok('champion-a1'), body: { version: contact.body.version, demographics: { gender: 'prefer_not_to_say' } } });
    expect(corrected.status, corrected.text).toBe(200);
    await expectCountersReconcile();
    expect(await figure('support_network_attendance', 'gender', 'woman')).toBe(women0 + 12);
    expect(await figure('women_signposted')).toBe(signposted0);
    expect(await figure('women_earlier_help')).toBe(earlier0);

    // Delete: a cancelled session and a deleted contact leave the figures.
    const again = await t.api('POST', '/contacts', { token: await tok('champion-a1'), body: validContact({ ...woman, contactDate: daysAgo(0) }) });
    await expectCountersReconcile();
    expect(await figure('women_earlier_help')).toBe(earlier0 + 1);
    expect((await t.api('DELETE', `/contacts/${again.body.id}`, { token: supervisor, body: { reason: 'Logged twice by mistake.' } })).status).toBe(200);
    expect((await t.api('PATCH', `/support-sessions/${session.body.id}`, { token: supervisor, body: { version: 2, status: 'cancelled' } })).status).toBe(200);
    await expectCountersReconcile();
    expect(await figure('support_network_attendance')).toBe(attendance0);
    expect(await figure('women_earlier_help')).toBe(earlier0);
    expect(await figure('women_signposted')).toBe(signposted0);

    // TTL expiry: past figures do not fall when the records expire.
    const kept = await t.api('POST', '/support-sessions', { token: supervisor, body: supportSessionBody() });
    const third = await t.api('POST', '/contacts', { token: await tok('champion-a1'), body: validContact({ ...woman, contactDate: daysAgo(0) }) });
    await expectCountersReconcile();
    const before = [await figure('support_network_attendance'), await figure('women_signposted'), await figure('women_earlier_help')];
    for (const key of [keys.supportSession(kept.body.id), keys.contact(third.body.id)]) {
      await t.db.send(new UpdateCommand({ TableName: t.env.tableNames.Case, Key: key, UpdateExpression: 'SET expiresAt = :past', ExpressionAttributeValues: { ':past': 1000 } }));
    }
    for (const sp of third.body.signposting as Array<{ id: string }>) {
      await t.db.send(new UpdateCommand({ TableName: t.env.tableNames.Case, Key: keys.signposting(third.body.id, sp.id), UpdateExpression: 'SET expiresAt = :past', ExpressionAttributeValues: { ':past': 1000 } }));
    }
    expect(await t.env.sweepExpired()).toBeGreaterThanOrEqual(4);
    await expectCountersReconcile();
    expect([await figure('support_network_attendance'), await figure('women_signposted'), await figure('women_earlier_help')]).toEqual(before);
  }, 120_000);
});

describe('joined under one reference: signposted, then attended, and distinct attendees by gender — create, correct, delete, TTL expiry', () => {
  it('a woman signposted to the support network yesterday shows her card at a session today', async () => {
    await t.env.drainStreams();
    const figures = async () => [
      await figure('signposted_then_attended'),
      await figure('signposted_then_attended', 'gender', 'woman'),
      await figure('support_network_attendees', 'gender', 'woman'),
      await figure('support_network_attendees', 'gender', 'not_recorded'),
    ];
    const [then0, thenWomen0, women0, notRecorded0] = (await figures()) as [number, number, number, number];
    const champion = await tok('champion-a1');
    const supervisor = await tok('supervisor-a');
    const toNetwork = [{ serviceId: 'service-support-network', mode: 'referral_with_consent' }];
    const contact = await t.api('POST', '/contacts', { token: champion, body: validContact({ demographics: { gender: 'woman' }, contactDate: daysAgo(1), signposting: toNetwork }) });
    expect(contact.status, contact.text).toBe(201);
    const reference = contact.body.contactReference as string;
    // Create.
    const session = await t.api('POST', '/support-sessions', { token: supervisor, body: supportSessionBody({ referencesPresented: [reference] }) });
    expect(session.status, session.text).toBe(201);
    await expectCountersReconcile();
    expect(await figures()).toEqual([then0 + 1, thenWomen0 + 1, women0 + 1, notRecorded0]);

    // Correct: the contact's gender is taken out — the attendee moves to "not recorded", and so does the conversion.
    let version = contact.body.version as number;
    const noGender = await t.api('PATCH', `/contacts/${contact.body.id}`, { token: champion, body: { version, demographics: {} } });
    expect(noGender.status, noGender.text).toBe(200);
    version = noGender.body.version;
    await expectCountersReconcile();
    expect(await figures()).toEqual([then0 + 1, thenWomen0, women0, notRecorded0 + 1]);
    // Correct: the signposting goes to another service instead — no longer signposted to the network; and back.
    const elsewhere = await t.api('PATCH', `/contacts/${contact.body.id}`, { token: champion, body: { version, demographics: { gender: 'woman' }, signposting: [{ serviceId: 'service-idva', mode: 'information_given' }] } });
    expect(elsewhere.status, elsewhere.text).toBe(200);
    await expectCountersReconcile();
    expect(await figures()).toEqual([then0, thenWomen0, women0 + 1, notRecorded0]);
    const back = await t.api('PATCH', `/contacts/${contact.body.id}`, { token: champion, body: { version: elsewhere.body.version, signposting: toNetwork } });
    expect(back.status, back.text).toBe(200);
    await expectCountersReconcile();
    expect(await figures()).toEqual([then0 + 1, thenWomen0 + 1, women0 + 1, notRecorded0]);

    // Delete: the session is cancelled — nothing attended; the contact deleted — nothing signposted.
    expect((await t.api('PATCH', `/support-sessions/${session.body.id}`, { token: supervisor, body: { version: 1, status: 'cancelled' } })).status).toBe(200);
    await expectCountersReconcile();
    expect(await figures()).toEqual([then0, thenWomen0, women0, notRecorded0]);
    const second = await t.api('POST', '/support-sessions', { token: supervisor, body: supportSessionBody({ referencesPresented: [reference] }) });
    await expectCountersReconcile();
    expect(await figures()).toEqual([then0 + 1, thenWomen0 + 1, women0 + 1, notRecorded0]);
    expect((await t.api('DELETE', `/contacts/${contact.body.id}`, { token: supervisor, body: { reason: 'Logged under the wrong team.' } })).status).toBe(200);
    await expectCountersReconcile();
    // Without its contacts the reference has no recorded gender; it still attended, but was never signposted.
    expect(await figures()).toEqual([then0, thenWomen0, women0, notRecorded0 + 1]);
    expect((await t.api('PATCH', `/support-sessions/${second.body.id}`, { token: supervisor, body: { version: 1, status: 'cancelled' } })).status).toBe(200);

    // TTL expiry: the contact, its signposting and the session expire; the figures stand.
    const changedFrom = new Date();
    const third = await t.api('POST', '/contacts', { token: champion, body: validContact({ demographics: { gender: 'woman' }, contactDate: daysAgo(1), signposting: toNetwork }) });
    const kept = await t.api('POST', '/support-sessions', { token: supervisor, body: supportSessionBody({ referencesPresented: [third.body.contactReference] }) });
    await expectCountersReconcile();
    const before = await figures();
    expect(before).toEqual([then0 + 1, thenWomen0 + 1, women0 + 1, notRecorded0]);
    const expire = (key: { pk: string; sk: string }) =>
      t.db.send(new UpdateCommand({ TableName: t.env.tableNames.Case, Key: key, UpdateExpression: 'SET expiresAt = :past', ExpressionAttributeValues: { ':past': 1000 } }));
    await expire(keys.supportSession(kept.body.id));
    await expire(keys.contact(third.body.id));
    for (const sp of third.body.signposting as Array<{ id: string }>) await expire(keys.signposting(third.body.id, sp.id));
    expect(await t.env.sweepExpired()).toBeGreaterThanOrEqual(3);
    await expectCountersReconcile();
    expect(await figures()).toEqual(before);

    // The ledger kept by the reference (its counts per period and its journey, now retired) expires in its turn:
    // REFERENCE_LEDGER_YEARS after its last change, beyond any record that could still change it.
    const ledger = await itemsKeyedBy(third.body.contactReference as string);
    expect(ledger.map((i) => i['pk'] as string).filter((pk) => pk.startsWith('RETIRED#JOURNEY#'))).toHaveLength(1);
    expect(ledger.filter((i) => (i['pk'] as string).startsWith('RETIRED#REFS#')).length).toBeGreaterThanOrEqual(3); // month, quarter, year
    for (const item of ledger) {
      expect(item['expiresAt'], item['pk'] as string).toBeGreaterThanOrEqual(referenceLedgerExpiry(changedFrom));
      expect(item['expiresAt'], item['pk'] as string).toBeLessThanOrEqual(referenceLedgerExpiry(new Date()));
    }
  }, 120_000);
});

describe('a journey moving more counters than one transaction holds', () => {
  it('a reference shown at sessions in 40 months gains a gender: the batch is split, the record\'s extra counter moves follow its transaction, every figure exact', async () => {
    const REF = 'WM-OVFL-00';
    const months = Array.from({ length: 40 }, (_, i) => `${2018 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    const session = (i: number) => ({
      ...keys.supportSession(`session-overflow-${i}`), type: 'supportSession', id: `session-overflow-${i}`, status: 'active', sessionDate: `${months[i]}-15`,
      teamId: 'team-ovfl', strands: ['dasv'], attendance: [{ gender: 'woman', count: 1 }], referencesPresented: [REF],
    });
    const contact = { ...keys.contact('contact-overflow'), type: 'contact', id: 'contact-overflow', status: 'active', contactDate: '2017-12-01', strands: ['dasv'], teamId: 'team-ovfl', setting: 'phone', demographics: { gender: 'woman' }, beforePoliceOrEmergency: false, contactReference: REF };
    const insert = (eventId: string, newImage: Record<string, unknown>) => ({ eventId, eventName: 'INSERT' as const, newImage, byTtl: false });
    await applyChanges(months.slice(0, 39).map((_, i) => insert(`overflow-session-${i}`, session(i))));
    // The 40th session and the contact in one batch: the contact's gender moves the reference in every period it attended.
    // Watched (not changed): transactions that carry no processed marker are the counter moves that follow one.
    let followUps = 0;
    const WATCH = 'watchOverflow';
    getDocumentClient().middlewareStack.add(
      (next, context) => async (args) => {
        const first = (args.input as { TransactItems?: Array<{ Put?: { Item?: Record<string, unknown> } }> }).TransactItems?.[0];
        if (String(context.commandName).startsWith('TransactWrite') && !String(first?.Put?.Item?.['pk'] ?? '').startsWith('PROCESSED#')) followUps += 1;
        return next(args);
      },
      { step: 'initialize', name: WATCH },
    );
    try {
      const result = await applyChanges([insert('overflow-session-39', session(39)), insert('overflow-contact', contact)]);
      expect(result.applied).toBe(2);
    } finally {
      getDocumentClient().middlewareStack.remove(WATCH);
    }
    expect(followUps).toBe(1);
    const expected = allCounters(sumContributions([...months.map((_, i) => session(i)), contact].map((i) => contributions(i))));
    const byGender = [...expected].filter(([key]) => parseCellKey(key).dim === 'gender' && parseCellKey(key).metric === 'support_network_attendees');
    expect(byGender.length).toBeGreaterThan(50); // 40 months, 14 quarters, 4 years: more than one transaction moves twice over
    const stored = async (key: string) => (await t.db.send(new GetCommand({ TableName: t.env.tableNames.Aggregates, Key: keys.counter(parseCellKey(key)), ConsistentRead: true }))).Item?.['n'] ?? 0;
    for (const [key, n] of byGender) expect(await stored(key), key).toBe(n);
    for (const [key] of byGender) expect(await stored(key.replace('|gender|woman|', '|gender|not_recorded|')), key).toBe(0);
    // Redelivered: nothing moves again.
    expect((await applyChanges([insert('overflow-contact', contact)])).alreadyApplied).toBe(1);
    // Taken out again (by a person), so the table reconciles.
    const remove = (eventId: string, oldImage: Record<string, unknown>) => ({ eventId, eventName: 'REMOVE' as const, oldImage, byTtl: false });
    await applyChanges([remove('overflow-contact-gone', contact), ...months.map((_, i) => remove(`overflow-session-gone-${i}`, session(i)))]);
    for (const [key] of byGender) expect(await stored(key), key).toBe(0);
    await expectCountersReconcile();
  }, 120_000);
});

describe('the success criteria against their targets', () => {
  it('an admin sets a year\'s targets at the version read; commissioners read the outcomes, never unprotected', async () => {
    const year = thisMonth().slice(0, 4);
    const admin = await tok('admin');
    const current = await t.api('GET', `/reports/targets/${year}`, { token: admin });
    expect(current.status).toBe(200);
    const set = await t.api('PUT', `/reports/targets/${year}`, { token: admin, body: { version: current.body.version, targets: { women_attending_support_network: 400, women_signposted: 120, women_earlier_help: 80 } } });
    expect(set.status, set.text).toBe(200);
    expect((await t.api('PUT', `/reports/targets/${year}`, { token: admin, body: { version: current.body.version, targets: {} } })).status).toBe(409);
    expect((await t.api('PUT', `/reports/targets/${year}`, { token: await tok('commissioner'), body: { version: set.body.version, targets: {} } })).status).toBe(403);
    expect((await t.api('PUT', `/reports/targets/${year}`, { token: admin, body: { version: set.body.version, targets: { women_signposted: -1 } } })).body.issues[0].path).toBe('targets.women_signposted');

    const res = await t.api('GET', `/reports/outcomes?from=${year}-01&to=${thisMonth()}`, { token: await tok('commissioner') });
    expect(res.status, res.text).toBe(200);
    expect(res.body.criteria.map((c: { id: string }) => c.id)).toEqual(successCriterionIds);
    for (const c of res.body.criteria) {
      expect(c.quarters.length).toBeGreaterThan(0);
      for (const q of c.quarters) {
        expect(q.target).toBe({ women_attending_support_network: 100, women_signposted: 30, women_earlier_help: 20 }[c.id as string]);
        if (!isSuppressed(q.value)) expect(q.value === 0 || q.value > 7, `${c.id} ${q.period}: ${q.value}`).toBe(true);
      }
      expect(c.years[0].target).toBe({ women_attending_support_network: 400, women_signposted: 120, women_earlier_help: 80 }[c.id as string]);
    }
    // Criterion 1 also gives the distinct women (shown by their reference cards): the women row of
    // support_network_attendees, protected as it is in the report; never more women than attendances.
    const [attending, ...others] = res.body.criteria;
    expect(others.map((c: { people: unknown }) => c.people)).toEqual([null, null]);
    expect(attending.people).toMatchObject({ metric: 'support_network_attendees', row: { dimension: 'gender', value: 'woman' } });
    expect(attending.people.quarters.map((q: { period: string }) => q.period)).toEqual(attending.quarters.map((q: { period: string }) => q.period));
    const report = await t.api('GET', `/reports/metrics?from=${year}-01&to=${thisMonth()}&period=year&breakdown=gender&metrics=support_network_attendees`, { token: await tok('commissioner') });
    expect(report.status, report.text).toBe(200);
    const women = report.body.metrics[0].periods[0].rows.find((r: { value: string }) => r.value === 'woman');
    expect(attending.people.years[0].value).toEqual(women?.cells.count ?? 0);
    for (const [i, q] of attending.people.quarters.entries()) {
      if (!isSuppressed(q.value)) expect(q.value === 0 || q.value > 7).toBe(true);
      const all = attending.quarters[i].value;
      if (!isSuppressed(q.value) && !isSuppressed(all)) expect(q.value).toBeLessThanOrEqual(all);
    }
    expect((await t.api('GET', `/reports/outcomes?from=${year}-01&to=${thisMonth()}`, { token: await tok('supervisor-a') })).status).toBe(403);
    expect((await t.api('GET', `/reports/outcomes?from=${year}-01&to=${thisMonth()}&unsuppressed=true`, { token: await tok('commissioner') })).status).toBe(400);
  });
});

async function download(path: string, user: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(`${t.env.url}${path}`, { headers: { authorization: `Bearer ${await tok(user)}` } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

async function readWorkbook(bytes: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheets = new Map<string, unknown[][]>();
  workbook.eachSheet((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    sheets.set(ws.name, rows);
  });
  return sheets;
}

describe('the quarterly pack', () => {
  it('is an XLSX workbook (read back with exceljs): the criteria, a sheet per metric, definitions, suppression; no count from 1 to 7', async () => {
    await t.env.drainStreams();
    const quarter = `${thisMonth().slice(0, 4)}-Q${Math.floor((Number(thisMonth().slice(5, 7)) - 1) / 3) + 1}`;
    const res = await download(`/reports/pack?quarter=${quarter}`, 'commissioner');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const sheets = await readWorkbook(res.bytes);
    expect([...sheets.keys()]).toEqual(['Success criteria', ...metricDefinitions.map((m) => m.id.slice(0, 31)), 'Definitions', 'Suppression']);
    expect(sheets.get('Success criteria')!.length).toBe(1 + successCriterionIds.length);
    for (const m of metricDefinitions) {
      const rows = sheets.get(m.id.slice(0, 31))!;
      expect(rows.length, m.id).toBeGreaterThan(1);
      if (m.kind === 'ratio') continue;
      for (const row of rows.slice(1)) for (const cell of row.slice(2)) {
        if (typeof cell === 'number') expect(cell === 0 || cell > 7, `${m.id}: ${JSON.stringify(row)}`).toBe(true);
        else if (cell !== undefined && cell !== null) expect(cell).toBe('suppressed');
      }
    }
    expect((await download('/reports/pack?quarter=2026-Q5', 'commissioner')).status).toBe(400);
    expect((await download(`/reports/pack?quarter=${quarter}`, 'supervisor-a')).status).toBe(403);
  });
});

describe('no free text reaches any report', () => {
  it('a legacy record holding free text in every field a figure reads: no metric, breakdown, period, CSV, outcome or pack carries it', async () => {
    const secrets = ['Zainab Rahman', 'zainab@example.com', 'Flat 3 Tower Road', 'Eritrean church group'];
    const id = 'contact-legacy-free-text';
    await t.db.send(
      new PutCommand({
        TableName: t.env.tableNames.Case,
        Item: {
          ...keys.contact(id),
          type: 'contact',
          id,
          status: 'active',
          contactDate: daysAgo(0),
          strands: ['dasv', secrets[0]],
          teamId: secrets[2],
          setting: secrets[2],
          demographics: { community: `${secrets[0]} ${secrets[1]}`, gender: secrets[3], ageBand: secrets[1], ethnicGroup: secrets[3], religion: secrets[0] },
          beforePoliceOrEmergency: true,
          contactReference: 'WM-LEGA-CY',
        },
      }),
    );
    await t.db.send(
      new PutCommand({
        TableName: t.env.tableNames.Case,
        Item: { ...keys.signposting(id, 'sp-legacy'), type: 'signposting', contactDate: daysAgo(0), strands: ['dasv'], teamId: secrets[2], gender: secrets[0], ageBand: secrets[1], serviceKind: secrets[3], mode: 'information_given', contactStatus: 'active' },
      }),
    );
    await t.env.drainStreams();
    const texts: string[] = [];
    const admin = await tok('admin');
    const from = `${thisMonth().slice(0, 4)}-01`;
    for (const m of metricDefinitions) {
      for (const breakdown of ['none', ...m.dimensions]) {
        // Unsuppressed (admin): every row a commissioner could ever be shown is in it; quarters are in the pack below.
        for (const period of periodKinds.filter((p) => p !== 'quarter')) {
          for (const extra of ['&unsuppressed=true', '&unsuppressed=true&format=csv']) {
            const res = await t.api('GET', `/reports/metrics?from=${from}&to=${thisMonth()}&metrics=${m.id}&breakdown=${breakdown}&period=${period}${extra}`, { token: admin });
            expect(res.status, res.text).toBe(200);
            texts.push(res.text);
          }
        }
      }
    }
    texts.push((await t.api('GET', `/reports/outcomes?from=${from}&to=${thisMonth()}`, { token: admin })).text);
    const quarter = `${thisMonth().slice(0, 4)}-Q${Math.floor((Number(thisMonth().slice(5, 7)) - 1) / 3) + 1}`;
    const pack = await readWorkbook((await download(`/reports/pack?quarter=${quarter}`, 'commissioner')).bytes);
    texts.push(JSON.stringify([...pack.entries()]));
    expect(texts.length).toBeGreaterThan(100);
    for (const secret of secrets) {
      for (const needle of [secret, secret.toLowerCase()]) expect(texts.filter((x) => x.includes(needle)).length, needle).toBe(0);
    }
  }, 240_000);
});
