import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium, driven by playwright-core (never a downloaded browser build). */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const sizes = {
  small: { width: 320, height: 640 },
  mobile: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const;

export const SCREENSHOT_DIR = join(new URL('../../', import.meta.url).pathname, 'test-results', 'screenshots');

/** Where "Exit this page" goes; the test answers for it, so no request leaves the machine. */
export const EXIT_URL = 'https://www.bbc.co.uk/weather';

export const launch = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });

/** A fresh context (no shared storage) that answers for the neutral exit site and blocks every other outside request. */
export async function newContext(browser: Browser, size: keyof typeof sizes = 'mobile'): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: sizes[size] });
  context.setDefaultTimeout(10_000);
  await context.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (route) => {
    if (route.request().url().startsWith('https://www.bbc.co.uk/')) {
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Weather</title><h1>Weather</h1>' });
    }
    return route.abort();
  });
  return context;
}

/** Signs in through the web app's PKCE flow on the development identity provider's page. */
export async function signIn(page: Page, origin: string, username: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/idp\/authorize\?/);
  await page.getByRole('button', { name: `Sign in as ${username}` }).click();
  await page.waitForFunction(() => document.querySelector('#wm-nav:not([hidden])') !== null && !document.querySelector('#app[aria-busy]') && document.querySelector('#app h1') !== null);
}

/** Goes to a page through the service navigation and waits for it to render. */
export async function openFromNav(page: Page, routeId: string): Promise<void> {
  // On a phone the service navigation folds behind its "Menu" button. Right after a change of viewport the menu may
  // not have caught up with the media query yet, so open it until the link shows rather than trusting one look.
  const link = page.locator(`#wm-nav a[data-route="${routeId}"]`);
  const toggle = page.locator('#wm-nav .govuk-service-navigation__toggle');
  // Right after sign-in the navigation is still hidden until the app knows who is signed in: wait for it first (a
  // loop that found neither the link nor the toggle visible did nothing, and the click then waited on a folded menu).
  await page.waitForFunction(() => document.getElementById('wm-nav')?.hidden === false, undefined, { timeout: 15_000 });
  // The menu can also fold again between the look and the tap (the navigation is drawn again when the page's words
  // arrive): tap with a short wait, and on a miss open the menu and tap again.
  for (let attempt = 0; ; attempt++) {
    if (!(await link.isVisible()) && (await toggle.isVisible())) {
      if ((await toggle.getAttribute('aria-expanded')) === 'true') await toggle.click(); // open but hidden: close first
      await toggle.click();
    }
    try {
      await link.click({ timeout: 3_000 });
      break;
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
  await waitForPage(page);
}

export async function waitForPage(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('#app[aria-busy]') && document.querySelector('#app h1, #app .govuk-panel__title') !== null);
}

export interface PageCheck {
  name: string;
  size: keyof typeof sizes;
  violations: { id: string; impact: string | null | undefined; nodes: string[] }[];
}

export const checks: PageCheck[] = [];

/**
 * At 320, 390 and 1280 px: axe-core, a screenshot into test-results/screenshots/, and reflow (WCAG 1.4.10):
 * the page is never wider than the screen.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const viewport = page.viewportSize();
  for (const size of ['small', 'mobile', 'desktop'] as const) {
    await page.setViewportSize(sizes[size]);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${name} at ${sizes[size].width} px is ${width} px wide`).toBeLessThanOrEqual(sizes[size].width);
    // Exit this page is on screen wherever the page is scrolled to (it is sticky).
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const exit = await page.locator('.govuk-exit-this-page__button').first().boundingBox();
    expect(exit && exit.y >= 0 && exit.y + exit.height <= sizes[size].height, `${name}: Exit this page on screen at the bottom of the page at ${sizes[size].width} px`).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    const result = await new AxeBuilder({ page }).analyze();
    const violations = result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
    checks.push({ name, size, violations });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${sizes[size].width}x${sizes[size].height}.png`), fullPage: true });
    expect(violations, `axe on ${name} at ${size}`).toEqual([]);
  }
  // Back to the size the test was using: a desktop journey goes on at desktop width (tables, not cards).
  await page.setViewportSize(viewport ?? sizes.mobile);
  // The page hears the media-query change (GOV.UK's service navigation folds or unfolds the phone menu) in a
  // rendering step after setViewportSize returns: let two frames pass, so the next look sees the layout it will get.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Everything script can read from this origin's storage. */
export async function storageOf(page: Page): Promise<{ local: number; session: number; cookie: string; indexedDb: number; values: string }> {
  return page.evaluate(async () => {
    const values = [...Object.values(localStorage), ...Object.values(sessionStorage)].join('\n');
    const dbs = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : [];
    return { local: localStorage.length, session: sessionStorage.length, cookie: document.cookie, indexedDb: dbs.length, values };
  });
}

/** Presses Tab until the focused element matches `selector` (keyboard only; fails after `max` presses). */
export async function tabTo(page: Page, selector: string, max = 250): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`keyboard: never reached ${selector}`);
}
