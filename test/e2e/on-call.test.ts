/**
 * The on-call setting in a real browser (Debian Chromium via playwright-core): an admin sets the on-call address and
 * the office hours; a bad time is refused naming the field; axe-core and reflow at 320, 390 and 1280 px.
 */
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

describe('the on-call setting', () => {
  it('an admin sets the on-call address and office hours; a bad time names its field', { timeout: 180_000 }, async () => {
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'admin');
    await openFromNav(page, 'on-call');
    await waitForPage(page);
    expect(await page.title()).toBe('On call – Waymark');
    expect(await page.locator('#app').textContent()).toContain('None set');
    await checkPage(page, 'on-call');

    await page.getByLabel('On-call address').fill('dasv-on-call@council.example');
    await page.getByLabel('Saturday').check();
    await page.getByLabel('Office hours end (UK time)').fill('5pm');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toMatch(/end of the working day/i);

    await page.getByLabel('Office hours end (UK time)').fill('17:30');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.govuk-notification-banner--success').waitFor();
    const shown = (await page.locator('#app').textContent()) ?? '';
    expect(shown).toContain('dasv-on-call@council.example');
    expect(shown).toContain('Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, 09:00 to 17:30');
    await checkPage(page, 'on-call-saved');

    const stored = await t.api('GET', '/settings/on-call', { token: await t.tokenFor('admin') });
    expect(stored.body).toMatchObject({ email: 'dasv-on-call@council.example', officeHours: { days: [1, 2, 3, 4, 5, 6], from: '09:00', to: '17:30' }, source: 'setting' });
    await context.close();
  });
});

describe('a supervisor\'s email notifications', () => {
  it('a supervisor on a small screen chooses the priorities they are emailed about', { timeout: 180_000 }, async () => {
    const context = await newContext(browser, 'small');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'supervisor-a');
    await openFromNav(page, 'notification-settings');
    await waitForPage(page);
    expect(await page.title()).toBe('Email notifications – Waymark');
    // Every priority until they choose.
    for (const p of ['Immediate', 'High', 'Standard']) expect(await page.getByLabel(p, { exact: true }).isChecked()).toBe(true);
    await checkPage(page, 'notification-settings');
    await page.getByLabel('Standard', { exact: true }).uncheck();
    await page.getByLabel('High', { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.govuk-notification-banner--success').waitFor();
    expect(await page.getByLabel('Standard', { exact: true }).isChecked()).toBe(false);
    const stored = await t.api('GET', '/users/me/notifications', { token: await t.tokenFor('supervisor-a') });
    expect(stored.body).toEqual({ priorities: ['immediate'] });
    await context.close();
  });
});
