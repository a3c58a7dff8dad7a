/**
 * Rights requests in a real browser (Debian Chromium via playwright-core): a supervisor enters the reference from a
 * person's card (a mistyped one is caught by its check symbol before anything is sent), shows everything held in
 * plain language, with the concern's DASH checklist, and then erases it after a confirmation page. axe-core and
 * reflow are checked on each page at 320, 390 and 1280 px.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validContact } from '../support/contacts';
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

/** The same reference with its check symbol changed: one mistyped character. */
const mistyped = (reference: string) => reference.slice(0, -1) + (reference.endsWith('7') ? '8' : '7');

describe('rights requests', () => {
  it('a supervisor shows a person everything held, printable, then erases it after confirming', { timeout: 180_000 }, async () => {
    const champion = await t.tokenFor('champion-a1');
    const contact = await t.api('POST', '/contacts', { token: champion, body: validContact() });
    expect(contact.status).toBe(201);
    const reference = contact.body.contactReference as string;
    const raised = await t.api('POST', `/contacts/${contact.body.id}/escalations`, { token: champion, body: { reason: 'asks_for_specialist_support', consent: 'yes' } });
    expect(raised.status).toBe(201);
    const answers = Array.from({ length: 24 }, (_, i) => (i < 3 ? 'yes' : 'no'));
    const assessed = await t.api('PUT', `/escalations/${raised.body.id}/risk-assessment`, {
      token: await t.tokenFor('supervisor-a'),
      body: { version: raised.body.version, answers, professionalJudgement: false, potentialEscalation: false },
    });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);

    const context = await newContext(browser, 'small');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'supervisor-a');
    await openFromNav(page, 'rights');
    await waitForPage(page);
    expect(await page.title()).toBe('Rights requests – Waymark');
    await checkPage(page, 'rights');

    // A mistyped reference is caught by its check symbol, before anything is sent.
    await page.getByLabel('Reference on the card').fill(mistyped(reference));
    await page.getByLabel('The council’s reference for the request').fill('DSAR-2026-E2E');
    await page.getByLabel('See everything held').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('probably mistyped');

    // As a person might read it out: lower case, no dashes.
    await page.getByLabel('Reference on the card').fill(reference.toLowerCase().replace(/-/g, ''));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#sar-title').waitFor();
    expect(await page.locator('#sar-title').textContent()).toBe(`What Waymark holds under ${reference}`);
    const shown = (await page.locator('#app').textContent()) ?? '';
    expect(shown).toContain('Risk checklist (DASH)');
    expect(shown).toContain('3 of the 24 questions were answered yes.');
    expect(shown).toContain('Did the latest incident leave the person injured?');
    expect(shown).not.toContain('supervisor-a');
    await page.getByRole('button', { name: 'Print' }).waitFor();
    await checkPage(page, 'subject-access');

    // Back to the form, which keeps nothing of the response; erase asks first.
    await page.locator('[data-back]').first().click();
    await waitForPage(page);
    await page.getByLabel('Reference on the card').fill(reference);
    await page.getByLabel('The council’s reference for the request').fill('DSAR-2026-E2E-2');
    await page.getByLabel('Erase it').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await waitForPage(page);
    expect(await page.locator('h1').textContent()).toBe(`Are you sure you want to erase everything held under ${reference}?`);
    await checkPage(page, 'confirm-erasure');
    await page.getByRole('button', { name: 'Yes, erase everything' }).click();
    await page.locator('#erasure-title').waitFor();
    expect(await page.locator('#app').textContent()).toContain('DSAR-2026-E2E-2');
    await checkPage(page, 'erasure-done');

    // Gone: the reference now finds nothing.
    const after = await t.api('POST', '/rights/access', { token: await t.tokenFor('supervisor-a'), body: { contactReference: reference, requestReference: 'DSAR-2026-E2E-3' } });
    expect(after.status).toBe(404);
    await context.close();
  });
});
