/**
 * The administrator's view of Waymark's languages (issue 21): each language
 * of the champion's pages with its review status and how many of its strings
 * are not yet translated (they show in English), and the service directory's
 * one-sentence descriptions per language for the signposting card, which
 * admins write here. These pages are in English only.
 */
import { api, ApiError, type Page } from '../api';
import { $, fieldValue, html } from '../dom';
import { button, navLink, notification, showErrors, table, tag, textarea } from '../govuk';
import { loadCatalogue } from '../i18n';
import { en } from '../locales/en';
import { languageCodes, uiLanguageInfo, uiLanguages } from '../../../shared/domain/locales';
import type { PageContext } from '../router';
import type { Service } from '../types';

const englishKeys = Object.keys(en) as (keyof typeof en)[];

export async function languagesPage(ctx: PageContext): Promise<void> {
  const real = uiLanguages.filter((l) => !l.pseudo);
  const [catalogues, services] = await Promise.all([
    Promise.all(real.map((l) => loadCatalogue(l.code))),
    api<Page<Service>>('GET', '/services', { query: { limit: 100 } }),
  ]);
  const banner = ctx.params['done'] as string | undefined;
  ctx.render(html`${banner ? notification(banner, { success: true }) : ''}<h1 class="govuk-heading-l">Languages</h1>
<p class="govuk-body">Champions choose the language of their own pages. A draft translation (machine or non-native) shows champions a notice until a qualified translator has reviewed it. Untranslated strings show in English. Pages for supervisors, commissioners and administrators are in English only.</p>
${table({
  caption: 'Languages of the champion\u2019s pages',
  head: ['Language', 'Status', 'Untranslated strings', 'Direction'],
  rows: real.map((l, i) => {
    const catalogue = catalogues[i] ?? {};
    const missing = l.code === 'en' ? 0 : englishKeys.filter((k) => catalogue[k] === undefined).length;
    return [
      html`<span lang="${l.tag}" dir="${l.dir}">${l.ownName}</span> <span class="wm-secondary">(${l.englishName})</span>`,
      l.review === 'reviewed' ? tag('Reviewed', 'green') : tag('Draft', 'yellow'),
      html`<span data-untranslated="${l.code}">${String(missing)}</span> of ${String(englishKeys.length)}`,
      l.dir === 'rtl' ? 'Right to left' : 'Left to right',
    ];
  }),
})}
<h2 class="govuk-heading-m">What each service does, by language</h2>
<p class="govuk-body">The signposting card shows the person one sentence on what each service does, in their language; where none is written, the English one.</p>
${table({
  caption: 'Service descriptions',
  captionHidden: true,
  small: true,
  head: ['Service', 'Languages written', 'Action'],
  rows: services.items.map((s) => [
    s.name,
    languageCodes.filter((c) => s.descriptions[c]).map((c) => uiLanguageInfo(c).englishName).join(', ') || 'None',
    navLink(html`Edit<span class="govuk-visually-hidden"> the descriptions of ${s.name}</span>`, 'service-descriptions', { param: s.id }),
  ]),
})}`);
}

export async function serviceDescriptionsPage(ctx: PageContext): Promise<void> {
  const id = ctx.params['id'] as string | undefined;
  if (!id) return ctx.navigate('languages', {}, { replace: true });
  const all = await api<Page<Service>>('GET', '/services', { query: { limit: 100, status: 'all' } });
  const service = all.items.find((s) => s.id === id);
  if (!service) return ctx.navigate('languages', {}, { replace: true });
  ctx.render(html`${navLink('Back to languages', 'languages', { cls: 'govuk-back-link' })}
<h1 class="govuk-heading-l">What ${service.name} does</h1>
<p class="govuk-body">One or two plain sentences per language, for the person reading the signposting card. Leave a language empty to show the English.</p>
<form id="descriptions-form" novalidate>
${languageCodes.map((code) => {
    const info = uiLanguageInfo(code);
    return html`<div lang="${info.tag}" dir="${info.dir}">${textarea({ name: `description-${code}`, label: `${info.ownName} (${info.englishName})`, labelSize: 's', maxLength: 300, rows: 2 })}</div>`;
  })}
${button('Save descriptions')}
</form>`);
  const form = $<HTMLFormElement>('#descriptions-form', ctx.root);
  for (const code of languageCodes) {
    const area = form.querySelector<HTMLTextAreaElement>(`[name="description-${code}"]`);
    if (area && service.descriptions[code]) area.value = service.descriptions[code] as string;
    // The API names a broken description `descriptions.<code>`: the form group answers to that path.
    area?.closest('[data-field]')?.setAttribute('data-field', `descriptions.${code}`);
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const descriptions = Object.fromEntries(languageCodes.flatMap((c) => {
      const v = fieldValue(form, `description-${c}`);
      return v ? [[c, v]] : [];
    }));
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    api('PATCH', `/services/${encodeURIComponent(service.id)}`, { body: { version: service.version, descriptions } })
      .then(() => ctx.navigate('languages', { done: `Descriptions of ${service.name} saved` }, { replace: true }))
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        showErrors(ctx.root, error.issues, error.message);
      });
  });
}
