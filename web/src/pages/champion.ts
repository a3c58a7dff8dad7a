import { api, ApiError, type FieldIssue, type Page } from '../api';
import { $, checkedValues, fieldValue, html, newIdempotencyKey, ukToday, type Html } from '../dom';
import { telLink, button, checkboxes, details, input, inset, navButton, navLink, pagination, radios, select, showErrors, summaryList, table, tag, textarea, warningText, onPagination } from '../govuk';
import { priorHelp, signpostingModes, strandShort, titems, tl, tlList, type Strand } from '../labels';
import { current, t, th } from '../i18n';
import { languageCodes, uiLanguageInfo } from '../../../shared/domain/locales';
import { fieldMessage } from '../../../shared/domain/messages';
import { CORRECTION_WINDOW_HOURS } from '../../../shared/domain/contact-defaults';
import { forgetAnswers, type PageContext } from '../router';
import type { ChampionEscalation, ChampionMe, ContactView, Service } from '../types';
import { checkFreeText } from '../free-text-check';

const trainingTag = (status: string): Html =>
  status === 'current'
    ? tag(t('training.current'), 'green')
    : status === 'expiring'
      ? tag(t('training.expiring'), 'yellow')
      : status === 'lapsed'
        ? tag(t('training.lapsed'), 'red')
        : tag(t('training.none'), 'grey');
const formatDate = (iso: string): string => current().date(iso);

// ---- Home -------------------------------------------------------------------------------------

export async function homePage(ctx: PageContext): Promise<void> {
  const me = await api<ChampionMe>('GET', '/champions/me');
  const strands = me.mayLogContactsFor;
  ctx.render(html`<h1 class="govuk-heading-l">${th('home.hello', { name: html`<span dir="auto">${me.champion.displayName}</span>` })}</h1>
${warningText(t('home.danger'))}
<h2 class="govuk-heading-m">${t('home.canLog')}</h2>
${strands.length
    ? html`<ul class="govuk-list govuk-list--bullet">${strands.map((s) => html`<li>${tl('strands', s.strand)}${s.until ? html` <span class="govuk-body-s wm-secondary">${t('home.until', { date: formatDate(s.until) })}</span>` : ''}</li>`)}</ul>
${navButton(t('route.log-contact'), 'log-contact')}`
    : inset(t('home.notCurrent'))}
<h2 class="govuk-heading-m">${t('home.records')}</h2>
<ul class="govuk-list">
  <li>${navLink(t('route.my-contacts'), 'my-contacts')}</li>
  <li>${navLink(t('route.my-training'), 'my-training')}</li>
</ul>`);
}

// ---- Log a contact ----------------------------------------------------------------------------

function serviceChoices(services: readonly Service[]): Html {
  return html`${services.map((s, i) => {
    const id = i === 0 ? 'field-signposting' : `field-signposting-${i + 1}`;
    const cond = `conditional-${id}`;
    const langs = s.languages.length ? s.languages.join(', ') : t('log.english');
    return html`<div class="wm-service" data-strands="${s.strands.join(' ')}" data-languages="${s.languages.map((l) => l.toLowerCase()).join('|')}">
<div class="govuk-checkboxes__item">
  <input class="govuk-checkboxes__input" id="${id}" name="signposting" type="checkbox" value="${s.id}" data-aria-controls="${cond}" aria-describedby="${id}-item-hint">
  <label class="govuk-label govuk-checkboxes__label" for="${id}"><span dir="auto">${s.name}</span></label>
  <div id="${id}-item-hint" class="govuk-hint govuk-checkboxes__hint">${tl('serviceKinds', s.kind)}${s.phone ? html` · ${telLink(s.phone)}` : ''} · <span dir="auto">${langs}</span></div>
</div>
<div class="govuk-checkboxes__conditional govuk-checkboxes__conditional--hidden" id="${cond}">
  <p class="govuk-body-s" dir="auto">${s.howToRefer}</p>
  ${radios({
    name: `mode-${s.id}`,
    idPrefix: `field-mode-${s.id}`,
    legend: t('log.howFor', { service: s.name }),
    legendSize: 's',
    field: `mode-${s.id}`,
    small: true,
    items: signpostingModes.values.map((v, j) => ({ value: v, label: tl('signpostingModes', v), checked: j === 0 })),
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
    ctx.render(html`<h1 class="govuk-heading-l">${t('log.cannotTitle')}</h1>
<p class="govuk-body">${t('log.cannotBody')}</p>${navLink(t('log.backHome'), 'champion-home')}`);
    return;
  }
  const languages = [...new Set(services.items.flatMap((s) => s.languages))].sort((a, b) => a.localeCompare(b));
  const today = ukToday();
  const yesterday = ukToday(new Date(Date.now() - 86_400_000));
  const strandItems = qualified.map((strand) => ({
    value: strand,
    label: tl('strands', strand),
    checked: qualified.length === 1,
    conditional:
      strand === 'dasv'
        ? checkboxes({ name: 'dasvForms', legend: t('log.forms'), legendSize: 's', hint: t('log.formsHint'), small: true, items: titems('dasvForms') })
        : html`${checkboxes({ name: 'hateMotivations', legend: t('log.motivation'), legendSize: 's', hint: t('log.motivationHint'), small: true, items: titems('hateMotivations') })}
${checkboxes({ name: 'hateIncidentKinds', legend: t('log.happened'), legendSize: 's', small: true, items: titems('hateIncidentKinds') })}`,
  }));

  ctx.render(html`${editing ? html`<h1 class="govuk-heading-l">${t('log.changeTitle')}</h1>
<p class="govuk-body">${th('log.changeIntro', { count: CORRECTION_WINDOW_HOURS, reference: html`<span class="wm-reference-small">${editing.contactReference}</span>` })}</p>` : html`<h1 class="govuk-heading-l">${t('log.title')}</h1>
<p class="govuk-body">${t('log.intro')}</p>`}
${warningText(t('log.danger'))}
<form id="contact-form" novalidate>
${radios({
  name: 'contactDay',
  field: 'contactDate',
  legend: t('log.when'),
  label: t('log.date'),
  small: true,
  items: [
    { value: today, label: t('log.today'), checked: true },
    { value: yesterday, label: t('log.yesterday') },
    { value: 'other', label: t('log.anotherDate') },
  ],
})}
<div class="wm-reveal" id="contact-date-other" hidden>${input({ name: 'contactDateOther', field: 'contactDateOther', label: t('log.date'), hint: t('log.within30'), type: 'date', width: '10' })}</div>
${radios({ name: 'setting', legend: t('log.where'), label: t('log.whereLabel'), small: true, items: titems('settings') })}
${checkboxes({ name: 'strands', legend: t('log.what'), label: t('log.whatLabel'), hint: qualified.length === 1 ? t('log.oneStrand') : t('log.selectAll'), items: strandItems })}
${checkboxes({
  name: 'priorHelp',
  legend: t('log.priorHelp'),
  label: t('log.priorHelpLabel'),
  hint: t('log.selectAll'),
  small: true,
  items: priorHelp.values.map((v) => ({ value: v, label: tl('priorHelp', v), exclusive: v === 'none' })),
})}
${radios({
  name: 'beforePoliceOrEmergency',
  legend: t('log.before'),
  label: t('log.beforeLabel'),
  hint: t('log.beforeHint'),
  small: true,
  items: [
    { value: 'true', label: t('log.beforeYes') },
    { value: 'false', label: t('log.no') },
  ],
})}
${checkboxes({ name: 'riskFlags', legend: t('log.risk'), hint: t('log.riskHint'), small: true, items: titems('riskFlags') })}
<div class="govuk-form-group" data-field="signposting" data-label="${t('log.signposting')}" data-target="field-signposting">
<fieldset class="govuk-fieldset" aria-describedby="field-signposting-hint">
  <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">${t('log.signpost')}</legend>
  <div id="field-signposting-hint" class="govuk-hint">${t('log.signpostHint')}</div>
  ${select({ name: 'serviceLanguage', field: 'serviceLanguage', label: t('log.serviceLanguage'), options: [{ value: '', label: t('log.anyLanguage') }, ...languages.map((l) => ({ value: l.toLowerCase(), label: l }))] })}
  <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">${serviceChoices(services.items)}</div>
  <p class="govuk-body-s" id="wm-no-services" hidden>${t('log.noServices')}</p>
</fieldset></div>
${details(
  t('log.aboutPerson'),
  html`${select({ name: 'ageBand', field: 'demographics.ageBand', label: t('log.ageBand'), options: [{ value: '', label: t('log.notRecorded') }, ...titems('ageBands')] })}
${select({ name: 'gender', field: 'demographics.gender', label: t('log.gender'), options: [{ value: '', label: t('log.notRecorded') }, ...titems('genders')] })}
${input({ name: 'community', field: 'demographics.community', label: t('log.community'), hint: t('log.communityHint'), width: '20' })}
${input({ name: 'language', field: 'demographics.language', label: t('log.language'), width: '20' })}
${checkboxes({ name: 'interpreterNeeded', field: 'demographics.interpreterNeeded', legend: t('log.interpreter'), legendSize: 's', small: true, items: [{ value: 'true', label: t('log.interpreterNeeded') }] })}
${editing ? '' : input({ name: 'contactReference', label: t('log.reference'), hint: t('log.referenceHint'), width: '10', spellcheck: false })}`,
)}
${textarea({ name: 'note', label: t('log.note'), labelSize: 's', hint: t('log.noteHint'), maxLength: 500, rows: 3 })}
${button(t('log.continue'))}
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
    html`<a class="govuk-link" href="/" data-change="${field}">${t('check.change')}<span class="govuk-visually-hidden"> ${what}</span></a>`;
  const strands = (body['strands'] as Strand[]) ?? [];
  const demographics = (body['demographics'] ?? {}) as Record<string, unknown>;
  const notAnswered = t('check.notAnswered');
  const person = (k: string, v: unknown): string =>
    v === true ? t('check.interpreterNeeded') : k === 'ageBand' ? tl('ageBands', String(v)) : k === 'gender' ? tl('genders', String(v)) : String(v);
  const rows: [string, string | Html, string][] = [
    [t('log.date'), formatDate(String(body['contactDate'])), ctx.params['day'] === 'other' ? 'field-contactDateOther' : 'field-contactDay'],
    [t('log.whereLabel'), body['setting'] ? tl('settings', String(body['setting'])) : notAnswered, 'field-setting'],
    [t('log.whatLabel'), tlList('strands', strands) || notAnswered, 'field-strands'],
  ];
  if (strands.includes('dasv')) rows.push([t('log.forms'), tlList('dasvForms', body['dasvForms'] ?? []) || notAnswered, 'field-dasvForms']);
  if (strands.includes('hate_crime')) {
    rows.push([t('check.perceived'), tlList('hateMotivations', body['hateMotivations'] ?? []) || notAnswered, 'field-hateMotivations']);
    rows.push([t('log.happened'), tlList('hateIncidentKinds', body['hateIncidentKinds'] ?? []) || notAnswered, 'field-hateIncidentKinds']);
  }
  rows.push(
    [t('check.soughtBefore'), tlList('priorHelp', body['priorHelp'] ?? []) || notAnswered, 'field-priorHelp'],
    [t('check.beforePolice'), body['beforePoliceOrEmergency'] === undefined ? notAnswered : body['beforePoliceOrEmergency'] ? t('log.yes') : t('log.no'), 'field-beforePoliceOrEmergency'],
    [t('log.risk'), tlList('riskFlags', body['riskFlags'] ?? []) || t('check.none'), 'field-riskFlags'],
    [
      t('check.signpostedTo'),
      services.length
        ? html`${services.map((s, i) => html`${i ? html`<br>` : ''}<span dir="auto">${s.name}</span> (${tl('signpostingModes', (body['signposting'] as { serviceId: string; mode: string }[]).find((x) => x.serviceId === s.id)?.mode ?? '')})`)}`
        : notAnswered,
      'field-signposting',
    ],
    [t('check.aboutPerson'), Object.keys(demographics).length ? html`<span dir="auto">${Object.entries(demographics).map(([k, v]) => person(k, v)).join(', ')}</span>` : t('log.notRecorded'), 'field-ageBand'],
  );
  if (!correcting) rows.push([t('check.reference'), body['contactReference'] ? html`<span class="wm-reference-small">${body['contactReference']}</span>` : t('check.newReference'), 'field-contactReference']);
  rows.push([t('check.note'), body['note'] ? html`<span class="wm-break" dir="auto">${body['note']}</span>` : t('check.none'), 'field-note']);

  ctx.render(html`<a href="/" class="govuk-back-link" data-back>${t('check.back')}</a>
<h1 class="govuk-heading-l">${t('check.title')}</h1>
<dl class="govuk-summary-list">${rows.map(
    ([k, v, field]) => html`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${k}</dt><dd class="govuk-summary-list__value">${v}</dd><dd class="govuk-summary-list__actions">${change(field, k.toLowerCase())}</dd></div>`,
  )}</dl>
${(body['riskFlags'] ?? []).includes('immediate_danger') ? warningText(t('check.immediate')) : ''}
<form id="save-contact" novalidate>${button(correcting ? t('check.saveChanges') : t('check.save'))}</form>`);

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
          showErrors(ctx.root, [], error.status === 409 ? t('check.conflict') : error.message);
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
  <div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="wm-danger-title">${t('saved.dangerTitle')}</h2></div>
  <div class="govuk-notification-banner__content">
    <p class="govuk-notification-banner__heading">${t('saved.dangerHeading')}</p>
    ${warningText(t('saved.dangerCall'))}
    <form id="raise-immediate" novalidate>${button(t('saved.raiseNow'), { warning: true })}</form>
    <p class="govuk-body-s">${th('saved.raiseNowHint', { link: navLink(t('saved.moreDetail'), 'raise-concern', { param: contact.id }) })}</p>
  </div></div>`
    : '';
  ctx.render(html`${offer}<div class="govuk-panel govuk-panel--confirmation">
  <h1 class="govuk-panel__title">${ctx.params['corrected'] ? t('saved.changed') : t('saved.title')}</h1>
  <div class="govuk-panel__body">${t('saved.referenceFor')}<br><strong class="wm-reference" dir="ltr">${contact.contactReference}</strong></div>
</div>
<p class="govuk-body">${t('saved.give')}</p>
${contact.repeatContact ? inset(t('saved.repeat')) : ''}
<h2 class="govuk-heading-m">${t('saved.where')}</h2>
${summaryList(
  (contact.signposting ?? []).map((sp) => {
    const s = services.find((x) => x.id === sp.serviceId);
    return [sp.serviceName, html`${tl('signpostingModes', sp.mode)}${s?.phone ? html`<br>${th('saved.phone', { phone: telLink(s.phone) })}` : ''}${s ? html`<br><span class="govuk-body-s" dir="auto">${s.howToRefer}</span>` : ''}`] as const;
  }),
)}
${(contact.signposting ?? []).length ? cardOffer() : ''}
${danger || contact.hasEscalation
    ? ''
    : html`<h2 class="govuk-heading-m">${t('saved.worried')}</h2>
<p class="govuk-body">${t('saved.worriedBody')}</p>
<div class="govuk-button-group">
  ${navButton(t('saved.raise'), 'raise-concern', { secondary: true, param: contact.id })}
</div>`}
<div class="govuk-button-group">
  ${navButton(t('saved.another'), 'log-contact')}
  ${navLink(t('log.backHome'), 'champion-home')}
</div>`);
  ctx.root.querySelector<HTMLFormElement>('#card-form')?.addEventListener('submit', (event) => {
    event.preventDefault();
    const language = fieldValue(event.target as HTMLFormElement, 'cardLanguage') ?? current().info.code;
    ctx.navigate('signposting-card', { contact, services, language });
  });
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
        showErrors(ctx.root, error.status === 409 ? [] : error.issues, error.status === 409 ? t('saved.already') : error.message);
      });
  });
}

/**
 * The offer of the signposting card: the person's language is chosen here,
 * apart from the champion's own (each named in itself), and nothing is saved.
 */
function cardOffer(): Html {
  const own = current().info.code;
  return html`<form id="card-form" class="wm-action" data-not-answers novalidate>
${select({
  name: 'cardLanguage',
  label: t('saved.cardLanguage'),
  labelSize: 's',
  hint: t('saved.cardHint'),
  value: isRealLanguage(own) ? own : 'en',
  options: languageCodes.map((code) => ({ value: code, label: uiLanguageInfo(code).ownName })),
})}
${button(t('saved.cardButton'), { secondary: true })}
</form>`;
}
const isRealLanguage = (code: string): boolean => (languageCodes as readonly string[]).includes(code);

// ---- My contacts ------------------------------------------------------------------------------

export async function myContactsPage(ctx: PageContext): Promise<void> {
  const cursors: (string | undefined)[] = [undefined];
  let index = 0;
  const load = async () => {
    const page = await api<Page<ContactView>>('GET', '/contacts', { query: { limit: 10, cursor: cursors[index] } });
    if (page.nextCursor) cursors[index + 1] = page.nextCursor;
    ctx.render(html`<h1 class="govuk-heading-l">${t('contacts.title')}</h1>
<p class="govuk-body">${t('contacts.intro', { count: CORRECTION_WINDOW_HOURS })}</p>
${table({
  caption: t('contacts.caption'),
  captionHidden: true,
  head: [t('contacts.date'), t('contacts.about'), t('contacts.reference'), t('contacts.risk'), t('contacts.concern'), t('contacts.action')],
  actionColumn: 5,
  empty: t('contacts.empty'),
  rows: page.items.map((c) => [
    formatDate(c.contactDate),
    html`${c.strands.map((s) => (current().info.code === 'en' ? strandShort[s] : tl('strands', s))).join(', ')}<br><span class="govuk-body-s wm-secondary">${tl('settings', c.setting)}</span>`,
    html`<span class="wm-reference-small" dir="ltr">${c.contactReference}</span>${c.repeatContact ? html`<br><span class="govuk-body-s wm-secondary">${t('contacts.repeat')}</span>` : ''}`,
    c.riskFlags.length ? tlList('riskFlags', c.riskFlags) : t('contacts.none'),
    c.hasEscalation
      ? navLink(t('contacts.raised'), 'my-concerns')
      : c.status === 'active'
        ? navLink(html`${t('saved.raise')}<span class="govuk-visually-hidden"> ${t('contacts.raiseAbout', { reference: c.contactReference, date: formatDate(c.contactDate) })}</span>`, 'raise-concern', { param: c.id })
        : '',
    c.status === 'active' && Date.now() - Date.parse(c.createdAt) < CORRECTION_WINDOW_HOURS * 3_600_000
      ? navLink(html`${t('contacts.change')}<span class="govuk-visually-hidden"> ${t('contacts.changeWhich', { reference: c.contactReference, date: formatDate(c.contactDate) })}</span>`, 'correct-contact', { param: c.id })
      : '',
  ]),
})}
${pagination({ hasPrevious: index > 0, hasNext: page.nextCursor !== null, label: t('contacts.pages') })}`);
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
  ctx.render(html`<h1 class="govuk-heading-l">${t('training.title')}</h1>
<h2 class="govuk-heading-m">${t('training.byStrand')}</h2>
${summaryList(
  me.champion.trainingStatus.map((s) => [
    tl('strands', s.strand),
    html`${trainingTag(s.status)}${s.expiresOn ? html` <span class="govuk-body-s">${s.status === 'lapsed' ? t('training.lapsedOn', { date: formatDate(s.expiresOn) }) : t('training.until', { date: formatDate(s.expiresOn) })}</span>` : ''}`,
  ] as const),
)}
${table({
  caption: t('training.courses'),
  head: [t('training.course'), t('training.completed'), t('training.validUntil')],
  empty: t('training.empty'),
  rows: me.training.items.map((c) => [html`<span dir="auto">${c.courseTitle ?? c.courseId}</span>`, formatDate(c.completedOn), c.expiresOn ? html`${formatDate(c.expiresOn)} ${c.status ? trainingTag(c.status) : ''}` : '']),
})}`);
}

export { trainingTag };
