/**
 * The DASH risk checklist in a real browser (Debian Chromium via
 * playwright-core): a supervisor on a phone completes the 24 questions, sees
 * the score as they go and the outcome with its next step; axe-core checks
 * each state at 390 and 1280 px.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';
import { checkPage, launch, newContext, signIn, waitForPage } from './browser';

const t = useTestEnvironment();
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('the DASH risk checklist', () => {
  it('a supervisor completes it on a phone: the tally follows the answers, 14 "yes" is high risk with MARAC next, and the concern becomes immediate', { timeout: 180_000 }, async () => {
    const champion = await t.tokenFor('champion-a1');
    const contact = await t.api('POST', '/contacts', { token: champion, body: validContact() });
    expect(contact.status).toBe(201);
    const raised = await t.api('POST', `/contacts/${contact.body.id}/escalations`, { token: champion, body: { reason: 'asks_for_specialist_support', consent: 'yes' } });
    expect(raised.status).toBe(201);
    expect(raised.body.priority).toBe('standard');

    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'supervisor-a');
    await page.locator(`a[data-route="escalation"][data-param="${raised.body.id}"]`).first().click();
    await waitForPage(page);
    await page.getByRole('link', { name: 'Complete the DASH risk checklist' }).click();
    await waitForPage(page);
    expect(await page.title()).toBe('Risk checklist – Waymark');
    const tally = page.locator('#dash-tally');
    expect(await tally.textContent()).toContain('0 of 24');
    await checkPage(page, 'risk-checklist');

    // Saving with questions unanswered names them.
    await page.getByRole('button', { name: 'Save the checklist' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('Answer question 1');

    for (let n = 1; n <= 24; n += 1) {
      await page.locator(`input[name="q${n}"][value="${n <= 14 ? 'yes' : n <= 20 ? 'no' : 'not_known'}"]`).check();
      if (n === 13) expect(await tally.textContent()).toContain('Medium risk');
    }
    expect(await tally.textContent()).toMatch(/24 of 24.*14 “yes”/s);
    expect(await tally.textContent()).toContain('High risk');
    await page.getByRole('button', { name: 'Save the checklist' }).click();
    await page.locator('#dash-result').waitFor();
    expect(await page.locator('#dash-result').textContent()).toBe('High risk: 14 “yes” of 24');
    expect(await page.locator('#app').textContent()).toContain('refer to MARAC');
    await checkPage(page, 'risk-checklist-result');

    const after = await t.api('GET', `/escalations/${raised.body.id}`, { token: await t.tokenFor('supervisor-a') });
    expect(after.body).toMatchObject({ priority: 'immediate', riskAssessment: { score: 14, notKnown: 4, level: 'high' } });
    await context.close();
  });
});
