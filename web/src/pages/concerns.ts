/**
 * The champion's concerns: raise one from a contact (the 999 guidance comes
 * first when life may be at risk), see the result, and follow their state.
 */
import { api, ApiError, type Page } from '../api';
import { $, fieldValue, formatDate, formatDateTime, html, newIdempotencyKey, type Html } from '../dom';
import { button, inset, navButton, navLink, radios, showErrors, summaryList, table, tag, textarea, warningText } from '../govuk';
import { CALL_999_GUIDANCE, escalationReasons, label, settings, strandShort } from '../labels';
import type { PageContext } from '../router';
import type { ChampionEscalation, ContactView, EscalationStateName, Priority } from '../types';
import { checkFreeText } from '../free-text-check';

export const stateLabels: Record<EscalationStateName, string> = {
  raised: 'Awaiting triage',
  triaged: 'Triaged',
  referred: 'Referred',
  outcome_recorded: 'Outcome recorded',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
};
const stateColours: Record<EscalationStateName, string | undefined> = {
  raised: undefined,
  triaged: 'teal',
  referred: 'purple',
  outcome_recorded: 'turquoise',
  closed: 'grey',
  withdrawn: 'grey',
};
export const stateTag = (s: EscalationStateName): Html => tag(stateLabels[s] ?? s, stateColours[s]);
export const priorityTag = (p: Priority): Html =>
  p === 'immediate' ? tag('Immediate', 'red') : p === 'high' ? tag('High', 'orange') : tag('Standard', 'grey');
export const overdueTag = (): Html => tag('Overdue', 'red');
export const consentLabels: Record<string, string> = { yes: 'Yes', no: 'No', not_asked: 'Not asked' };

const guidance = (text: string): Html => html`<div class="wm-guidance-999">${warningText(text)}</div>`;

// ---- Raise a concern ----------------------------------------------------------------------------

export async function raiseConcernPage(ctx: PageContext): Promise<void> {
  const id = (ctx.params['contact'] as ContactView | undefined)?.id ?? (ctx.params['id'] as string | undefined);
  if (!id) return ctx.navigate('my-contacts');
  const contact = await api<ContactView>('GET', `/contacts/${encodeURIComponent(id)}`);
  if (contact.hasEscalation) {
    ctx.render(html`<h1 class="govuk-heading-l">A concern has already been raised</h1>
<p class="govuk-body">A concern has already been raised about the contact <span class="wm-reference-small">${contact.contactReference}</span>. The DASV team is working on it.</p>
<p class="govuk-body">If there is something new, log a new contact quoting the same reference and raise a concern from it.</p>
${warningText('If someone is in immediate danger, call 999.')}
<div class="govuk-button-group">${navButton('See my concerns', 'my-concerns')}${navLink('Back to my contacts', 'my-contacts')}</div>`);
    return;
  }
  const flagged = contact.riskFlags.includes('immediate_danger');
  ctx.render(html`${navLink('Back to my contacts', 'my-contacts', { cls: 'govuk-back-link' })}
<div id="guidance-999" aria-live="assertive">${flagged ? guidance(CALL_999_GUIDANCE) : ''}</div>
<h1 class="govuk-heading-l">Raise a concern</h1>
<p class="govuk-body">About the contact on ${formatDate(contact.contactDate)} (${contact.strands.map((s) => strandShort[s]).join(', ')}, ${label(settings.labels, contact.setting)}), reference <span class="wm-reference-small">${contact.contactReference}</span>. The DASV team will triage it.</p>
<form id="concern-form" novalidate>
${radios({
  name: 'reason',
  legend: 'Why are you raising a concern?',
  label: 'Reason',
  items: escalationReasons.values.map((v) => ({ value: v, label: escalationReasons.labels[v] })),
})}
${radios({
  name: 'consent',
  legend: 'Did the person agree to their information being shared with a specialist service?',
  label: 'Consent',
  small: true,
  items: [
    { value: 'yes', label: 'Yes' },
    { value: 'no', label: 'No' },
    { value: 'not_asked', label: 'Not asked', hint: 'For example, it was not safe to ask.' },
  ],
})}
${textarea({ name: 'note', label: 'Note for the DASV team (optional)', labelSize: 's', hint: 'A few words on why. No names, addresses, phone numbers, emails or dates of birth.', maxLength: 500, rows: 3 })}
${button('Raise concern')}
</form>`);

  const form = $<HTMLFormElement>('#concern-form', ctx.root);
  checkFreeText(form, ['note']);
  const box = $('#guidance-999', ctx.root);
  form.addEventListener('change', (e) => {
    if ((e.target as HTMLInputElement).name !== 'reason') return;
    const show = flagged || fieldValue(form, 'reason') === 'immediate_risk_to_life';
    const shown = box.childElementCount > 0;
    if (show && !shown) box.innerHTML = guidance(CALL_999_GUIDANCE).value;
    if (!show && shown) box.innerHTML = '';
  });
  let idempotencyKey = newIdempotencyKey();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    const body: Record<string, unknown> = { reason: fieldValue(form, 'reason'), consent: fieldValue(form, 'consent') };
    const note = fieldValue(form, 'note');
    if (note) body['note'] = note;
    if (submit) submit.disabled = true;
    api<ChampionEscalation>('POST', `/contacts/${encodeURIComponent(contact.id)}/escalations`, { body, idempotencyKey })
      .then((escalation) => ctx.navigate('concern-raised', { escalation }))
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        // A refused request stored nothing: the next attempt is a new one. Otherwise a retry keeps the key.
        if (error.status >= 400 && error.status < 500) idempotencyKey = newIdempotencyKey();
        showErrors(ctx.root, error.status === 409 ? [] : error.issues, error.status === 409 ? 'A concern has already been raised about this contact.' : error.message);
      });
  });
}

// ---- Concern raised -----------------------------------------------------------------------------

export function concernRaisedPage(ctx: PageContext): void {
  const e = ctx.params['escalation'] as ChampionEscalation | undefined;
  if (!e) return ctx.navigate('my-concerns');
  ctx.render(html`${e.emergencyGuidance ? guidance(e.emergencyGuidance) : ''}
<div class="govuk-panel govuk-panel--confirmation">
  <h1 class="govuk-panel__title">Concern raised</h1>
  <div class="govuk-panel__body">The DASV team will triage it by<br><strong>${formatDateTime(e.triageDueAt)}</strong></div>
</div>
${summaryList([
  ['Reason', e.reasonLabel],
  ['Priority', priorityTag(e.priority)],
  ['State', stateTag(e.state)],
  ['Consent to share', consentLabels[e.consent] ?? e.consent],
  ['Reference', html`<span class="wm-reference-small">${e.contactReference ?? ''}</span>`],
])}
${inset('The DASV team has been notified. You can follow where the concern is in "My concerns".')}
<div class="govuk-button-group">${navButton('See my concerns', 'my-concerns')}${navLink('Back to home', 'champion-home')}</div>`);
}

// ---- My concerns --------------------------------------------------------------------------------

export async function myConcernsPage(ctx: PageContext): Promise<void> {
  const page = await api<Page<ChampionEscalation>>('GET', '/escalations', { query: { limit: 50 } });
  ctx.render(html`<h1 class="govuk-heading-l">My concerns</h1>
<p class="govuk-body">Concerns you have raised with the DASV team, newest first. To raise one, open a contact in ${navLink('My contacts', 'my-contacts')}.</p>
${table({
  caption: 'Your concerns',
  captionHidden: true,
  head: ['Raised', 'Reason', 'Priority', 'State', 'Triage due'],
  empty: 'You have not raised any concerns.',
  rows: page.items.map((e) => [
    html`${formatDateTime(e.raisedAt)}<br><span class="wm-reference-small">${e.contactReference ?? ''}</span>`,
    e.reasonLabel,
    priorityTag(e.priority),
    stateTag(e.state),
    html`${formatDateTime(e.triageDueAt)}${e.overdue ? html` ${overdueTag()}` : ''}`,
  ]),
})}`);
}
