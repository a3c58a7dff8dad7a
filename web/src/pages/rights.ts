/**
 * The rights of the person holding a contact reference, for the DASV team: the supervisor enters the reference on
 * the person's card (its check symbol is checked here first, as the API checks it) and the council's reference for
 * the request, then either shows everything held in plain language (printable, to hand over) or, after a
 * confirmation page, erases it. Supervisors only; nothing of the response is kept once the page is left.
 */
import { api, ApiError } from '../api';
import { $, fieldValue, formatDate, html, type Html } from '../dom';
import { button, input, inset, radios, showErrors, summaryList, warningText } from '../govuk';
import { parseContactReference, referenceProblemMessages } from '../../../shared/domain/contact-reference';
import type { Erasure, SubjectAccess } from '../../../shared/domain/subject-access';
import type { PageContext } from '../router';

interface RightsRequest {
  contactReference: string;
  requestReference: string;
}

const list = (items: readonly string[], none = 'None recorded'): Html =>
  items.length ? html`<ul class="govuk-list govuk-list--bullet">${items.map((i) => html`<li>${i}</li>`)}</ul>` : html`${none}`;

function wireBack(ctx: PageContext): void {
  for (const a of ctx.root.querySelectorAll('[data-back]')) {
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      ctx.back();
    });
  }
}

export function rightsPage(ctx: PageContext): void {
  const asked = ctx.params['request'] as (RightsRequest & { kind?: string }) | undefined;
  ctx.render(html`<h1 class="govuk-heading-l">Rights requests</h1>
<p class="govuk-body">When a person asks what Waymark holds about them, or asks for it to be deleted, they show the card with their reference. Only references your team's champions gave out can be found.</p>
<form id="rights-form" novalidate>
  ${input({ name: 'contactReference', label: 'Reference on the card', hint: 'For example, WM-7K3Q-P9.', value: asked?.contactReference ?? '', width: '10', spellcheck: false, autocomplete: 'off' })}
  ${input({ name: 'requestReference', label: 'The council’s reference for the request', hint: 'For example, DSAR-2026-014. The audit trail records this, not the person’s reference.', value: asked?.requestReference ?? '', width: '20', spellcheck: false, autocomplete: 'off' })}
  ${radios({
    name: 'kind',
    legend: 'What does the person ask for?',
    legendSize: 's',
    items: [
      { value: 'access', label: 'See everything held', hint: 'Shows every record under the reference in plain language, to print and hand over.', checked: asked?.kind === 'access' },
      { value: 'erase', label: 'Erase it', hint: 'Deletes every record under the reference. You will be asked to confirm.', checked: asked?.kind === 'erase' },
    ],
  })}
  ${button('Continue')}
</form>`);
  const form = $<HTMLFormElement>('#rights-form', ctx.root);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const typed = fieldValue(form, 'contactReference') ?? '';
    const requestReference = fieldValue(form, 'requestReference') ?? '';
    const kind = fieldValue(form, 'kind');
    const parsed = parseContactReference(typed);
    const issues = [
      ...(typed === '' ? [{ path: 'contactReference', message: 'Enter the reference on the person’s card' }] : parsed.ok ? [] : [{ path: 'contactReference', message: referenceProblemMessages[parsed.problem] }]),
      ...(requestReference === '' ? [{ path: 'requestReference', message: 'Enter the council’s reference for the request' }] : []),
      ...(kind === undefined ? [{ path: 'kind', message: 'Select what the person asks for' }] : []),
    ];
    if (issues.length || !parsed.ok) {
      showErrors(ctx.root, issues, 'There is a problem');
      return;
    }
    const request: RightsRequest = { contactReference: parsed.reference, requestReference };
    if (kind === 'erase') return ctx.navigate('confirm-erasure', { request });
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    api<SubjectAccess>('POST', '/rights/access', { body: request })
      .then((sar) => ctx.navigate('subject-access', { sar }))
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        showErrors(ctx.root, error.issues, error.status === 404 ? 'No records were found under this reference for your team. Check the reference with the person.' : error.message);
      });
  });
}

const riskSection = (r: NonNullable<SubjectAccess['concerns'][number]['riskAssessment']>): Html => html`<h4 class="govuk-heading-s">Risk checklist (DASH)</h4>
${summaryList([
  ...(r.assessed ? ([['Completed', formatDate(r.assessed)]] as const) : []),
  ['Completed by', r.by],
  ['Score', r.score],
  ...(r.level ? ([['Risk level', r.level]] as const) : []),
  ...(r.whyHighRisk.length ? ([['Why', list(r.whyHighRisk)]] as const) : []),
  ...(r.recommendedStep ? ([['Next step recommended', r.recommendedStep]] as const) : []),
])}
${r.answers.length ? html`<table class="govuk-table wm-table-small"><caption class="govuk-table__caption govuk-table__caption--s">Questions and answers</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Question</th><th scope="col" class="govuk-table__header">Answer</th></tr></thead>
<tbody class="govuk-table__body">${r.answers.map((a) => html`<tr class="govuk-table__row"><td class="govuk-table__cell">${a.question}</td><td class="govuk-table__cell">${a.answer}</td></tr>`)}</tbody></table>` : ''}`;

export function subjectAccessPage(ctx: PageContext): void {
  const sar = ctx.params['sar'] as SubjectAccess | undefined;
  if (!sar) return ctx.navigate('rights', {}, { replace: true });
  ctx.render(html`<a href="/" class="govuk-back-link" data-back>Back</a>
<span class="govuk-caption-l">Request ${sar.requestReference}</span>
<h1 class="govuk-heading-l" id="sar-title">What Waymark holds under ${sar.contactReference}</h1>
<p class="govuk-body">${sar.summary}</p>
<div class="govuk-button-group">${button('Print', { type: 'button', secondary: true, attrs: html` id="print-sar"` })}</div>
<h2 class="govuk-heading-m">Conversations with a community champion</h2>
${sar.contacts.map((c, i) => html`<h3 class="govuk-heading-s">${i + 1}. ${formatDate(c.date)}</h3>
${summaryList([
  ['Where', c.where],
  ['About', list(c.about)],
  ['What was described', list(c.whatWasDescribed)],
  ['About you', list(c.aboutYou)],
  ['Help sought before', list(c.helpSoughtBefore)],
  ['Police or 999', c.beforePoliceOrEmergency],
  ['Safety concerns', list(c.safetyConcerns)],
  ...(c.note ? ([['Note', c.note]] as const) : []),
  ['Services', c.signposting.length ? list(c.signposting.map((s) => `${s.service}: ${s.how}. Outcome: ${s.outcome}`)) : 'None'],
  ['Status', c.status],
  ['Kept until', formatDate(c.keptUntil)],
])}`)}
<h2 class="govuk-heading-m">Concerns raised with the DASV team</h2>
${sar.concerns.length ? sar.concerns.map((c, i) => html`<h3 class="govuk-heading-s">Concern ${i + 1}, raised ${formatDate(c.raised)}</h3>
${summaryList([
  ['Why', c.why],
  ['Sharing', c.consent],
  ['Where it got to', c.whereItGot],
  ...(c.outcome ? ([['Outcome', c.outcome]] as const) : []),
  ['What happened', list(c.history.map((h) => `${formatDate(h.date)}: ${h.what} (${h.by})`))],
  ...(c.marac ? ([['MARAC', list(c.marac)]] as const) : []),
])}
${c.riskAssessment ? riskSection(c.riskAssessment) : ''}`) : html`<p class="govuk-body">None.</p>`}
<h2 class="govuk-heading-m">Who can see it</h2>
<p class="govuk-body">${sar.whoCanSeeIt}</p>
<h2 class="govuk-heading-m">How long it is kept</h2>
<p class="govuk-body">${sar.howLongItIsKept}</p>
${inset(html`Produced ${formatDate(sar.producedAt)}. This request is recorded in the audit trail under ${sar.requestReference}.`)}`);
  wireBack(ctx);
  $('#print-sar', ctx.root).addEventListener('click', () => window.print());
}

export function confirmErasurePage(ctx: PageContext): void {
  const request = ctx.params['request'] as RightsRequest | undefined;
  if (!request) return ctx.navigate('rights', {}, { replace: true });
  ctx.render(html`<a href="/" class="govuk-back-link" data-back>Back</a>
<span class="govuk-caption-l">Request ${request.requestReference}</span>
<h1 class="govuk-heading-l">Are you sure you want to erase everything held under ${request.contactReference}?</h1>
${warningText('This cannot be undone. Every conversation, service and concern under this reference is deleted, and the reference will no longer link anything.')}
<p class="govuk-body">Published figures for past periods will fall by what is erased. The audit trail keeps that an erasure was made under this request, not what was erased.</p>
<form id="erase-form" novalidate><div class="govuk-button-group">${button('Yes, erase everything', { warning: true })}<a href="/" class="govuk-link" data-back>No, go back</a></div></form>`);
  wireBack(ctx);
  const form = $<HTMLFormElement>('#erase-form', ctx.root);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    api<Erasure>('POST', '/rights/erasure', { body: request })
      .then((erasure) => ctx.navigate('erasure-done', { erasure, contactReference: request.contactReference }, { replace: true }))
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        showErrors(ctx.root, error.issues, error.status === 404 ? 'No records were found under this reference for your team. Check the reference with the person.' : error.message);
      });
  });
}

export function erasureDonePage(ctx: PageContext): void {
  const erasure = ctx.params['erasure'] as Erasure | undefined;
  if (!erasure) return ctx.navigate('rights', {}, { replace: true });
  const n = erasure.erased;
  const count = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  ctx.render(html`<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title" id="erasure-title">Records erased</h1>
<div class="govuk-panel__body">Request ${erasure.requestReference}</div></div>
${summaryList([
  ['Conversations', String(n.contacts)],
  ['Services signposted', String(n.signposting)],
  ['Concerns', String(n.concerns)],
  ['References', String(n.references)],
])}
<p class="govuk-body">${count(n.contacts + n.signposting + n.concerns + n.references, 'record was', 'records were')} deleted under ${String(ctx.params['contactReference'] ?? 'the reference')}. ${erasure.note}</p>
<p class="govuk-body"><a href="/" class="govuk-link" data-route="rights">Handle another request</a></p>`);
}
