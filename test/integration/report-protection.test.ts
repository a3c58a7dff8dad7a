import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ReconciliationSummary } from '../../functions/reconciler/handler';
import type { ProtectionRun } from '../../functions/report-protection/handler';
import { getConfig } from '../../shared/config';
import { todayUtc } from '../../shared/domain/dates';
import { isSuppressed, type Figure } from '../../shared/domain/disclosure';
import { recoverable } from '../../shared/domain/disclosure-audit';
import { ALL, metricById, type MetricDefinition } from '../../shared/domain/metrics';
import { figureKey, linkedFigures, protectionDigest } from '../../shared/domain/reports';
import { getDocumentClient } from '../../shared/store/client';
import { keys } from '../../shared/store/keys';
import { readReportInputs } from '../../shared/store/report-store';
import { hateCrimeContact, validContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';

/**
 * The scheduled report protection (functions/report-protection) against DynamoDB Local: it decides each metric's
 * year off the request path and stores the hidden figures; the reports publish a stored pattern as it is while their
 * figures are the same, and start from it once contacts have been logged since — never publishing a small figure.
 */
const t = useTestEnvironment();
const today = () => todayUtc();
const year = () => today().slice(0, 4);
const month = () => today().slice(0, 7);
const contacts = metricById('contacts') as MetricDefinition;
const run = async () => ((await t.env.runScheduled('report-protection')) as { runs: ProtectionRun[] }).runs;
const runOf = (runs: ProtectionRun[], metric: string) => runs.find((r) => r.metric === metric && r.year === year());
const itemKey = () => keys.protection({ metric: 'contacts', year: year(), threshold: getConfig().disclosure.threshold });
const storedItem = async () => (await t.db.send(new GetCommand({ TableName: t.env.tableNames.Aggregates, Key: itemKey(), ConsistentRead: true }))).Item;
const hiddenOf = (item: Record<string, unknown> | undefined) => gunzipSync(item?.['hiddenGzip'] as Uint8Array).toString('utf8').split('\n').filter(Boolean);
const contactsYear = async () => linkedFigures(contacts, await readReportInputs({ metrics: ['contacts'], from: `${year()}-01`, to: `${year()}-12` }, today()), year());

async function log(user: string, body: Record<string, unknown>, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) expect((await t.api('POST', '/contacts', { token: await t.tokenFor(user), body })).status).toBe(201);
}

/** This month's contacts by a breakdown, as the commissioner reads them: each row's figure and the overall one. */
async function byBreakdown(breakdown: string, periodKind = 'month', first = month()): Promise<{ rows: Map<string, Figure>; all: Figure }> {
  const query = `from=${first}&to=${first}&period=${periodKind}&breakdown=${breakdown}&metrics=contacts`;
  const res = await t.api('GET', `/reports/metrics?${query}`, { token: await t.tokenFor('commissioner') });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const period = res.body.metrics[0].periods[0];
  return { rows: new Map(period.rows.map((r: { value: string; cells: { count: Figure } }) => [r.value, r.cells.count])), all: period.total.cells.count };
}

/** One figure of the contacts' linked set (`figureKey`), as the commissioner's report of its period shows it. */
async function published(key: string): Promise<Figure | undefined> {
  const [dim, value, period] = key.split('|') as [string, string, string];
  const quarter = /^(\d{4})-Q(\d)$/.exec(period);
  const [kind, first] = quarter
    ? ['quarter', `${quarter[1]}-${String(3 * Number(quarter[2]) - 2).padStart(2, '0')}`]
    : period.length === 4
      ? ['year', `${period}-01`]
      : ['month', period];
  const report = await byBreakdown(dim === 'all' ? 'team' : dim, kind, first);
  return dim === 'all' ? report.all : report.rows.get(value);
}

describe('the scheduled report protection', () => {
  it('stores each metric\'s year with the digest of its figures; a report publishes the stored pattern as it is', { timeout: 120_000 }, async () => {
    // Team A's 12 phone contacts would be published; team B's 2 are hidden, and so one more figure of their line is.
    await log('champion-a1', validContact({ setting: 'phone' }), 12);
    await log('champion-b1', hateCrimeContact({ setting: 'home_visit' }), 2);
    await t.env.drainStreams();

    const first = await run();
    expect(runOf(first, 'contacts')).toMatchObject({ outcome: 'from nothing', figures: expect.any(Number) });
    // Every metric and both years are decided; a set with nothing counted is decided too (nothing hidden).
    expect(new Set(first.map((r) => r.metric)).size).toBeGreaterThan(10);
    expect(new Set(first.map((r) => r.year))).toEqual(new Set([String(Number(year()) - 1), year()]));
    const item = await storedItem();
    const set = await contactsYear();
    expect(item?.['digest']).toBe(protectionDigest(contacts, year(), set, getConfig().disclosure.threshold));
    const hidden = hiddenOf(item);
    expect(hidden).toContain(figureKey('team', 'team-b', month(), ALL));
    expect([...recoverable(set.values, set.lines, new Set(hidden))]).toEqual([]);

    // Fault injected: the stored pattern also hides a figure it publishes, one never small. The reports function has
    // not protected this set yet: publishing the stored pattern as it is, it shows that figure hidden.
    const target = [...set.values].find(([k, n]) => n > getConfig().disclosure.threshold && !hidden.includes(k))?.[0];
    expect(target).toBeDefined();
    await t.db.send(new PutCommand({ TableName: t.env.tableNames.Aggregates, Item: { ...item, hiddenGzip: gzipSync([...hidden, target].join('\n')) } }));
    expect(await published(target as string)).toEqual({ suppressed: true });
    expect((await byBreakdown('team')).rows.get('team-b')).toEqual({ suppressed: true });

    // Nothing counted since: the next run leaves every set as stored.
    expect((await run()).filter((r) => r.outcome !== 'unchanged')).toEqual([]);
  });

  it('once contacts are logged after the run, a report protects from the stored pattern and the next run stores the new one', { timeout: 120_000 }, async () => {
    // Team B's figure grows to 4 (still small); team A's by 3.
    await log('champion-b1', hateCrimeContact({ setting: 'phone' }), 2);
    await log('champion-a1', validContact({ setting: 'home_visit' }), 3);
    await t.env.drainStreams();
    const stored = hiddenOf(await storedItem());

    const report = await byBreakdown('team');
    const published = [...report.rows.values(), report.all].filter((f): f is number => !isSuppressed(f));
    for (const n of published) expect(n === 0 || n > getConfig().disclosure.threshold, String(n)).toBe(true);
    expect(report.rows.get('team-b')).toEqual({ suppressed: true });

    const runs = await run();
    expect(runOf(runs, 'contacts')).toMatchObject({ outcome: 'from the stored pattern' });
    const set = await contactsYear();
    const item = await storedItem();
    expect(item?.['digest']).toBe(protectionDigest(contacts, year(), set, getConfig().disclosure.threshold));
    const hidden = new Set(hiddenOf(item));
    expect([...recoverable(set.values, set.lines, hidden)]).toEqual([]);
    for (const [k, n] of set.values) if (n <= getConfig().disclosure.threshold) expect(hidden.has(k), k).toBe(true);
    // Started from the stored pattern: what it hid stays hidden, but for the headline figures release publishes again.
    for (const k of stored) if (!k.startsWith('all|')) expect(hidden.has(k), k).toBe(true);
  });

  /** Counts what the handlers read of the Aggregates table while `body` runs: stored patterns, and counter Queries. */
  async function countingReads(body: (reads: { patterns: number; counterQueries: number; championQueries: number }) => Promise<void>): Promise<void> {
    const NAME = 'countAggregateReads';
    const reads = { patterns: 0, counterQueries: 0, championQueries: 0 };
    getDocumentClient().middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { RequestItems?: Record<string, { Keys?: Array<{ pk?: string }> }>; TableName?: string; ExpressionAttributeValues?: Record<string, unknown> };
        if (context.commandName === 'BatchGetItemCommand') reads.patterns += (input.RequestItems?.[t.env.tableNames.Aggregates]?.Keys ?? []).filter((k) => k.pk?.startsWith('PROTECTION#')).length;
        if (context.commandName === 'QueryCommand' && String(input.ExpressionAttributeValues?.[':pk'] ?? '').startsWith('COUNT#')) reads.counterQueries += 1;
        if (context.commandName === 'QueryCommand' && input.ExpressionAttributeValues?.[':pk'] === keys.allChampions().gsi2pk) reads.championQueries += 1;
        return next(args);
      },
      { step: 'initialize', name: NAME },
    );
    try {
      await body(reads);
    } finally {
      getDocumentClient().middlewareStack.remove(NAME);
    }
  }

  it('a warm instance asked again for the same figures reads neither their counters nor a stored pattern; once they move, it reads them again', { timeout: 120_000 }, async () => {
    await countingReads(async (reads) => {
      await t.env.drainStreams();
      const first = await byBreakdown('team');
      reads.patterns = 0;
      reads.counterQueries = 0;
      // The same counters (the year's token has not moved): the year is remembered protected, by team and by strand alike (one linked set).
      expect(await byBreakdown('team')).toEqual(first);
      await byBreakdown('strand');
      expect(reads).toMatchObject({ patterns: 0, counterQueries: 0 });
      // One contact more: the aggregator moves the year's token with the counters, so they and the stored pattern are read again.
      await log('champion-a1', validContact({ setting: 'phone' }), 1);
      await t.env.drainStreams();
      const moved = await byBreakdown('team');
      expect(reads.patterns).toBe(1);
      expect(reads.counterQueries).toBeGreaterThan(0);
      expect(moved.rows.get('team-b')).toEqual({ suppressed: true });
    });
  });

  it('champion figures are remembered by the champion records\' token: a repeat reads no champion and no stored pattern, a training completion makes it read them again', { timeout: 120_000 }, async () => {
    const championsReport = async () => {
      const res = await t.api('GET', `/reports/metrics?from=${month()}&to=${month()}&breakdown=team&metrics=champions_current`, { token: await t.tokenFor('commissioner') });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.metrics[0].periods[0];
    };
    await countingReads(async (reads) => {
      await t.env.drainStreams();
      const first = await championsReport();
      reads.patterns = 0;
      reads.championQueries = 0;
      expect(await championsReport()).toEqual(first);
      expect(reads).toMatchObject({ patterns: 0, championQueries: 0 });
      // A completion for a champion of team B moves the champion records: the year is decided again, from its stored pattern.
      const completion = { courseId: 'course-dasv-ambassador', completedOn: today(), deliveredBy: 'Refresher day' };
      expect((await t.api('POST', '/champions/champion-demo-b1/training', { token: await t.tokenFor('supervisor-b'), body: completion })).status).toBe(201);
      await t.env.drainStreams(); // the aggregator moves the champion records' token
      await championsReport();
      expect(reads).toMatchObject({ patterns: 1, championQueries: 1 });
    });
  });

  it('a counter repaired by the scheduled reconciliation is read again by a warm instance, and one written around the aggregator is not', { timeout: 120_000 }, async () => {
    await t.env.drainStreams();
    const before = await byBreakdown('strand');
    const all = keys.counter({ metric: 'contacts', dim: 'all', periodKind: 'month', period: month(), value: ALL, series: ALL });
    // Drift (a write no aggregator made, so no token moves): a warm instance goes on publishing the figures it remembers.
    await t.db.send(new UpdateCommand({ TableName: t.env.tableNames.Aggregates, Key: all, UpdateExpression: 'ADD n :d', ExpressionAttributeValues: { ':d': 40 } }));
    await countingReads(async (reads) => {
      expect(await byBreakdown('strand')).toEqual(before);
      expect(reads.counterQueries).toBe(0);
      // The reconciliation repairs it and moves the year's token: the counters are read again, and the figures are the true ones.
      const run = (await t.env.runScheduled('reconciler')) as ReconciliationSummary;
      expect(run.years.find((y) => y.year === year())?.repaired).toBeGreaterThan(0);
      expect(await byBreakdown('strand')).toEqual(before);
      expect(reads.counterQueries).toBeGreaterThan(0);
    });
  });
});
