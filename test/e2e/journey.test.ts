/**
 * The cross-role journey in a real browser, against the real local
 * environment: a champion logs a contact with signposting and raises a
 * concern (the 999 guidance first); the supervisor sees it on the caseload,
 * triages it (after losing a race to another supervisor: the 409 reloads it)
 * and refers it; the commissioner's dashboard counts it through the
 * stream-maintained aggregates, with the small counts suppressed. Every new
 * page is checked with axe-core and photographed at 390×844 and 1280×800.
 *
 * Its own environment (own tables), so the month's counts are the seed's
 * handful plus this journey's: small enough to be suppressed.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../support/environment';
import { checkPage, launch, newContext, openFromNav, signIn, waitForPage } from './browser';

const t = useTestEnvironment();
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const ukMonth = (): string => {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit' }).formatToParts(new Date());
  return `${parts.find((p) => p.type === 'year')?.value}-${parts.find((p) => p.type === 'month')?.value}`;
};
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The admin's unsuppressed figures for this month (an audited read), to see what the dashboard must hide. */
async function rawFigures(): Promise<{ contacts: number; escalations: number }> {
  const month = ukMonth();
  const res = await t.api('GET', `/reports/metrics?from=${month}&to=${month}&metrics=contacts,escalations_raised&unsuppressed=true`, { token: await t.tokenFor('admin') });
  expect(res.status).toBe(200);
  type Row = { cells: Record<string, number>; total?: number };
  const metric = (id: string) => (res.body.metrics as { id: string; periods: { rows: Row[] }[] }[]).find((m) => m.id === id)?.periods[0]?.rows[0];
  const contacts = metric('contacts');
  const escalations = metric('escalations_raised');
  return { contacts: contacts?.cells['count'] ?? 0, escalations: escalations?.total ?? 0 };
}

describe('the journey: champion → supervisor → commissioner', () => {
  it('a concern raised by a champion is triaged and referred by the supervisor and counted, suppressed, for the commissioner', { timeout: 400_000 }, async () => {
    await t.env.drainStreams();
    const before = await rawFigures();

    // ---- Champion: log a contact with signposting, raise a concern from "Contact saved" ----------
    const champion = await newContext(browser, 'mobile');
    const cp = await champion.newPage();
    await signIn(cp, t.env.url, 'champion-a1');
    await openFromNav(cp, 'log-contact');
    await cp.check('#field-setting');
    await cp.check('#field-strands'); // DASV
    await cp.check('#field-dasvForms');
    await cp.check('#field-priorHelp'); // none
    await cp.check('#field-beforePoliceOrEmergency'); // before any police or 999 involvement
    await cp.locator('.wm-service:not([hidden]) input[name="signposting"]').first().check();
    await cp.click('#contact-form button[type="submit"]');
    await cp.click('#save-contact button[type="submit"]');
    await cp.locator('.govuk-panel__title').waitFor();
    const reference = (await cp.locator('.wm-reference').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^WM-/);

    await cp.getByRole('button', { name: 'Raise a concern' }).click();
    await waitForPage(cp);
    expect(await cp.title()).toBe('Raise a concern – Waymark');
    expect(await cp.locator('#guidance-999 .govuk-warning-text').count()).toBe(0);
    await checkPage(cp, 'raise-concern');
    await cp.check('#field-reason'); // immediate risk to life
    const warning = cp.locator('#guidance-999 .govuk-warning-text');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('call 999');
    // The guidance comes first: before the heading and every field.
    expect(await cp.evaluate(() => {
      const g = document.querySelector('#guidance-999') as Element;
      return (g.compareDocumentPosition(document.querySelector('#app h1') as Element) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0 && (g.compareDocumentPosition(document.querySelector('#concern-form') as Element) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    })).toBe(true);
    await checkPage(cp, 'raise-concern-999');
    await cp.check('#field-consent-2'); // no: sharing will need the safeguarding exception
    await cp.fill('#field-note', 'Frightened to go home tonight.');
    await cp.click('#concern-form button[type="submit"]');
    await cp.locator('.govuk-panel__title', { hasText: 'Concern raised' }).waitFor();
    // The reply's emergency guidance is the first thing on the page.
    expect(await cp.evaluate(() => document.querySelector('#app > *')?.classList.contains('wm-guidance-999'))).toBe(true);
    expect(await cp.locator('#app .wm-guidance-999').textContent()).toContain('999');
    expect(await cp.locator('#app').textContent()).toContain('Immediate');
    await checkPage(cp, 'concern-raised');

    await openFromNav(cp, 'my-concerns');
    await expect.poll(() => cp.locator('#app table').textContent()).toContain(reference);
    expect(await cp.locator('#app table').textContent()).toContain('Awaiting triage');
    await checkPage(cp, 'my-concerns');
    await openFromNav(cp, 'my-contacts');
    const row = cp.locator('#app tr', { hasText: reference });
    expect(await row.locator('a[data-route="my-concerns"]').textContent()).toBe('Raised');
    await champion.close();

    // ---- Supervisor: caseload (home), the escalation, a lost race (409), triage, refer ----------
    const supervisor = await newContext(browser, 'desktop');
    const sp = await supervisor.newPage();
    await signIn(sp, t.env.url, 'supervisor-a');
    expect(await sp.title()).toBe('Caseload – Waymark');
    const open = sp.locator('#app table').first();
    await expect.poll(() => open.textContent()).toContain('Immediate risk to life');
    // Overdue first: the seeded concern raised 72 hours ago leads, tagged.
    expect(await open.locator('tbody tr').first().textContent()).toContain('Overdue');
    await checkPage(sp, 'caseload');

    await open.locator('tr', { hasText: 'Immediate risk to life' }).locator('a[data-route="escalation"]').click();
    await waitForPage(sp);
    expect(await sp.title()).toBe('Concern – Waymark');
    expect(await sp.locator('#app').textContent()).toContain(reference);
    expect(await sp.locator('#actions button').allTextContents()).toEqual(['Triage', 'Withdraw']);
    await checkPage(sp, 'escalation');

    // Another supervisor triages it first (through the API) while this page is open.
    const token = await t.tokenFor('supervisor-a');
    const list = await t.api('GET', '/escalations?status=open', { token });
    const mine = list.body.items.find((e: { contactReference: string }) => e.contactReference === reference);
    expect(mine).toMatchObject({ state: 'raised', priority: 'immediate', consent: 'no' });
    const raced = await t.api('POST', `/escalations/${mine.id}/transitions`, { token, body: { to: 'triaged', version: mine.version, targetServiceKind: 'idva' } });
    expect(raced.status).toBe(200);

    await sp.click('#actions button[data-to="triaged"]');
    await sp.selectOption('#field-targetServiceKind', 'marac');
    await checkPage(sp, 'escalation-triage-form');
    await sp.click('#transition-form button[type="submit"]');
    const summary = sp.locator('.govuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('changed by someone else');
    expect(await sp.title()).toBe('Error: Concern – Waymark');
    // Reloaded: now triaged, so only "Refer" and "Withdraw" are offered.
    expect(await sp.locator('#actions button').allTextContents()).toEqual(['Refer', 'Withdraw']);
    await checkPage(sp, 'escalation-conflict');

    await sp.click('#actions button[data-to="referred"]');
    await sp.locator('#field-serviceId').waitFor();
    const firstService = await sp.locator('#field-serviceId option').nth(1).getAttribute('value');
    await sp.selectOption('#field-serviceId', firstService ?? '');
    // Consent was "no": the justification is asked for, and a too-short one is refused beside the field.
    await sp.fill('#field-sharedWithoutConsentJustification', 'Risk');
    await sp.click('#transition-form button[type="submit"]');
    await sp.locator('#field-sharedWithoutConsentJustification-error').waitFor();
    await checkPage(sp, 'escalation-refer-errors');
    await sp.fill('#field-sharedWithoutConsentJustification', 'Immediate risk to life reported; safeguarding exception applies.');
    await sp.click('#transition-form button[type="submit"]');
    await sp.locator('.govuk-notification-banner--success', { hasText: 'Referred' }).waitFor();
    expect(await sp.locator('#actions button').allTextContents()).toEqual(['Record outcome']);
    await checkPage(sp, 'escalation-referred');
    const after = await t.api('GET', `/escalations/${mine.id}`, { token });
    expect(after.body).toMatchObject({ state: 'referred', serviceId: firstService, sharedWithoutConsent: true });

    await openFromNav(sp, 'caseload');
    await sp.locator('#app a[data-route="notifications"]').click();
    await waitForPage(sp);
    expect(await sp.locator('#app table').textContent()).toContain('Immediate');
    await checkPage(sp, 'notifications');
    await supervisor.close();

    // ---- Commissioner: the dashboard counts it (stream aggregates), suppressed -----------------
    await t.env.drainStreams();
    const raw = await rawFigures();
    expect(raw.contacts).toBe(before.contacts + 1);
    expect(raw.escalations).toBe(before.escalations + 1);
    expect(raw.contacts).toBeGreaterThanOrEqual(1);
    expect(raw.contacts).toBeLessThanOrEqual(7); // small: the dashboard must not show it

    const commissioner = await newContext(browser, 'desktop');
    const mp = await commissioner.newPage();
    const urls: string[] = [];
    mp.on('request', (r) => urls.push(r.url()));
    await signIn(mp, t.env.url, 'commissioner');
    expect(await mp.title()).toBe('Outcome figures – Waymark');
    const month = ukMonth();
    const monthLabel = `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
    for (const [metric, n] of [['contacts', raw.contacts], ['escalations_raised', raw.escalations]] as const) {
      const section = mp.locator(`section[aria-labelledby="metric-${metric}"]`);
      expect(await section.locator('.govuk-details__summary', { hasText: 'How it is counted' }).count()).toBe(1); // the definition beside it
      expect(await section.locator('svg[aria-hidden="true"]').count()).toBe(1); // the chart, with the table as its alternative
      await section.locator('.govuk-details__summary', { hasText: 'the figures' }).click(); // the table: one tap away
      const monthRow = section.locator('tbody tr', { has: mp.locator('th', { hasText: monthLabel }) });
      const all = monthRow.locator('td').last(); // the "All" column
      await expect.poll(() => all.textContent()).toContain('Suppressed');
      expect(await all.locator('.govuk-tag').isVisible()).toBe(true);
      expect(await all.textContent()).not.toContain(String(n));
      expect(await all.getAttribute('aria-describedby')).toBe('suppressed-note');
    }
    expect(await mp.locator('#suppressed-note').textContent()).toMatch(/Counts from 1 to 7 are suppressed so that no one can be identified/);
    expect(await mp.locator('#app').textContent()).not.toContain(reference);
    await checkPage(mp, 'metrics');

    // CSV: fetched with the token in a header, saved from a Blob; never a token in a URL.
    const [download] = await Promise.all([mp.waitForEvent('download'), mp.click('#download-csv')]);
    expect(download.url()).toMatch(/^blob:/);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('metric,period,breakdown,breakdown_value,series,value,definition');
    expect(csv).toContain(`contacts,${month},strand,all,count,suppressed,Contacts logged by champions: people supported by the champion network.`);
    await mp.locator('#download-status', { hasText: 'downloaded' }).waitFor();
    expect(urls.filter((u) => /token|access_token|eyJ/.test(new URL(u).search))).toEqual([]);

    // Another view: by quarter, no breakdown.
    await mp.selectOption('#field-period', 'quarter');
    await mp.selectOption('#field-breakdown', 'none');
    await mp.click('#report-form button[type="submit"]');
    await waitForPage(mp);
    await expect.poll(() => mp.locator('section[aria-labelledby="metric-contacts"] tbody').textContent()).toMatch(/Q\d/);
    await checkPage(mp, 'metrics-quarter');
    await commissioner.close();
  });
});
