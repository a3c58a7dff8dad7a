/**
 * The Waymark web app: boot, sign-in, and navigation between pages (each a
 * history entry held in memory: router.ts). See routes.ts for the pages of each role.
 */
import { isSupported, SkipLink, createAll } from 'govuk-frontend';
import { completeSignIn, loadConfig, signOut, SignInError, startSignIn } from './auth';
import { api } from './api';
import { html } from './dom';
import { initExitThisPage } from './exit';
import { discardUnsaved, follow, goHome, mayLeave, renderNav, renderPage, setSignInHandler, showAgain, startHistory } from './router';
import { useLanguage } from './i18n';
import { setLanguageChangedHandler } from './language-switch';
import { clearSession, onClear, session, type Me } from './session';
import type { ChampionMe } from './types';

function signInPage(message?: string): void {
  clearSession();
  renderNav();
  const root = document.getElementById('app') as HTMLElement;
  renderPage(
    root,
    html`${message ? html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">${message}</h2></div></div>` : ''}
<h1 class="govuk-heading-l">Sign in to Waymark</h1>
<p class="govuk-body">Waymark is for trained champions, the DASV team, commissioners and administrators.</p>
<p class="govuk-body">You will sign in on your organisation's sign-in page, then come back here.</p>
<button type="button" class="govuk-button govuk-button--start" data-module="govuk-button" data-action="sign-in">Sign in</button>
<div class="govuk-inset-text">Waymark keeps nothing on this device. Closing or reloading the page signs you out.</div>`,
    'Sign in',
  );
}

async function boot(): Promise<void> {
  // What GOV.UK Frontend's inline snippet does (the CSP allows no inline script): a browser that runs
  // this module supports ES modules, so it supports GOV.UK Frontend.
  document.body.classList.add('js-enabled', 'govuk-frontend-supported');
  if (!isSupported()) return;
  initExitThisPage();
  createAll(SkipLink);
  setSignInHandler(signInPage);
  setLanguageChangedHandler(() => {
    renderNav();
    showAgain();
  });
  // Signed out or exited: the next person starts in English.
  onClear(() => void useLanguage('en'));

  document.addEventListener('click', (event) => {
    const target = (event.target as Element | null)?.closest<HTMLElement>('[data-route], [data-action]');
    if (!target) return;
    const route = target.dataset['route'];
    const action = target.dataset['action'];
    if (route) {
      event.preventDefault();
      follow(route, target.dataset['param'] ? { id: target.dataset['param'] } : {});
    } else if (action === 'sign-in') {
      event.preventDefault();
      if (session.config) void startSignIn(session.config);
    } else if (action === 'sign-out') {
      event.preventDefault();
      if (!mayLeave()) return;
      discardUnsaved();
      signOut();
      if (!session.config?.logoutEndpoint) signInPage('You have signed out.');
    }
  });

  try {
    session.config = await loadConfig();
  } catch {
    renderPage(document.getElementById('app') as HTMLElement, html`<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1><p class="govuk-body">Try again later.</p>`, 'Sorry, there is a problem');
    return;
  }
  try {
    if (!(await completeSignIn(session.config))) return signInPage();
    session.me = await api<Me>('GET', '/me');
    // A champion's pages open in the language of their profile (the other roles' pages are in English only).
    if (session.me.role === 'champion') {
      const self = await api<ChampionMe>('GET', '/champions/me').catch(() => undefined);
      await useLanguage(self?.champion.uiLanguage ?? 'en');
    }
    startHistory();
    renderNav();
    goHome();
  } catch (error) {
    signInPage(error instanceof SignInError ? error.message : 'Sign-in did not complete. Try again.');
  }
}

void boot();
