import { beforeAll, describe, expect, it } from 'vitest';
import { processingCsvHeader } from '../../shared/domain/processing-records';
import { auditEventsFor } from '../support/audit';
import { validContact } from '../support/contacts';
import { parseCsv } from '../support/csv';
import { useTestEnvironment } from '../support/environment';

/**
 * Records of processing (GET /audit/export), over HTTP against DynamoDB Local: every access to case-level data in a
 * period as CSV an information governance auditor can read, in parts linked by `Link: rel="next"`, admins only,
 * audited itself, no case content.
 */
const t = useTestEnvironment();
const today = () => new Date().toISOString().slice(0, 10);
const exportPath = (query: string) => `/audit/export?${query}`;
const nextOf = (link: string | null): string | undefined => (link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined);

let contactId: string;

beforeAll(async () => {
  const logged = await t.api('POST', '/contacts', { token: await t.tokenFor('champion-a1'), body: validContact() });
  expect(logged.status, JSON.stringify(logged.body)).toBe(201);
  contactId = logged.body.id;
  expect((await t.api('GET', `/contacts/${contactId}`, { token: await t.tokenFor('supervisor-a') })).status).toBe(200);
  // Another team's supervisor is told there is no such contact; the refusal is itself an access attempt.
  expect((await t.api('GET', `/contacts/${contactId}`, { token: await t.tokenFor('supervisor-b') })).status).toBe(404);
  // Not case-level: the list of teams.
  expect((await t.api('GET', '/teams', { token: await t.tokenFor('admin') })).status).toBe(200);
});

describe('records of processing', () => {
  it('lists every access to case-level data of the period as CSV: who by role and pseudonymous id, what, which record, the outcome and the request; nothing else', async () => {
    const admin = await t.tokenFor('admin');
    const res = await t.api('GET', exportPath(`from=${today()}&to=${today()}`), { token: admin });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain(`waymark-records-of-processing-${today()}-${today()}.csv`);
    expect(res.headers.get('link')).toBeNull();
    const [header, ...rows] = parseCsv(res.text);
    expect(header).toEqual(processingCsvHeader);
    for (const r of rows) expect(r).toHaveLength(processingCsvHeader.length);
    const col = (name: string) => (processingCsvHeader as string[]).indexOf(name);
    const about = rows.filter((r) => r[col('record_id')] === contactId);
    const created = about.find((r) => r[col('action')] === 'contacts.create');
    expect(created?.[col('actor_role')]).toBe('champion');
    expect(created?.[col('access')]).toBe('changed');
    const reads = about.filter((r) => r[col('action')] === 'contacts.read');
    expect(reads.map((r) => [r[col('actor_role')], r[col('actor_team')], r[col('team')], r[col('outcome')], r[col('access')]]).sort()).toEqual([
      ['supervisor', 'team-a', 'team-a', 'success', 'viewed'],
      ['supervisor', 'team-b', 'team-a', 'denied', 'viewed'],
    ]);
    for (const r of about) {
      expect(r[col('record_kind')]).toBe('contact');
      expect(r[col('actor_id')]).toMatch(/\S/);
      expect(r[col('request_id')]).toMatch(/\S/);
      expect(Date.parse(r[col('when_utc')] as string)).not.toBeNaN();
    }
    // Only case-level actions; the list of teams is not one, nor the export's own audit.
    expect(rows.every((r) => /^(contacts|escalations|caseload|supportSessions|notifications|rights)\./.test(r[col('action')] as string))).toBe(true);
    // No case content: none of the contact's answers appear.
    const contact = validContact();
    for (const value of Object.values(contact).filter((v): v is string => typeof v === 'string' && v.length > 3 && !/^\d{4}-\d{2}-\d{2}/.test(v))) expect(res.text).not.toContain(value);
    // The export is audited, under the period it covered.
    const exports = (await auditEventsFor(t, 'auditHours', `${today()}T00:00:00.000Z/${today()}T23:59:59.999Z`)).filter((e) => e['action'] === 'audit.export');
    expect(exports.length).toBeGreaterThanOrEqual(1);
  });

  it('sends a period in parts, each linking the next, which together hold every row once', async () => {
    const admin = await t.tokenFor('admin');
    const whole = parseCsv((await t.api('GET', exportPath(`from=${today()}&to=${today()}`), { token: admin })).text).slice(1);
    expect(whole.length).toBeGreaterThanOrEqual(3);
    const parts: string[][][] = [];
    let path: string | undefined = exportPath(`from=${today()}&to=${today()}&limit=2`);
    while (path) {
      const res = await t.api('GET', path, { token: admin });
      expect(res.status, res.text).toBe(200);
      const [header, ...rows] = parseCsv(res.text);
      expect(header).toEqual(processingCsvHeader);
      expect(rows.length).toBeLessThanOrEqual(2);
      parts.push(rows);
      path = nextOf(res.headers.get('link'));
      expect(parts.length).toBeLessThan(50);
    }
    expect(parts.length).toBeGreaterThanOrEqual(2);
    // Rows written since the whole was taken (the parts' own reads are not case-level) cannot differ.
    expect(parts.flat().map((r) => r.join(','))).toEqual(whole.map((r) => r.join(',')));
  });

  it('is for admins only', async () => {
    for (const user of ['supervisor-a', 'commissioner', 'champion-a1']) {
      expect((await t.api('GET', exportPath(`from=${today()}&to=${today()}`), { token: await t.tokenFor(user) })).status, user).toBe(403);
    }
  });

  it.each([
    ['from=2026-05-10&to=2026-05-01', 'to', /before|after/i],
    ['from=2026-05-01&to=2026-06-01', 'to', /no more than 30 days/],
    ['from=2026-02-30&to=2026-03-01', 'from', /real date/],
    ['to=2026-03-01', 'from', /./],
    ['from=2026-05-01&to=2026-05-02&limit=5001', 'limit', /5000 or less/],
  ])('refuses %s, naming %s', async (query, field, message) => {
    const res = await t.api('GET', exportPath(query), { token: await t.tokenFor('admin') });
    expect(res.status).toBe(400);
    const issue = res.body.issues.find((i: { path: string }) => i.path === field || i.path === `query.${field}`);
    expect(issue?.message, JSON.stringify(res.body)).toMatch(message);
  });
});
