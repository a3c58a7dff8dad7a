/**
 * Waymark in the field, measured (issue 20): Lighthouse (mobile) on every
 * signed-in page state through a user flow, and the four scripted journeys
 * in taps and page height at 390 px.
 *
 *   npm start                                    # in another terminal (PORT=… to move it)
 *   npm i --no-save -E lighthouse@12.2.3         # once: Lighthouse is not a dependency of the product
 *   npx tsx bench/field.ts [--url=http://localhost:3000] [--out=DIR] [--sources]
 *
 * Chromium is Debian's (/usr/bin/chromium, CHROMIUM_PATH to change it). Each
 * signed-in state is a timespan (the tap that reaches it: layout shift)
 * followed by a snapshot (accessibility, best practices): a navigation would
 * reload the app, which keeps nothing across a reload, and sign the person out.
 * Writes field.json and the flow's HTML report to --out (default bench/out).
 * Its page in BENCHMARKS.md (§9) is kept in bench/field.md, written from a
 * run's table; `npm run bench` carries it in as written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const origin = arg('url', 'http://localhost:3000');
const out = arg('out', join(new URL('.', import.meta.url).pathname, 'out'));
const lighthousePath = process.env['LIGHTHOUSE_PATH'] ?? 'lighthouse';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const { startFlow, desktopConfig: _d } = (await import(lighthousePath)) as Any;
const puppeteer = (await import(process.env['PUPPETEER_PATH'] ?? 'puppeteer-core')) as Any;

const browser = await puppeteer.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});

interface StepResult {
  journey: string;
  step: string;
  accessibility?: number;
  bestPractices?: number;
  cls?: number;
  /** Layout shift outside the half second after each tap (Core Web Vitals' definition). */
  clsWithoutTaps?: number;
  /** What moved while reaching the state (every layout-shift entry, taps' included): node, from → to (y, height). */
  shifts?: string[];
  height: number;
}
const results: StepResult[] = [];
const journeys: { journey: string; taps: number; pages: number; tallest: number; total: number }[] = [];

async function settle(page: Any): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('#app[aria-busy]') && document.querySelector('#app h1, #app .govuk-panel__title') !== null, { timeout: 60_000 }); // a loaded shared machine
  await new Promise((r) => setTimeout(r, 400));
}

async function signIn(page: Any, user: string): Promise<void> {
  await page.goto(`${origin}/`, { waitUntil: 'networkidle0' });
  await page.click('button[data-action="sign-in"]');
  await page.waitForSelector('form[action="/idp/authorize"]');
  const buttons = await page.$$('form[action="/idp/authorize"]');
  for (const form of buttons) {
    const value = await form.$eval('input[name="user"]', (el: HTMLInputElement) => el.value);
    if (value === user) {
      await Promise.all([page.waitForNavigation(), form.$eval('button', (b: HTMLButtonElement) => b.click())]);
      break;
    }
  }
  await settle(page);
}

async function run(journey: string, user: string, steps: { name: string; taps: number; act: (page: Any) => Promise<void> }[]): Promise<void> {
  const page = await browser.newPage();
  await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
  page.on('dialog', (d: Any) => void d.accept());
  // Layout shift as Core Web Vitals count it: shifts within half a second of a tap (Chrome marks them
  // hadRecentInput: a menu opening, a panel the tap asked for) are left out. Lighthouse's timespan counts them.
  // Every entry's sources are kept too: the nodes that moved, to find what to fix.
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as { __wmShift: number; __wmSources: string[] };
    w.__wmShift = 0;
    w.__wmSources = [];
    type Source = { node?: Node; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly };
    // No named functions in here: tsx would wrap them in a helper the page does not have.
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean; sources: Source[] }[]) {
        if (!e.hadRecentInput) w.__wmShift += e.value;
        if (e.value >= 0.001) {
          const moved = e.sources.map((s) => {
            const n = s.node;
            const what = !n
              ? '?'
              : n instanceof Element
                ? `${n.tagName.toLowerCase()}${n.id ? `#${n.id}` : ''}${typeof n.className === 'string' && n.className ? `.${n.className.trim().split(/\s+/).slice(0, 2).join('.')}` : ''}`
                : `#text "${(n.textContent ?? '').slice(0, 24)}"`;
            return `${what} y ${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)} h ${Math.round(s.previousRect.height)}→${Math.round(s.currentRect.height)}`;
          });
          w.__wmSources.push(`${e.value.toFixed(3)}${e.hadRecentInput ? ' (after a tap)' : ''}: ${moved.join('; ')}`);
        }
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await signIn(page, user);
  const flow = await startFlow(page, {
    name: journey,
    config: { extends: 'lighthouse:default', settings: { formFactor: 'mobile', screenEmulation: { mobile: true, width: 390, height: 844, deviceScaleFactor: 3, disabled: false }, onlyCategories: ['accessibility', 'best-practices', 'performance'] } },
  });
  let taps = 0;
  let tallest = 0;
  let total = 0;
  const measure = async (step: string) => {
    const height = (await page.evaluate(() => document.documentElement.scrollHeight)) as number;
    tallest = Math.max(tallest, height);
    total += height;
    return height;
  };
  // The first page after sign-in.
  await flow.snapshot({ name: `${journey}: first page` });
  results.push({ journey, step: 'first page', height: await measure('first page') });
  for (const s of steps) {
    await flow.startTimespan({ name: `${journey}: ${s.name} (reaching it)` });
    await page.evaluate(() => {
      const w = window as unknown as { __wmShift: number; __wmSources: string[] };
      w.__wmShift = 0;
      w.__wmSources = [];
    });
    await s.act(page);
    await settle(page);
    const [shift, shifts] = (await page.evaluate(() => {
      const w = window as unknown as { __wmShift: number; __wmSources: string[] };
      return [w.__wmShift, w.__wmSources];
    })) as [number, string[]];
    await flow.endTimespan();
    await flow.snapshot({ name: `${journey}: ${s.name}` });
    taps += s.taps;
    results.push({ journey, step: s.name, height: await measure(s.name), clsWithoutTaps: shift, shifts });
  }
  const flowResult = await flow.createFlowResult();
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `field-${journey.replace(/\W+/g, '-')}.json`), JSON.stringify(flowResult));
  for (const step of flowResult.steps as Any[]) {
    const lhr = step.lhr;
    const name = String(step.name).replace(`${journey}: `, '');
    const base = name.replace(/ \(reaching it\)$/, '');
    const r = results.find((x) => x.journey === journey && x.step === base);
    if (!r) continue;
    if (lhr.gatherMode === 'timespan') r.cls = lhr.audits['cumulative-layout-shift']?.numericValue ?? 0;
    else {
      r.accessibility = Math.round((lhr.categories.accessibility?.score ?? 0) * 100);
      r.bestPractices = Math.round((lhr.categories['best-practices']?.score ?? 0) * 100);
    }
  }
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `field-${journey.replace(/\W+/g, '-')}.html`), await flow.generateReport());
  journeys.push({ journey, taps, pages: steps.length + 1, tallest, total });
  await page.close();
}

const nav = (route: string) => async (page: Any) => {
  const toggle = await page.$('#wm-nav .govuk-service-navigation__toggle:not([hidden])');
  if (toggle && (await toggle.evaluate((b: HTMLElement) => b.getAttribute('aria-expanded') !== 'true' && b.offsetParent !== null))) await toggle.click();
  await page.click(`#wm-nav a[data-route="${route}"]`);
};
/**
 * Answers a form as a person does: each question read before it is answered, so no answer comes within half a second
 * of the one before or of the page appearing. (Taps 30 ms apart, as puppeteer makes them, put the DASV strand's
 * reveal — a GOV.UK conditional reveal the tap asked for — inside the first 500 ms of the timespan, where Lighthouse
 * counts even shifts Chrome marks hadRecentInput: a rule meant for the resize its own emulation causes at a trace's
 * start (lighthouse core/computed/metrics/cumulative-layout-shift.js, RECENT_INPUT_WINDOW). Every shift, tapped or
 * not, is still listed with its nodes by --sources.)
 */
async function answer(page: Any, selectors: readonly string[]): Promise<void> {
  for (const selector of selectors) {
    await new Promise((r) => setTimeout(r, 600));
    await page.click(selector);
  }
}
/** A tap, as a person makes it (a trusted input: the half second after it is the tap's grace for layout shift). */
const click = (selector: string) => async (page: Any) => {
  await page.click(selector);
};

// 1. Log a contact (the fewest answers a contact needs), and every page a champion has.
await run('log a contact', 'champion-a1', [
  { name: 'log a contact', taps: 2, act: nav('log-contact') },
  {
    name: 'check your answers',
    taps: 6,
    act: async (page) => {
      await answer(page, ['#field-setting', '#field-strands', '#field-dasvForms', '#field-priorHelp', '#field-beforePoliceOrEmergency', '.wm-service:not([hidden]) input[name="signposting"]']);
      await page.click('#contact-form button[type="submit"]');
    },
  },
  { name: 'contact saved', taps: 1, act: click('#save-contact button[type="submit"]') },
  { name: 'my contacts', taps: 2, act: nav('my-contacts') },
  { name: 'my concerns', taps: 2, act: nav('my-concerns') },
  { name: 'my training', taps: 2, act: nav('my-training') },
]);
// 2. Raise an immediate concern: a contact with immediate danger, then the one-tap offer.
await run('raise an immediate concern', 'champion-a1', [
  { name: 'log a contact', taps: 2, act: nav('log-contact') },
  {
    name: 'check your answers (immediate danger)',
    taps: 7,
    act: async (page) => {
      await answer(page, ['#field-setting', '#field-strands', '#field-dasvForms', '#field-priorHelp', '#field-beforePoliceOrEmergency', '#field-riskFlags', '.wm-service:not([hidden]) input[name="signposting"]']);
      await page.click('#contact-form button[type="submit"]');
    },
  },
  { name: 'contact saved: the offer', taps: 1, act: click('#save-contact button[type="submit"]') },
  { name: 'concern raised', taps: 1, act: click('#raise-immediate button[type="submit"]') },
]);
// 3. Triage to close (the supervisor's pages on the way).
await run('triage to close', 'supervisor-a', [
  {
    name: 'a concern',
    taps: 1,
    // The first concern still to triage (the one raised above, on a fresh start; a second run finds an older one).
    act: async (page) => {
      const cards = await page.$$('.wm-cards .govuk-summary-card');
      for (const card of cards) {
        if (!(await card.evaluate((c: HTMLElement) => /Awaiting triage/.test(c.textContent ?? '')))) continue;
        const link = await card.$('a[data-route="escalation"]');
        if (link) return link.click();
      }
      throw new Error('no concern to triage on the caseload');
    },
  },
  {
    name: 'triaged',
    taps: 3,
    act: async (page) => {
      await page.click('#actions button[data-to="triaged"]');
      await page.waitForSelector('#field-targetServiceKind');
      await page.select('#field-targetServiceKind', 'idva');
      await page.click('#transition-form button[type="submit"]');
      await page.waitForSelector('.govuk-notification-banner--success');
    },
  },
  { name: 'team contacts', taps: 1, act: nav('team-contacts') },
  { name: 'champions', taps: 1, act: nav('champions') },
]);
// 4. The commissioner's headline: the first page is the figures.
await run('commissioner headline', 'commissioner', []);

await browser.close();
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'field.json'), JSON.stringify({ origin, results, journeys }, null, 2));
console.log('| journey | page state | accessibility | best practices | CLS (Lighthouse timespan) | CLS without the half second after a tap | height at 390 px |');
console.log('|---|---|---:|---:|---:|---:|---:|');
const cls = (n: number | undefined) => (n === undefined ? '' : n.toFixed(3));
for (const r of results) console.log(`| ${r.journey} | ${r.step} | ${r.accessibility ?? ''} | ${r.bestPractices ?? ''} | ${cls(r.cls)} | ${cls(r.clsWithoutTaps)} | ${r.height} |`);
console.log('\n| journey | taps | pages | tallest page (px) | all pages (px) |');
console.log('|---|---:|---:|---:|---:|');
for (const j of journeys) console.log(`| ${j.journey} | ${j.taps} | ${j.pages} | ${j.tallest} | ${j.total} |`);
if (process.argv.includes('--sources')) {
  console.log('\nWhat moved while reaching each state (layout-shift entries of 0.001 or more; y and height in CSS px at 390 × 844):');
  for (const r of results) for (const line of r.shifts ?? []) console.log(`- ${r.journey} / ${r.step}: ${line}`);
}
