import { api, ApiError, type FieldIssue, type Page } from '../api';
import { $, checkedValues, fieldValue, formatDate, html, newIdempotencyKey, ukToday, type Html } from '../dom';
import { telLink, button, checkboxes, details, input, inset, navButton, navLink, pagination, radios, select, showErrors, summaryList, table, tag, textarea, warningText, onPagination } from '../govuk';
import {
  ageBands,
  dasvForms,
  genders,
  hateIncidentKinds,
  hateMotivations,
  items,
  label,
  labelList,
  priorHelp,
  riskFlags,
  settings,
  signpostingModes,
  strandLabels,
  strandShort,
  type Strand,
} from '../labels';
import { fieldMessage } from '../../../shared/domain/messages';
import { CORRECTION_WINDOW_HOURS } from '../../../shared/domain/contact-defaults';
import { forgetAnswers, type PageContext } from '../router';
import type { ChampionEscalation, ChampionMe, ContactView, Service } from '../types';
import { checkFreeText } from '../free-text-check';

const trainingTag = (status: string): Html =>
  status === 'current' ? tag('Current', 'green') : status === 'expiring' ? tag('Expiring soon', 'yellow') : status === 'lapsed' ? tag('Lapsed', 'red') : tag('Not trained', 'grey');

// ---- Home -------------------------------------------------------------------------------------

export async function homePage(ctx: PageContext): Promise<void> {
  const me = await api<ChampionMe>('GET', '/champions/me');
  const strands = me.mayLogContactsFor;
  ctx.render(html`<h1 class="govuk-heading-l">Hello, ${me.champion.displayName}</h1>
${warningText('If someone is in immediate danger, call 999.')}
<h2 class="govuk-heading-m">What you can log today</h2>
${strands.length
    ? html`<ul class="govuk-list govuk-list--bullet">${strands.map((s) => html`<li>${s.label}${s.until ? html` <span class="govuk-body-s wm-secondary">(training current until ${formatDate(s.until)})</span>` : ''}</li>`)}</ul>
${navButton('Log a contact', 'log-contact')}`
    : inset(html`Your training is not current for any strand, so you cannot log contacts at the moment. Speak to your supervisor about refresher training.`)}
<h2 class="govuk-heading-m">Your records</h2>
<ul class="govuk-list">
  <li>${navLink('My contacts', 'my-contacts')}</li>
  <li>${navLink('My training', 'my-training')}</li>
</ul>`);
}

// ---- Log a contact ----------------------------------------------------------------------------

function serviceChoices(services: readonly Service[]): Html {
  return html`${services.map((s, i) => {
    const id = i === 0 ? 'field-signposting' : `field-signposting-${i + 1}`;
    const cond = `conditional-${id}`;
    const langs = s.languages.length ? s.languages.join(', ') : 'English';
    return html`<div class="wm-service" data-strands="${s.strands.join(' ')}" data-languages="${s.languages.map((l) => l.toLowerCase()).join('|')}">
<div class="govuk-checkboxes__item">
  <input class="govuk-checkboxes__input" id="${id}" name="signposting" type="checkbox" value="${s.id}" data-aria-controls="${cond}" aria-describedby="${id}-item-hint">
  <label class="govuk-label govuk-checkboxes__label" for="${id}">${s.name}</label>
  <div id="${id}-item-hint" class="govuk-hint govuk-checkboxes__hint">${s.kindLabel}${s.phone ? html` · ${telLink(s.phone)}` : ''} · ${langs}</div>
</div>
<div class="govuk-checkboxes__conditional govuk-checkboxes__conditional--hidden" id="${cond}">
  <p class="govuk-body-s">${s.howToRefer}</p>
  ${radios({
    name: `mode-${s.id}`,
    idPrefix: `field-mode-${s.id}`,
    legend: `How, for ${s.name}`,
    legendSize: 's',
    field: `mode-${s.id}`,
    small: true,
    items: signpostingModes.values.map((v, j) => ({ value: v, label: signpostingModes.labels[v], checked: j === 0 })),
  })}
</div></div>`;
  })}`;
}

export async function logContactPage(ctx: PageContext): Promise<void> {
  // A correction (from My contacts) opens the same form with the saved answers.
  const editId = ctx.params['id'] as string | undefined;
  const [me, services, editing] = await Promise.all([
    api<ChampionMe>('GET', '/champions/me'),
    api<Page<Service>>('GET', '/services', { query: { limit: 100 } }),
    editId ? api<ContactView>('GET', `/contacts/${encodeURIComponent(editId)}`) : Promise.resolve(undefined),
  ]);
  if (editing) ctx.prefill('contact-form', answersOf(editing));
  const qualified = me.mayLogContactsFor.map((s) => s.strand);
  if (qualified.length === 0) {
    ctx.render(html`<h1 class="govuk-heading-l">You cannot log contacts at the moment</h1>
<p class="govuk-body">Your training is not current for any strand. Speak to your supervisor about refresher training.</p>${navLink('Back to home', 'champion-home')}`);
    return;
  }
  const languages = [...new Set(services.items.flatMap((s) => s.languages))].sort((a, b) => a.localeCompare(b));
  const today = ukToday();
  const yesterday = ukToday(new Date(Date.now() - 86_400_000));
  const strandItems = qualified.map((strand) => ({
    value: strand,
    label: strandLabels[strand],
    checked: qualified.length === 1,
    conditional:
      strand === 'dasv'
        ? checkboxes({ name: 'dasvForms', legend: 'Forms of abuse', legendSize: 's', hint: 'Select all that the person described.', small: true, items: items(dasvForms) })
        : html`${checkboxes({ name: 'hateMotivations', legend: 'What the incident is perceived to be motivated by', legendSize: 's', hint: 'As the person, or anyone else, perceives it.', small: true, items: items(hateMotivations) })}
${checkboxes({ name: 'hateIncidentKinds', legend: 'What happened', legendSize: 's', small: true, items: items(hateIncidentKinds) })}`,
  }));

  ctx.render(html`${editing ? html`<h1 class="govuk-heading-l">Change a contact</h1>
<p class="govuk-body">You can correct a contact for ${CORRECTION_WINDOW_HOURS} hours after logging it. Its reference, <span class="wm-reference-small">${editing.contactReference}</span>, stays the same.</p>` : html`<h1 class="govuk-heading-l">Log a contact</h1>
<p class="govuk-body">About two minutes. Record what happened, never who the person is: no names, addresses, phone numbers or dates of birth.</p>`}
${warningText('If someone is in immediate danger, call 999 now, then log the contact.')}
<form id="contact-form" novalidate>
${radios({
  name: 'contactDay',
  field: 'contactDate',
  legend: 'When was the contact?',
  label: 'Date of the contact',
  small: true,
  items: [
    { value: today, label: 'Today', checked: true },
    { value: yesterday, label: 'Yesterday' },
    { value: 'other', label: 'Another date' },
  ],
})}
<div class="wm-reveal" id="contact-date-other" hidden>${input({ name: 'contactDateOther', field: 'contactDateOther', label: 'Date of the contact', hint: 'Within the last 30 days.', type: 'date', width: '10' })}</div>
${radios({ name: 'setting', legend: 'Where did it happen?', label: 'Where it happened', small: true, items: items(settings) })}
${checkboxes({ name: 'strands', legend: 'What is it about?', label: 'What it is about', hint: qualified.length === 1 ? 'You are trained for this strand.' : 'Select all that apply.', items: strandItems })}
${checkboxes({
  name: 'priorHelp',
  legend: 'Had the person sought help before?',
  label: 'Whether the person had sought help before',
  hint: 'Select all that apply.',
  small: true,
  items: priorHelp.values.map((v) => ({ value: v, label: priorHelp.labels[v], exclusive: v === 'none' })),
})}
${radios({
  name: 'beforePoliceOrEmergency',
  legend: 'Is this before any police or 999 involvement?',
  label: 'Whether this is before any police or 999 involvement',
  hint: 'Earlier help: the person is seeking help before a crisis brings the emergency police response.',
  small: true,
  items: [
    { value: 'true', label: 'Yes, before any police or 999 involvement' },
    { value: 'false', label: 'No' },
  ],
})}
${checkboxes({ name: 'riskFlags', legend: 'Risk flags', hint: 'Optional. These move a concern up the DASV team\u2019s list. You are not assessing risk.', small: true, items: items(riskFlags) })}
<div class="govuk-form-group" data-field="signposting" data-label="Signposting" data-target="field-signposting">
<fieldset class="govuk-fieldset" aria-describedby="field-signposting-hint">
  <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Where did you signpost the person?</legend>
  <div id="field-signposting-hint" class="govuk-hint">Select at least one service. Only services for the strands you chose are shown.</div>
  ${select({ name: 'serviceLanguage', field: 'serviceLanguage', label: 'Show services that work in', options: [{ value: '', label: 'Any language' }, ...languages.map((l) => ({ value: l.toLowerCase(), label: l }))] })}
  <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">${serviceChoices(services.items)}</div>
  <p class="govuk-body-s" id="wm-no-services" hidden>No services match. Choose "Any language" to see them all.</p>
</fieldset></div>
${details(
  'About the person (optional)',
  html`${select({ name: 'ageBand', field: 'demographics.ageBand', label: 'Age band', options: [{ value: '', label: 'Not recorded' }, ...items(ageBands)] })}
${select({ name: 'gender', field: 'demographics.gender', label: 'Gender', options: [{ value: '', label: 'Not recorded' }, ...items(genders)] })}
${input({ name: 'community', field: 'demographics.community', label: 'Community', hint: 'As the person describes it, in words.', width: '20' })}
${input({ name: 'language', field: 'demographics.language', label: 'Language of the contact', width: '20' })}
${checkboxes({ name: 'interpreterNeeded', field: 'demographics.interpreterNeeded', legend: 'Interpreter', legendSize: 's', small: true, items: [{ value: 'true', label: 'An interpreter is needed' }] })}
${editing ? '' : input({ name: 'contactReference', label: 'Their Waymark reference, if they have one', hint: 'For example, WM-7K3Q-P9. This links a repeat contact without recording who they are.', width: '10', spellcheck: false })}`,
)}
${textarea({ name: 'note', label: 'Note for the DASV team (optional)', labelSize: 's', hint: 'A few words on what happened. No names, addresses, phone numbers, emails or dates of birth.', maxLength: 500, rows: 3 })}
${button('Continue')}
</form>`);

  const form = $<HTMLFormElement>('#contact-form', ctx.root);
  checkFreeText(form, ['note']);
  const filterServices = () => {
    const chosen = checkedValues(form, 'strands');
    const language = fieldValue(form, 'serviceLanguage');
    let shown = 0;
    for (const el of form.querySelectorAll<HTMLElement>('.wm-service')) {
      const box = el.querySelector<HTMLInputElement>('input[name="signposting"]');
      const strands = (el.dataset['strands'] ?? '').split(' ');
      const langs = (el.dataset['languages'] ?? '').split('|');
      const match = (chosen.length === 0 || chosen.some((s) => strands.includes(s))) && (!language || langs.includes(language));
      el.hidden = !(match || box?.checked);
      if (!el.hidden) shown += 1;
    }
    $('#wm-no-services', form).hidden = shown > 0;
  };
  // "Another date" reveals its date field. (Not GOV.UK's conditional reveal: that sets aria-expanded on a radio, which ARIA does not allow.)
  form.addEventListener('change', (e) => {
    const name = (e.target as HTMLInputElement).name;
    if (name === 'contactDay') $('#contact-date-other', form).hidden = fieldValue(form, 'contactDay') !== 'other';
    if (name === 'strands' || name === 'serviceLanguage') filterServices();
  });
  filterServices();

  const issues = ctx.params['issues'] as FieldIssue[] | undefined;
  if (issues) {
    delete ctx.params['issues'];
    showErrors(ctx.root, issues.map((i) => (i.path === 'contactDate' && fieldValue(form, 'contactDay') === 'other' ? { ...i, path: 'contactDateOther' } : i)), '');
  }
  const focus = ctx.params['focus'] as string | undefined;
  if (focus) {
    delete ctx.params['focus'];
    document.getElementById(focus)?.focus();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const strands = checkedValues(form, 'strands') as Strand[];
    const day = fieldValue(form, 'contactDay');
    const demographics: Record<string, unknown> = {};
    for (const [name, key] of [['ageBand', 'ageBand'], ['gender', 'gender'], ['community', 'community'], ['language', 'language']] as const) {
      const v = fieldValue(form, name);
      if (v) demographics[key] = v;
    }
    if (checkedValues(form, 'interpreterNeeded').length) demographics['interpreterNeeded'] = true;
    const before = fieldValue(form, 'beforePoliceOrEmergency');
    const chosenServices = checkedValues(form, 'signposting');
    const body: Record<string, unknown> = {
      contactDate: day === 'other' ? (fieldValue(form, 'contactDateOther') ?? '') : (day ?? ''),
      setting: fieldValue(form, 'setting'),
      strands,
      dasvForms: strands.includes('dasv') ? checkedValues(form, 'dasvForms') : [],
      hateMotivations: strands.includes('hate_crime') ? checkedValues(form, 'hateMotivations') : [],
      hateIncidentKinds: strands.includes('hate_crime') ? checkedValues(form, 'hateIncidentKinds') : [],
      priorHelp: checkedValues(form, 'priorHelp'),
      ...(before ? { beforePoliceOrEmergency: before === 'true' } : {}),
      riskFlags: checkedValues(form, 'riskFlags'),
      demographics,
      signposting: chosenServices.map((serviceId) => ({ serviceId, mode: fieldValue(form, `mode-${serviceId}`) ?? 'information_given' })),
    };
    const note = fieldValue(form, 'note');
    if (note) body['note'] = note;
    const reference = fieldValue(form, 'contactReference');
    if (reference) body['contactReference'] = reference;
    if (body['contactDate'] === '') {
      const path = day === 'other' ? 'contactDateOther' : 'contactDate';
      showErrors(ctx.root, [{ path, message: fieldMessage(path, { kind: 'missing' }) }], '');
      return;
    }
    // Check answers before anything is saved: the next page shows them, with a way back to change each.
    const chosen = services.items.filter((s) => chosenServices.includes(s.id));
    ctx.navigate('check-contact', { body, services: chosen, correcting: editing, day });
  });
}

/** A saved contact as the answers of the contact form (for a correction: the form opens with them). */
function answersOf(c: ContactView): [string, string][] {
  const today = ukToday();
  const yesterday = ukToday(new Date(Date.now() - 86_400_000));
  const day = c.contactDate === today || c.contactDate === yesterday ? c.contactDate : 'other';
  const out: [string, string][] = [['contactDay', day], ['setting', c.setting]];
  if (day === 'other') out.push(['contactDateOther', c.contactDate]);
  for (const name of ['strands', 'dasvForms', 'hateMotivations', 'hateIncidentKinds', 'priorHelp', 'riskFlags'] as const) {
    for (const v of c[name] as readonly string[]) out.push([name, v]);
  }
  out.push(['beforePoliceOrEmergency', String(c.beforePoliceOrEmergency)]);
  for (const [k, v] of Object.entries(c.demographics ?? {})) {
    if (k === 'interpreterNeeded') {
      if (v === true) out.push(['interpreterNeeded', 'true']);
    } else if (typeof v === 'string') out.push([k, v]);
  }
  for (const sp of c.signposting ?? []) out.push(['signposting', sp.serviceId], [`mode-${sp.serviceId}`, sp.mode]);
  if (c.note) out.push(['note', c.note]);
  return out;
}

// ---- Check your answers -----------------------------------------------------------------------

export function checkContactPage(ctx: PageContext): void {
  const body = ctx.params['body'] as Record<string, any> | undefined;
  const services = (ctx.params['services'] as Service[] | undefined) ?? [];
  const correcting = ctx.params['correcting'] as ContactView | undefined;
  if (!body) return ctx.navigate(correcting ? 'my-contacts' : 'log-contact', {}, { replace: true });
  ctx.setUnsaved(true);
  const change = (field: string, what: string): Html =>
    html`<a class="govuk-link" href="/" data-change="${field}">Change<span class="govuk-visually-hidden"> ${what}</span></a>`;
  const strands = (body['strands'] as Strand[]) ?? [];
  const demographics = (body['demographics'] ?? {}) as Record<string, unknown>;
  const rows: [string, string | Html, string][] = [
    ['Date of the contact', formatDate(String(body['contactDate'])), ctx.params['day'] === 'other' ? 'field-contactDateOther' : 'field-contactDay'],
    ['Where it happened', label(settings.labels, String(body['setting'] ?? '')) || 'Not answered', 'field-setting'],
    ['What it is about', strands.map((s) => strandLabels[s]).join(', ') || 'Not answered', 'field-strands'],
  ];
  if (strands.includes('dasv')) rows.push(['Forms of abuse', labelList(dasvForms.labels, body['dasvForms'] ?? []) || 'Not answered', 'field-dasvForms']);
  if (strands.includes('hate_crime')) {
    rows.push(['Perceived motivation', labelList(hateMotivations.labels, body['hateMotivations'] ?? []) || 'Not answered', 'field-hateMotivations']);
    rows.push(['What happened', labelList(hateIncidentKinds.labels, body['hateIncidentKinds'] ?? []) || 'Not answered', 'field-hateIncidentKinds']);
  }
  rows.push(
    ['Sought help before', labelList(priorHelp.labels, body['priorHelp'] ?? []) || 'Not answered', 'field-priorHelp'],
    ['Before any police or 999 involvement', body['beforePoliceOrEmergency'] === undefined ? 'Not answered' : body['beforePoliceOrEmergency'] ? 'Yes' : 'No', 'field-beforePoliceOrEmergency'],
    ['Risk flags', labelList(riskFlags.labels, body['riskFlags'] ?? []) || 'None', 'field-riskFlags'],
    [
      'Signposted to',
      services.length
        ? html`${services.map((s, i) => html`${i ? html`<br>` : ''}${s.name} (${label(signpostingModes.labels, (body['signposting'] as { serviceId: string; mode: string }[]).find((x) => x.serviceId === s.id)?.mode ?? '')})`)}`
        : 'Not answered',
      'field-signposting',
    ],
    ['About the person', Object.keys(demographics).length ? Object.entries(demographics).map(([, v]) => (v === true ? 'Interpreter needed' : label({ ...ageBands.labels, ...genders.labels }, String(v)))).join(', ') : 'Not recorded', 'field-ageBand'],
  );
  if (!correcting) rows.push(['Waymark reference', body['contactReference'] ? html`<span class="wm-reference-small">${body['contactReference']}</span>` : 'A new one will be given', 'field-contactReference']);
  rows.push(['Note for the DASV team', body['note'] ? html`<span class="wm-break">${body['note']}</span>` : 'None', 'field-note']);

  ctx.render(html`<a href="/" class="govuk-back-link" data-back>Back</a>
<h1 class="govuk-heading-l">Check your answers</h1>
<dl class="govuk-summary-list">${rows.map(
    ([k, v, field]) => html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${k}</dt><dd class="govuk-summary-list__value">${v}</dd><dd class="govuk-summary-list__actions">${change(field, k.toLowerCase())}</dd></div>`,
  )}</dl>
${(body['riskFlags'] ?? []).includes('immediate_danger') ? warningText('You marked immediate danger. If anyone is in immediate danger, call 999 now.') : ''}
<form id="save-contact" novalidate>${button(correcting ? 'Save changes' : 'Save contact')}</form>`);

  for (const a of ctx.root.querySelectorAll<HTMLAnchorElement>('[data-change]')) {
    a.addEventListener('click', (e) => {
      e.preventDefault();
      ctx.back({ focus: a.dataset['change'] });
    });
  }
  ctx.root.querySelector('[data-back]')?.addEventListener('click', (e) => {
    e.preventDefault();
    ctx.back();
  });
  // One key per answers checked: a retry (lost connection) is stored once.
  const key = (ctx.params['idempotencyKey'] as string | undefined) ?? newIdempotencyKey();
  ctx.params['idempotencyKey'] = key;
  const form = $<HTMLFormElement>('#save-contact', ctx.root);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    const request = correcting
      ? api<ContactView>('PATCH', `/contacts/${encodeURIComponent(correcting.id)}`, { body: correction(correcting, body) })
      : api<ContactView>('POST', '/contacts', { body, idempotencyKey: key });
    request
      .then((contact) => {
        forgetAnswers('log-contact');
        forgetAnswers('correct-contact');
        ctx.navigate('contact-saved', { contact, services, corrected: Boolean(correcting) }, { replace: true });
      })
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (error instanceof ApiError && error.status === 400 && error.issues.length) {
          // A refused request stored nothing: back to the answers, each problem beside its field.
          delete ctx.params['idempotencyKey'];
          ctx.back({ issues: error.issues });
        } else if (error instanceof ApiError) {
          showErrors(ctx.root, [], error.status === 409 ? 'This contact was changed since you opened it. Go back to My contacts and start again.' : error.message);
        } else {
          throw error;
        }
      });
  });
}

/** The fields a correction changes, at the version read (unchanged answers are not sent). */
function correction(before: ContactView, body: Record<string, any>): Record<string, unknown> {
  const out: Record<string, unknown> = { version: before.version };
  const was: Record<string, unknown> = { ...before, signposting: (before.signposting ?? []).map((s) => ({ serviceId: s.serviceId, mode: s.mode })) };
  for (const [k, v] of Object.entries(body)) {
    if (k === 'contactReference') continue;
    if (JSON.stringify(v) !== JSON.stringify(was[k])) out[k] = v;
  }
  if (before.note && body['note'] === undefined) out['note'] = null;
  return out;
}

// ---- Contact saved ----------------------------------------------------------------------------

export function contactSavedPage(ctx: PageContext): void {
  const contact = ctx.params['contact'] as ContactView | undefined;
  const services = (ctx.params['services'] as Service[] | undefined) ?? [];
  if (!contact) return ctx.navigate('champion-home');
  // Immediate danger comes first: a contact alone tells nobody, so the offer to raise a concern is the first thing read.
  const danger = contact.riskFlags.includes('immediate_danger') && !contact.hasEscalation;
  const offer = danger
    ? html`<div class="govuk-notification-banner" role="region" aria-labelledby="wm-danger-title" data-module="govuk-notification-banner">
  <div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="wm-danger-title">Immediate danger</h2></div>
  <div class="govuk-notification-banner__content">
    <p class="govuk-notification-banner__heading">The DASV team has not been told. Nothing reaches them until you raise a concern.</p>
    ${warningText('If anyone is in immediate danger, call 999 now.')}
    <form id="raise-immediate" novalidate>${button('Raise an immediate concern now', { warning: true })}</form>
    <p class="govuk-body-s">This raises a concern about a risk to life, marked "consent not asked". The DASV team triages it first. ${navLink('Give more detail instead', 'raise-concern', { param: contact.id })}.</p>
  </div></div>`
    : '';
  ctx.render(html`${offer}<div class="govuk-panel govuk-panel--confirmation">
  <h1 class="govuk-panel__title">${ctx.params['corrected'] ? 'Contact changed' : 'Contact saved'}</h1>
  <div class="govuk-panel__body">Reference for the person<br><strong class="wm-reference">${contact.contactReference}</strong></div>
</div>
<p class="govuk-body">Give the person this reference. If they come back to you or another champion, they can quote it, and the contacts are linked without recording who they are.</p>
${contact.repeatContact ? inset('This is a repeat contact: it is linked to the earlier ones with the same reference.') : ''}
<h2 class="govuk-heading-m">Where you signposted them</h2>
${summaryList(
  (contact.signposting ?? []).map((sp) => {
    const s = services.find((x) => x.id === sp.serviceId);
    return [sp.serviceName, html`${label(signpostingModes.labels, sp.mode)}${s?.phone ? html`<br>Phone: ${telLink(s.phone)}` : ''}${s ? html`<br><span class="govuk-body-s">${s.howToRefer}</span>` : ''}`] as const;
  }),
)}
${danger || contact.hasEscalation
    ? ''
    : html`<h2 class="govuk-heading-m">Worried about the person?</h2>
<p class="govuk-body">Raise a concern with the DASV team if the person is at risk, or asks for specialist support. Nothing reaches the DASV team until you do.</p>
<div class="govuk-button-group">
  ${navButton('Raise a concern', 'raise-concern', { secondary: true, param: contact.id })}
</div>`}
<div class="govuk-button-group">
  ${navButton('Log another contact', 'log-contact')}
  ${navLink('Back to home', 'champion-home')}
</div>`);
  const form = ctx.root.querySelector<HTMLFormElement>('#raise-immediate');
  // One key for this offer: a second tap, or a retry after a lost connection, raises one concern.
  const key = (ctx.params['concernKey'] as string | undefined) ?? newIdempotencyKey();
  ctx.params['concernKey'] = key;
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    api<ChampionEscalation>('POST', `/contacts/${encodeURIComponent(contact.id)}/escalations`, { body: { reason: 'immediate_risk_to_life', consent: 'not_asked' }, idempotencyKey: key })
      .then((escalation) => {
        ctx.params['contact'] = { ...contact, hasEscalation: true };
        ctx.navigate('concern-raised', { escalation });
      })
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        showErrors(ctx.root, error.status === 409 ? [] : error.issues, error.status === 409 ? 'A concern has already been raised about this contact.' : error.message);
      });
  });
}

// ---- My contacts ------------------------------------------------------------------------------

export async function myContactsPage(ctx: PageContext): Promise<void> {
  const cursors: (string | undefined)[] = [undefined];
  let index = 0;
  const load = async () => {
    const page = await api<Page<ContactView>>('GET', '/contacts', { query: { limit: 10, cursor: cursors[index] } });
    if (page.nextCursor) cursors[index + 1] = page.nextCursor;
    ctx.render(html`<h1 class="govuk-heading-l">My contacts</h1>
<p class="govuk-body">The contacts you have logged, newest first. You can change a contact for ${CORRECTION_WINDOW_HOURS} hours after logging it.</p>
${table({
  caption: 'Your contacts',
  captionHidden: true,
  head: ['Date', 'About', 'Reference', 'Risk flags', 'Concern', 'Action'],
  empty: 'You have not logged any contacts yet.',
  rows: page.items.map((c) => [
    formatDate(c.contactDate),
    html`${c.strands.map((s) => strandShort[s]).join(', ')}<br><span class="govuk-body-s wm-secondary">${label(settings.labels, c.setting)}</span>`,
    html`<span class="wm-reference-small">${c.contactReference}</span>${c.repeatContact ? html`<br><span class="govuk-body-s wm-secondary">repeat</span>` : ''}`,
    c.riskFlags.length ? labelList(riskFlags.labels, c.riskFlags) : 'None',
    c.hasEscalation
      ? navLink('Raised', 'my-concerns')
      : c.status === 'active'
        ? navLink(html`Raise a concern<span class="govuk-visually-hidden"> about ${c.contactReference} on ${formatDate(c.contactDate)}</span>`, 'raise-concern', { param: c.id })
        : '',
    c.status === 'active' && Date.now() - Date.parse(c.createdAt) < CORRECTION_WINDOW_HOURS * 3_600_000
      ? navLink(html`Change<span class="govuk-visually-hidden"> the contact ${c.contactReference} on ${formatDate(c.contactDate)}</span>`, 'correct-contact', { param: c.id })
      : '',
  ]),
})}
${pagination({ hasPrevious: index > 0, hasNext: page.nextCursor !== null, label: 'Pages of your contacts' })}`);
    onPagination(ctx.root, (step) => {
      index += step;
      void load();
    });
  };
  await load();
}

// ---- My training ------------------------------------------------------------------------------

export async function myTrainingPage(ctx: PageContext): Promise<void> {
  const me = await api<ChampionMe>('GET', '/champions/me');
  ctx.render(html`<h1 class="govuk-heading-l">My training</h1>
<h2 class="govuk-heading-m">By strand</h2>
${summaryList(
  me.champion.trainingStatus.map((t) => [
    strandLabels[t.strand],
    html`${trainingTag(t.status)}${t.expiresOn ? html` <span class="govuk-body-s">${t.status === 'lapsed' ? 'lapsed on' : 'until'} ${formatDate(t.expiresOn)}</span>` : ''}`,
  ] as const),
)}
${table({
  caption: 'Courses completed',
  head: ['Course', 'Completed', 'Valid until'],
  empty: 'No training has been recorded for you yet. Your supervisor records it.',
  rows: me.training.items.map((c) => [c.courseTitle ?? c.courseId, formatDate(c.completedOn), c.expiresOn ? html`${formatDate(c.expiresOn)} ${c.status ? trainingTag(c.status) : ''}` : '']),
})}`);
}

export { trainingTag };
