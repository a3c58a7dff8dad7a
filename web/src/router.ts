/**
 * Navigation inside the app. Each page is an entry in the browser's history,
 * so Back and Forward (and Android's back gesture) move between Waymark's
 * pages, but every entry has the same neutral address (`/`) and a plain
 * title: no page, record or filter is ever put in the URL, and the entry's
 * `history.state` holds only a number. What each entry shows (its route and
 * parameters, and what was typed into its forms) is kept in memory, so it is
 * gone with a reload, a sign-out or "Exit this page". Leaving a form that
 * holds unsaved answers asks first. Each page change sets a plain title,
 * moves focus to the new heading and announces it, as a full page load would.
 */
import { ApiError, SignedOutError } from './api';
import { html, type Html } from './dom';
import { ServiceNavigation } from 'govuk-frontend';
import { initComponents } from './govuk';
import { findRoute, homeRoute, navFor, routeTitle } from './routes';
import { t } from './i18n';
import { renderLanguageSwitch } from './language-switch';
import { onClear, session } from './session';
export interface NavigateOptions {
  /** Replace this page's history entry rather than add one (after a save: Back must not offer the form again). */
  replace?: boolean;
}

export interface PageContext {
  root: HTMLElement;
  /** This page's parameters; a page may keep things in them for when Back returns to it (memory only). */
  params: Record<string, unknown>;
  navigate(id: string, params?: Record<string, unknown>, options?: NavigateOptions): void;
  /** Goes back one page, as the browser's Back does, handing it `params` (e.g. field errors to show, a field to focus). */
  back(params?: Record<string, unknown>): void;
  render(content: Html): void;
  /** Sets the title of this page after rendering (e.g. "Error: " prefixes). */
  setTitle(title: string): void;
  /** Says this page holds answers that leaving would lose (a form's own typing is noticed without it). */
  setUnsaved(unsaved: boolean): void;
  /** Answers form `formId` opens with, unless the person already changed them on this page (then theirs are kept). */
  prefill(formId: string, values: [string, string][]): void;
}

/** One page in the history: what it shows, and what its forms held when it was left (memory only). */
interface Entry {
  route: string;
  params: Record<string, unknown>;
  forms?: FormSnapshot[];
  /** The forms hold answers the page gave them (a saved record's), not the person's: nothing to lose yet. */
  prefilled?: boolean;
}
type FormSnapshot = { id: string; values: [string, string][] };

let current = 0;
let currentRoute = '';
let showSignIn: (message?: string) => void = () => undefined;
/** The app's history entries by their number (`history.state.n`), and the one shown. */
let entries = new Map<number, Entry>();
let position = -1;
let nextNumber = 0;
let unsaved = false;

export const setSignInHandler = (fn: (message?: string) => void): void => {
  showSignIn = fn;
};

const appRoot = () => document.getElementById('app') as HTMLElement;

onClear(() => {
  current += 1;
  currentRoute = '';
  entries = new Map();
  position = -1;
  unsaved = false;
  const root = document.getElementById('app');
  if (root) root.innerHTML = '';
  renderNav();
});

export function renderPage(root: HTMLElement, content: Html, title: string, beforeInit?: (root: HTMLElement) => unknown): void {
  root.innerHTML = content.value;
  beforeInit?.(root);
  initComponents(root);
  document.title = `${title} – Waymark`;
  const heading = root.querySelector<HTMLElement>('h1');
  const target = heading ?? (document.getElementById('main-content') as HTMLElement);
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  // Someone in the open phone menu (opened while the page was loading, just after sign-in) stays there: taking
  // focus to the heading would close the menu under their finger.
  if (!menuHoldsFocus()) target.focus({ preventScroll: false });
  window.scrollTo(0, 0);
}

/** The person agreed to lose what this page holds: it is not kept for a return by Back or Forward either. */
let discardAnswers = false;

/** Does the person agree to lose what they typed (asked only when there is something to lose)? */
export function mayLeave(): boolean {
  if (!unsaved) return true;
  const ok = window.confirm(t('router.unsaved'));
  if (ok) {
    unsaved = false;
    discardAnswers = true;
  }
  return ok;
}

/**
 * Forms whose answers leaving would lose: not a list's filters, nor a choice that only shows something
 * (`data-not-answers`: the language of the signposting card), which is neither kept nor asked about.
 */
const ANSWERS = '#app form:not(#filter-form):not([data-not-answers])';

const snapshotForms = (): FormSnapshot[] =>
  [...appRoot().querySelectorAll<HTMLFormElement>('form[id]:not([data-not-answers])')].map((form) => ({
    id: form.id,
    values: [...form.elements]
      .filter((el): el is HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement => 'name' in el && 'value' in el && (el as HTMLInputElement).name !== '')
      .filter((el) => !(el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) || el.checked)
      .filter((el) => !(el instanceof HTMLInputElement && el.type === 'hidden'))
      .map((el) => [el.name, el.value] as [string, string]),
  }));

/** Puts back what a form held when its page was left (before GOV.UK Frontend starts, so conditional reveals follow). */
function restoreForms(root: HTMLElement, snapshots: readonly FormSnapshot[]): boolean {
  let restored = false;
  for (const snap of snapshots) {
    const form = root.querySelector<HTMLFormElement>(`form#${CSS.escape(snap.id)}`);
    if (!form) continue;
    for (const el of form.elements) {
      if (!('name' in el) || !(el as HTMLInputElement).name) continue;
      const input = el as HTMLInputElement;
      const values = snap.values.filter(([n]) => n === input.name).map(([, v]) => v);
      if (input.type === 'checkbox' || input.type === 'radio') input.checked = values.includes(input.value);
      else if (input.type !== 'hidden' && values[0] !== undefined) input.value = values[0];
    }
    restored ||= snap.values.length > 0;
  }
  return restored;
}

/** The page's own listeners (reveals, filters) hear each restored answer as if it had been given. */
function replayChanges(root: HTMLElement): void {
  for (const el of root.querySelectorAll<HTMLInputElement>('form[id] input:checked, form[id] select')) {
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }
}

function remember(): void {
  const entry = entries.get(position);
  if (!entry) return;
  if (discardAnswers) {
    discardAnswers = false;
    delete entry.forms;
    return;
  }
  entry.forms = snapshotForms();
  if (unsaved) delete entry.prefilled;
}

/** Shows the page of history entry `n` (Back, Forward or a new page). */
export function navigate(id: string, params: Record<string, unknown> = {}, options: NavigateOptions = {}): Promise<void> {
  remember();
  const n = options.replace && position >= 0 ? position : nextNumber++;
  if (options.replace && position >= 0) history.replaceState({ n }, '', '/');
  else history.pushState({ n }, '', '/');
  entries.set(n, { route: id, params });
  position = n;
  return show(n);
}

/** Back or Forward to an entry of this session: shown again from memory, or home if it is not known. */
function onPopState(event: PopStateEvent): void {
  const n = (event.state as { n?: unknown } | null)?.n;
  if (!session.me) return;
  if (typeof n !== 'number' || !entries.has(n)) {
    // The entry before the first page (where sign-in came back to): Back stays in the app, on the home page.
    history.pushState({ n: position }, '', '/');
    return;
  }
  if (!mayLeave()) {
    // Staying: the page shown gets its entry back (the pages after it are dropped, as after any new page).
    history.pushState({ n: position }, '', '/');
    return;
  }
  remember();
  position = n;
  void show(n);
}

let listening = false;
/** Starts history navigation: the page the app opens on becomes the first entry (called once signed in). */
export function startHistory(): void {
  if (!listening) {
    listening = true;
    window.addEventListener('popstate', onPopState);
    // Typing into a form means there is something to lose; leaving the page (reload, close) asks too.
    document.addEventListener('input', (e) => {
      if ((e.target as Element | null)?.closest?.(ANSWERS)) unsaved = true;
    });
    document.addEventListener('change', (e) => {
      if (e.isTrusted && (e.target as Element | null)?.closest?.(ANSWERS)) unsaved = true;
    });
    window.addEventListener('beforeunload', (e) => {
      if (unsaved && session.me) {
        e.preventDefault();
        e.returnValue = '';
      }
    });
  }
  // The entry sign-in came back to stays, as a guard: Back from the first page lands on it, and the app stays.
  history.replaceState({ guard: true }, '', '/');
}

/** Forgets what was typed on earlier visits to a page (after its answers were saved). */
export function forgetAnswers(routeId: string): void {
  for (const entry of entries.values()) if (entry.route === routeId) delete entry.forms;
}

/** Nothing the page holds is unsaved any more (signed out, exited). */
export const discardUnsaved = (): void => {
  unsaved = false;
};

async function show(n: number): Promise<void> {
  const entry = entries.get(n) as Entry;
  const id = entry.route;
  const params = entry.params;
  const me = session.me;
  if (!me) return showSignIn();
  const route = findRoute(id);
  const root = appRoot();
  const token = ++current;
  // A field typed in and still focused fires its change event when it loses focus, which replacing the page would
  // do later: let it fire now, into the page being left, and not mark the next page unsaved (Forward then asked).
  if (document.activeElement instanceof HTMLElement && appRoot().contains(document.activeElement)) document.activeElement.blur();
  unsaved = false;
  // The signposting card fills the screen; any other page brings the header and navigation back.
  document.body.classList.remove('wm-card-mode');
  let firstRender = true;
  if (!route || !route.roles.includes(me.role)) {
    renderPage(root, html`<h1 class="govuk-heading-l">${t('router.notFound')}</h1><p class="govuk-body">${t('router.notAvailable')}</p>`, t('router.notFound'));
    return;
  }
  currentRoute = id;
  renderNav();
  const ctx: PageContext = {
    root,
    params,
    navigate: (next, p, o) => {
      unsaved = false;
      void navigate(next, p, o);
    },
    back: (p = {}) => {
      unsaved = false;
      const previous = [...entries.keys()].filter((k) => k < n).pop();
      const before = previous === undefined ? undefined : entries.get(previous);
      if (before) Object.assign(before.params, p);
      history.back();
    },
    render: (content) => {
      if (token !== current) return;
      const snapshots = firstRender ? entry.forms : undefined;
      firstRender = false;
      // What the page's forms hold as rendered, before what was typed is put back: answers equal to it (a list's
      // filters at their defaults, a select left on its first option) are nothing to lose.
      let pristine = '';
      renderPage(root, content, routeTitle(route), (r) => {
        if (!snapshots) return false;
        pristine = JSON.stringify(snapshotForms());
        return restoreForms(r, snapshots);
      });
      if (snapshots?.length) {
        replayChanges(root);
        unsaved = !entry.prefilled && JSON.stringify(snapshotForms()) !== pristine;
      }
    },
    setTitle: (t) => {
      if (token === current) document.title = `${t} – Waymark`;
    },
    setUnsaved: (u) => {
      if (token === current) unsaved = u;
    },
    prefill: (formId, values) => {
      if (!entry.forms) {
        entry.forms = [{ id: formId, values }];
        entry.prefilled = true;
      }
    },
  };
  try {
    root.setAttribute('aria-busy', 'true');
    // The old page goes at once (within the tap's grace for layout shift); the new one fills an empty space. The
    // view goes to the top with it: a page left scrolled down (a form sent at its foot, answered a second later)
    // would otherwise be clamped to the short loading page, and the footer would jump into view.
    if (root.querySelector('h1, .govuk-panel')) {
      root.innerHTML = html`<p class="govuk-body wm-loading">${t('shell.loading')}</p>`.value;
      window.scrollTo(0, 0);
    }
    const page = await route.load();
    if (token !== current) return;
    await page(ctx);
  } catch (error) {
    if (token !== current) return;
    if (error instanceof SignedOutError) return showSignIn('Your session has ended. Sign in again.');
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
      renderPage(root, html`<h1 class="govuk-heading-l">${t('router.notFound')}</h1><p class="govuk-body">${t('router.noRecord')}</p>`, t('router.notFound'));
    } else {
      renderPage(
        root,
        html`<h1 class="govuk-heading-l">${t('router.problem')}</h1><p class="govuk-body">${error instanceof ApiError ? error.message : t('router.somethingWrong')}</p><p class="govuk-body">${t('router.tryLater')}</p>`,
        t('router.problemShort'),
      );
    }
  } finally {
    root.removeAttribute('aria-busy');
  }
}

export const goHome = (): void => {
  if (session.me) void navigate(homeRoute[session.me.role]);
};

/** A link or button of the app was chosen: go there, unless that would lose answers the person keeps. */
export function follow(id: string, params: Record<string, unknown> = {}): void {
  if (mayLeave()) void navigate(id, params);
}

/** Shows the page of this history entry again (the language changed): what its forms hold is kept. */
export function showAgain(): void {
  if (position < 0 || !entries.has(position)) return;
  remember();
  void show(position);
}

/** The service navigation for the signed-in role (hidden when signed out), and the language switch above it. */
export function renderNav(): void {
  const old = document.getElementById('wm-nav');
  if (!old) return;
  const me = session.me;
  renderLanguageSwitch();
  const who = document.getElementById('wm-who');
  if (who) who.textContent = me ? (me.role === 'champion' ? t('shell.roleChampion') : me.roleLabel) : '';
  // The same person moving between pages: only the current item changes (rebuilding it would fold the
  // phone menu and move the page under the person's finger: layout shift).
  if (me && old.dataset['role'] === me.role && old.dataset['lang'] === document.documentElement.lang) {
    for (const link of old.querySelectorAll<HTMLAnchorElement>('a[data-route]')) {
      const active = link.dataset['route'] === currentRoute;
      link.closest('li')?.classList.toggle('govuk-service-navigation__item--active', active);
      if (active) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
      const label = link.textContent ?? '';
      link.innerHTML = active ? html`<strong class="govuk-service-navigation__active-fallback">${label}</strong>`.value : html`${label}`.value;
    }
    return;
  }
  const section = document.createElement('section');
  section.id = 'wm-nav';
  section.className = 'govuk-service-navigation wm-nav';
  section.setAttribute('aria-label', t('shell.menu'));
  if (!me) {
    section.hidden = true;
    old.replaceWith(section);
    return;
  }
  const items = navFor(me.role).map((r) => {
    const active = r.id === currentRoute;
    return html`<li class="govuk-service-navigation__item${active ? ' govuk-service-navigation__item--active' : ''}"><a class="govuk-service-navigation__link" href="/" data-route="${r.id}"${active ? html` aria-current="page"` : ''}>${active ? html`<strong class="govuk-service-navigation__active-fallback">${routeTitle(r, 'nav')}</strong>` : routeTitle(r, 'nav')}</a></li>`;
  });
  // GOV.UK's service navigation: on a phone the links fold behind a "Menu" button (ServiceNavigation's toggle).
  section.dataset['module'] = 'govuk-service-navigation';
  if (me) section.dataset['role'] = me.role;
  section.dataset['lang'] = document.documentElement.lang;
  section.innerHTML = html`<div class="govuk-width-container"><div class="govuk-service-navigation__container">
<nav aria-label="${t('shell.pages')}" class="govuk-service-navigation__wrapper">
<button type="button" class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle" aria-controls="wm-navigation" hidden>${t('shell.menu')}</button>
<ul class="govuk-service-navigation__list" id="wm-navigation">${items}
<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/" data-action="sign-out">${t('shell.signOut')}</a></li></ul>
</nav></div></div>`.value;
  old.replaceWith(section);
  new ServiceNavigation(section);
  wirePhoneMenu(section);
}

const menuHoldsFocus = (): boolean =>
  document.querySelector('#wm-nav .govuk-service-navigation__toggle[aria-expanded="true"]:not([hidden])') !== null &&
  (document.getElementById('wm-nav')?.contains(document.activeElement) ?? false);

/**
 * The phone menu is a panel over the page (app.css), so it closes as such panels do: Escape (focus back on the
 * Menu button), a tap or focus outside it (a keyboard never reaches links it covers), or a choice in it. Opening it
 * measures the Exit this page strip, which stays above the panel: its links start below the strip.
 */
function wirePhoneMenu(section: HTMLElement): void {
  const toggle = section.querySelector<HTMLButtonElement>('.govuk-service-navigation__toggle');
  if (!toggle) return;
  const isOpen = () => !toggle.hidden && toggle.getAttribute('aria-expanded') === 'true';
  const close = (focusToggle: boolean) => {
    if (!isOpen()) return;
    toggle.click(); // GOV.UK's ServiceNavigation keeps the state: it closes through its own button
    if (focusToggle) toggle.focus();
  };
  toggle.addEventListener('click', () => {
    if (!isOpen()) return;
    const exit = document.querySelector<HTMLElement>('.wm-exit');
    if (exit) section.style.setProperty('--wm-exit-gap', `${exit.offsetHeight}px`);
  });
  section.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && isOpen()) {
      e.preventDefault();
      close(true);
    }
  });
  section.addEventListener('focusout', (e) => {
    const next = e.relatedTarget as Node | null;
    if (next && !section.contains(next)) close(false);
  });
  section.addEventListener('click', (e) => {
    if ((e.target as Element | null)?.closest('a[data-route], a[data-action]')) close(false);
  });
  const outside = (e: Event) => {
    if (!section.isConnected) return document.removeEventListener('pointerdown', outside, true);
    if (!section.contains(e.target as Node) && !(e.target as Element | null)?.closest?.('.wm-exit')) close(false);
  };
  document.addEventListener('pointerdown', outside, true);
}
