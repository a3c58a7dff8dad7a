/**
 * Tiny DOM helpers: an escaping `html` tagged template (values are always
 * escaped unless they are themselves `html` results), and a few queries.
 * No inline styles or scripts are ever produced (the CSP forbids both).
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => escapes[c] as string);

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function interpolate(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += interpolate(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

export const raw = (s: string): Html => new Html(s);
export const join = (parts: readonly Html[]): Html => new Html(parts.map((p) => p.value).join(''));

export function $<T extends Element = HTMLElement>(selector: string, scope: ParentNode = document): T {
  const el = scope.querySelector<T>(selector);
  if (!el) throw new Error(`missing element ${selector}`);
  return el;
}
export const $$ = <T extends Element = HTMLElement>(selector: string, scope: ParentNode = document): T[] => [
  ...scope.querySelectorAll<T>(selector),
];

/** Values of the checked checkboxes named `name` in a form. */
export const checkedValues = (form: HTMLFormElement, name: string): string[] =>
  $$<HTMLInputElement>(`input[name="${name}"]:checked`, form).map((i) => i.value);

/** The value of a text field, select or checked radio named `name`, or undefined when empty. */
export function fieldValue(form: HTMLFormElement, name: string): string | undefined {
  const el = form.elements.namedItem(name);
  if (!el) return undefined;
  const value = el instanceof RadioNodeList ? el.value : (el as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A new random id for this form submission attempt (the API's Idempotency-Key). */
export const newIdempotencyKey = (): string => crypto.randomUUID();

export const formatDate = (iso: string): string => {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return iso;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
};

export const formatDateTime = (iso: string): string =>
  new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });

/** Today's date in the UK, as the API reckons it (yyyy-mm-dd). */
export function ukToday(now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
