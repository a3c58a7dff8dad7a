import { describe, expect, it } from 'vitest';
import { allowedNext, canTransition, escalationStateSchema, type EscalationState } from '../../shared/domain/escalations';
import { ukToday, validContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';

const t = useTestEnvironment();
const states = escalationStateSchema.options;

/** A valid body for moving to each state the machine can reach. */
const bodyFor: Record<Exclude<EscalationState, 'raised'>, Record<string, unknown>> = {
  triaged: { targetServiceKind: 'idva' },
  referred: { serviceId: 'service-idva', referredOn: ukToday(), mode: 'referral_with_consent' },
  outcome_recorded: { outcome: 'accepted_by_service' },
  closed: {},
  withdrawn: { reason: 'The person asked us to stop' },
};

/** The legal path from `raised` to each state. */
const pathTo: Record<EscalationState, Exclude<EscalationState, 'raised'>[]> = {
  raised: [],
  triaged: ['triaged'],
  referred: ['triaged', 'referred'],
  outcome_recorded: ['triaged', 'referred', 'outcome_recorded'],
  closed: ['triaged', 'referred', 'outcome_recorded', 'closed'],
  withdrawn: ['withdrawn'],
};

async function escalationIn(state: EscalationState): Promise<{ id: string; version: number }> {
  const champion = await t.tokenFor('champion-a1');
  const supervisor = await t.tokenFor('supervisor-a');
  const contact = await t.api('POST', '/contacts', { token: champion, body: validContact() });
  expect(contact.status, JSON.stringify(contact.body)).toBe(201);
  const raised = await t.api('POST', `/contacts/${contact.body.id}/escalations`, {
    token: champion,
    body: { reason: 'asks_for_specialist_support', consent: 'yes' },
  });
  expect(raised.status, JSON.stringify(raised.body)).toBe(201);
  let version = raised.body.version as number;
  for (const to of pathTo[state]) {
    const res = await t.api('POST', `/escalations/${raised.body.id}/transitions`, { token: supervisor, body: { to, version, ...bodyFor[to] } });
    expect(res.status, `${to}: ${JSON.stringify(res.body)}`).toBe(200);
    version = res.body.version as number;
  }
  return { id: raised.body.id as string, version };
}

describe('every transition, table-driven from the state machine definition', () => {
  const cases = states.flatMap((from) => states.filter((to) => to !== 'raised').map((to) => [from, to] as const));

  it.each(cases)('%s → %s', async (from, to) => {
    const e = await escalationIn(from);
    const supervisor = await t.tokenFor('supervisor-a');
    const res = await t.api('POST', `/escalations/${e.id}/transitions`, {
      token: supervisor,
      body: { to, version: e.version, ...bodyFor[to as Exclude<EscalationState, 'raised'>] },
    });
    if (canTransition(from, to)) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ state: to, version: e.version + 1 });
    } else {
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body).toMatchObject({ currentState: from, allowedNext: [...allowedNext(from)] });
      const after = await t.api('GET', `/escalations/${e.id}`, { token: supervisor });
      expect(after.body).toMatchObject({ state: from, version: e.version });
    }
  });

  it('moving back to raised is not a transition at all: 400 naming `to`', async () => {
    const e = await escalationIn('triaged');
    const res = await t.api('POST', `/escalations/${e.id}/transitions`, { token: await t.tokenFor('supervisor-a'), body: { to: 'raised', version: e.version } });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain('to');
  });
});
