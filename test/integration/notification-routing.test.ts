import { describe, expect, it } from 'vitest';
import { findDemoUser } from '../../infra/local/demo-users';
import { auditEventsFor } from '../support/audit';
import { validContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';

/**
 * Notifications reach the right people (issue 22), over HTTP against DynamoDB Local: a supervisor hears of their own
 * team's concerns only, at the priorities they chose; an immediate concern raised out of hours also goes to the
 * on-call address the admin sets. On one machine each notification in the outbox names its recipients, chosen by the
 * same filter policies SNS applies in AWS.
 */
const t = useTestEnvironment();
const sub = (user: string) => findDemoUser(user)!.sub;
const ON_CALL = 'dasv-on-call@council.example';
const ALWAYS_OPEN = { days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' };
const NEVER_OPEN = { days: [], from: '09:00', to: '17:00' };

interface Recipient { kind: string; name: string; userId?: string }

/** Logs a contact and raises a concern from it as champion-a1 (a risk to life is immediate; specialist support standard). */
async function raise(priority: 'immediate' | 'standard', champion = 'champion-a1'): Promise<string> {
  const token = await t.tokenFor(champion);
  const contact = await t.api('POST', '/contacts', { token, body: validContact({ riskFlags: [] }) });
  expect(contact.status, JSON.stringify(contact.body)).toBe(201);
  const reason = priority === 'immediate' ? 'immediate_risk_to_life' : 'asks_for_specialist_support';
  const raised = await t.api('POST', `/contacts/${contact.body.id}/escalations`, { token, body: { reason, consent: priority === 'immediate' ? 'not_asked' : 'yes' } });
  expect(raised.status, JSON.stringify(raised.body)).toBe(201);
  expect(raised.body.priority).toBe(priority);
  return raised.body.id as string;
}

/** Who the notification of an escalation went to, from the team's outbox. */
async function recipientsOf(escalationId: string, supervisor = 'supervisor-a'): Promise<Recipient[]> {
  const res = await t.api('GET', '/notifications?limit=100', { token: await t.tokenFor(supervisor) });
  expect(res.status).toBe(200);
  const n = res.body.items.find((i: { link: string }) => i.link === `/escalations/${escalationId}`);
  expect(n, `no notification of ${escalationId}`).toBeDefined();
  // No case detail: only what says "look", and who was told.
  expect(Object.keys(n).sort()).toEqual(['createdAt', 'id', 'kind', 'link', 'priority', 'recipients', 'teamId', 'triageDueAt']);
  return n.recipients;
}

async function setOnCall(officeHours: typeof ALWAYS_OPEN) {
  const admin = await t.tokenFor('admin');
  const current = await t.api('GET', '/settings/on-call', { token: admin });
  expect(current.status).toBe(200);
  const res = await t.api('PUT', '/settings/on-call', { token: admin, body: { version: current.body.version, email: ON_CALL, officeHours } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('notification routing', () => {
  it('a team-a concern notifies team-a\'s supervisor and not team-b\'s, and names no case detail', async () => {
    await setOnCall(ALWAYS_OPEN);
    const id = await raise('standard');
    const recipients = await recipientsOf(id);
    expect(recipients).toContainEqual({ kind: 'supervisor', name: findDemoUser('supervisor-a')!.displayName, userId: sub('supervisor-a') });
    expect(recipients.map((r) => r.userId)).not.toContain(sub('supervisor-b'));
    // Team b's outbox does not hold it.
    const b = await t.api('GET', '/notifications?limit=100', { token: await t.tokenFor('supervisor-b') });
    expect(b.body.items.map((i: { link: string }) => i.link)).not.toContain(`/escalations/${id}`);
  });

  it('respects the priorities a supervisor chose: only immediate, then every priority again', async () => {
    await setOnCall(ALWAYS_OPEN);
    const supervisor = await t.tokenFor('supervisor-a');
    const chosen = await t.api('PUT', '/users/me/notifications', { token: supervisor, body: { priorities: ['immediate'] } });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
    expect(chosen.body).toEqual({ priorities: ['immediate'] });
    expect((await t.api('GET', '/users/me/notifications', { token: supervisor })).body).toEqual({ priorities: ['immediate'] });
    expect((await auditEventsFor(t, 'user', sub('supervisor-a'))).map((e) => e['action'])).toContain('users.setNotifications');

    const standard = await raise('standard');
    expect((await recipientsOf(standard)).map((r) => r.userId)).not.toContain(sub('supervisor-a'));
    const immediate = await raise('immediate');
    // In office hours: the supervisor, not the on-call address.
    expect(await recipientsOf(immediate)).toEqual([{ kind: 'supervisor', name: findDemoUser('supervisor-a')!.displayName, userId: sub('supervisor-a') }]);

    expect((await t.api('PUT', '/users/me/notifications', { token: supervisor, body: { priorities: ['immediate', 'high', 'standard'] } })).status).toBe(200);
    expect((await recipientsOf(await raise('standard'))).map((r) => r.userId)).toContain(sub('supervisor-a'));
  });

  it('sends an immediate concern raised out of hours to the on-call address too; a standard one out of hours waits for the team', async () => {
    await setOnCall(NEVER_OPEN);
    const immediate = await recipientsOf(await raise('immediate'));
    expect(immediate).toContainEqual({ kind: 'on-call', name: ON_CALL });
    expect(immediate.map((r) => r.userId)).toContain(sub('supervisor-a'));
    const standard = await recipientsOf(await raise('standard'));
    expect(standard.map((r) => r.kind)).not.toContain('on-call');
    // The setting is audited without the address.
    const events = await auditEventsFor(t, 'settings', 'on-call');
    expect(events.map((e) => e['action'])).toContain('settings.setOnCall');
    expect(JSON.stringify(events)).not.toContain(ON_CALL);
    await setOnCall(ALWAYS_OPEN);
  });

  it('keeps the settings to admins and preferences to supervisors, and refuses bad input naming the field', async () => {
    for (const user of ['supervisor-a', 'commissioner', 'champion-a1']) {
      expect((await t.api('GET', '/settings/on-call', { token: await t.tokenFor(user) })).status, user).toBe(403);
    }
    for (const user of ['admin', 'commissioner', 'champion-a1']) {
      expect((await t.api('PUT', '/users/me/notifications', { token: await t.tokenFor(user), body: { priorities: [] } })).status, user).toBe(403);
    }
    const admin = await t.tokenFor('admin');
    const bad = await t.api('PUT', '/settings/on-call', { token: admin, body: { version: 0, email: 'not an address', officeHours: ALWAYS_OPEN } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toContain('email');
    const hours = await t.api('PUT', '/settings/on-call', { token: admin, body: { version: 0, officeHours: { days: [1], from: '17:00', to: '09:00' } } });
    expect(hours.status).toBe(400);
    expect(hours.body.issues.map((i: { path: string }) => i.path)).toContain('officeHours.to');
    const twice = await t.api('PUT', '/users/me/notifications', { token: await t.tokenFor('supervisor-a'), body: { priorities: ['high', 'high'] } });
    expect(twice.status).toBe(400);
  });
});
