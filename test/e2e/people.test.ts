/**
 * The People pages in a real browser: an admin invites a supervisor; a supervisor invites a champion of their team
 * and suspends one of their champions after a page that asks first. Each page is checked with axe-core and
 * photographed (browser.ts).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDirectoryFile } from '../../shared/store/directory-file';
import { findDemoUser } from '../../infra/local/demo-users';
import { useTestEnvironment } from '../support/environment';
import { checkPage, launch, newContext, openFromNav, signIn } from './browser';

const t = useTestEnvironment();
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('people', () => {
  it('admin: sees everyone and invites the first supervisor of a team', { timeout: 240_000 }, async () => {
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'admin');
    await openFromNav(page, 'people');
    await expect.poll(() => page.locator('#app table').textContent()).toContain('Sade Supervisor (B)');
    await checkPage(page, 'people');
    await page.click('[data-invite]');
    await page.getByRole('heading', { name: 'Invite a person' }).waitFor();
    await checkPage(page, 'invite-person');
    await page.selectOption('#field-role', 'supervisor');
    await page.click('#invite-form button[type="submit"]');
    expect(await page.locator('.govuk-error-summary').textContent()).toMatch(/name|email|team/i);
    await page.selectOption('#field-teamId', 'team-b');
    await page.fill('#field-displayName', 'Priya Newsupervisor');
    await page.fill('#field-email', 'priya.new@example.org');
    await page.click('#invite-form button[type="submit"]');
    await page.locator('.govuk-notification-banner--success', { hasText: 'Invitation sent to Priya Newsupervisor' }).waitFor();
    const account = readDirectoryFile(process.env['SIGN_IN_DIRECTORY_FILE'] as string).find((a) => a.email === 'priya.new@example.org');
    expect(account).toMatchObject({ groups: ['supervisor'], team: 'team-b', enabled: true });
    await context.close();
  });

  it('supervisor: their champions only; invites a champion; suspends one after confirming', { timeout: 240_000 }, async () => {
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'supervisor-a');
    await openFromNav(page, 'people');
    await expect.poll(() => page.locator('#app').textContent()).toContain('Arjun Champion (A2)');
    expect(await page.locator('#app').textContent()).not.toContain('Bola Champion (B1)');
    await checkPage(page, 'supervisor-people');
    await page.click('[data-invite]');
    await page.getByRole('heading', { name: 'Invite a champion' }).waitFor();
    await page.fill('#field-displayName', 'Musa Newchampion');
    await page.fill('#field-email', 'musa.new@example.org');
    await page.selectOption('#field-organisationId', 'org-demo-central-mosque');
    await page.check('#field-strands');
    await page.click('#invite-form button[type="submit"]');
    await page.locator('.govuk-notification-banner--success', { hasText: 'Invitation sent to Musa Newchampion' }).waitFor();

    await page.getByRole('link', { name: 'Arjun Champion (A2)' }).click();
    await page.getByRole('heading', { name: 'Arjun Champion (A2)' }).waitFor();
    expect(await page.locator('#app').textContent()).toContain('champion-a2@waymark.invalid');
    await checkPage(page, 'person');
    await page.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('heading', { name: 'Are you sure you want to suspend Arjun Champion (A2)?' }).waitFor();
    await checkPage(page, 'confirm-status');
    // Going back changes nothing.
    await page.getByRole('link', { name: 'No, go back' }).click();
    await page.getByRole('heading', { name: 'Arjun Champion (A2)' }).waitFor();
    const sub = findDemoUser('champion-a2')!.sub;
    const directory = () => readDirectoryFile(process.env['SIGN_IN_DIRECTORY_FILE'] as string).find((a) => a.sub === sub);
    expect(directory()?.enabled).toBe(true);
    await page.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('button', { name: 'Yes, suspend' }).click();
    await page.locator('.govuk-notification-banner--success', { hasText: 'suspended' }).waitFor();
    expect(directory()?.enabled).toBe(false);
    await context.close();
  });
});
