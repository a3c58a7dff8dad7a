import { roleNames, statusChangeWords, statusTransitions, userStatusLabels } from '../../../shared/domain/user-labels';
import { api, ApiError, type Page } from '../api';
import { $, checkedValues, fieldValue, html } from '../dom';
import { button, checkboxes, input, notification, onPagination, pagination, select, showErrors, summaryList, table, tag } from '../govuk';
import { strandLabels } from '../labels';
import type { PageContext } from '../router';
import { session } from '../session';
import type { Person, Team } from '../types';

/**
 * People who sign in: an admin sees and manages everyone, a supervisor the champions of their team. Suspending
 * and recording that someone has left each have a page of their own that asks first (they count from the
 * person's next request).
 */
type Status = keyof typeof userStatusLabels;
type RoleName = keyof typeof roleNames;

const isAdmin = () => session.me?.role === 'admin';
const statusColour: Record<Status, string> = { invited: 'blue', active: 'green', suspended: 'orange', left: 'grey' };
const statusTag = (s: Status) => tag(userStatusLabels[s], statusColour[s]);

async function teams(): Promise<Team[]> {
  const page = await api<Page<Team>>('GET', '/teams', { query: { limit: 100 } });
  return page.items;
}

interface Organisation {
  id: string;
  name: string;
}

export async function peoplePage(ctx: PageContext): Promise<void> {
  const admin = isAdmin();
  let cursors: (string | undefined)[] = [undefined];
  let index = 0;
  let status = '';
  const teamList = admin ? await teams() : [];
  const teamName = new Map(teamList.map((t) => [t.id, t.name]));
  const load = async () => {
    const page = await api<Page<Person>>('GET', '/users', { query: { limit: 25, cursor: cursors[index], ...(status ? { status } : {}) } });
    if (page.nextCursor) cursors[index + 1] = page.nextCursor;
    const done = ctx.params['done'] as string | undefined;
    ctx.render(html`${done ? notification(done, { success: true }) : ''}<h1 class="govuk-heading-l">${admin ? 'People' : 'Your champions\u2019 accounts'}</h1>
<p class="govuk-body">${admin ? 'Everyone who signs in to Waymark.' : 'The sign-in accounts of your team\u2019s champions.'} Email addresses are kept by the sign-in service only; open a person to see theirs.</p>
<p class="govuk-body"><a href="/" class="govuk-link" data-invite>Invite ${admin ? 'a person' : 'a champion'}</a></p>
<form id="people-filter" class="wm-filters" novalidate>
  ${select({ name: 'status', label: 'Status', value: status, options: [{ value: '', label: 'Any' }, ...(Object.keys(userStatusLabels) as Status[]).map((s) => ({ value: s, label: userStatusLabels[s] }))] })}
  <div class="govuk-button-group">${button('Apply filter', { secondary: true })}</div>
</form>
${table({
  caption: 'People, by name',
  captionHidden: true,
  head: admin ? ['Name', 'Role', 'Team', 'Status'] : ['Name', 'Status'],
  empty: 'Nobody matches.',
  rows: page.items.map((p) => [
    html`<a href="/" class="govuk-link" data-person="${p.id}">${p.displayName}</a>`,
    ...(admin ? [roleNames[p.role as RoleName], p.teamId ? (teamName.get(p.teamId) ?? p.teamId) : '—'] : []),
    statusTag(p.status),
  ]),
})}
${page.nextCursor || index > 0 ? pagination({ hasPrevious: index > 0, hasNext: Boolean(page.nextCursor), label: 'Pages of people' }) : ''}`);
    ctx.root.querySelector('[data-invite]')?.addEventListener('click', (e) => {
      e.preventDefault();
      ctx.navigate('invite-person');
    });
    ctx.root.querySelectorAll<HTMLAnchorElement>('[data-person]').forEach((a) =>
      a.addEventListener('click', (e) => {
        e.preventDefault();
        ctx.navigate('person', { id: a.dataset['person'] });
      }),
    );
    const form = $<HTMLFormElement>('#people-filter', ctx.root);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      status = fieldValue(form, 'status') ?? '';
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

export async function invitePersonPage(ctx: PageContext): Promise<void> {
  const admin = isAdmin();
  const [teamList, organisations] = await Promise.all([admin ? teams() : Promise.resolve([]), api<Page<Organisation>>('GET', '/organisations', { query: { limit: 100 } })]);
  const roleOptions = (admin ? (Object.keys(roleNames) as RoleName[]) : (['champion'] as RoleName[])).map((r) => ({ value: r, label: roleNames[r] }));
  ctx.render(html`<a href="/" class="govuk-back-link" data-back>Back</a>
<h1 class="govuk-heading-l">Invite ${admin ? 'a person' : 'a champion'}</h1>
<p class="govuk-body">The sign-in service emails them an invitation. ${admin ? '' : 'They join your team.'}</p>
<form id="invite-form" novalidate>
  ${admin ? select({ name: 'role', label: 'Role', options: [{ value: '', label: 'Choose a role' }, ...roleOptions] }) : ''}
  ${admin ? select({ name: 'teamId', label: 'Team', hint: 'Supervisors and champions only.', options: [{ value: '', label: 'No team' }, ...teamList.map((t) => ({ value: t.id, label: t.name }))] }) : ''}
  ${input({ name: 'displayName', label: 'Name', width: '20', autocomplete: 'off' })}
  ${input({ name: 'email', label: 'Email address', type: 'email', width: '30', autocomplete: 'off', spellcheck: false })}
  <h2 class="govuk-heading-m">For a champion</h2>
  ${select({ name: 'organisationId', field: 'champion.organisationId', label: 'Organisation', options: [{ value: '', label: 'Choose an organisation' }, ...organisations.items.map((o) => ({ value: o.id, label: o.name }))] })}
  ${checkboxes({ name: 'strands', field: 'champion.strands', legend: 'Strands they serve', legendSize: 's', label: 'Strands', small: true, items: (['dasv', 'hate_crime'] as const).map((s) => ({ value: s, label: strandLabels[s] })) })}
  ${button('Send invitation')}
</form>`);
  ctx.root.querySelector('[data-back]')?.addEventListener('click', (e) => {
    e.preventDefault();
    ctx.back();
  });
  const form = $<HTMLFormElement>('#invite-form', ctx.root);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const role = admin ? fieldValue(form, 'role') : 'champion';
    const teamId = admin ? fieldValue(form, 'teamId') : undefined;
    const body = {
      role,
      displayName: fieldValue(form, 'displayName') ?? '',
      email: fieldValue(form, 'email') ?? '',
      ...(teamId ? { teamId } : {}),
      ...(role === 'champion' ? { champion: { organisationId: fieldValue(form, 'organisationId'), strands: checkedValues(form, 'strands') } } : {}),
    };
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    api<Person>('POST', '/users', { body })
      .then((p) => ctx.navigate('people', { done: `Invitation sent to ${p.displayName}` }, { replace: true }))
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        showErrors(ctx.root, error.issues, error.message);
      });
  });
}

export async function personPage(ctx: PageContext): Promise<void> {
  const id = ctx.params['id'] as string | undefined;
  if (!id) return ctx.navigate('people', {}, { replace: true });
  const person = await api<Person>('GET', `/users/${encodeURIComponent(id)}`);
  const next = (['suspended', 'left', 'active'] as const).filter((s) => s !== person.status && statusTransitions[person.status].includes(s));
  const done = ctx.params['done'] as string | undefined;
  ctx.render(html`${done ? notification(done, { success: true }) : ''}<a href="/" class="govuk-back-link" data-back>Back</a>
<h1 class="govuk-heading-l">${person.displayName}</h1>
${summaryList([
  ['Role', roleNames[person.role as RoleName]],
  ['Team', person.teamId ?? '—'],
  ['Status', statusTag(person.status)],
  ['Email address', person.email ?? '—'],
])}
<div class="govuk-button-group">
  ${next.map((s) => button(statusChangeWords[s].action, { type: 'button', secondary: s === 'active', warning: s !== 'active', attrs: html`data-status="${s}"` }))}
  ${person.status === 'active' || person.status === 'invited' ? button('Sign out everywhere', { type: 'button', secondary: true, attrs: html`data-sign-out` }) : ''}
</div>`);
  ctx.root.querySelector('[data-back]')?.addEventListener('click', (e) => {
    e.preventDefault();
    ctx.back();
  });
  ctx.root.querySelectorAll<HTMLButtonElement>('[data-status]').forEach((b) =>
    b.addEventListener('click', () => ctx.navigate('confirm-status', { person, status: b.dataset['status'] })),
  );
  ctx.root.querySelector('[data-sign-out]')?.addEventListener('click', () => {
    void api('POST', `/users/${encodeURIComponent(person.id)}/sign-out`).then(() => ctx.navigate('person', { id: person.id, done: `${person.displayName} is signed out everywhere` }, { replace: true }));
  });
}

export function confirmStatusPage(ctx: PageContext): void {
  const person = ctx.params['person'] as Person | undefined;
  const status = ctx.params['status'] as 'suspended' | 'left' | 'active' | undefined;
  if (!person || !status) return ctx.navigate('people', {}, { replace: true });
  const words = statusChangeWords[status];
  ctx.render(html`<a href="/" class="govuk-back-link" data-back>Back</a>
<h1 class="govuk-heading-l">${words.question(person.displayName)}</h1>
<p class="govuk-body">${words.consequence}</p>
<form id="status-form" novalidate><div class="govuk-button-group">${button(`Yes, ${words.action.toLowerCase()}`, { warning: status !== 'active' })}<a href="/" class="govuk-link" data-back>No, go back</a></div></form>`);
  for (const a of ctx.root.querySelectorAll('[data-back]')) {
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      ctx.back();
    });
  }
  const form = $<HTMLFormElement>('#status-form', ctx.root);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    api<Person>('PATCH', `/users/${encodeURIComponent(person.id)}`, { body: { version: person.version, status } })
      .then((p) => ctx.navigate('person', { id: p.id, done: `${p.displayName}: ${userStatusLabels[p.status].toLowerCase()}` }, { replace: true }))
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        showErrors(ctx.root, error.issues, error.message);
      });
  });
}
