/**
 * The supervisor's caseload (their home), one escalation with only the
 * allowed next actions, and the team's notifications.
 */
import { api, ApiError, type Page } from '../api';
import { $, fieldValue, formatDate, formatDateTime, html, ukToday, type Html } from '../dom';
import { button, input, inset, navLink, notification, radios, select, showErrors, summaryList, table, tag, textarea, warningText } from '../govuk';
import { escalationOutcomes, label, serviceKinds, SHARING_WITHOUT_CONSENT_REASONS, signpostingModes, strandShort, type EscalationReason } from '../labels';
import type { PageContext } from '../router';
import type { Caseload, EscalationStateName, Service, SupervisorEscalation, TeamNotification } from '../types';
import { trainingTag } from './champion';
import { consentLabels, overdueTag, priorityTag, stateLabels, stateTag } from './concerns';
import { checkFreeText } from '../free-text-check';

const openLink = (e: { id: string }, what: string): Html =>
  navLink(html`Open<span class="govuk-visually-hidden"> ${what}</span>`, 'escalation', { param: e.id });

// ---- Caseload -----------------------------------------------------------------------------------

export async function caseloadPage(ctx: PageContext): Promise<void> {
  const c = await api<Caseload>('GET', '/caseload');
  const open = c.escalations;
  ctx.render(html`<h1 class="govuk-heading-l">Caseload</h1>
<p class="govuk-body">Your team at ${formatDateTime(c.asOf)}: ${open.total} open ${open.total === 1 ? 'concern' : 'concerns'}${open.overdue ? html`, <strong>${open.overdue} overdue for triage</strong>` : ''}. ${navLink('Notifications', 'notifications')}</p>
${table({
  caption: 'Open concerns, overdue first',
  head: ['Priority', 'Reason', 'State', 'Triage due', 'Raised', 'Action'],
  small: true,
  empty: 'No open concerns.',
  rows: open.items.map((e, i) => [
    priorityTag(e.priority),
    html`${e.reasonLabel}<br><span class="wm-secondary">${e.strands.map((s) => label(strandShort, s)).join(', ')}</span>`,
    stateTag(e.state),
    html`${formatDateTime(e.triageDueAt)}${e.overdue ? html` ${overdueTag()}` : ''}`,
    formatDateTime(e.raisedAt),
    openLink(e, `concern ${i + 1}: ${e.reasonLabel}, raised ${formatDateTime(e.raisedAt)}`),
  ]),
})}
${table({
  caption: 'Contacts awaiting follow-up',
  head: ['Contact date', 'Signposted to', 'How'],
  small: true,
  empty: 'No signposting awaits a follow-up outcome.',
  rows: c.followUps.items.map((f) => [formatDate(f.contactDate), f.serviceName, label(signpostingModes.labels, f.mode)]),
  preview: { count: 5, more: (n) => `Show the other ${n} contacts awaiting follow-up` },
})}
${c.followUps.more ? html`<p class="govuk-body-s">Only the oldest are shown.</p>` : ''}
${table({
  caption: 'Training to renew',
  head: ['Champion', 'Training'],
  small: true,
  empty: 'Every active champion\u2019s training is current.',
  rows: c.training.map((t) => [
    t.displayName,
    html`${t.trainingStatus.map((s) => html`<span class="wm-status">${strandShort[s.strand]} ${trainingTag(s.status)}${s.expiresOn ? html` <span class="govuk-body-s">${formatDate(s.expiresOn)}</span>` : ''}</span>`)}`,
  ]),
})}
${table({
  caption: 'Contacts per champion',
  head: ['Champion', 'Last 30 days', 'Last 90 days'],
  small: true,
  empty: 'No champions yet.',
  rows: c.contactCounts.map((r) => [html`${r.displayName}${r.status !== 'active' ? html` ${tag('Suspended', 'grey')}` : ''}`, String(r.last30Days), String(r.last90Days)]),
})}`);
}

// ---- Escalation ---------------------------------------------------------------------------------

const actionLabels: Record<EscalationStateName, string> = {
  raised: 'Raise',
  triaged: 'Triage',
  referred: 'Refer',
  outcome_recorded: 'Record outcome',
  closed: 'Close',
  withdrawn: 'Withdraw',
};

async function actionForm(to: EscalationStateName, e: SupervisorEscalation): Promise<Html> {
  switch (to) {
    case 'triaged':
      return html`${select({
        name: 'targetServiceKind',
        label: 'Which kind of specialist service does it need?',
        options: [{ value: '', label: 'Choose a kind of service' }, ...serviceKinds.values.map((v) => ({ value: v, label: serviceKinds.labels[v] }))],
      })}
${input({ name: 'dashScore', label: 'DASH risk checklist score (optional)', hint: 'Only if a trained professional completed it: 0 to 24. 14 or more points towards MARAC.', width: '3', inputmode: 'numeric' })}`;
    case 'referred': {
      const services = await api<Page<Service>>('GET', '/services', { query: { limit: 100 } });
      const usable = services.items
        .filter((s) => s.status === 'active' && s.strands.some((st) => e.strands.includes(st)))
        .sort((a, b) => Number(b.kind === e.targetServiceKind) - Number(a.kind === e.targetServiceKind) || a.name.localeCompare(b.name));
      const withoutConsent = e.consent !== 'yes';
      const allowed = SHARING_WITHOUT_CONSENT_REASONS.includes(e.reason as EscalationReason);
      return html`${select({
        name: 'serviceId',
        label: 'Service referred to',
        hint: e.targetServiceKind ? `Services of the kind chosen at triage (${label(serviceKinds.labels, e.targetServiceKind)}) come first.` : undefined,
        options: [{ value: '', label: 'Choose a service' }, ...usable.map((s) => ({ value: s.id, label: `${s.name} (${s.kindLabel})` }))],
      } as Parameters<typeof select>[0])}
${input({ name: 'referredOn', label: 'Date of the referral', type: 'date', value: ukToday(), width: '10' })}
${radios({
  name: 'mode',
  legend: 'How',
  legendSize: 's',
  small: true,
  // "With consent" is chosen for the supervisor only when the person gave it; otherwise nothing is (no default to click past).
  items: signpostingModes.values.map((v) => ({ value: v, label: signpostingModes.labels[v], checked: e.consent === 'yes' && v === 'referral_with_consent' })),
})}
${withoutConsent
    ? html`${warningText(
        allowed
          ? `The person's consent to sharing is recorded as "${consentLabels[e.consent] ?? e.consent}". Sharing without consent is allowed here only for a risk to life or to children: record why.`
          : `The person's consent to sharing is recorded as "${consentLabels[e.consent] ?? e.consent}". Sharing without consent is allowed only for a risk to life or to children, so this referral will be refused.`,
      )}
${textarea({ name: 'sharedWithoutConsentJustification', label: 'Why share without consent', hint: 'At least 10 characters. No names, addresses, phone numbers, emails or dates of birth.', maxLength: 500, rows: 3 })}`
    : ''}`;
    }
    case 'outcome_recorded':
      return radios({ name: 'outcome', legend: 'What was the outcome?', legendSize: 's', label: 'Outcome', items: escalationOutcomes.values.map((v) => ({ value: v, label: escalationOutcomes.labels[v] })) });
    case 'closed':
      return html`<p class="govuk-body">Closing ends the work on this concern. It cannot be reopened.</p>`;
    case 'withdrawn':
      return input({ name: 'reason', label: 'Why is it withdrawn?', hint: 'For example, raised in error. No personal details.' });
    default:
      return html``;
  }
}

/** The transitions' free text, which reaches a supervisor's screen: checked for personal data as it is typed. */
const freeTextFields = ['sharedWithoutConsentJustification', 'reason'];

function transitionBody(to: EscalationStateName, form: HTMLFormElement, version: number): Record<string, unknown> {
  const body: Record<string, unknown> = { to, version };
  const put = (name: string, key = name) => {
    const v = fieldValue(form, name);
    if (v !== undefined) body[key] = v;
  };
  if (to === 'triaged') {
    put('targetServiceKind');
    const dash = fieldValue(form, 'dashScore');
    if (dash !== undefined) body['dashScore'] = /^\d+$/.test(dash) ? Number(dash) : dash;
  } else if (to === 'referred') {
    put('serviceId');
    put('referredOn');
    put('mode');
    put('sharedWithoutConsentJustification');
  } else if (to === 'outcome_recorded') put('outcome');
  else if (to === 'withdrawn') put('reason');
  return body;
}

export async function escalationPage(ctx: PageContext): Promise<void> {
  const id = ctx.params['id'] as string | undefined;
  if (!id) return ctx.navigate('caseload');
  const banner = ctx.params['banner'] as string | undefined;
  const conflict = ctx.params['conflict'] as string | undefined;
  const e = await api<SupervisorEscalation>('GET', `/escalations/${encodeURIComponent(id)}`);
  const facts: (readonly [string, string | Html])[] = [
    ['Reference', html`<span class="wm-reference-small">${e.contactReference ?? ''}</span>`],
    ['Reason', e.reasonLabel],
    ['Priority', priorityTag(e.priority)],
    ['State', stateTag(e.state)],
    ['Triage due', html`${formatDateTime(e.triageDueAt)}${e.overdue ? html` ${overdueTag()}` : ''}`],
    ['Raised', formatDateTime(e.raisedAt)],
    ['About', e.strands.map((s) => label(strandShort, s)).join(', ')],
    ['Consent to share', consentLabels[e.consent] ?? e.consent],
    ['Before police or 999', e.beforePoliceOrEmergency ? 'Yes' : 'No'],
  ];
  if (e.note) facts.push(['Champion\u2019s note', html`<span class="wm-break">${e.note}</span>`]);
  if (e.targetServiceKind) facts.push(['Service needed', label(serviceKinds.labels, e.targetServiceKind)]);
  const risk = (e as SupervisorEscalation & { riskAssessment?: { level: string; score: number; recommendedStep: string; repeatMarac: boolean } }).riskAssessment;
  if (risk) {
    facts.push(['DASH checklist', html`${risk.score} “yes” ${tag(risk.level === 'high' ? 'High risk' : risk.level === 'medium' ? 'Medium risk' : 'Standard risk', risk.level === 'high' ? 'red' : risk.level === 'medium' ? 'orange' : 'grey')}${risk.recommendedStep === 'marac' ? html` ${tag('Refer to MARAC', 'red')}` : ''}${risk.repeatMarac ? html` ${tag('Repeat MARAC', 'purple')}` : ''}`]);
  }
  if (e.dashScore !== undefined) facts.push(['DASH score', html`${e.dashScore}${e.pointsTowardsMarac ? html` ${tag('Points towards MARAC', 'red')}` : ''}`]);
  if (e.referredOn) facts.push(['Referred on', formatDate(e.referredOn)]);
  if (e.sharedWithoutConsent) facts.push(['Shared without consent', e.sharedWithoutConsentJustification ?? 'Yes']);
  if (e.outcome) facts.push(['Outcome', label(escalationOutcomes.labels, e.outcome)]);
  if (e.withdrawnReason) facts.push(['Withdrawn because', e.withdrawnReason]);
  const next = e.allowedNext;

  ctx.render(html`${banner ? notification(banner, { success: true }) : ''}${navLink('Back to caseload', 'caseload', { cls: 'govuk-back-link' })}
<span class="govuk-caption-l">Concern</span>
<h1 class="govuk-heading-l">${e.reasonLabel}</h1>
${e.priority === 'immediate' && next.length ? warningText('Immediate priority: if anyone is in immediate danger, call 999.') : ''}
${summaryList(facts)}
${e.strands.includes('dasv') && (e.state === 'raised' || e.state === 'triaged')
    ? html`<p class="govuk-body">${navLink(risk ? 'Review the DASH risk checklist' : 'Complete the DASH risk checklist', 'risk-assessment', { param: e.id })}</p>`
    : ''}
${table({
  caption: 'History',
  head: ['When', 'State', 'By'],
  small: true,
  rows: e.history.map((h) => [formatDateTime(h.at), stateLabels[h.to] ?? h.to, h.role]),
})}
<h2 class="govuk-heading-m">Next step</h2>
${next.length
    ? html`<div class="govuk-button-group" id="actions">${next.map((to) => button(actionLabels[to], { type: 'button', secondary: to === 'withdrawn', attrs: html` data-to="${to}" aria-controls="action-panel" aria-expanded="false"` }))}</div>`
    : inset(`This concern is ${stateLabels[e.state].toLowerCase()}: there is nothing more to do.`)}
<div id="action-panel"${next.length ? html` class="wm-action-room"` : ''}></div>`);
  if (conflict) showErrors(ctx.root, [], conflict);

  const panel = $('#action-panel', ctx.root);
  for (const b of ctx.root.querySelectorAll<HTMLButtonElement>('#actions button[data-to]')) {
    b.addEventListener('click', () => {
      const to = b.dataset['to'] as EscalationStateName;
      // Closing cannot be undone: it has a page of its own that asks first.
      if (to === 'closed') return ctx.navigate('confirm-close', { escalation: e });
      for (const other of ctx.root.querySelectorAll('#actions button')) other.setAttribute('aria-expanded', String(other === b));
      void actionForm(to, e).then((fields) => {
        panel.innerHTML = html`<form id="transition-form" class="wm-action" novalidate>
<h2 class="govuk-heading-m" tabindex="-1">${actionLabels[to]}</h2>
${fields}
<div class="govuk-button-group">${button(actionLabels[to], { warning: to === 'withdrawn' })}</div>
</form>`.value;
        const form = $<HTMLFormElement>('#transition-form', panel);
        form.querySelector<HTMLElement>('h2')?.focus();
        checkFreeText(form, freeTextFields);
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
          if (submit) submit.disabled = true;
          api<SupervisorEscalation>('POST', `/escalations/${encodeURIComponent(e.id)}/transitions`, { body: transitionBody(to, form, e.version) })
            .then((after) => ctx.navigate('escalation', { id: e.id, banner: `${stateLabels[after.state]}: the concern has been updated.` }))
            .catch((error: unknown) => {
              if (submit) submit.disabled = false;
              if (!(error instanceof ApiError)) throw error;
              if (error.status === 409) {
                ctx.navigate('escalation', { id: e.id, conflict: 'This concern was changed by someone else while you were looking at it. It has been reloaded: check it and try again.' });
                return;
              }
              showErrors(ctx.root, error.issues, error.message);
            });
        });
      });
    });
  }
}

// ---- Close: are you sure? ------------------------------------------------------------------------

export function confirmClosePage(ctx: PageContext): void {
  const e = ctx.params['escalation'] as SupervisorEscalation | undefined;
  if (!e) return ctx.navigate('caseload', {}, { replace: true });
  ctx.render(html`<a href="/" class="govuk-back-link" data-back>Back</a>
<h1 class="govuk-heading-l">Are you sure you want to close this concern?</h1>
${summaryList([
  ['Reason', e.reasonLabel],
  ['State', stateTag(e.state)],
  ['Reference', html`<span class="wm-reference-small">${e.contactReference ?? ''}</span>`],
])}
${warningText('Closing ends the work on this concern. It cannot be reopened.')}
<form id="close-form" novalidate><div class="govuk-button-group">${button('Yes, close the concern', { warning: true })}<a href="/" class="govuk-link" data-back>No, go back</a></div></form>`);
  for (const a of ctx.root.querySelectorAll('[data-back]')) {
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      ctx.back();
    });
  }
  const form = $<HTMLFormElement>('#close-form', ctx.root);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    api<SupervisorEscalation>('POST', `/escalations/${encodeURIComponent(e.id)}/transitions`, { body: { to: 'closed', version: e.version } })
      .then((after) => ctx.navigate('escalation', { id: e.id, banner: `${stateLabels[after.state]}: the concern has been updated.` }, { replace: true }))
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        if (error.status === 409) {
          ctx.navigate('escalation', { id: e.id, conflict: 'This concern was changed by someone else while you were looking at it. It has been reloaded: check it and try again.' }, { replace: true });
          return;
        }
        showErrors(ctx.root, error.issues, error.message);
      });
  });
}

// ---- Notifications ------------------------------------------------------------------------------

export async function notificationsPage(ctx: PageContext): Promise<void> {
  const page = await api<Page<TeamNotification>>('GET', '/notifications', { query: { limit: 50 } });
  ctx.render(html`${navLink('Back to caseload', 'caseload', { cls: 'govuk-back-link' })}
<h1 class="govuk-heading-l">Notifications</h1>
<p class="govuk-body">What the DASV team has been told, newest first. A notification carries no case detail.</p>
${table({
  caption: 'Notifications',
  captionHidden: true,
  head: ['When', 'What', 'Priority', 'Triage due', 'Action'],
  small: true,
  empty: 'No notifications.',
  rows: page.items.map((n, i) => [
    formatDateTime(n.createdAt),
    'A concern awaits triage',
    priorityTag(n.priority),
    formatDateTime(n.triageDueAt),
    openLink({ id: n.link.split('/').pop() ?? '' }, `concern from notification ${i + 1}`),
  ]),
})}`);
}
