import { ExitThisPage } from 'govuk-frontend';
import { endProviderSession } from './auth';
import { discardUnsaved } from './router';
import { clearSession, session } from './session';

/** Where "Exit this page" goes: a neutral, busy website. */
export const EXIT_URL = 'https://www.bbc.co.uk/weather';

/**
 * GOV.UK Frontend's "Exit this page" (the button, its skip link and Shift
 * pressed three times), changed in one respect: before leaving it forgets
 * everything held in memory (the pages of its history too) and empties
 * browser storage, hides the page, starts ending the identity provider's
 * session without waiting for it, and leaves with `location.replace`, so
 * that the app's history entry is replaced by the neutral site. The earlier
 * entries all have the address `/`: Back reaches a new page load, with
 * nothing in memory, which is the sign-in page.
 */
export class WaymarkExitThisPage extends ExitThisPage {
  override exitPage(): void {
    const config = session.config;
    discardUnsaved();
    clearSession();
    endProviderSession(config);
    document.title = 'Loading';
    const app = document.getElementById('app');
    if (app) app.textContent = '';
    document.body.classList.add('govuk-exit-this-page-hide-content');
    window.location.replace(this.$button?.href || EXIT_URL);
  }
}

export function initExitThisPage(): void {
  const root = document.getElementById('wm-exit');
  if (root) new WaymarkExitThisPage(root);
  // A page restored from the back/forward cache must not show anything from before.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) {
      clearSession();
      location.reload();
    }
  });
}
