import { api, apiFile, ApiError, type Page } from '../api';
import { $, checkedValues, fieldValue, formatDateTime, html, newIdempotencyKey } from '../dom';
import { telLink, button, checkboxes, details, input, notification, select, showErrors, summaryList, table, tag, textarea, onPagination } from '../govuk';
import { items, serviceKinds, strandLabels, strandShort } from '../labels';
import type { PageContext } from '../router';
import type { AuditEvent, Course, OnCall, Retention, Service, Team } from '../types';

const strandItems = () => (['dasv', 'hate_crime'] as const).map((s) => ({ value: s, label: strandLabels[s] }));

/** Wires a create form: POSTs with a fresh Idempotency-Key per attempt, shows field errors, re-renders on success. */
function createForm(ctx: PageContext, formId: string, path: string, body: (form: HTMLFormElement) => unknown, done: (created: unknown) => void): void {
  const form = $<HTMLFormElement>(`#${formId}`, ctx.root);
  let key = newIdempotencyKey();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    api('POST', path, { body: body(form), idempotencyKey: key })
      .then(done)
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        if (error.status >= 400 && error.status < 500) key = newIdempotencyKey();
        showErrors(ctx.root, error.issues, error.message);
      });
  });
}

async function all<T>(path: string, query: Record<string, string> = {}): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page: Page<T> = await api<Page<T>>('GET', path, { query: { ...query, limit: 100, cursor } });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < 2000);
  return out;
}

// ---- Teams ------------------------------------------------------------------------------------

export async function teamsPage(ctx: PageContext): Promise<void> {
  const teams = await all<Team>('/teams');
  const banner = ctx.params['done'] as string | undefined;
  ctx.render(html`${banner ? notification(banner, { success: true }) : ''}<h1 class="govuk-heading-l">Teams</h1>
${table({ caption: 'Teams', captionHidden: true, head: ['Team', 'Supervisors'], rows: teams.map((t) => [t.name, String(t.supervisors.length)]), empty: 'No teams yet.' })}
<h2 class="govuk-heading-m">Add a team</h2>
<form id="team-form" novalidate>
  ${input({ name: 'name', label: 'Team name', width: '20' })}
  ${button('Add team')}
</form>`);
  createForm(ctx, 'team-form', '/teams', (f) => ({ name: fieldValue(f, 'name') ?? '' }), () => ctx.navigate('teams', { done: 'Team added' }));
}

// ---- Courses ----------------------------------------------------------------------------------

export async function coursesPage(ctx: PageContext): Promise<void> {
  const courses = await all<Course>('/courses');
  const banner = ctx.params['done'] as string | undefined;
  ctx.render(html`${banner ? notification(banner, { success: true }) : ''}<h1 class="govuk-heading-l">Courses</h1>
${table({
  caption: 'The course catalogue',
  captionHidden: true,
  head: ['Course', 'Qualifies for', 'Valid for'],
  rows: courses.map((c) => [c.title, c.strands.map((s) => strandShort[s]).join(', '), `${c.validityMonths} months`]),
  empty: 'No courses yet.',
})}
<h2 class="govuk-heading-m">Add a course</h2>
<form id="course-form" novalidate>
  ${input({ name: 'title', label: 'Title', width: '30' })}
  ${checkboxes({ name: 'strands', legend: 'Qualifies a champion for', legendSize: 's', label: 'Strands', small: true, items: strandItems() })}
  ${input({ name: 'validityMonths', label: 'Valid for (months)', width: '3', inputmode: 'numeric' })}
  ${button('Add course')}
</form>`);
  createForm(
    ctx,
    'course-form',
    '/courses',
    (f) => {
      const months = fieldValue(f, 'validityMonths');
      return { title: fieldValue(f, 'title') ?? '', strands: checkedValues(f, 'strands'), validityMonths: months && /^\d+$/.test(months) ? Number(months) : months };
    },
    () => ctx.navigate('courses', { done: 'Course added' }),
  );
}

// ---- Service directory ------------------------------------------------------------------------

export async function servicesPage(ctx: PageContext): Promise<void> {
  const services = await all<Service>('/services', { status: 'all' });
  const banner = ctx.params['done'] as string | undefined;
  ctx.render(html`${banner ? notification(banner, { success: true }) : ''}<h1 class="govuk-heading-l">Service directory</h1>
<p class="govuk-body">Where champions signpost people to. A retired service stays on the records that name it but cannot be chosen again.</p>
${table({
  caption: 'Services',
  captionHidden: true,
  small: true,
  head: ['Service', 'Kind', 'Strands', 'Status', 'Action'],
  rows: services.map((s) => [
    html`${s.name}${s.phone ? html`<br><span class="wm-secondary">${telLink(s.phone)}</span>` : ''}`,
    s.kindLabel,
    s.strands.map((x) => strandShort[x]).join(', '),
    s.status === 'active' ? tag('Active', 'green') : tag('Retired', 'grey'),
    s.status === 'active'
      ? html`<button type="button" class="govuk-button govuk-button--secondary wm-button--small" data-retire="${s.id}">Retire<span class="govuk-visually-hidden"> ${s.name}</span></button>`
      : '',
  ]),
})}
${details(
  'Add a service',
  html`<form id="service-form" novalidate>
  ${input({ name: 'name', label: 'Name', width: '30' })}
  ${select({ name: 'kind', label: 'Kind', options: [{ value: '', label: 'Choose a kind' }, ...items(serviceKinds)] })}
  ${checkboxes({ name: 'strands', legend: 'Strands it serves', legendSize: 's', label: 'Strands', small: true, items: strandItems() })}
  ${input({ name: 'languages', label: 'Languages beyond English', hint: 'Separate with commas, for example: Arabic, Urdu.', width: '30' })}
  ${textarea({ name: 'howToRefer', label: 'How to refer or signpost', rows: 3 })}
  ${input({ name: 'phone', label: 'Public phone number (optional)', width: '20', type: 'tel' })}
  ${input({ name: 'website', label: 'Website (optional)', hint: 'Starting https://', width: '30', type: 'url', spellcheck: false })}
  ${button('Add service')}
</form>`,
  banner === undefined && ctx.params['open'] === true,
)}`);
  createForm(
    ctx,
    'service-form',
    '/services',
    (f) => {
      const languages = (fieldValue(f, 'languages') ?? '').split(',').map((l) => l.trim()).filter(Boolean);
      const phone = fieldValue(f, 'phone');
      const website = fieldValue(f, 'website');
      return { name: fieldValue(f, 'name') ?? '', kind: fieldValue(f, 'kind'), strands: checkedValues(f, 'strands'), languages, howToRefer: fieldValue(f, 'howToRefer') ?? '', ...(phone ? { phone } : {}), ...(website ? { website } : {}) };
    },
    () => ctx.navigate('services', { done: 'Service added' }),
  );
  // Retiring cannot be undone from here: it has a page of its own that asks first.
  ctx.root.querySelectorAll<HTMLButtonElement>('[data-retire]').forEach((b) =>
    b.addEventListener('click', () => {
      const service = services.find((s) => s.id === b.dataset['retire']);
      if (service) ctx.navigate('confirm-retire', { service });
    }),
  );
}

export function confirmRetirePage(ctx: PageContext): void {
  const service = ctx.params['service'] as Service | undefined;
  if (!service) return ctx.navigate('services', {}, { replace: true });
  ctx.render(html`<a href="/" class="govuk-back-link" data-back>Back</a>
<h1 class="govuk-heading-l">Are you sure you want to retire ${service.name}?</h1>
<p class="govuk-body">Champions will no longer be able to signpost people to it. Records that name it keep it.</p>
<form id="retire-form" novalidate><div class="govuk-button-group">${button('Yes, retire the service', { warning: true })}<a href="/" class="govuk-link" data-back>No, go back</a></div></form>`);
  for (const a of ctx.root.querySelectorAll('[data-back]')) {
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      ctx.back();
    });
  }
  const form = $<HTMLFormElement>('#retire-form', ctx.root);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    api('PATCH', `/services/${encodeURIComponent(service.id)}`, { body: { version: service.version, status: 'retired' } })
      .then(() => ctx.navigate('services', { done: `${service.name} retired` }, { replace: true }))
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        showErrors(ctx.root, error.issues, error.message);
      });
  });
}

// ---- Audit trail ------------------------------------------------------------------------------

const toInstant = (local: string | undefined): string | undefined => (local ? new Date(local).toISOString() : undefined);
const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

export async function auditPage(ctx: PageContext): Promise<void> {
  const now = new Date();
  let query: Record<string, string | undefined> = { from: localInput(new Date(now.getTime() - 86_400_000)) };
  let cursors: (string | undefined)[] = [undefined];
  let index = 0;
  const load = async () => {
    let page: Page<AuditEvent> = { items: [], nextCursor: null };
    let problem: ApiError | undefined;
    try {
      page = await api<Page<AuditEvent>>('GET', '/audit/events', {
        query: {
          limit: 25,
          cursor: cursors[index],
          entity: query['entity'],
          actor: query['actor'],
          from: toInstant(query['from']),
          // An empty "to" means now.
          to: toInstant(query['to']) ?? (query['entity'] || query['actor'] ? undefined : new Date().toISOString()),
        },
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) problem = error;
      else throw error;
    }
    if (page.nextCursor) cursors[index + 1] = page.nextCursor;
    ctx.render(html`<h1 class="govuk-heading-l">Audit trail</h1>
<p class="govuk-body">Who did what to which record, and who viewed case-level data. Searches are themselves audited.</p>
<form id="audit-form" class="wm-filters" novalidate>
  ${input({ name: 'entity', label: 'Record', hint: 'Type and id, for example team:team-a. Leave empty to search by time.', value: query['entity'] ?? '', width: '20', spellcheck: false })}
  ${input({ name: 'actor', label: 'User', hint: 'Sign-in identity (sub).', value: query['actor'] ?? '', width: '20', spellcheck: false })}
  ${input({ name: 'from', label: 'From', type: 'datetime-local', value: query['from'] ?? '', width: '20' })}
  ${input({ name: 'to', label: 'To', hint: 'Empty means now.', type: 'datetime-local', value: query['to'] ?? '', width: '20' })}
  <div class="govuk-button-group">${button('Search', { secondary: true })}</div>
</form>
${table({
  caption: 'Audit events, newest first',
  small: true,
  head: ['When', 'Who', 'Action', 'Record', 'Outcome'],
  empty: 'No events match.',
  rows: page.items.map((e) => [formatDateTime(e.at), html`${e.actor.role}${e.actor.team ? html`<br><span class="wm-secondary">${e.actor.team}</span>` : ''}`, e.action, html`<span class="wm-break">${e.entityType}:${e.entityId}</span>`, e.outcome]),
})}
${recordsOfProcessingForm(query)}
${page.nextCursor || index > 0 ? html`<nav class="govuk-pagination govuk-pagination--block" aria-label="Pages of audit events">${index > 0 ? html`<div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="/" data-page="previous"><span class="govuk-pagination__link-title">Previous<span class="govuk-visually-hidden"> page</span></span></a></div>` : ''}${page.nextCursor ? html`<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="/" data-page="next"><span class="govuk-pagination__link-title">Next<span class="govuk-visually-hidden"> page</span></span></a></div>` : ''}</nav>` : ''}`);
    if (problem) showErrors(ctx.root, problem.issues, problem.message);
    recordsOfProcessing(ctx);
    const form = $<HTMLFormElement>('#audit-form', ctx.root);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      query = { entity: fieldValue(form, 'entity'), actor: fieldValue(form, 'actor'), from: fieldValue(form, 'from'), to: fieldValue(form, 'to') };
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

/** Records of processing: every access to case-level data in a period, as CSV, for an information governance audit. */
const recordsOfProcessingForm = (query: Record<string, string | undefined>) => {
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
  return details(
    'Download records of processing',
    html`<form id="processing-form" novalidate>
  <p class="govuk-body">Every access to case-level data (contacts, concerns, the caseload, support sessions, rights requests) in up to 31 days, as a CSV file for an information governance audit: when, who (role and sign-in identity), what, which record, the outcome and the request. It holds no case detail. The download is itself audited.</p>
  ${input({ name: 'exportFrom', label: 'From (UTC day)', type: 'date', value: query['exportFrom'] ?? monthAgo, width: '10' })}
  ${input({ name: 'exportTo', label: 'To (UTC day)', type: 'date', value: query['exportTo'] ?? today, width: '10' })}
  <div class="govuk-button-group">${button('Download CSV', { secondary: true })}</div>
  <p class="govuk-body" id="processing-status" role="status"></p>
</form>`,
  );
};

function recordsOfProcessing(ctx: PageContext): void {
  const form = $<HTMLFormElement>('#processing-form', ctx.root);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const status = $('#processing-status', form);
    const q = { from: fieldValue(form, 'exportFrom'), to: fieldValue(form, 'exportTo') };
    status.textContent = 'Preparing the CSV…';
    void (async () => {
      // The API sends a long period in parts; each after the first repeats the header row, left out here.
      const parts: Blob[] = [];
      let cursor: string | undefined;
      let name: string | undefined;
      do {
        const part = await apiFile('/audit/export', { ...q, cursor }, 'text/csv');
        const text = await part.blob.text();
        parts.push(new Blob([parts.length ? text.slice(text.indexOf('\r\n') + 2) : text]));
        name ??= part.filename;
        cursor = part.nextCursor;
      } while (cursor);
      const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name ?? 'waymark-records-of-processing.csv';
      a.hidden = true;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      status.textContent = 'The CSV has been downloaded.';
    })().catch((error: unknown) => {
      status.textContent = '';
      if (!(error instanceof ApiError)) throw error;
      showErrors(ctx.root, error.issues, error.message);
    });
  });
}

// ---- Retention --------------------------------------------------------------------------------

export async function retentionPage(ctx: PageContext): Promise<void> {
  const r = await api<Retention>('GET', '/settings/retention');
  const banner = ctx.params['done'] as string | undefined;
  const years = (days: number) => `${days} days (about ${Math.round((days / 365.25) * 10) / 10} years)`;
  ctx.render(html`${banner ? notification(banner, { success: true }) : ''}<h1 class="govuk-heading-l">Retention</h1>
<p class="govuk-body">How long Waymark keeps case records and the audit trail. Records are deleted automatically when their time is up; figures already published for past months do not fall when they are.</p>
${summaryList([
  ['Contacts, signposting, references and concerns', years(r.contactDays)],
  ['Audit trail', years(r.auditDays)],
  ['Set by', r.source === 'set' ? `an administrator${r.updatedAt ? `, ${formatDateTime(r.updatedAt)}` : ''}` : 'the deployment default'],
])}
<h2 class="govuk-heading-m">Change retention</h2>
<p class="govuk-body">Contacts are kept for ${r.bounds.contactYears.min} to ${r.bounds.contactYears.max} years after they were logged. The audit trail is kept at least ${r.bounds.auditYearsBeyondContacts} year longer, so it outlives the records it describes.</p>
<p class="govuk-body">A change applies to new records at once. Records already held move to the new date when the system owner runs the retention backfill; shortening retention deletes records older than the new period.</p>
<form id="retention-form" novalidate>
  ${input({ name: 'contactYears', label: 'Keep contacts for (years)', width: '3', inputmode: 'numeric', value: r.contactYears !== undefined ? String(r.contactYears) : '' })}
  ${input({ name: 'auditYears', label: 'Keep the audit trail for (years)', width: '3', inputmode: 'numeric', value: r.auditYears !== undefined ? String(r.auditYears) : '' })}
  ${button('Save retention')}
</form>`);
  const form = $<HTMLFormElement>('#retention-form', ctx.root);
  const whole = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : v);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    api('PUT', '/settings/retention', { body: { version: r.version, contactYears: whole(fieldValue(form, 'contactYears')), auditYears: whole(fieldValue(form, 'auditYears')) } })
      .then(() => ctx.navigate('retention', { done: 'Retention saved' }, { replace: true }))
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        showErrors(ctx.root, error.issues, error.message);
      });
  });
}

// ---- On call ----------------------------------------------------------------------------------

const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** The on-call address and the office hours outside which it hears of immediate concerns (GET/PUT /settings/on-call). */
export async function onCallPage(ctx: PageContext): Promise<void> {
  const c = await api<OnCall>('GET', '/settings/on-call');
  const banner = ctx.params['done'] as string | undefined;
  const h = c.officeHours;
  ctx.render(html`${banner ? notification(banner, { success: true }) : ''}<h1 class="govuk-heading-l">On call</h1>
<p class="govuk-body">Each supervisor is emailed about their own team's concerns, at the priorities they choose. A concern of immediate priority raised outside office hours is also emailed to the on-call address. Notifications never hold case details: they say a concern awaits triage and link to it.</p>
${summaryList([
  ['On-call address', c.email ?? 'None set'],
  ['Office hours', `${h.days.map((d) => weekdays[d - 1]).join(', ') || 'No days'}, ${h.from} to ${h.to} (UK time)`],
])}
<h2 class="govuk-heading-m">Change</h2>
<form id="on-call-form" novalidate>
  ${input({ name: 'email', label: 'On-call address', hint: 'A shared on-call mailbox, not a person’s own. Leave empty for none.', type: 'email', value: c.email ?? '', width: '30', spellcheck: false, autocomplete: 'off' })}
  ${checkboxes({ name: 'days', field: 'officeHours.days', legend: 'Office days', legendSize: 's', label: 'Office days', small: true, items: weekdays.map((d, i) => ({ value: String(i + 1), label: d, checked: h.days.includes(i + 1) })) })}
  ${input({ name: 'from', field: 'officeHours.from', label: 'Office hours start (UK time)', hint: 'For example, 09:00.', value: h.from, width: '5' })}
  ${input({ name: 'to', field: 'officeHours.to', label: 'Office hours end (UK time)', hint: 'For example, 17:00.', value: h.to, width: '5' })}
  ${button('Save')}
</form>`);
  const form = $<HTMLFormElement>('#on-call-form', ctx.root);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    const email = fieldValue(form, 'email');
    const officeHours = { days: checkedValues(form, 'days').map(Number), from: fieldValue(form, 'from') ?? '', to: fieldValue(form, 'to') ?? '' };
    api('PUT', '/settings/on-call', { body: { version: c.version, ...(email ? { email } : {}), officeHours } })
      .then(() => ctx.navigate('on-call', { done: 'On-call setting saved' }, { replace: true }))
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        showErrors(ctx.root, error.issues, error.message);
      });
  });
}
