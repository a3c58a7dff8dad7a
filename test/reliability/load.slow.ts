import { describe, expect, it } from 'vitest';
import { contactItemsOf, hateCrimeContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';
import { fixtures } from './fixtures';
import { reconcile } from '../../scripts/reports-rebuild';
import { hourEnd, hourOf, hoursBetween } from '../../shared/domain/audit-seal';
import { sealHour } from '../../shared/store/audit-sealer';
import { verifyAuditRange } from '../../shared/store/audit-verify';

/**
 * The load run (`npm run test:load`): a bounded mix of champion and
 * supervisor traffic against the in-process gateway on loopback. Bounded
 * both ways: at most MAX_REQUESTS requests and at most MAX_SECONDS seconds,
 * whichever comes first. Never points anywhere but the local environment.
 */
const MAX_REQUESTS = 1_500;
const MAX_SECONDS = 90;
const CONCURRENCY = 32;

const t = useTestEnvironment();
const f = fixtures(t);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

describe('load', () => {
  it(`at most ${MAX_REQUESTS} requests or ${MAX_SECONDS} s, ${CONCURRENCY} at a time: no 5xx, every acknowledged contact stored, figures reconcile, audit verifies`, { timeout: (MAX_SECONDS + 60) * 1000 }, async () => {
    expect(new URL(t.env.url).hostname).toMatch(/^(localhost|127\.0\.0\.1)$/);
    const champions = ['champion-a1', 'champion-a2', 'champion-b1'] as const;
    const before = Object.fromEntries(await Promise.all(champions.map(async (c) => [c, (await contactItemsOf(t, c)).length] as const)));
    const created: Record<string, string[]> = { 'champion-a1': [], 'champion-a2': [], 'champion-b1': [] };
    const latencies: Record<string, number[]> = {};
    const statuses: Record<number, number> = {};
    const deadline = Date.now() + MAX_SECONDS * 1000;
    const firstHour = hourOf(new Date().toISOString());
    let issued = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, lane) => {
        while (issued < MAX_REQUESTS && Date.now() < deadline) {
          const n = issued++;
          const champion = champions[(n + lane) % champions.length]!;
          const supervisor = champion === 'champion-b1' ? 'supervisor-b' : 'supervisor-a';
          const mine = created[champion]!;
          const kind = n % 10 < 4 || mine.length === 0 ? 'log contact' : n % 10 < 7 ? 'list contacts' : n % 10 < 9 ? 'read contact' : 'caseload';
          const t0 = performance.now();
          const res =
            kind === 'log contact'
              ? await t.api('POST', '/contacts', { token: await f.tok(champion), body: hateCrimeContact() })
              : kind === 'list contacts'
                ? await t.api('GET', '/contacts?limit=25', { token: await f.tok(n % 2 ? champion : supervisor) })
                : kind === 'read contact'
                  ? await t.api('GET', `/contacts/${mine[n % mine.length]}`, { token: await f.tok(champion) })
                  : await t.api('GET', '/caseload', { token: await f.tok(supervisor) });
          (latencies[kind] ??= []).push(performance.now() - t0);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (kind === 'log contact' && res.status === 201) mine.push(res.body.id);
          expect(res.status, `${kind}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const rows = Object.entries(latencies).map(([kind, l]) => {
      const sorted = [...l].sort((a, b) => a - b);
      return { kind, requests: l.length, p50: Math.round(percentile(sorted, 50)), p95: Math.round(percentile(sorted, 95)), p99: Math.round(percentile(sorted, 99)), max: Math.round(sorted.at(-1) ?? 0) };
    });
    console.table(rows);
    console.log(`load: ${issued > MAX_REQUESTS ? MAX_REQUESTS : issued} requests in ${seconds.toFixed(1)} s (${(Math.min(issued, MAX_REQUESTS) / seconds).toFixed(1)}/s); statuses ${JSON.stringify(statuses)}`);
    for (const c of champions) expect((await contactItemsOf(t, c)).length, c).toBe(before[c]! + created[c]!.length);
    expect(Object.keys(statuses).filter((s) => Number(s) >= 500)).toEqual([]);

    // The figures: every counter equals a recomputation from the source records.
    await t.env.drainStreams();
    const report = await reconcile(t.db, { caseTable: t.env.tableNames.Case, aggregatesTable: t.env.tableNames.Aggregates });
    expect(report.differences, JSON.stringify(report.differences.slice(0, 5))).toEqual([]);

    // The audit trail verifies clean. The run's hours are still under way, so they are sealed here as the
    // sealer would seal them once over (its clock moved past them), and verified as of that later moment.
    const lastHour = hourOf(new Date().toISOString());
    const later = new Date(hourEnd(lastHour).getTime() + 10 * 60_000);
    for (const hour of hoursBetween(firstHour, lastHour)) await sealHour(hour, new Date(hourEnd(hour).getTime() + 5 * 60_000));
    const audit = await verifyAuditRange(firstHour, lastHour, later);
    console.log(`load: audit verification ${JSON.stringify({ ok: audit.ok, periodsChecked: audit.periodsChecked, eventsChecked: audit.eventsChecked })}`);
    expect(audit.ok, JSON.stringify(audit).slice(0, 500)).toBe(true);
    expect(audit.eventsChecked).toBeGreaterThan(1_000);
  });
});
