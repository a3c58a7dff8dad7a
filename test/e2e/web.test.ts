/**
 * The web app in a real browser (Debian Chromium via playwright-core) against
 * the real local environment: the gateway serves the built app, the
 * development identity provider signs people in with authorization code +
 * PKCE, the same handlers answer. Every page is checked with axe-core at
 * 390×844 and 1280×800 and photographed into test-results/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../support/environment';
import { checkPage, EXIT_URL, launch, newContext, openFromNav, signIn, storageOf, tabTo, waitForPage } from './browser';

const t = useTestEnvironment();
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Records every access token the identity provider hands the page, to look for it in storage later. */
function watchTokens(page: Page): string[] {
  const tokens: string[] = [];
  page.on('response', (res) => {
    if (res.url().endsWith('/idp/token') && res.ok()) void res.json().then((b: { access_token: string }) => tokens.push(b.access_token));
  });
  return tokens;
}

async function expectNothingStored(page: Page, tokens: readonly string[]): Promise<void> {
  const stored = await storageOf(page);
  expect(stored).toMatchObject({ local: 0, session: 0, cookie: '', indexedDb: 0 });
  for (const token of tokens) expect(stored.values).not.toContain(token);
}

let reference = '';

describe('champion', () => {
  it('signs in with PKCE, logs a contact with signposting by keyboard alone, and sees the reference', { timeout: 360_000 }, async () => {
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    const tokens = watchTokens(page);

    await page.goto(`${t.env.url}/`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await checkPage(page, 'sign-in');

    await signIn(page, t.env.url, 'champion-a1');
    expect(page.url()).toBe(`${t.env.url}/`); // the code and state are gone from the address bar
    expect(tokens).toHaveLength(1);
    await expectNothingStored(page, tokens);
    expect(await page.title()).toBe('Home – Waymark');
    await checkPage(page, 'champion-home');

    await openFromNav(page, 'log-contact');
    await checkPage(page, 'log-contact');

    // The whole form by keyboard: Tab to each control, Space to choose.
    await tabTo(page, '#field-setting');
    await page.keyboard.press('Space');
    await tabTo(page, '#field-strands');
    await page.keyboard.press('Space'); // DASV: reveals the forms of abuse
    await tabTo(page, '#field-dasvForms-4');
    await page.keyboard.press('Space'); // controlling or coercive behaviour
    await tabTo(page, '#field-priorHelp');
    await page.keyboard.press('Space'); // none
    await tabTo(page, '#field-beforePoliceOrEmergency');
    await page.keyboard.press('Space'); // yes, before any police involvement
    await tabTo(page, '#field-riskFlags-2');
    await page.keyboard.press('Space'); // children in the household
    await tabTo(page, '.wm-service:not([hidden]) input[name="signposting"]');
    const service = await page.evaluate(() => (document.activeElement as HTMLInputElement).value);
    await page.keyboard.press('Space');
    await tabTo(page, '#contact-form button[type="submit"]');
    await page.keyboard.press('Enter');
    // Check answers, then save.
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor();
    await checkPage(page, 'check-contact');
    await tabTo(page, '#save-contact button[type="submit"]');
    await page.keyboard.press('Enter');

    await page.locator('.govuk-panel__title').waitFor();
    reference = (await page.locator('.wm-reference').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^WM-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    expect(await page.title()).toBe('Contact saved – Waymark'); // nothing about the case in the title
    expect(page.url()).toBe(`${t.env.url}/`); // nor in the address bar
    await checkPage(page, 'contact-saved');
    await expectNothingStored(page, tokens);

    // Stored once, with the signposting chosen.
    const list = await t.api('GET', '/contacts?limit=5', { token: await t.tokenFor('champion-a1') });
    const saved = list.body.items.find((c: { contactReference: string }) => c.contactReference === reference);
    expect(saved).toMatchObject({ strands: ['dasv'], dasvForms: ['controlling_or_coercive'], priorHelp: ['none'], beforePoliceOrEmergency: true, riskFlags: ['children_in_household'] });
    const full = await t.api('GET', `/contacts/${saved.id}`, { token: await t.tokenFor('champion-a1') });
    expect(full.body.signposting.map((s: { serviceId: string }) => s.serviceId)).toEqual([service]);

    await openFromNav(page, 'my-contacts');
    await expect.poll(() => page.locator('#app table').textContent()).toContain(reference);
    await checkPage(page, 'my-contacts');
    await openFromNav(page, 'my-training');
    await checkPage(page, 'my-training');
    await context.close();
  });

  it('shows the API\'s refusals in the GOV.UK error pattern, the note\'s personal-data message beside the note', { timeout: 240_000 }, async () => {
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'champion-a1');
    await openFromNav(page, 'log-contact');
    await page.check('#field-strands');
    await page.check('#field-dasvForms');
    await page.fill('#field-note', 'She said to call her on 07700 900123');
    await page.click('#contact-form button[type="submit"]');
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor();
    await page.click('#save-contact button[type="submit"]');
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary'))).toBe(true);
    expect(await page.title()).toMatch(/^Error: Log a contact/);
    const noteError = page.locator('#field-note-error');
    expect(await noteError.textContent()).toMatch(/must not contain personal data: found a phone number/);
    expect(await page.locator('#field-note').getAttribute('aria-describedby')).toContain('field-note-error');
    expect(await summary.locator('a[href="#field-note"]').count()).toBe(1);
    expect(await summary.locator('a[href="#field-setting"]').count()).toBe(1);
    expect(await summary.locator('a[href="#field-signposting"]').count()).toBe(1);
    await checkPage(page, 'log-contact-errors');
    // Nothing was stored.
    const list = await t.api('GET', '/contacts?limit=100', { token: await t.tokenFor('champion-a1') });
    expect(JSON.stringify(list.body)).not.toContain('07700');
    await context.close();
  });

  it('checks the note as it is typed, with the API\'s own detector: the kind and position beside the note, never the value', { timeout: 60_000 }, async () => {
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    await signIn(page, t.env.url, 'champion-a1');
    await openFromNav(page, 'log-contact');
    await page.click('#field-note');
    await page.keyboard.type('her husband Tariq took her passport', { delay: 5 });
    const noteError = page.locator('#field-note-error');
    await noteError.waitFor();
    expect(await noteError.textContent()).toMatch(/must not contain personal data: found a person's name at character 13/);
    expect(await noteError.textContent()).not.toContain('Tariq');
    expect(await page.locator('#field-note').getAttribute('aria-describedby')).toContain('field-note-error');
    expect(await page.locator('[data-field="note"]').getAttribute('class')).toContain('govuk-form-group--error');
    // Nothing was sent: the check ran in the browser.
    expect(requests.filter((r) => r.includes('/contacts') && !r.startsWith('GET'))).toEqual([]);
    await page.fill('#field-note', 'her husband took her passport');
    await page.keyboard.type(' again');
    await noteError.waitFor({ state: 'detached' });
    expect(await page.locator('[data-field="note"]').getAttribute('class')).not.toContain('govuk-form-group--error');
    await context.close();
  });
});

describe('supervisor', () => {
  it('sees the contact in team contacts, filters, sees champions\' training and records training', { timeout: 360_000 }, async () => {
    expect(reference).not.toBe('');
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'supervisor-a');
    expect(await page.title()).toBe('Caseload – Waymark'); // the supervisor's home (see journey.test.ts)
    await openFromNav(page, 'team-contacts');
    expect(await page.title()).toBe('Team contacts – Waymark');
    await expect.poll(() => page.locator('#app table').textContent()).toContain(reference);
    await page.selectOption('#field-strand', 'dasv');
    await page.selectOption('#field-riskFlag', 'children_in_household');
    await page.click('#filter-form button[type="submit"]');
    await waitForPage(page);
    await expect.poll(() => page.locator('#app table').textContent()).toContain(reference);
    await checkPage(page, 'team-contacts');

    await openFromNav(page, 'champions');
    await checkPage(page, 'champions');
    await page.evaluate(() => (document.querySelector('#app a[data-route="record-training"]') as HTMLElement).click());
    await waitForPage(page);
    await checkPage(page, 'record-training');
    await page.click('#training-form button[type="submit"]'); // nothing chosen: the API's field errors
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('#field-courseId-error').textContent()).toMatch(/Select a course/);
    await page.selectOption('#field-courseId', 'course-safeguarding-refresher');
    await page.fill('#field-deliveredBy', 'City DASV training team');
    await page.click('#training-form button[type="submit"]');
    await page.locator('.govuk-notification-banner--success').waitFor();
    await context.close();
  });
});

describe('admin and commissioner', () => {
  it('admin: teams, courses, service directory (add and retire), audit trail', { timeout: 240_000 }, async () => {
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'admin');
    await checkPage(page, 'teams');
    await openFromNav(page, 'courses');
    await checkPage(page, 'courses');
    await openFromNav(page, 'services');
    await checkPage(page, 'services');
    await page.click('.govuk-details__summary');
    await page.fill('#field-name', 'Test outreach service');
    await page.selectOption('#field-kind', 'da_outreach');
    await page.check('#field-strands');
    await page.fill('#field-howToRefer', 'Self-referral by phone.');
    await page.fill('#field-website', 'http://insecure.example');
    await page.click('#service-form button[type="submit"]');
    expect(await page.locator('#field-website-error').textContent()).toMatch(/https/);
    await page.fill('#field-website', 'https://outreach.example');
    await page.click('#service-form button[type="submit"]');
    await page.locator('.govuk-notification-banner--success').waitFor();
    await page.getByRole('button', { name: 'Retire Test outreach service' }).click();
    await page.getByRole('heading', { name: 'Are you sure you want to retire Test outreach service?' }).waitFor();
    await checkPage(page, 'confirm-retire');
    await page.getByRole('button', { name: 'Yes, retire the service' }).click();
    await page.locator('.govuk-notification-banner--success', { hasText: 'Test outreach service retired' }).waitFor();
    await openFromNav(page, 'audit');
    await expect.poll(() => page.locator('#app table').textContent()).toContain('services.update');
    await checkPage(page, 'audit');
    // Retention: the deployment default shown, a change outside the bounds refused with the field named, then saved.
    await openFromNav(page, 'retention');
    expect(await page.locator('#app').textContent()).toContain('2192 days');
    await page.fill('#field-contactYears', '5');
    await page.fill('#field-auditYears', '5');
    await page.click('#retention-form button[type="submit"]');
    expect(await page.locator('#field-auditYears-error').textContent()).toMatch(/longer than contacts/);
    await page.fill('#field-auditYears', '7');
    await page.click('#retention-form button[type="submit"]');
    await page.locator('.govuk-notification-banner--success', { hasText: 'Retention saved' }).waitFor();
    expect(await page.locator('#app').textContent()).toContain('1826 days');
    await checkPage(page, 'retention');
    // The admin's view of the reports: the commissioner's dashboard, under the same disclosure control.
    await openFromNav(page, 'metrics');
    expect(await page.locator('#suppressed-note').isVisible()).toBe(true);
    await checkPage(page, 'admin-metrics');
    await context.close();
  });

  it('commissioner: signs in to the outcome figures, with no case data (the dashboard itself: journey.test.ts)', { timeout: 240_000 }, async () => {
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'commissioner');
    expect(await page.title()).toBe('Outcome figures – Waymark');
    expect(await page.locator('#app').textContent()).not.toMatch(/WM-[0-9A-Z]{4}-[0-9A-Z]{2}/);
    await context.close();
  });
});

describe('the commissioner\'s page opens on the three headline figures and prints as a clean A4 report', () => {
  it('shows the success criteria first, with target and trend; printed, only the figures remain', { timeout: 90_000 }, async () => {
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'commissioner');
    await waitForPage(page);
    const headlines = page.locator('.wm-headline');
    expect(await headlines.count()).toBe(3);
    expect(await headlines.locator('h2').allTextContents()).toEqual(['Women attending the support network', 'Women exposed to DASV who were signposted', 'Women who sought earlier help']);
    // The headlines come before every other figure on the page.
    const order = await page.evaluate(() => {
      const first = document.querySelector('.wm-headlines');
      const metric = document.querySelector('.wm-metric');
      return first && metric ? first.compareDocumentPosition(metric) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
    });
    expect(order).toBeGreaterThan(0);
    await checkPage(page, 'commissioner-headlines');

    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['#report-form', '.govuk-header', 'button']) {
      const visible = await page.locator(hidden).evaluateAll((els) => els.some((e) => (e as HTMLElement).offsetParent !== null && getComputedStyle(e).display !== 'none'));
      expect(visible, `${hidden} is hidden in print`).toBe(false);
    }
    expect(await page.locator('.wm-headlines').isVisible()).toBe(true);
    expect(await page.locator('#suppressed-note').isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    await context.close();
  });
});

describe('Exit this page', () => {
  for (const how of ['button', 'shift-three-times'] as const) {
    it(`leaves by ${how === 'button' ? 'the button' : 'Shift pressed three times'}; Back cannot return; nothing is left in storage`, { timeout: 240_000 }, async () => {
      const context = await newContext(browser, 'mobile');
      const page = await context.newPage();
      const tokens = watchTokens(page);
      await signIn(page, t.env.url, 'champion-a1');
      await openFromNav(page, 'log-contact');
      await page.fill('#field-note', 'Half-written note');
      if (how === 'button') {
        await page.getByRole('button', { name: 'Emergency Exit this page' }).click();
      } else {
        await page.locator('#field-note').focus();
        for (let i = 0; i < 3; i++) await page.keyboard.press('Shift');
      }
      await page.waitForURL(EXIT_URL);
      // Back, as often as there are pages, never shows a Waymark page with content: at most the sign-in page.
      for (let i = 0; i < 3; i++) {
        await page.goBack().catch(() => undefined);
        await page.waitForLoadState();
        expect(await page.content()).not.toContain('Half-written note');
        if (page.url().startsWith(t.env.url) && (await page.locator('#app').count()) > 0) {
          await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
          expect(await page.locator('#wm-nav').isHidden()).toBe(true);
        }
      }
      // The app's origin holds nothing.
      const fresh = await context.newPage();
      await fresh.goto(`${t.env.url}/`);
      await fresh.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      await expectNothingStored(fresh, tokens);
      expect(await context.cookies()).toEqual([]);
      await context.close();
    });
  }
});
