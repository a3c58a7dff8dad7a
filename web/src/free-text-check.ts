/**
 * The personal-data check as the champion types (issue 28). The browser runs
 * the very detector the API runs (shared/domain/personal-data.ts) and shows
 * its refusal as a GOV.UK inline error beside the field, naming the kind of
 * data and its position, never the value. The API still decides: on submit
 * its refusal (the same words) comes back with any other field's, in the
 * error summary, so the champion sees every problem at once.
 *
 * The detector and its name lists are a chunk of their own, loaded when a
 * checked field is first focused: pages without free text never load it.
 */
import { fieldMessage } from '../../shared/domain/messages';
import type { FieldIssue } from './api';
import { $$ } from './dom';
import { t } from './i18n';

type Detector = typeof import('../../shared/domain/personal-data');
let detector: Detector | undefined;
let loading: Promise<Detector> | undefined;
const load = (): Promise<Detector> => (loading ??= import('../../shared/domain/personal-data').then((m) => (detector = m)));

const fieldOf = (form: HTMLFormElement, name: string) => form.querySelector<HTMLTextAreaElement | HTMLInputElement>(`[name="${name}"]`);

function issueFor(form: HTMLFormElement, name: string): FieldIssue | undefined {
  const text = fieldOf(form, name)?.value ?? '';
  if (!detector || text.trim() === '') return undefined;
  const findings = detector.findPersonalData(text);
  // Worded as the API words it (the message catalogue completes the detector's predicate with the field's name).
  return findings.length > 0 ? { path: name, message: fieldMessage(name, { kind: 'stated', text: detector.describeFindings(findings) }) } : undefined;
}

/** Shows or clears the inline error of one field, in the markup showErrors uses (govuk.ts). */
function showInline(form: HTMLFormElement, name: string, issue: FieldIssue | undefined): void {
  const group = $$<HTMLElement>(`[data-field="${name}"]`, form)[0];
  const control = fieldOf(form, name);
  if (!group || !control) return;
  const errorId = `${group.dataset['target'] ?? control.id}-error`;
  const described = (control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((id) => id && id !== errorId);
  group.querySelector(`#${CSS.escape(errorId)}`)?.remove();
  const errorClass = control.tagName === 'TEXTAREA' ? 'govuk-textarea--error' : 'govuk-input--error';
  if (!issue) {
    group.classList.remove('govuk-form-group--error');
    control.classList.remove(errorClass);
    if (described.length) control.setAttribute('aria-describedby', described.join(' '));
    else control.removeAttribute('aria-describedby');
    return;
  }
  const message = document.createElement('p');
  message.className = 'govuk-error-message';
  message.id = errorId;
  const hidden = document.createElement('span');
  hidden.className = 'govuk-visually-hidden';
  hidden.textContent = t('govuk.error');
  message.append(hidden, ` ${issue.message}`);
  control.parentElement?.insertBefore(message, control);
  group.classList.add('govuk-form-group--error');
  control.classList.add(errorClass);
  control.setAttribute('aria-describedby', [errorId, ...described].join(' '));
}

/**
 * Checks the named free-text fields of `form` as they are typed in, after a
 * pause. Not when a field is left: the message would move the page under a
 * click on the submit button, and the click would be lost.
 */
export function checkFreeText(form: HTMLFormElement, names: readonly string[]): void {
  for (const name of names) {
    const control = fieldOf(form, name);
    if (!control) continue;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => void load().then(() => showInline(form, name, issueFor(form, name)));
    control.addEventListener('focus', () => void load(), { once: true });
    control.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    });
  }
}
