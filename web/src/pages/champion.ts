import { api, ApiError, type Page } from '../api';
import { $, checkedValues, fieldValue, formatDate, html, newIdempotencyKey, ukToday, type Html } from '../dom';
import { button, checkboxes, details, input, inset, navButton, navLink, pagination, radios, select, showErrors, summaryList, table, tag, textarea, warningText, onPagination } from '../govuk';
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
import type { PageContext } from '../router';
import type { ChampionMe, ContactView, Service } from '../types';
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
  <div id="${id}-item-hint" class="govuk-hint govuk-checkboxes__hint">${s.kindLabel}${s.phone ? html` · ${s.phone}` : ''} · ${langs}</div>
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
  const [me, services] = await Promise.all([
    api<ChampionMe>('GET', '/champions/me'),
    api<Page<Service>>('GET', '/services', { query: { limit: 100 } }),
  ]);
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

  ctx.render(html`<h1 class="govuk-heading-l">Log a contact</h1>
<p class="govuk-body">About two minutes. Record what happened, never who the person is: no names, addresses, phone numbers or dates of birth.</p>
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
${input({ name: 'contactReference', label: 'Their Waymark reference, if they have one', hint: 'For example, WM-7K3Q-P9. This links a repeat contact without recording who they are.', width: '10', spellcheck: false })}`,
)}
${textarea({ name: 'note', label: 'Note for the DASV team (optional)', labelSize: 's', hint: 'A few words on what happened. No names, addresses, phone numbers, emails or dates of birth.', maxLength: 500, rows: 3 })}
${button('Save contact')}
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

  let idempotencyKey = newIdempotencyKey();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
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
    if (submit) submit.disabled = true;
    api<ContactView>('POST', '/contacts', { body, idempotencyKey })
      .then((contact) => {
        const chosen = services.items.filter((s) => chosenServices.includes(s.id));
        ctx.navigate('contact-saved', { contact, services: chosen });
      })
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
          // A refused request stored nothing: the next attempt is a new one.
          idempotencyKey = newIdempotencyKey();
          const issues = error.issues.map((i) => (i.path === 'contactDate' && day === 'other' ? { ...i, path: 'contactDateOther' } : i));
          showErrors(ctx.root, issues, error.message);
        } else if (error instanceof ApiError) {
          // Not known to be stored or not: a retry keeps the same key, so it is stored once.
          showErrors(ctx.root, [], error.message);
        } else {
          throw error;
        }
      });
  });
}

// ---- Contact saved ----------------------------------------------------------------------------

export function contactSavedPage(ctx: PageContext): void {
  const contact = ctx.params['contact'] as ContactView | undefined;
  const services = (ctx.params['services'] as Service[] | undefined) ?? [];
  if (!contact) return ctx.navigate('champion-home');
  ctx.render(html`<div class="govuk-panel govuk-panel--confirmation">
  <h1 class="govuk-panel__title">Contact saved</h1>
  <div class="govuk-panel__body">Reference for the person<br><strong class="wm-reference">${contact.contactReference}</strong></div>
</div>
<p class="govuk-body">Give the person this reference. If they come back to you or another champion, they can quote it, and the contacts are linked without recording who they are.</p>
${contact.repeatContact ? inset('This is a repeat contact: it is linked to the earlier ones with the same reference.') : ''}
<h2 class="govuk-heading-m">Where you signposted them</h2>
${summaryList(
  (contact.signposting ?? []).map((sp) => {
    const s = services.find((x) => x.id === sp.serviceId);
    return [sp.serviceName, html`${label(signpostingModes.labels, sp.mode)}${s?.phone ? html`<br>Phone: ${s.phone}` : ''}${s ? html`<br><span class="govuk-body-s">${s.howToRefer}</span>` : ''}`] as const;
  }),
)}
<h2 class="govuk-heading-m">Worried about the person?</h2>
<p class="govuk-body">Raise a concern with the DASV team if the person is at risk, or asks for specialist support.</p>
<div class="govuk-button-group">
  ${navButton('Raise a concern', 'raise-concern', { secondary: true, param: contact.id })}
</div>
<div class="govuk-button-group">
  ${navButton('Log another contact', 'log-contact')}
  ${navLink('Back to home', 'champion-home')}
</div>`);
}

// ---- My contacts ------------------------------------------------------------------------------

export async function myContactsPage(ctx: PageContext): Promise<void> {
  const cursors: (string | undefined)[] = [undefined];
  let index = 0;
  const load = async () => {
    const page = await api<Page<ContactView>>('GET', '/contacts', { query: { limit: 10, cursor: cursors[index] } });
    if (page.nextCursor) cursors[index + 1] = page.nextCursor;
    ctx.render(html`<h1 class="govuk-heading-l">My contacts</h1>
<p class="govuk-body">The contacts you have logged, newest first.</p>
${table({
  caption: 'Your contacts',
  captionHidden: true,
  head: ['Date', 'About', 'Reference', 'Risk flags', 'Concern'],
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
