/**
 * A supervisor's choice of the concerns of their team they are emailed about, by priority (issue 22). Emails never
 * hold case details; the caseload shows every concern whatever is chosen here.
 */
import { api, ApiError } from '../api';
import { $, checkedValues, html } from '../dom';
import { button, checkboxes, notification, showErrors } from '../govuk';
import type { PageContext } from '../router';

const priorityItems = [
  { value: 'immediate', label: 'Immediate', hint: 'Risk to life or immediate danger' },
  { value: 'high', label: 'High', hint: 'Risk to children or adults, or high-risk indicators' },
  { value: 'standard', label: 'Standard', hint: 'Everything else' },
] as const;

export async function notificationSettingsPage(ctx: PageContext): Promise<void> {
  const current = await api<{ priorities: string[] }>('GET', '/users/me/notifications');
  const banner = ctx.params['done'] as string | undefined;
  ctx.render(html`${banner ? notification(banner, { success: true }) : ''}<h1 class="govuk-heading-l">Email notifications</h1>
<p class="govuk-body">You are emailed when a champion of your team raises a concern of a priority you choose. The email says only that a concern awaits triage, and links to it. Your caseload shows every concern, whatever you choose here.</p>
<form id="notify-form" novalidate>
  ${checkboxes({ name: 'priorities', legend: 'Email me about concerns of priority', legendSize: 's', hint: 'Choose none to stop these emails.', items: priorityItems.map((p) => ({ ...p, checked: current.priorities.includes(p.value) })) })}
  ${button('Save')}
</form>`);
  const form = $<HTMLFormElement>('#notify-form', ctx.root);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    api('PUT', '/users/me/notifications', { body: { priorities: checkedValues(form, 'priorities') } })
      .then(() => ctx.navigate('notification-settings', { done: 'Your choice is saved' }, { replace: true }))
      .catch((error: unknown) => {
        if (submit) submit.disabled = false;
        if (!(error instanceof ApiError)) throw error;
        showErrors(ctx.root, error.issues, error.message);
      });
  });
}
