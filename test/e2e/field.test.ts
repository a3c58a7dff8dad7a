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
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../support/environment';
import { checkPage, EXIT_URL, launch, newContext, openFromNav, signIn, waitForPage } from './browser';

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
});
