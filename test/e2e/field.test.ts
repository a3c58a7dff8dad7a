/**
 * Waymark in the field (issue 20), in a real browser against the real local
 * environment: Back and Forward stay in the app and never lose answers
 * silently; the danger flow offers an immediate concern first; answers are
 * checked before saving; a saved contact is corrected from My contacts;
 * closing, retiring and deleting each ask first; a referral's "how" has no
 * default without consent; Exit this page is on screen however far the page
 * is scrolled, ends the identity provider's session and leaves nothing to go
 * Back to; chart labels are readable on a phone. Every page state is checked
 * and photographed at 320, 390 and 1280 px by checkPage (reflow included).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../support/environment';
import { checkPage, EXIT_URL, launch, newContext, openFromNav, SCREENSHOT_DIR, signIn, sizes, waitForPage } from './browser';

const t = useTestEnvironment();
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The address and title never say which page or record is shown. */
async function expectNeutral(page: Page, origin: string): Promise<void> {
  expect(page.url()).toBe(`${origin}/`);
  expect(await page.title()).not.toMatch(/WM-|contact-|escalation-|service-|champion-/);
}

async function fillContact(page: Page, o: { danger?: boolean } = {}): Promise<void> {
  await page.check('#field-setting');
  await page.check('#field-strands');
  await page.check('#field-dasvForms');
  await page.check('#field-priorHelp');
  await page.check('#field-beforePoliceOrEmergency');
  if (o.danger) await page.check('#field-riskFlags'); // immediate danger
  await page.locator('.wm-service:not([hidden]) input[name="signposting"]').first().check();
}

describe('a champion in the field', () => {
  let contactId = '';

  it('Back and Forward move between app pages; leaving unsaved answers asks first; the address stays neutral', { timeout: 240_000 }, async () => {
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'champion-a1');
    await openFromNav(page, 'my-training');
    await openFromNav(page, 'log-contact');
    await expectNeutral(page, t.env.url);
    await page.check('#field-setting');
    await page.fill('#field-note', 'Met at the women’s group');

    // Back with unsaved answers: asked; staying keeps them.
    let asked = 0;
    page.once('dialog', (d) => {
      asked += 1;
      void d.dismiss();
    });
    await page.goBack();
    await expect.poll(() => asked).toBe(1);
    await expect.poll(() => page.title()).toBe('Log a contact – Waymark');
    expect(await page.inputValue('#field-note')).toBe('Met at the women’s group');

    // Back again, agreeing to leave: the previous app page, not the sign-in page.
    page.once('dialog', (d) => void d.accept());
    await page.goBack();
    await expect.poll(() => page.title()).toBe('My training – Waymark');
    await waitForPage(page);
    await expectNeutral(page, t.env.url);
    // Forward returns to the form, empty: the answers were given up. Back from the first page stays in the app.
    await page.goForward();
    await expect.poll(() => page.title()).toBe('Log a contact – Waymark');
    await waitForPage(page);
    expect(await page.inputValue('#field-note')).toBe('');
    await page.goBack();
    await expect.poll(() => page.title()).toBe('My training – Waymark');
    await page.goBack();
    await expect.poll(() => page.title()).toBe('Home – Waymark');
    await page.goBack();
    await page.waitForTimeout(300);
    expect(page.url()).toBe(`${t.env.url}/`);
    expect(await page.locator('#wm-nav').isVisible()).toBe(true);
    // Still nothing in browser storage, history included: its entries hold a number and nothing else.
    expect(await page.evaluate(() => JSON.stringify(history.state))).not.toMatch(/contact|WM-|note/i);
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    await context.close();
  });

  it('immediate danger: check answers, change one, save; the offer to raise an immediate concern comes first, in one tap', { timeout: 240_000 }, async () => {
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'champion-a1');
    await openFromNav(page, 'log-contact');
    await fillContact(page, { danger: true });
    await page.click('#contact-form button[type="submit"]');
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor();
    await expectNeutral(page, t.env.url);
    expect(await page.locator('.govuk-summary-list').textContent()).toContain('Immediate danger');

    // Change: back to the form with every answer kept, at the field.
    await page.getByRole('link', { name: 'Change where it happened' }).click();
    await expect.poll(() => page.title()).toBe('Log a contact – Waymark');
    expect(await page.isChecked('#field-setting')).toBe(true);
    expect(await page.isChecked('#field-riskFlags')).toBe(true);
    await page.check('#field-setting-2');
    await page.click('#contact-form button[type="submit"]');
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor();
    await page.click('#save-contact button[type="submit"]');

    await page.locator('#raise-immediate').waitFor();
    await checkPage(page, 'contact-saved-danger');
    // The offer is the first thing on the page, and says the DASV team has not been told.
    const first = await page.locator('#app > *').first().textContent();
    expect(first).toMatch(/Nothing reaches them until you raise a concern/);
    const reference = (await page.locator('.wm-reference').textContent())?.trim() ?? '';

    const list = await t.api('GET', '/contacts?limit=10', { token: await t.tokenFor('champion-a1') });
    const saved = list.body.items.find((c: { contactReference: string }) => c.contactReference === reference);
    expect(saved).toMatchObject({ setting: 'community_centre', riskFlags: ['immediate_danger'], hasEscalation: false });
    contactId = saved.id;

    await page.getByRole('button', { name: 'Raise an immediate concern now' }).click();
    await page.locator('.govuk-panel__title', { hasText: 'Concern raised' }).waitFor();
    await checkPage(page, 'concern-raised-immediate');
    const concerns = await t.api('GET', '/escalations?limit=50', { token: await t.tokenFor('champion-a1') });
    const raised = concerns.body.items.filter((e: { contactReference?: string }) => e.contactReference === reference);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ reason: 'immediate_risk_to_life', priority: 'immediate', consent: 'not_asked' });
    await context.close();
  });

  it('changes a saved contact from My contacts, within the correction window', { timeout: 200_000 }, async () => {
    expect(contactId).not.toBe('');
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'champion-a1');
    await openFromNav(page, 'my-contacts');
    await checkPage(page, 'my-contacts-change');
    await page.locator(`a[data-route="correct-contact"][data-param="${contactId}"]`).filter({ visible: true }).click();
    await waitForPage(page);
    expect(await page.title()).toBe('Change a contact – Waymark');
    expect(await page.isChecked('#field-setting-2')).toBe(true); // the saved answer
    await checkPage(page, 'correct-contact');
    await page.check('#field-setting-3');
    await page.click('#contact-form button[type="submit"]');
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('.govuk-panel__title', { hasText: 'Contact changed' }).waitFor();
    const after = await t.api('GET', `/contacts/${contactId}`, { token: await t.tokenFor('champion-a1') });
    expect(after.body).toMatchObject({ setting: 'school_college', riskFlags: ['immediate_danger'] });
    await context.close();
  });
});

describe('a supervisor: confirmations, and a referral without a default', () => {
  it('deletes a contact, refers without a preselected "how", and closes a concern, each after asking', { timeout: 300_000 }, async () => {
    const token = await t.tokenFor('supervisor-a');
    const caseload = await t.api('GET', '/caseload', { token });
    const notAsked = caseload.body.escalations.items.find((e: { consent: string; state: string; reason: string }) => e.consent !== 'yes' && e.state === 'raised' && ['immediate_risk_to_life', 'children_at_risk'].includes(e.reason));
    expect(notAsked).toBeDefined();
    const id = notAsked.id as string;
    const read = async () => (await t.api('GET', `/escalations/${id}`, { token })).body;
    await t.api('POST', `/escalations/${id}/transitions`, { token, body: { to: 'triaged', version: (await read()).version, targetServiceKind: 'idva' } });

    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'supervisor-a');
    await page.evaluate((escalationId) => (document.querySelector(`a[data-route="escalation"][data-param="${escalationId}"]`) as HTMLElement | null)?.click(), id);
    await waitForPage(page);
    await page.click('#actions button[data-to="referred"]');
    await page.locator('#transition-form').waitFor();
    expect(await page.locator('input[name="mode"]:checked').count()).toBe(0);
    await checkPage(page, 'refer-without-consent');

    // Carry it on to "outcome recorded" through the API; closing is the web's.
    await t.api('POST', `/escalations/${id}/transitions`, {
      token,
      body: { to: 'referred', version: (await read()).version, serviceId: 'service-idva', referredOn: (await read()).raisedAt.slice(0, 10), sharedWithoutConsentJustification: 'Risk to life, recorded at triage.' },
    });
    await t.api('POST', `/escalations/${id}/transitions`, { token, body: { to: 'outcome_recorded', version: (await read()).version, outcome: 'accepted_by_service' } });
    await page.reload();
    await signIn(page, t.env.url, 'supervisor-a');
    await page.evaluate((escalationId) => (document.querySelector(`a[data-route="escalation"][data-param="${escalationId}"]`) as HTMLElement | null)?.click(), id);
    await waitForPage(page);
    await page.click('#actions button[data-to="closed"]');
    await page.getByRole('heading', { name: 'Are you sure you want to close this concern?' }).waitFor();
    expect((await read()).state).toBe('outcome_recorded'); // nothing happened yet
    await checkPage(page, 'confirm-close');
    await page.getByRole('button', { name: 'Yes, close the concern' }).click();
    await page.locator('.govuk-notification-banner--success').waitFor();
    expect((await read()).state).toBe('closed');

    // Delete a contact: asks, with a reason.
    await openFromNav(page, 'team-contacts');
    const link = page.locator('a[data-delete]').filter({ visible: true }).first();
    const contactId = await link.getAttribute('data-delete');
    await link.click();
    await page.getByRole('heading', { name: 'Are you sure you want to delete this contact?' }).waitFor();
    await checkPage(page, 'delete-contact');
    await page.fill('#field-reason', 'Logged twice by mistake');
    await page.getByRole('button', { name: 'Yes, delete the contact' }).click();
    await page.locator('.govuk-notification-banner--success', { hasText: 'deleted' }).waitFor();
    const deleted = await t.api('GET', `/contacts/${contactId}`, { token });
    expect(deleted.body.status).toBe('deleted');
    await context.close();
  });
});

describe('Exit this page, in the field', () => {
  it('is on the sign-in page too, stays on screen at the foot of the longest form, and ends the provider session without waiting', { timeout: 200_000 }, async () => {
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    await page.goto(`${t.env.url}/`);
    expect(await page.getByRole('button', { name: 'Emergency Exit this page' }).isVisible()).toBe(true);
    await signIn(page, t.env.url, 'champion-a1');
    await openFromNav(page, 'log-contact');
    const logouts: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/idp/logout')) logouts.push(r.url());
    });
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const button = page.getByRole('button', { name: 'Emergency Exit this page' });
    const box = await button.boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= 844).toBe(true);
    await button.click();
    await page.waitForURL(EXIT_URL);
    await expect.poll(() => logouts.length).toBe(1);
    expect(logouts[0]).toContain('client_id=');
    await context.close();
  });
});

/** Every layout shift from now on, those right after a tap included (Lighthouse's timespan counts them). */
async function watchShifts(page: Page): Promise<() => Promise<{ total: number; moved: string[] }>> {
  await page.evaluate(() => {
    const w = window as unknown as { __shifts: { value: number; nodes: string[] }[] };
    w.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; sources: { node?: Node }[] }[]) {
        w.__shifts.push({ value: e.value, nodes: e.sources.map((s) => (s.node instanceof Element ? `${s.node.tagName.toLowerCase()}.${s.node.className}` : String(s.node?.nodeName))) });
      }
    }).observe({ type: 'layout-shift' });
  });
  return () =>
    page.evaluate(() => {
      const shifts = (window as unknown as { __shifts: { value: number; nodes: string[] }[] }).__shifts;
      return { total: shifts.reduce((a, s) => a + s.value, 0), moved: shifts.flatMap((s) => s.nodes) };
    });
}

describe('the phone menu', () => {
  for (const size of ['small', 'mobile'] as const) {
    it(`opens over the page at ${sizes[size].width} px: nothing moves, Exit this page stays on top and tappable, Escape and leaving close it`, { timeout: 120_000 }, async () => {
      const context = await newContext(browser, size);
      const page = await context.newPage();
      await signIn(page, t.env.url, 'champion-a1');
      const toggle = page.locator('#wm-nav .govuk-service-navigation__toggle');
      const heading = page.locator('#app h1');
      const before = await heading.boundingBox();
      const shifts = await watchShifts(page);
      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      const links = page.locator('#wm-navigation a');
      await links.first().waitFor();
      // Nothing in the page moved (the panel is over it, not in its flow): no layout shift at all.
      expect(await heading.boundingBox()).toEqual(before);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(await shifts()).toEqual({ total: 0, moved: [] });
      // Exit this page is on screen, above the panel (a tap at its centre reaches it), and every link is uncovered.
      const hit = async (selector: string) =>
        page.evaluate((sel) => {
          const el = document.querySelector(sel) as HTMLElement;
          const r = el.getBoundingClientRect();
          const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return r.top >= 0 && r.bottom <= window.innerHeight && top !== null && el.contains(top);
        }, selector);
      expect(await hit('.govuk-exit-this-page__button')).toBe(true);
      for (const route of ['champion-home', 'log-contact', 'my-contacts', 'my-concerns', 'my-training']) expect(await hit(`#wm-navigation a[data-route="${route}"]`), route).toBe(true);
      expect(await hit('#wm-navigation a[data-action="sign-out"]')).toBe(true);
      await page.screenshot({ path: join(SCREENSHOT_DIR, `phone-menu-open-${sizes[size].width}x${sizes[size].height}.png`) });

      // Escape closes it and gives focus back to the Menu button.
      await links.first().focus();
      await page.keyboard.press('Escape');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await links.first().isVisible()).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.classList.contains('govuk-service-navigation__toggle'))).toBe(true);

      // By keyboard: Menu, its links, Sign out, then Exit this page — and the panel closes as focus leaves it, so
      // nothing focused afterwards is under it.
      await page.keyboard.press('Enter');
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      const order: string[] = [];
      for (let i = 0; i < 7; i++) {
        await page.keyboard.press('Tab');
        order.push(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent?.trim() ?? ''));
      }
      expect(order).toEqual(['Home', 'Log a contact', 'My contacts', 'My concerns', 'My training', 'Sign out', 'Emergency Exit this page']);
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');

      // A choice in it closes it, and the page it opens is not under it.
      await toggle.click();
      await page.locator('#wm-navigation a[data-route="my-training"]').click();
      await waitForPage(page);
      expect(await page.title()).toBe('My training – Waymark');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      await context.close();
    });
  }

  it('stays open after sign-in once the first page has everything it fetches: the navigation is drawn once', { timeout: 120_000 }, async () => {
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    // Counts each time the navigation is drawn anew (a redraw makes a new menu, folded).
    await page.addInitScript(() => {
      const w = window as unknown as { __navDrawn: number };
      w.__navDrawn = 0;
      new MutationObserver((records) => {
        for (const r of records) for (const n of r.addedNodes) if (n instanceof HTMLElement && n.id === 'wm-nav' && !n.hidden) w.__navDrawn += 1;
      }).observe(document, { childList: true, subtree: true });
    });
    await signIn(page, t.env.url, 'champion-a1');
    const toggle = page.locator('#wm-nav .govuk-service-navigation__toggle');
    await toggle.click();
    // Everything the app asked for after sign-in (the account, the profile's language, the first page) has come back.
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => (window as unknown as { __navDrawn: number }).__navDrawn)).toBe(1);
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#wm-navigation a[data-route="log-contact"]').isVisible()).toBe(true);
    await context.close();
  });

  it('opened while the first page is still loading after sign-in, stays open when the page arrives', { timeout: 120_000 }, async () => {
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    // The supervisor's first page (the caseload) is held until the menu is open.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    await page.route(/\/caseload(\?|$)/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${t.env.url}/`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/idp\/authorize\?/);
    await page.getByRole('button', { name: 'Sign in as supervisor-a' }).click();
    const toggle = page.locator('#wm-nav .govuk-service-navigation__toggle');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    release();
    await waitForPage(page);
    expect(await page.title()).toBe('Caseload – Waymark');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#wm-navigation a[data-route="team-contacts"]').isVisible()).toBe(true);
    await page.locator('#wm-navigation a[data-route="team-contacts"]').click();
    await waitForPage(page);
    expect(await page.title()).toBe('Team contacts – Waymark');
    await context.close();
  });
});

describe('the commissioner on a phone', () => {
  it('reads chart labels of at least 14 px at 390 px', { timeout: 60_000 }, async () => {
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'commissioner');
    await page.locator('.wm-chart svg').first().waitFor();
    const smallest = await page.evaluate(() =>
      Math.min(
        ...[...document.querySelectorAll<SVGTextElement>('.wm-chart-label')].map((label) => {
          const svg = label.ownerSVGElement as SVGSVGElement;
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return parseFloat(getComputedStyle(label).fontSize) * scale;
        }),
      ),
    );
    expect(smallest).toBeGreaterThanOrEqual(14);
    await context.close();
  });

  it('at 320 px, the headline figures and their "distinct women" line fit the screen; the tables of figures wait behind "details"', { timeout: 60_000 }, async () => {
    const context = await newContext(browser, 'small');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'commissioner');
    await page.locator('.wm-headline').first().waitFor();
    const women = page.locator('.wm-headline p', { hasText: 'Distinct women' });
    expect(await women.count()).toBeGreaterThan(0);
    // Nothing in a headline is wider than its box, nor reaches past the screen's edge (WCAG 1.4.10 at 320 px).
    const overflowing = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.wm-headline, .wm-headline *')]
        .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > document.documentElement.clientWidth)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent?.slice(0, 40)}`),
    );
    expect(overflowing).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    // Each table of figures is one tap away, and printing opens every one of them.
    const closed = page.locator('#app details:not([open])', { has: page.locator('table') });
    expect(await closed.count()).toBeGreaterThan(10);
    await closed.first().locator('summary').click();
    expect(await page.locator('#app details[open] table').first().isVisible()).toBe(true);
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    expect(await page.locator('#app details:not([open])').count()).toBe(0);
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    await context.close();
  });
});
