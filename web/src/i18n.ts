/**
 * The web app's languages (issue 21), with no library: `Intl.PluralRules`,
 * `Intl.DateTimeFormat` and `Intl.NumberFormat` do what a library would, at
 * no cost to the bundle. English (`locales/en.ts`) ships with the app and is
 * every other language's fallback, key by key; each other language is one
 * chunk, fetched when first chosen. A message is a string with `{name}`
 * placeholders, or plural forms by `Intl.PluralRules` category with `{count}`.
 *
 * The language chosen is the champion's, remembered in their profile on the
 * server (`PATCH /champions/me`); nothing is kept in browser storage.
 */
import { DEFAULT_UI_LANGUAGE, isUiLanguage, uiLanguageInfo, type UiLanguage, type UiLanguageInfo } from '../../shared/domain/locales';
import { en, type MessageKey } from './locales/en';
import { Html, escapeHtml } from './dom';

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | PluralForms;
export type Catalogue = Readonly<Partial<Record<MessageKey, Message>>>;
export type { MessageKey };
export type Vars = Readonly<Record<string, string | number | Html>>;

/** Each language's chunk (a dynamic import: esbuild makes one file per language). */
const loaders: Record<Exclude<UiLanguage, 'en'>, () => Promise<Catalogue>> = {
  ar: () => import('./locales/ar').then((m) => m.ar),
  ur: () => import('./locales/ur').then((m) => m.ur),
  pl: () => import('./locales/pl').then((m) => m.pl),
  ro: () => import('./locales/ro').then((m) => m.ro),
  lt: () => import('./locales/lt').then((m) => m.lt),
  pt: () => import('./locales/pt').then((m) => m.pt),
  pa: () => import('./locales/pa').then((m) => m.pa),
  so: () => import('./locales/so').then((m) => m.so),
  'en-XA': () => import('./locales/pseudo').then((m) => m.accented(en)),
  'ar-XB': () => import('./locales/pseudo').then((m) => m.rightToLeft(en)),
};

const loaded = new Map<UiLanguage, Catalogue>([['en', en]]);

export async function loadCatalogue(code: UiLanguage): Promise<Catalogue> {
  const have = loaded.get(code);
  if (have) return have;
  const catalogue = await (loaders[code as Exclude<UiLanguage, 'en'>] ?? (() => Promise.resolve(en)))();
  loaded.set(code, catalogue);
  return catalogue;
}

/** A language's words, with English for any it lacks. */
export interface Translator {
  info: UiLanguageInfo;
  /** The message as text (placeholders filled, escaped later by `html`). */
  t(key: MessageKey, vars?: Vars): string;
  /** The message as markup: its words escaped, `Html` placeholders (links, tags) kept. */
  th(key: MessageKey, vars?: Vars): Html;
  /** Is this key in the language itself (not the English fallback)? */
  has(key: MessageKey): boolean;
  /** One plural form of a message as written (for components that fill in the number themselves). */
  form(key: MessageKey, category: Intl.LDMLPluralRule): string | undefined;
  date(iso: string): string;
  dateTime(iso: string): string;
  number(n: number): string;
}

function pick(message: Message, plural: Intl.PluralRules, vars: Vars | undefined): string {
  if (typeof message === 'string') return message;
  const count = Number(vars?.['count'] ?? 0);
  if (count === 0 && message.zero !== undefined) return message.zero;
  return message[plural.select(count)] ?? message.other;
}

const PLACEHOLDER = /\{(\w+)\}/g;

export function makeTranslator(code: UiLanguage, catalogue: Catalogue): Translator {
  const info = uiLanguageInfo(code);
  const tag = info.pseudo ? 'en-GB' : info.tag;
  const plural = new Intl.PluralRules(tag);
  const numbers = new Intl.NumberFormat(tag);
  const dates = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const dateTimes = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
  const messageOf = (key: MessageKey, vars?: Vars): string => pick(catalogue[key] ?? en[key] ?? key, plural, vars);
  const show = (v: string | number | Html): string => (typeof v === 'number' ? numbers.format(v) : v instanceof Html ? v.value : v);
  return {
    info,
    t: (key, vars) => messageOf(key, vars).replace(PLACEHOLDER, (all, name: string) => (vars && name in vars ? stripHtml(show(vars[name] as string | number | Html)) : all)),
    th: (key, vars) =>
      new Html(
        messageOf(key, vars)
          .split(PLACEHOLDER)
          .map((part, i) => {
            if (i % 2 === 0) return escapeHtml(part);
            const v = vars?.[part];
            if (v === undefined) return escapeHtml(`{${part}}`);
            return v instanceof Html ? v.value : escapeHtml(typeof v === 'number' ? numbers.format(v) : v);
          })
          .join(''),
      ),
    has: (key) => catalogue[key] !== undefined,
    form: (key, category) => {
      const message = catalogue[key] ?? en[key];
      return typeof message === 'string' ? (category === 'other' ? message : undefined) : (message as PluralForms | undefined)?.[category];
    },
    date: (iso) => {
      const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
      return y && m && d ? dates.format(new Date(Date.UTC(y, m - 1, d))) : iso;
    },
    dateTime: (iso) => dateTimes.format(new Date(iso)),
    number: (n) => numbers.format(n),
  };
}

const stripHtml = (s: string): string => s.replace(/<[^>]*>/g, '');

let active: Translator = makeTranslator('en', en);

/** The signed-in person's language (English for roles whose pages are in English only). */
export const current = (): Translator => active;
export const t = (key: MessageKey, vars?: Vars): string => active.t(key, vars);
export const th = (key: MessageKey, vars?: Vars): Html => active.th(key, vars);

/** A translator for another language than the page's (the signposting card: the person's language). */
export async function translatorFor(code: UiLanguage): Promise<Translator> {
  return makeTranslator(code, await loadCatalogue(code));
}

/** Switches the app to a language: loads its chunk, then sets `lang` and `dir` and the page's own words. */
export async function useLanguage(code: string): Promise<Translator> {
  const lang: UiLanguage = isUiLanguage(code) ? code : DEFAULT_UI_LANGUAGE;
  active = await translatorFor(lang);
  document.documentElement.lang = active.info.tag;
  document.documentElement.dir = active.info.dir;
  translateShell();
  return active;
}

/** The words of index.html (skip links, Exit this page, footer): each element names its key in `data-i18n`. */
export function translateShell(scope: ParentNode = document): void {
  for (const el of scope.querySelectorAll<HTMLElement>('[data-i18n]')) {
    el.textContent = t(el.dataset['i18n'] as MessageKey);
  }
  for (const el of scope.querySelectorAll<HTMLElement>('[data-i18n-label]')) {
    el.setAttribute('aria-label', t(el.dataset['i18nLabel'] as MessageKey));
  }
  const danger = document.getElementById('wm-footer-danger');
  if (danger) danger.innerHTML = th('shell.footerDanger', { phone: new Html('<a class="govuk-footer__link" href="tel:999">999</a>') }).value;
}
