/**
 * The language switch above every page (issue 21). A champion chooses the
 * language of their pages from a list in which each language is named in
 * itself ("العربية", "Polski"); the choice is saved in their profile on the
 * server (`PATCH /champions/me`), never in browser storage, so it follows
 * them to any device. A draft translation says so. Supervisors',
 * commissioners' and administrators' pages are in English only, and say so.
 */
import { uiLanguages, type UiLanguage } from '../../shared/domain/locales';
import { api } from './api';
import { html } from './dom';
import { current, t, useLanguage } from './i18n';
import { session } from './session';

let onChanged: () => void = () => undefined;
/** What to do once the language changed (the router shows the page again). */
export const setLanguageChangedHandler = (fn: () => void): void => {
  onChanged = fn;
};

export function renderLanguageSwitch(): void {
  const bar = document.getElementById('wm-lang');
  if (!bar) return;
  const me = session.me;
  if (!me) {
    bar.hidden = true;
    bar.innerHTML = '';
    return;
  }
  bar.hidden = false;
  if (me.role !== 'champion') {
    bar.innerHTML = html`<div class="govuk-width-container"><p class="govuk-body-s wm-lang__note">Pages for supervisors, commissioners and administrators are in English only.</p></div>`.value;
    return;
  }
  const active = current().info;
  const offered = uiLanguages.filter((l) => !l.pseudo || session.config?.pseudoLocales);
  // The label is in the page's language, with "Language" beside it: someone lost in a language they do not read can still find the way back.
  const label = active.code === 'en' ? t('lang.label') : `${t('lang.label')} (Language)`;
  bar.innerHTML = html`<div class="govuk-width-container wm-lang__container">
<form id="wm-lang-form" class="wm-lang__form" novalidate>
  <label class="govuk-label wm-lang__label" for="wm-lang-select">${label}</label>
  <select class="govuk-select wm-lang__select" id="wm-lang-select" name="uiLanguage">${offered.map(
    (l) => html`<option value="${l.code}" lang="${l.tag}" dir="${l.dir}"${l.code === active.code ? html` selected` : ''}>${l.ownName}</option>`,
  )}</select>
  <button type="submit" class="govuk-button govuk-button--secondary wm-lang__button" data-module="govuk-button">${t('lang.change')}</button>
</form>
${active.review === 'draft' && !active.pseudo ? html`<p class="govuk-body-s wm-lang__draft" id="wm-lang-draft"><strong class="govuk-tag govuk-tag--yellow">${active.ownName}</strong> ${t('lang.draft')}</p>` : ''}
</div>`.value;
  const form = bar.querySelector<HTMLFormElement>('#wm-lang-form');
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = (form.elements.namedItem('uiLanguage') as HTMLSelectElement).value as UiLanguage;
    if (code === current().info.code) return;
    const button = form.querySelector<HTMLButtonElement>('button');
    if (button) button.disabled = true;
    void api('PATCH', '/champions/me', { body: { uiLanguage: code } })
      .then(() => useLanguage(code))
      .then(() => onChanged())
      .finally(() => {
        if (button) button.disabled = false;
      });
  });
}
