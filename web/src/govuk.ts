/**
 * GOV.UK Frontend component markup, built with the escaping `html` template,
 * and the error summary + field error pattern driven by the API's
 * `issues[].path`. Every form group names the field path it holds
 * (`data-field`) and the control an error links to (`data-target`).
 */
import { Checkboxes, CharacterCount, createAll, ErrorSummary, Radios, Button, NotificationBanner } from 'govuk-frontend';
import { $, $$, escapeHtml, html, raw, type Html } from './dom';
import type { FieldIssue } from './api';
import { current, t } from './i18n';

export interface Item {
  value: string;
  label: string;
  hint?: string | undefined;
  checked?: boolean | undefined;
  conditional?: Html | undefined;
  exclusive?: boolean | undefined;
}

let uid = 0;
const nextId = (prefix: string) => `${prefix}-${++uid}`;

const hintHtml = (id: string, hint?: string | Html) => (hint ? html`<div id="${id}-hint" class="govuk-hint">${hint}</div>` : html``);

/** A group of checkboxes or radios in a fieldset, optionally with conditional reveals. */
function choices(kind: 'checkboxes' | 'radios', o: { name: string; legend: string; legendSize?: 's' | 'm' | 'l'; hint?: string | Html; items: readonly Item[]; small?: boolean; field?: string; label?: string; idPrefix?: string }): Html {
  const id = o.idPrefix ?? `field-${o.name}`;
  const size = o.legendSize ?? 'm';
  const input = kind === 'checkboxes' ? 'checkbox' : 'radio';
  const cls = `govuk-${kind}`;
  const items = o.items.map((item, i) => {
    const itemId = i === 0 ? id : `${id}-${i + 1}`;
    const condId = `conditional-${itemId}`;
    return html`<div class="${cls}__item">
  <input class="${cls}__input" id="${itemId}" name="${o.name}" type="${input}" value="${item.value}"${item.checked ? html` checked` : ''}${item.conditional ? html` data-aria-controls="${condId}"` : ''}${item.exclusive ? html` data-behaviour="exclusive"` : ''}${item.hint ? html` aria-describedby="${itemId}-item-hint"` : ''}>
  <label class="govuk-label ${cls}__label" for="${itemId}">${item.label}</label>
  ${item.hint ? html`<div id="${itemId}-item-hint" class="govuk-hint ${cls}__hint">${item.hint}</div>` : ''}
</div>${item.conditional ? html`<div class="${cls}__conditional ${cls}__conditional--hidden" id="${condId}">${item.conditional}</div>` : ''}`;
  });
  return html`<div class="govuk-form-group" data-field="${o.field ?? o.name}" data-label="${o.label ?? o.legend}" data-target="${id}">
<fieldset class="govuk-fieldset"${o.hint ? html` aria-describedby="${id}-hint"` : ''}>
  <legend class="govuk-fieldset__legend govuk-fieldset__legend--${size}">${size === 'l' ? html`<h1 class="govuk-fieldset__heading">${o.legend}</h1>` : o.legend}</legend>
  ${hintHtml(id, o.hint)}
  <div class="${cls}${o.small ? ` ${cls}--small` : ''}" data-module="govuk-${kind}">${items}</div>
</fieldset></div>`;
}

export const checkboxes = (o: Parameters<typeof choices>[1]): Html => choices('checkboxes', o);
export const radios = (o: Parameters<typeof choices>[1]): Html => choices('radios', o);

export function input(o: { name: string; label: string; hint?: string; value?: string; type?: string; width?: string; field?: string; autocomplete?: string; inputmode?: string; labelSize?: 's' | 'm' | 'l'; spellcheck?: boolean }): Html {
  const id = `field-${o.name}`;
  const width = o.width ? ` govuk-input--width-${o.width}` : '';
  return html`<div class="govuk-form-group" data-field="${o.field ?? o.name}" data-label="${o.label}" data-target="${id}">
  <label class="govuk-label${o.labelSize ? ` govuk-label--${o.labelSize}` : ''}" for="${id}">${o.label}</label>
  ${hintHtml(id, o.hint)}
  <input class="govuk-input${width}" id="${id}" name="${o.name}" type="${o.type ?? 'text'}"${(o.type ?? 'text') === 'text' ? html` dir="auto"` : ''} value="${o.value ?? ''}" autocomplete="${o.autocomplete ?? 'off'}"${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}${o.spellcheck === false ? html` spellcheck="false"` : ''}${o.hint ? html` aria-describedby="${id}-hint"` : ''}>
</div>`;
}

export function select(o: { name: string; label: string; hint?: string; options: readonly { value: string; label: string }[]; value?: string; field?: string; labelSize?: 's' | 'm' }): Html {
  const id = `field-${o.name}`;
  return html`<div class="govuk-form-group" data-field="${o.field ?? o.name}" data-label="${o.label}" data-target="${id}">
  <label class="govuk-label${o.labelSize ? ` govuk-label--${o.labelSize}` : ''}" for="${id}">${o.label}</label>
  ${hintHtml(id, o.hint)}
  <select class="govuk-select" id="${id}" name="${o.name}"${o.hint ? html` aria-describedby="${id}-hint"` : ''}>
    ${o.options.map((opt) => html`<option value="${opt.value}"${opt.value === (o.value ?? '') ? html` selected` : ''}>${opt.label}</option>`)}
  </select>
</div>`;
}

export function textarea(o: { name: string; label: string; hint?: string; maxLength?: number; rows?: number; labelSize?: 's' | 'm' }): Html {
  const id = `field-${o.name}`;
  const area = html`<label class="govuk-label${o.labelSize ? ` govuk-label--${o.labelSize}` : ''}" for="${id}">${o.label}</label>
  ${hintHtml(id, o.hint)}
  <textarea class="govuk-textarea${o.maxLength ? ' govuk-js-character-count' : ''}" id="${id}" name="${o.name}" rows="${o.rows ?? 4}" dir="auto" autocomplete="off" aria-describedby="${o.hint ? `${id}-hint ` : ''}${o.maxLength ? `${id}-info` : ''}"></textarea>`;
  if (!o.maxLength) {
    return html`<div class="govuk-form-group" data-field="${o.name}" data-label="${o.label}" data-target="${id}">${area}</div>`;
  }
  return html`<div class="govuk-form-group govuk-character-count" data-module="govuk-character-count" data-maxlength="${o.maxLength}" data-field="${o.name}" data-label="${o.label}" data-target="${id}"${characterCountWords()}>
  ${area}
  <div id="${id}-info" class="govuk-hint govuk-character-count__message">${t('govuk.charsLimit', { count: o.maxLength })}</div>
</div>`;
}

/** GOV.UK's character count says its words in the page's language: its i18n options as data attributes, a form per plural category. */
function characterCountWords(): Html {
  const attrs: string[] = [];
  for (const [key, attr] of [['govuk.charsUnder', 'characters-under-limit'], ['govuk.charsOver', 'characters-over-limit']] as const) {
    for (const category of ['zero', 'one', 'two', 'few', 'many', 'other'] as const) {
      const form = current().form(key, category);
      if (form) attrs.push(` data-i18n.${attr}.${category}="${escapeHtml(form.replace('{count}', '%{count}'))}"`);
    }
  }
  attrs.push(` data-i18n.characters-at-limit="${escapeHtml(t('govuk.charsAt'))}"`);
  return raw(attrs.join(''));
}

export const button = (text: string, o: { secondary?: boolean; warning?: boolean; type?: 'submit' | 'button'; attrs?: Html } = {}): Html =>
  html`<button type="${o.type ?? 'submit'}" class="govuk-button${o.secondary ? ' govuk-button--secondary' : ''}${o.warning ? ' govuk-button--warning' : ''}" data-module="govuk-button"${o.attrs ?? ''}>${text}</button>`;

/** An in-app link: navigation happens in memory (see router.ts), never through the address bar. */
export const navLink = (text: string | Html, route: string, o: { param?: string; cls?: string } = {}): Html =>
  html`<a href="/" class="govuk-link${o.cls ? ` ${o.cls}` : ''}" data-route="${route}"${o.param ? html` data-param="${o.param}"` : ''}>${text}</a>`;

export const navButton = (text: string, route: string, o: { secondary?: boolean; param?: string } = {}): Html =>
  html`<a href="/" role="button" draggable="false" class="govuk-button${o.secondary ? ' govuk-button--secondary' : ''}" data-module="govuk-button" data-route="${route}"${o.param ? html` data-param="${o.param}"` : ''}>${text}</a>`;

export const tag = (text: string, colour?: string): Html => html`<strong class="govuk-tag${colour ? ` govuk-tag--${colour}` : ''}">${text}</strong>`;

/** A phone number as a link a phone can call (`tel:`), its text as written. */
export const telLink = (phone: string): Html => html`<a class="govuk-link" href="tel:${phone.replace(/[^\d+]/g, '')}">${phone}</a>`;

/** Text with every phone number in it (999, 101, a UK number) made a `tel:` link. */
export function withPhoneLinks(text: string): Html {
  const parts = text.split(/(\b999\b|\b101\b|(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b)/);
  return html`${parts.map((part, i) => (i % 2 === 1 ? telLink(part) : part))}`;
}

export const warningText = (text: string | Html): Html =>
  html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">${t('govuk.warning')}</span>${typeof text === 'string' ? withPhoneLinks(text) : text}</strong></div>`;

export const inset = (content: string | Html): Html => html`<div class="govuk-inset-text">${content}</div>`;

export const details = (summary: string, content: Html, open = false): Html =>
  html`<details class="govuk-details"${open ? html` open` : ''}><summary class="govuk-details__summary"><span class="govuk-details__summary-text">${summary}</span></summary><div class="govuk-details__text">${content}</div></details>`;

export function summaryList(rows: readonly (readonly [string, string | Html])[]): Html {
  return html`<dl class="govuk-summary-list">${rows.map(
    ([k, v]) => html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${k}</dt><dd class="govuk-summary-list__value">${v}</dd></div>`,
  )}</dl>`;
}

/**
 * A table, and the same rows as GOV.UK summary cards for a phone (CSS shows
 * one or the other): on a narrow screen every column of a row is read in its
 * card, with the row's first cell as the card's title and an "Action" column
 * as the card's action, so nothing is cut off or pushed out of sight.
 */
export function table(o: {
  caption: string;
  captionHidden?: boolean;
  head: readonly string[];
  rows: readonly (readonly (string | Html)[])[];
  empty?: string;
  small?: boolean;
  actionColumn?: number;
  /**
   * On a phone, only the first `count` rows are cards on the page; the rest wait behind a "Show more" disclosure
   * (GOV.UK details: reachable by keyboard and screen reader), so a long list does not make the page metres long.
   */
  preview?: { count: number; more: (hidden: number) => string };
}): Html {
  if (o.rows.length === 0) return html`<p class="govuk-body">${o.empty ?? t('govuk.nothing')}</p>`;
  const cardHeading = o.captionHidden ? 'h2' : 'h3';
  const actionAt = o.actionColumn ?? o.head.findIndex((h) => h === 'Action');
  const shown = o.preview && o.rows.length > o.preview.count + 1 ? o.preview.count : o.rows.length;
  const card = (r: readonly (string | Html)[]) => html`<div class="govuk-summary-card"><div class="govuk-summary-card__title-wrapper"><${raw(cardHeading)} class="govuk-summary-card__title">${r[0] ?? ''}</${raw(cardHeading)}>${
      actionAt > 0 && r[actionAt] ? html`<ul class="govuk-summary-card__actions"><li class="govuk-summary-card__action">${r[actionAt] ?? ''}</li></ul>` : ''
    }</div>
<div class="govuk-summary-card__content"><dl class="govuk-summary-list">${r.map((c, i) =>
      i === 0 || i === actionAt ? '' : html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${o.head[i] ?? ''}</dt><dd class="govuk-summary-list__value">${c}</dd></div>`,
    )}</dl></div></div>`;
  const rest = o.rows.slice(shown);
  const cards = html`<div class="wm-cards">${o.captionHidden ? '' : html`<h2 class="govuk-heading-m">${o.caption}</h2>`}${o.rows.slice(0, shown).map(card)}${
    rest.length && o.preview ? details(o.preview.more(rest.length), html`${rest.map(card)}`) : ''
  }</div>`;
  // On a wide screen the wrapper still scrolls sideways if it must: a labelled region that takes focus, so a keyboard can scroll it.
  return html`${cards}<div class="wm-table-wrap wm-wide" tabindex="0" role="region" aria-label="${o.caption}"><table class="govuk-table${o.small ? ' wm-table--small' : ''}">
  <caption class="govuk-table__caption ${o.captionHidden ? 'govuk-visually-hidden' : 'govuk-table__caption--m'}">${o.caption}</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">${o.head.map((h) => html`<th scope="col" class="govuk-table__header">${h}</th>`)}</tr></thead>
  <tbody class="govuk-table__body">${o.rows.map(
    (r) => html`<tr class="govuk-table__row">${r.map((c, i) => (i === 0 ? html`<th scope="row" class="govuk-table__header">${c}</th>` : html`<td class="govuk-table__cell">${c}</td>`))}</tr>`,
  )}</tbody></table></div>`;
}

/** Previous / next for cursor pagination (the cursors are kept in memory by the page). */
export function pagination(o: { hasPrevious: boolean; hasNext: boolean; label: string }): Html {
  if (!o.hasPrevious && !o.hasNext) return html``;
  return html`<nav class="govuk-pagination govuk-pagination--block" aria-label="${o.label}">
  ${o.hasPrevious ? html`<div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="/" rel="prev" data-page="previous"><svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path></svg><span class="govuk-pagination__link-title">${t('govuk.previous')}<span class="govuk-visually-hidden"> ${t('govuk.page')}</span></span></a></div>` : ''}
  ${o.hasNext ? html`<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="/" rel="next" data-page="next"><svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path></svg><span class="govuk-pagination__link-title">${t('govuk.next')}<span class="govuk-visually-hidden"> ${t('govuk.page')}</span></span></a></div>` : ''}
</nav>`;
}

/** Wires the links `pagination` drew: each moves the page by one, then the page loads again. */
export function onPagination(root: Element, move: (step: 1 | -1) => void): void {
  for (const [selector, step] of [['[data-page="next"]', 1], ['[data-page="previous"]', -1]] as const) {
    root.querySelector(selector)?.addEventListener('click', (e) => {
      e.preventDefault();
      move(step);
    });
  }
}

export const notification = (heading: string, o: { success?: boolean } = {}): Html =>
  html`<div class="govuk-notification-banner${o.success ? ' govuk-notification-banner--success' : ''}" role="${o.success ? 'alert' : 'region'}" aria-labelledby="wm-banner-title" data-module="govuk-notification-banner">
  <div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="wm-banner-title">${o.success ? t('govuk.success') : t('govuk.important')}</h2></div>
  <div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">${heading}</p></div></div>`;

/** Starts GOV.UK Frontend's behaviour (conditional reveals, exclusive checkboxes, character counts…) on new markup. */
export function initComponents(scope: Element): void {
  const opts = { scope, onError: () => undefined };
  createAll(Checkboxes, undefined, opts);
  createAll(Radios, undefined, opts);
  createAll(CharacterCount, undefined, opts);
  createAll(Button, undefined, opts);
  createAll(NotificationBanner, undefined, opts);
}

// ---- Errors, in the GOV.UK pattern ------------------------------------------------------------

const stripQuery = (path: string) => path.replace(/^(query|body|path)\./, '');

/** The form group an API field path belongs to: the longest `data-field` that is a prefix of the path. */
function groupFor(form: ParentNode, path: string): HTMLElement | undefined {
  let best: HTMLElement | undefined;
  let bestLength = -1;
  for (const group of $$<HTMLElement>('[data-field]', form)) {
    const field = group.dataset['field'] ?? '';
    if ((path === field || path.startsWith(`${field}.`)) && field.length > bestLength) {
      best = group;
      bestLength = field.length;
    }
  }
  return best;
}


export function clearErrors(container: HTMLElement): void {
  $$('.govuk-error-summary', container).forEach((el) => el.remove());
  $$('.govuk-error-message', container).forEach((el) => el.remove());
  $$('.govuk-form-group--error', container).forEach((el) => el.classList.remove('govuk-form-group--error'));
  $$('.govuk-input--error, .govuk-select--error, .govuk-textarea--error', container).forEach((el) =>
    el.classList.remove('govuk-input--error', 'govuk-select--error', 'govuk-textarea--error'),
  );
  $$<HTMLElement>('[data-described-extra]', container).forEach((el) => {
    el.setAttribute('aria-describedby', el.dataset['describedExtra'] ?? '');
    if (!el.getAttribute('aria-describedby')) el.removeAttribute('aria-describedby');
    delete el.dataset['describedExtra'];
  });
}

/**
 * Shows the API's field issues: an error summary at the top of `container`
 * (focused, so screen readers announce it) linking to each field, and each
 * message beside its field. `document.title` gets the "Error: " prefix.
 */
export function showErrors(container: HTMLElement, issues: readonly FieldIssue[], fallback: string): void {
  clearErrors(container);
  const entries: { href: string; text: string }[] = [];
  const seen = new Set<string>();
  for (const issue of issues.length ? issues : [{ path: '', message: fallback }]) {
    const path = stripQuery(issue.path);
    const group = path ? groupFor(container, path) : undefined;
    // The API's messages are whole sentences from the message catalogue (shared/domain/messages.ts): shown as they come.
    const text = issue.message;
    if (!group) {
      entries.push({ href: '#main-content', text });
      continue;
    }
    const targetId = group.dataset['target'] ?? '';
    entries.push({ href: `#${targetId}`, text });
    if (seen.has(group.dataset['field'] ?? '')) continue;
    seen.add(group.dataset['field'] ?? '');
    group.classList.add('govuk-form-group--error');
    const errorId = `${targetId}-error`;
    const message = document.createElement('p');
    message.className = 'govuk-error-message';
    message.id = errorId;
    message.innerHTML = html`<span class="govuk-visually-hidden">${t('govuk.error')}</span> ${text}`.value;
    const control = group.querySelector<HTMLElement>('input.govuk-input, select, textarea');
    const fieldset = group.querySelector<HTMLElement>(':scope > fieldset');
    const anchor = fieldset ? (fieldset.querySelector('.govuk-checkboxes, .govuk-radios, .govuk-date-input') as HTMLElement | null) : control;
    if (anchor?.parentElement) anchor.parentElement.insertBefore(message, anchor);
    else group.prepend(message);
    const described = fieldset ?? control;
    if (described) {
      described.dataset['describedExtra'] = described.getAttribute('aria-describedby') ?? '';
      described.setAttribute('aria-describedby', `${errorId} ${described.dataset['describedExtra']}`.trim());
    }
    if (control && !fieldset) {
      control.classList.add(control.tagName === 'SELECT' ? 'govuk-select--error' : control.tagName === 'TEXTAREA' ? 'govuk-textarea--error' : 'govuk-input--error');
    }
  }
  const summary = document.createElement('div');
  summary.className = 'govuk-error-summary';
  summary.dataset['module'] = 'govuk-error-summary';
  summary.innerHTML = html`<div role="alert"><h2 class="govuk-error-summary__title">${t('govuk.problem')}</h2>
<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">${entries.map((e) => html`<li><a href="${e.href}">${e.text}</a></li>`)}</ul></div></div>`.value;
  container.prepend(summary);
  const prefix = `${t('govuk.error')} `;
  if (!document.title.startsWith(prefix)) document.title = `${prefix}${document.title}`;
  new ErrorSummary(summary);
}

export { $ };
