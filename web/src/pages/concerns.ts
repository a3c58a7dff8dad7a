/**
 * The champion's concerns: raise one from a contact (the 999 guidance comes
 * first when life may be at risk), see the result, and follow their state.
 */
import { api, ApiError, type Page } from '../api';
import { $, fieldValue, html, newIdempotencyKey, type Html } from '../dom';
import { button, inset, navButton, navLink, radios, showErrors, summaryList, table, tag, textarea, warningText } from '../govuk';
import { escalationReasons, strandShort, tl } from '../labels';
import { current, t, th } from '../i18n';
import { en } from '../locales/en';
import type { PageContext } from '../router';
import type { ChampionEscalation, ContactView, EscalationStateName, Priority } from '../types';
import { checkFreeText } from '../free-text-check';

const formatDate = (iso: string): string => current().date(iso);
const formatDateTime = (iso: string): string => current().dateTime(iso);

/** The states' names in the page's language (English on the supervisor's pages). */
export const stateLabel = (s: EscalationStateName): string => t(`state.${s}`);
/** The same in English, for the supervisor's pages (English only): from the one catalogue. */
export const stateLabels: Record<EscalationStateName, string> = {
  raised: en['state.raised'],
  triaged: en['state.triaged'],
  referred: en['state.referred'],
  outcome_recorded: en['state.outcome_recorded'],
  closed: en['state.closed'],
  withdrawn: en['state.withdrawn'],
};
export const consentLabels: Record<string, string> = { yes: en['consent.yes'], no: en['consent.no'], not_asked: en['consent.not_asked'] };
const stateColours: Record<EscalationStateName, string | undefined> = {
  raised: undefined,
  triaged: 'teal',
  referred: 'purple',
  outcome_recorded: 'turquoise',
  closed: 'grey',
  withdrawn: 'grey',
};
export const stateTag = (s: EscalationStateName): Html => tag(stateLabel(s), stateColours[s]);
export const priorityTag = (p: Priority): Html =>
  p === 'immediate' ? tag(t('priority.immediate'), 'red') : p === 'high' ? tag(t('priority.high'), 'orange') : tag(t('priority.standard'), 'grey');
export const overdueTag = (): Html => tag(t('concern.overdue'), 'red');
export const consentLabel = (c: string): string => (c === 'yes' || c === 'no' || c === 'not_asked' ? t(`consent.${c}`) : c);

const guidance = (text: string): Html => html`<div class="wm-guidance-999">${warningText(text)}</div>`;

// ---- Raise a concern ----------------------------------------------------------------------------

export async function raiseConcernPage(ctx: PageContext): Promise<void> {
  const id = (ctx.params['contact'] as ContactView | undefined)?.id ?? (ctx.params['id'] as string | undefined);
  if (!id) return ctx.navigate('my-contacts');
  const contact = await api<ContactView>('GET', `/contacts/${encodeURIComponent(id)}`);
  if (contact.hasEscalation) {
    ctx.render(html`<h1 class="govuk-heading-l">${t('concern.alreadyTitle')}</h1>
<p class="govuk-body">${th('concern.alreadyBody', { reference: html`<span class="wm-reference-small" dir="ltr">${contact.contactReference}</span>` })}</p>
<p class="govuk-body">${t('concern.alreadyNew')}</p>
${warningText(t('concern.danger'))}
<div class="govuk-button-group">${navButton(t('concern.seeMine'), 'my-concerns')}${navLink(t('concern.backContacts'), 'my-contacts')}</div>`);
    return;
  }
  const flagged = contact.riskFlags.includes('immediate_danger');
  const call999 = t('concern.call999');
  ctx.render(html`${navLink(t('concern.backContacts'), 'my-contacts', { cls: 'govuk-back-link' })}
<div id="guidance-999" aria-live="assertive">${flagged ? guidance(call999) : ''}</div>
<h1 class="govuk-heading-l">${t('concern.title')}</h1>
<p class="govuk-body">${th('concern.about', {
    date: formatDate(contact.contactDate),
    strands: contact.strands.map((s) => (current().info.code === 'en' ? strandShort[s] : tl('strands', s))).join(', '),
    setting: tl('settings', contact.setting),
    reference: html`<span class="wm-reference-small" dir="ltr">${contact.contactReference}</span>`,
  })}</p>
<form id="concern-form" novalidate>
${radios({
  name: 'reason',
  legend: t('concern.why'),
  label: t('concern.reason'),
  items: escalationReasons.values.map((v) => ({ value: v, label: tl('escalationReasons', v) })),
})}
${radios({
  name: 'consent',
  legend: t('concern.consentQuestion'),
  label: t('concern.consent'),
  small: true,
  items: [
    { value: 'yes', label: t('consent.yes') },
    { value: 'no', label: t('consent.no') },
    { value: 'not_asked', label: t('consent.not_asked'), hint: t('concern.notAskedHint') },
  ],
})}
${textarea({ name: 'note', label: t('log.note'), labelSize: 's', hint: t('concern.noteHint'), maxLength: 500, rows: 3 })}
${button(t('concern.raise'))}
</form>`);

  const form = $<HTMLFormElement>('#concern-form', ctx.root);
  checkFreeText(form, ['note']);
  const box = $('#guidance-999', ctx.root);
  form.addEventListener('change', (e) => {
    if ((e.target as HTMLInputElement).name !== 'reason') return;
    const show = flagged || fieldValue(form, 'reason') === 'immediate_risk_to_life';
    const shown = box.childElementCount > 0;
    if (show && !shown) box.innerHTML = guidance(call999).value;
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
        showErrors(ctx.root, error.status === 409 ? [] : error.issues, error.status === 409 ? t('saved.already') : error.message);
      });
  });
}

// ---- Concern raised -----------------------------------------------------------------------------

export function concernRaisedPage(ctx: PageContext): void {
  const e = ctx.params['escalation'] as ChampionEscalation | undefined;
  if (!e) return ctx.navigate('my-concerns');
  ctx.render(html`${e.emergencyGuidance ? guidance(t('concern.call999')) : ''}
<div class="govuk-panel govuk-panel--confirmation">
  <h1 class="govuk-panel__title">${t('concern.raisedTitle')}</h1>
  <div class="govuk-panel__body">${t('concern.triageBy')}<br><strong>${formatDateTime(e.triageDueAt)}</strong></div>
</div>
${summaryList([
  [t('concern.reason'), tl('escalationReasons', e.reason)],
  [t('concern.priority'), priorityTag(e.priority)],
  [t('concern.state'), stateTag(e.state)],
  [t('concern.consentToShare'), consentLabel(e.consent)],
  [t('concern.reference'), html`<span class="wm-reference-small" dir="ltr">${e.contactReference ?? ''}</span>`],
])}
${inset(t('concern.notified'))}
<div class="govuk-button-group">${navButton(t('concern.seeMine'), 'my-concerns')}${navLink(t('log.backHome'), 'champion-home')}</div>`);
}

// ---- My concerns --------------------------------------------------------------------------------

export async function myConcernsPage(ctx: PageContext): Promise<void> {
  const page = await api<Page<ChampionEscalation>>('GET', '/escalations', { query: { limit: 50 } });
  ctx.render(html`<h1 class="govuk-heading-l">${t('concern.mineTitle')}</h1>
<p class="govuk-body">${th('concern.mineIntro', { link: navLink(t('route.my-contacts'), 'my-contacts') })}</p>
${table({
  caption: t('concern.caption'),
  captionHidden: true,
  head: [t('concern.raised'), t('concern.reason'), t('concern.priority'), t('concern.state'), t('concern.triageDue')],
  empty: t('concern.empty'),
  rows: page.items.map((e) => [
    html`${formatDateTime(e.raisedAt)}<br><span class="wm-reference-small" dir="ltr">${e.contactReference ?? ''}</span>`,
    tl('escalationReasons', e.reason),
    priorityTag(e.priority),
    stateTag(e.state),
    html`${formatDateTime(e.triageDueAt)}${e.overdue ? html` ${overdueTag()}` : ''}`,
  ]),
})}`);
}
