/**
 * Community languages in a real browser (issue 21): a champion switches their
 * pages to Arabic (the switch names each language in itself), the choice
 * lives in their profile on the server and nothing in the browser; they log a
 * contact and show the person a signposting card in Polish. Every champion
 * page is checked with axe in Arabic and in Urdu, and rendered in the two
 * pseudo-locales (accented and 40% longer; right to left) at 320 px without
 * being wider than the screen, photographed into test-results/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../support/environment';
import { checkPage, launch, newContext, openFromNav, SCREENSHOT_DIR, signIn, sizes, storageOf, waitForPage } from './browser';

const t = useTestEnvironment();
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Chooses a language in the switch above the page and waits for the page to speak it. */
async function chooseLanguage(page: Page, code: string, tag: string): Promise<void> {
  await page.selectOption('#wm-lang-select', code);
  await page.click('#wm-lang-form button[type="submit"]');
  await page.waitForFunction((lang) => document.documentElement.lang === lang, tag);
  await waitForPage(page);
}

/** Chooses the first strand the champion is trained for, and the first answer of each question it reveals. */
async function chooseStrand(page: Page): Promise<void> {
  await page.check('#field-strands');
  for (const id of ['#field-dasvForms', '#field-hateMotivations', '#field-hateIncidentKinds']) {
    if (await page.locator(id).isVisible()) await page.check(id);
  }
}

/** Logs a DASV contact by the form's controls (whatever language labels them) and waits for "Contact saved". */
async function logContact(page: Page): Promise<string> {
  await openFromNav(page, 'log-contact');
  await page.check('#field-setting');
  await chooseStrand(page);
  await page.check('#field-priorHelp');
  await page.check('#field-beforePoliceOrEmergency');
  await page.locator('.wm-service:not([hidden]) input[name="signposting"]').first().check();
  await page.locator('.wm-service:not([hidden]) input[name="signposting"]').nth(1).check();
  await page.click('#contact-form button[type="submit"]');
  await waitForPage(page);
  await page.click('#save-contact button[type="submit"]');
  await page.locator('.govuk-panel__title').waitFor();
  return ((await page.locator('.wm-reference').textContent()) ?? '').trim();
}

/**
 * Every page of the champion's, in the order a champion meets them: `visit` is called on each
 * (after it has rendered) with the page's name.
 */
async function everyChampionPage(page: Page, visit: (name: string) => Promise<void>): Promise<void> {
  await openFromNav(page, 'champion-home');
  await visit('champion-home');
  await openFromNav(page, 'log-contact');
  await visit('log-contact');
  await page.check('#field-setting');
  await chooseStrand(page);
  await page.check('#field-priorHelp');
  await page.check('#field-beforePoliceOrEmergency');
  await page.check('#field-riskFlags');
  await page.locator('.wm-service:not([hidden]) input[name="signposting"]').first().check();
  await page.fill('#field-note', 'Met after the class; wants leaflets.');
  await page.click('#contact-form button[type="submit"]');
  await waitForPage(page);
  await visit('check-contact');
  await page.click('#save-contact button[type="submit"]');
  await page.locator('.govuk-panel__title').waitFor();
  await visit('contact-saved');
  await page.click('#card-form button[type="submit"]');
  await page.locator('.wm-card').waitFor();
  await visit('signposting-card');
  await page.click('#wm-card-close');
  await page.locator('.govuk-panel__title').waitFor();
  await page.locator('a[data-route="raise-concern"]').last().click();
  await page.locator('#concern-form').waitFor();
  await visit('raise-concern');
  await page.check('#field-reason-5');
  await page.check('#field-consent');
  await page.click('#concern-form button[type="submit"]');
  await page.locator('.govuk-panel__title').waitFor();
  await visit('concern-raised');
  await openFromNav(page, 'my-concerns');
  await visit('my-concerns');
  await openFromNav(page, 'my-contacts');
  await visit('my-contacts');
  await openFromNav(page, 'my-training');
  await visit('my-training');
}

describe('the champion\'s language', () => {
  it('switches to Arabic by its own name, right to left; kept in the profile, not the browser; a card in Polish', { timeout: 300_000 }, async () => {
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'champion-a1');
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['en-GB', 'ltr']);
    // Each language by its own name.
    const names = await page.locator('#wm-lang-select option').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['English', 'العربية', 'اردو', 'Polski', 'Română', 'Lietuvių', 'Português', 'ਪੰਜਾਬੀ', 'Soomaali']));
    expect(await page.locator('#wm-lang-draft').count()).toBe(0);

    await chooseLanguage(page, 'ar', 'ar');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.locator('#app h1').textContent()).toContain('مرحباً');
    expect(await page.locator('#wm-lang-draft').textContent()).toContain('ترجمة مبدئية');
    expect(await page.locator('.govuk-exit-this-page__button').textContent()).toContain('اخرج من هذه الصفحة');
    expect(await page.title()).toBe('الرئيسية – Waymark');
    // Remembered on the server, nowhere in the browser.
    const me = await t.api('GET', '/champions/me', { token: await t.tokenFor('champion-a1') });
    expect(me.body.champion.uiLanguage).toBe('ar');
    expect(await storageOf(page)).toMatchObject({ local: 0, session: 0, cookie: '', indexedDb: 0 });

    // A contact logged in Arabic; the card shown in Polish, the person's language.
    const reference = await logContact(page);
    expect(reference).toMatch(/^WM-[0-9A-Z]{4}-[0-9A-Z]{2}$/);
    expect(await page.locator('.govuk-panel__title').textContent()).toBe('تم حفظ التواصل');
    await page.selectOption('#field-cardLanguage', 'pl');
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().includes('/assets/')) requests.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await page.click('#card-form button[type="submit"]');
    const card = page.locator('.wm-card');
    await card.waitFor();
    expect(await card.getAttribute('lang')).toBe('pl');
    expect(await card.getAttribute('dir')).toBe('ltr');
    expect(await card.locator('h1').textContent()).toBe('Gdzie możesz uzyskać pomoc');
    expect(await card.textContent()).toContain(reference);
    expect(await card.textContent()).toContain('Krajowa infolinia');
    const tel = await card.locator('a[href^="tel:"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(tel).toContain('tel:08082000247');
    expect(requests).toEqual([]); // nothing fetched, nothing stored
    // Full screen: no header, navigation or switch; Exit this page stays.
    expect(await page.locator('.govuk-header').isVisible()).toBe(false);
    expect(await page.locator('#wm-nav').isVisible()).toBe(false);
    expect(await page.locator('.govuk-exit-this-page__button').isVisible()).toBe(true);
    await checkPage(page, 'card-pl-from-ar');
    await page.click('#wm-card-close');
    await page.locator('.govuk-panel__title').waitFor();
    expect(await page.locator('.govuk-header').isVisible()).toBe(true);

    // A new sign-in (a reload forgets everything in the browser) opens in Arabic again: the profile remembers.
    await page.reload();
    await signIn(page, t.env.url, 'champion-a1');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar');
    await chooseLanguage(page, 'en', 'en-GB');
    expect(await page.locator('#app h1').textContent()).toContain('Hello');
    await context.close();
  });

  it('supervisors\' pages say they are in English only', { timeout: 120_000 }, async () => {
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'supervisor-a');
    expect(await page.locator('#wm-lang').textContent()).toContain('in English only');
    expect(await page.locator('#wm-lang-select').count()).toBe(0);
    await context.close();
  });
});

describe('the admin\'s Languages page', () => {
  it('lists each language with its review status and untranslated strings; writes a service\'s description in Somali', { timeout: 180_000 }, async () => {
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'admin');
    await openFromNav(page, 'languages');
    const untranslated = await page.locator('.wm-wide [data-untranslated]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-untranslated'), e.textContent]));
    expect(untranslated.map(([code]) => code)).toEqual(['en', 'ar', 'ur', 'pl', 'ro', 'lt', 'pt', 'pa', 'so']);
    expect(untranslated.every(([, n]) => n === '0')).toBe(true);
    expect(await page.locator('.wm-wide table').first().textContent()).toContain('Draft');
    await checkPage(page, 'admin-languages');
    await page.locator('.wm-wide a[data-route="service-descriptions"][data-param="service-citizens-advice"]').click();
    await page.locator('#descriptions-form').waitFor();
    expect(await page.inputValue('#field-description-en')).toContain('Free, independent advice');
    await page.fill('#field-description-so', 'Talo bilaash ah oo madax-bannaan oo ku saabsan lacagta, guryaha iyo xuquuqdaada.');
    await checkPage(page, 'admin-service-descriptions');
    await page.click('#descriptions-form button[type="submit"]');
    await page.locator('.govuk-notification-banner--success').waitFor();
    const services = await t.api('GET', '/services?limit=100', { token: await t.tokenFor('champion-a1') });
    const advice = services.body.items.find((s: { id: string }) => s.id === 'service-citizens-advice');
    expect(advice.descriptions.so).toBe('Talo bilaash ah oo madax-bannaan oo ku saabsan lacagta, guryaha iyo xuquuqdaada.');
    expect(advice.descriptions.en).toContain('Free, independent advice');
    await context.close();
  });
});

describe.each([
  ['ar', 'ar'],
  ['ur', 'ur'],
])('every champion page in %s', (code, tag) => {
  it('passes axe, fits 320 px and keeps Exit this page on screen', { timeout: 600_000 }, async () => {
    const context = await newContext(browser, 'mobile');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'champion-a2');
    await chooseLanguage(page, code, tag);
    await everyChampionPage(page, (name) => checkPage(page, `${code}-${name}`));
    await chooseLanguage(page, 'en', 'en-GB');
    await context.close();
  });
});

describe.each([
  ['en-XA', 'ltr'],
  ['ar-XB', 'rtl'],
])('every champion page in the pseudo-locale %s', (code, dir) => {
  it('renders at 320 px without being wider than the screen', { timeout: 300_000 }, async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const context = await newContext(browser, 'small');
    const page = await context.newPage();
    await signIn(page, t.env.url, 'champion-b1');
    await chooseLanguage(page, code, code);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe(dir);
    expect(await page.locator('#app h1').textContent()).toMatch(code === 'en-XA' ? /Ħḗŀŀǿ/ : /\u202e/);
    const seen: string[] = [];
    await everyChampionPage(page, async (name) => {
      seen.push(name);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${name} in ${code} is ${width} px wide at 320 px`).toBeLessThanOrEqual(sizes.small.width);
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${code}-${name}-320.png`), fullPage: true });
    });
    expect(seen).toHaveLength(10);
    await chooseLanguage(page, 'en', 'en-GB');
    await context.close();
  });
});
