/**
 * In-memory navigation. The address bar stays at `/`: no page, record or
 * filter is ever put in the URL or in history, so nothing can be read from
 * them afterwards and "Exit this page" leaves nothing to go Back to. Each
 * page change sets a plain title, moves focus to the new heading and
 * announces it, as a full page load would.
 */
import { ApiError, SignedOutError } from './api';
import { html, type Html } from './dom';
import { initComponents } from './govuk';
import { findRoute, homeRoute, navFor } from './routes';
import { onClear, session } from './session';

export interface PageContext {
  root: HTMLElement;
  params: Record<string, unknown>;
  navigate(id: string, params?: Record<string, unknown>): void;
  render(content: Html): void;
  /** Sets the title of this page after rendering (e.g. "Error: " prefixes). */
  setTitle(title: string): void;
}

let current = 0;
let currentRoute = '';
let showSignIn: (message?: string) => void = () => undefined;

export const setSignInHandler = (fn: (message?: string) => void): void => {
  showSignIn = fn;
};

const appRoot = () => document.getElementById('app') as HTMLElement;

onClear(() => {
  current += 1;
  currentRoute = '';
  const root = document.getElementById('app');
  if (root) root.innerHTML = '';
  renderNav();
});

export function renderPage(root: HTMLElement, content: Html, title: string): void {
  root.innerHTML = content.value;
  initComponents(root);
  document.title = `${title} – Waymark`;
  const heading = root.querySelector<HTMLElement>('h1');
  const target = heading ?? (document.getElementById('main-content') as HTMLElement);
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: false });
  window.scrollTo(0, 0);
}

export async function navigate(id: string, params: Record<string, unknown> = {}): Promise<void> {
  const me = session.me;
  if (!me) return showSignIn();
  const route = findRoute(id);
  const root = appRoot();
  const token = ++current;
  if (!route || !route.roles.includes(me.role)) {
    renderPage(root, html`<h1 class="govuk-heading-l">Page not found</h1><p class="govuk-body">This page is not available to you.</p>`, 'Page not found');
    return;
  }
  currentRoute = id;
  renderNav();
  const ctx: PageContext = {
    root,
    params,
    navigate: (next, p) => void navigate(next, p),
    render: (content) => {
      if (token === current) renderPage(root, content, route.title);
    },
    setTitle: (t) => {
      if (token === current) document.title = `${t} – Waymark`;
    },
  };
  try {
    root.setAttribute('aria-busy', 'true');
    const page = await route.load();
    if (token !== current) return;
    await page(ctx);
  } catch (error) {
    if (token !== current) return;
    if (error instanceof SignedOutError) return showSignIn('Your session has ended. Sign in again.');
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
      renderPage(root, html`<h1 class="govuk-heading-l">Page not found</h1><p class="govuk-body">This record does not exist, or is not one you can see.</p>`, 'Page not found');
    } else {
      renderPage(
        root,
        html`<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1><p class="govuk-body">${error instanceof ApiError ? error.message : 'Something went wrong.'}</p><p class="govuk-body">Try again later.</p>`,
        'Sorry, there is a problem',
      );
    }
  } finally {
    root.removeAttribute('aria-busy');
  }
}

export const goHome = (): void => {
  if (session.me) void navigate(homeRoute[session.me.role]);
};

/** The service navigation for the signed-in role (hidden when signed out). */
export function renderNav(): void {
  const old = document.getElementById('wm-nav');
  if (!old) return;
  const me = session.me;
  const who = document.getElementById('wm-who');
  if (who) who.textContent = me ? me.roleLabel : '';
  const section = document.createElement('section');
  section.id = 'wm-nav';
  section.className = 'govuk-service-navigation wm-nav';
  section.setAttribute('aria-label', 'Menu');
  if (!me) {
    section.hidden = true;
    old.replaceWith(section);
    return;
  }
  const items = navFor(me.role).map((r) => {
    const active = r.id === currentRoute;
    return html`<li class="govuk-service-navigation__item${active ? ' govuk-service-navigation__item--active' : ''}"><a class="govuk-service-navigation__link" href="/" data-route="${r.id}"${active ? html` aria-current="page"` : ''}>${active ? html`<strong class="govuk-service-navigation__active-fallback">${r.nav?.label ?? r.title}</strong>` : (r.nav?.label ?? r.title)}</a></li>`;
  });
  section.innerHTML = html`<div class="govuk-width-container"><div class="govuk-service-navigation__container">
<nav aria-label="Pages" class="govuk-service-navigation__wrapper">
<ul class="govuk-service-navigation__list" id="wm-navigation">${items}
<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="/" data-action="sign-out">Sign out</a></li></ul>
</nav></div></div>`.value;
  old.replaceWith(section);
}
