import { api, ApiError, type Page } from '../api';
import { $, fieldValue, formatDate, html, newIdempotencyKey, ukToday, type Html } from '../dom';
import { button, input, navLink, notification, pagination, select, showErrors, summaryList, table, tag, textarea, onPagination } from '../govuk';
import { label, labelList, riskFlags, settings, strandLabels, strandShort, type Strand } from '../labels';
import type { PageContext } from '../router';
import type { ChampionView, Completion, ContactView, Course } from '../types';
import { trainingTag } from './champion';

async function allChampions(): Promise<ChampionView[]> {
  const out: ChampionView[] = [];
  let cursor: string | undefined;
  do {
    const page: Page<ChampionView> = await api<Page<ChampionView>>('GET', '/champions', { query: { limit: 100, cursor } });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < 1000);
  return out;
}

// ---- Team contacts ----------------------------------------------------------------------------

interface ContactFilter {
  strand?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  riskFlag?: string | undefined;
  hasEscalation?: string | undefined;
}

export async function teamContactsPage(ctx: PageContext): Promise<void> {
  const champions = await allChampions();
  const names = new Map(champions.map((c) => [c.id, c.displayName]));
  let filter: ContactFilter = {};
  let cursors: (string | undefined)[] = [undefined];
  let index = 0;

  const load = async (problem?: ApiError) => {
    let page: Page<ContactView> = { items: [], nextCursor: null };
    if (!problem) {
      try {
        page = await api<Page<ContactView>>('GET', '/contacts', { query: { limit: 25, cursor: cursors[index], ...filter } });
      } catch (error) {
        if (error instanceof ApiError && error.status === 400) problem = error;
        else throw error;
      }
    }
    if (page.nextCursor) cursors[index + 1] = page.nextCursor;
    const done = ctx.params['done'] as string | undefined;
    ctx.render(html`${done ? notification(done, { success: true }) : ''}<h1 class="govuk-heading-l">Team contacts</h1>
<form id="filter-form" class="wm-filters" novalidate>
  <h2 class="govuk-heading-s">Filter</h2>
  ${select({ name: 'strand', label: 'Strand', value: filter.strand ?? '', options: [{ value: '', label: 'Any' }, ...(['dasv', 'hate_crime'] as Strand[]).map((s) => ({ value: s, label: strandLabels[s] }))] })}
  ${input({ name: 'from', label: 'From', type: 'date', value: filter.from ?? '', width: '10' })}
  ${input({ name: 'to', label: 'To', type: 'date', value: filter.to ?? '', width: '10' })}
  ${select({ name: 'riskFlag', label: 'Risk flag', value: filter.riskFlag ?? '', options: [{ value: '', label: 'Any' }, ...riskFlags.values.map((v) => ({ value: v, label: riskFlags.labels[v] }))] })}
  ${select({ name: 'hasEscalation', label: 'Concern raised', value: filter.hasEscalation ?? '', options: [{ value: '', label: 'Any' }, { value: 'true', label: 'Yes' }, { value: 'false', label: 'No' }] })}
  <div class="govuk-button-group">${button('Apply filters', { secondary: true })}</div>
</form>
${table({
  caption: 'Contacts logged by your team, newest first. Each is deleted, with its signposting, after the date shown (the retention an administrator sets).',
  head: ['Date', 'Champion', 'About', 'Risk flags', 'Concern', 'Reference', 'Deleted after', 'Action'],
  small: true,
  empty: 'No contacts match.',
  rows: page.items.map((c) => [
    formatDate(c.contactDate),
    names.get(c.championId) ?? 'Champion',
    html`${c.strands.map((s) => strandShort[s]).join(', ')}<br><span class="wm-secondary">${label(settings.labels, c.setting)}</span>`,
    c.riskFlags.length ? labelList(riskFlags.labels, c.riskFlags) : 'None',
    c.hasEscalation ? tag('Raised', 'orange') : 'No',
    html`<span class="wm-reference-small">${c.contactReference}</span>`,
    // Retention (GET /settings/retention): the record and its signposting are removed by TTL after this date.
    formatDate(c.retainedUntil),
    c.status === 'active' ? html`<a href="/" class="govuk-link" data-delete="${c.id}">Delete<span class="govuk-visually-hidden"> the contact ${c.contactReference} on ${formatDate(c.contactDate)}</span></a>` : '',
  ]),
})}
${pagination({ hasPrevious: index > 0, hasNext: page.nextCursor !== null, label: 'Pages of team contacts' })}`);
    for (const a of ctx.root.querySelectorAll<HTMLAnchorElement>('[data-delete]')) {
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        const contact = page.items.find((c) => c.id === a.dataset['delete']);
        if (contact) ctx.navigate('delete-contact', { contact, champion: names.get(contact.championId) });
      });
    }
    if (problem) showErrors(ctx.root, problem.issues, problem.message);
    const form = $<HTMLFormElement>('#filter-form', ctx.root);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      filter = {
        strand: fieldValue(form, 'strand'),
        from: fieldValue(form, 'from'),
        to: fieldValue(form, 'to'),
        riskFlag: fieldValue(form, 'riskFlag'),
        hasEscalation: fieldValue(form, 'hasEscalation'),
      };
      cursors = [undefined];
      index = 0;
      void load();
    });
    onPagination(ctx.root, (step) => {
      index += step;
      void load();
    });
  };
  await load();
}

// ---- Delete a contact: are you sure? ----------------------------------------------------------

export function deleteContactPage(ctx: PageContext): void {
  const c = ctx.params['contact'] as ContactView | undefined;
  if (!c) return ctx.navigate('team-contacts', {}, { replace: true });
  ctx.render(html`<a href="/" class="govuk-back-link" data-back>Back</a>
<h1 class="govuk-heading-l">Are you sure you want to delete this contact?</h1>
${summaryList([
  ['Date', formatDate(c.contactDate)],
  ['Champion', String(ctx.params['champion'] ?? 'Champion')],
  ['About', c.strands.map((s) => strandShort[s]).join(', ')],
  ['Reference', html`<span class="wm-reference-small">${c.contactReference}</span>`],
  ['Deleted after', formatDate(c.retainedUntil)],
])}
<p class="govuk-body">It is kept, marked deleted, and left out of lists and figures. The reason is kept for the audit trail.</p>
<form id="delete-form" novalidate>
${textarea({ name: 'reason', label: 'Why is it deleted?', labelSize: 's', hint: 'For example, logged twice. No names, addresses, phone numbers, emails or dates of birth.', maxLength: 500, rows: 3 })}
<div class="govuk-button-group">${button('Yes, delete the contact', { warning: true })}<a href="/" class="govuk-link" data-back>No, go back</a></div>
</form>`);
  for (const a of ctx.root.querySelectorAll('[data-back]')) {
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      ctx.back();
    });
  }
  const form = $<HTMLFormElement>('#delete-form', ctx.root);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    api('DELETE', `/contacts/${encodeURIComponent(c.id)}`, { body: { reason: fieldValue(form, 'reason') ?? '' } })
      .then(() => ctx.navigate('team-contacts', { done: 'The contact has been deleted' }, { replace: true }))
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        showErrors(ctx.root, error.issues, error.message);
      });
  });
}

// ---- Champions with training status -----------------------------------------------------------

const strandStatus = (c: ChampionView): Html =>
  html`${c.trainingStatus.map((t) => html`<span class="wm-status">${strandShort[t.strand]} ${trainingTag(t.status)}</span>`)}`;

export async function championsPage(ctx: PageContext): Promise<void> {
  const champions = await allChampions();
  const banner = ctx.params['recorded'] as string | undefined;
  ctx.render(html`${banner ? notification(banner, { success: true }) : ''}<h1 class="govuk-heading-l">Champions</h1>
<p class="govuk-body">Your team's champions and whether their training is current for each strand they serve.</p>
${table({
  caption: 'Champions and training',
  captionHidden: true,
  head: ['Champion', 'Training', 'Languages', 'Action'],
  empty: 'Your team has no champions yet.',
  rows: champions.map((c) => [
    html`${c.displayName}${c.status !== 'active' ? html`<br>${tag('Suspended', 'grey')}` : ''}`,
    strandStatus(c),
    c.languages.join(', '),
    navLink(html`Record training<span class="govuk-visually-hidden"> for ${c.displayName}</span>`, 'record-training', { param: c.id }),
  ]),
})}`);
}

// ---- Record training --------------------------------------------------------------------------

export async function recordTrainingPage(ctx: PageContext): Promise<void> {
  const championId = ctx.params['id'] as string | undefined;
  if (!championId) return ctx.navigate('champions');
  const [champion, courses, history] = await Promise.all([
    api<ChampionView>('GET', `/champions/${encodeURIComponent(championId)}`),
    api<Page<Course>>('GET', '/courses', { query: { limit: 100 } }),
    api<Page<Completion>>('GET', `/champions/${encodeURIComponent(championId)}/training`, { query: { limit: 10 } }),
  ]);
  ctx.render(html`${navLink('Back to champions', 'champions', { cls: 'govuk-back-link' })}
<h1 class="govuk-heading-l">Record training</h1>
<p class="govuk-body">For <strong>${champion.displayName}</strong>.</p>
<form id="training-form" novalidate>
  ${select({ name: 'courseId', label: 'Course', options: [{ value: '', label: 'Choose a course' }, ...courses.items.map((c) => ({ value: c.id, label: `${c.title} (${c.validityMonths} months)` }))] })}
  ${input({ name: 'completedOn', label: 'Date completed', type: 'date', value: ukToday(), width: '10' })}
  ${input({ name: 'deliveredBy', label: 'Delivered by', hint: 'The trainer or organisation.', width: '20' })}
  ${button('Record training')}
</form>
${table({
  caption: 'Recent training',
  head: ['Course', 'Completed', 'Valid until'],
  empty: 'No training recorded yet.',
  rows: history.items.map((c) => [c.courseTitle ?? c.courseId, formatDate(c.completedOn), c.expiresOn ? formatDate(c.expiresOn) : '']),
})}`);
  const form = $<HTMLFormElement>('#training-form', ctx.root);
  let key = newIdempotencyKey();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    const body = { courseId: fieldValue(form, 'courseId'), completedOn: fieldValue(form, 'completedOn'), deliveredBy: fieldValue(form, 'deliveredBy') };
    api('POST', `/champions/${encodeURIComponent(championId)}/training`, { body, idempotencyKey: key })
      .then(() => ctx.navigate('champions', { recorded: `Training recorded for ${champion.displayName}` }))
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        if (error.status >= 400 && error.status < 500) key = newIdempotencyKey();
        showErrors(ctx.root, error.issues, error.message);
      });
  });
}
