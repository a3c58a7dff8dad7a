import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { CALL_999_GUIDANCE, escalationSchema } from '../../shared/domain/escalations';
import { priorityRank } from '../../shared/domain/service-levels';
import { getDocumentClient } from '../../shared/store/client';
import { keys } from '../../shared/store/keys';
import { findDemoUser } from '../../infra/local/demo-users';
import { daysAgo, newKey, ukToday, validContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';
import { auditEventsFor } from '../support/training';

const t = useTestEnvironment();
const tok = (user: string) => t.tokenFor(user);
const sub = (user: string) => findDemoUser(user)?.sub as string;

async function contact(user = 'champion-a1', body: Record<string, unknown> = validContact()) {
  const res = await t.api('POST', '/contacts', { token: await tok(user), body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; contactReference: string; version: number };
}

async function raise(contactId: string, body: Record<string, unknown> = { reason: 'asks_for_specialist_support', consent: 'yes' }, user = 'champion-a1', headers: Record<string, string> = {}) {
  return t.api('POST', `/contacts/${contactId}/escalations`, { token: await tok(user), body, headers });
}

async function raised(body?: Record<string, unknown>, contactBody?: Record<string, unknown>) {
  const c = await contact('champion-a1', contactBody);
  const res = await raise(c.id, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number; priority: string; triageDueAt: string; raisedAt: string; contactId: string };
}

async function move(id: string, body: Record<string, unknown>, user = 'supervisor-a') {
  return t.api('POST', `/escalations/${id}/transitions`, { token: await tok(user), body });
}

const storedItem = async (id: string) =>
  (await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.escalation(id), ConsistentRead: true }))).Item as Record<string, unknown>;

describe('raising an escalation', () => {
  it('a champion raises a concern from their own contact: priority derived, triage due, contact flagged, stored in the shared shape, audited', async () => {
    const c = await contact('champion-a1', validContact({ riskFlags: ['person_is_afraid', 'children_in_household'] }));
    const res = await raise(c.id, { reason: 'asks_for_specialist_support', consent: 'yes', note: 'Would like to talk to someone this week.' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.get('location')).toBe(`/escalations/${res.body.id}`);
    expect(res.body).toMatchObject({ contactId: c.id, state: 'raised', priority: 'high', reason: 'asks_for_specialist_support', consent: 'yes', overdue: false, version: 1 });
    expect(res.body.emergencyGuidance).toBeUndefined();
    expect(Date.parse(res.body.triageDueAt)).toBeGreaterThan(Date.parse(res.body.raisedAt));

    const item = await storedItem(res.body.id);
    expect(item['type']).toBe('escalation');
    const parsed = escalationSchema.parse(item);
    expect(parsed).toMatchObject({
      contactId: c.id, teamId: 'team-a', raisedBy: sub('champion-a1'), contactReference: c.contactReference, strands: ['dasv'],
      contactDate: ukToday(), firstContactDate: ukToday(), beforePoliceOrEmergency: true, state: 'raised',
    });
    expect(parsed.history).toEqual([{ to: 'raised', at: parsed.raisedAt, by: sub('champion-a1'), role: 'champion' }]);

    const after = await t.api('GET', `/contacts/${c.id}`, { token: await tok('champion-a1') });
    expect(after.body).toMatchObject({ hasEscalation: true, version: c.version + 1 });
    const events = await auditEventsFor(t, 'escalation', res.body.id);
    expect(events.map((e) => e['action'])).toEqual(['escalations.create']);
    expect(events[0]!['changedFields']).toEqual(expect.arrayContaining(['contactId', 'reason', 'consent', 'note', 'state', 'priority']));
  });

  it('takes the first contact date from the reference of a repeat contact', async () => {
    const first = await contact('champion-a1', validContact({ contactDate: daysAgo(5) }));
    const repeat = await contact('champion-a1', validContact({ contactReference: first.contactReference }));
    const res = await raise(repeat.id);
    expect(res.status).toBe(201);
    expect(await storedItem(res.body.id)).toMatchObject({ firstContactDate: daysAgo(5), contactDate: ukToday() });
  });

  it('when life may be at risk the reply starts with the 999 guidance, and triage is due within the hour', async () => {
    const res = await raised({ reason: 'immediate_risk_to_life', consent: 'not_asked' });
    expect(Object.keys(res)[0]).toBe('emergencyGuidance');
    expect((res as unknown as { emergencyGuidance: string }).emergencyGuidance).toBe(CALL_999_GUIDANCE);
    expect(res.priority).toBe('immediate');
    expect(Date.parse(res.triageDueAt) - Date.parse(res.raisedAt)).toBe(3_600_000);
    const flagged = await raised({ reason: 'other', consent: 'yes' }, validContact({ riskFlags: ['immediate_danger'] }));
    expect(flagged).toMatchObject({ priority: 'immediate', emergencyGuidance: CALL_999_GUIDANCE });
  });

  it('one concern per contact; a retried raise with an Idempotency-Key is stored once', async () => {
    const c = await contact();
    const key = newKey();
    const body = { reason: 'adult_at_risk', consent: 'yes' };
    const [a, b] = await Promise.all([raise(c.id, body, 'champion-a1', { 'idempotency-key': key }), raise(c.id, body, 'champion-a1', { 'idempotency-key': key })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.id).toBe(a.body.id);
    const again = await raise(c.id, body, 'champion-a1', { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(a.body);
    const otherBody = await raise(c.id, { ...body, consent: 'no' }, 'champion-a1', { 'idempotency-key': key });
    expect(otherBody.status).toBe(409);
    const second = await raise(c.id, body);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ field: 'contactId', escalationId: a.body.id });
    const mine = await t.api('GET', '/escalations?limit=100', { token: await tok('champion-a1') });
    expect(mine.body.items.filter((e: { contactId: string }) => e.contactId === c.id)).toHaveLength(1);
  });

  it('only the champion who logged the contact may raise from it; deleted contacts cannot be escalated; bad input says which field', async () => {
    const c = await contact();
    for (const user of ['champion-a2', 'champion-b1']) expect((await raise(c.id, undefined, user)).status).toBe(404);
    for (const user of ['supervisor-a', 'commissioner', 'admin']) expect((await raise(c.id, undefined, user)).status).toBe(403);
    expect((await raise('contact-doesnotexist')).status).toBe(404);

    const bad = await raise(c.id, { reason: 'because', consent: 'maybe', note: 'Call her on 07700 900123', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['consent', 'extra', 'note', 'reason']);
    expect(bad.text).not.toContain('07700');

    const del = await t.api('DELETE', `/contacts/${c.id}`, { token: await tok('supervisor-a'), body: { reason: 'Logged twice by mistake' } });
    expect(del.status).toBe(200);
    expect((await raise(c.id)).status).toBe(404);
    const item = (await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.contact(c.id), ConsistentRead: true }))).Item;
    expect(item?.['hasEscalation']).toBe(false);
  });
});

describe('reading escalations', () => {
  it('the champion sees their concern\'s state, priority and due time, never the supervisor\'s working; reads are audited', async () => {
    const e = await raised({ reason: 'children_at_risk', consent: 'no' });
    const triaged = await move(e.id, { to: 'triaged', version: 1, targetServiceKind: 'childrens_safeguarding', dashScore: 16 });
    expect(triaged.status, JSON.stringify(triaged.body)).toBe(200);

    const mine = await t.api('GET', `/escalations/${e.id}`, { token: await tok('champion-a1') });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id: e.id, state: 'triaged', priority: 'high', reason: 'children_at_risk', triageDueAt: e.triageDueAt });
    for (const field of ['dashScore', 'targetServiceKind', 'history', 'raisedBy', 'allowedNext', 'pointsTowardsMarac', 'teamId']) expect(mine.body).not.toHaveProperty(field);

    const sup = await t.api('GET', `/escalations/${e.id}`, { token: await tok('supervisor-a') });
    expect(sup.body).toMatchObject({ dashScore: 16, targetServiceKind: 'childrens_safeguarding', pointsTowardsMarac: true, allowedNext: ['referred', 'withdrawn'] });
    expect(sup.body.history.map((h: { to: string; role: string }) => [h.to, h.role])).toEqual([['raised', 'champion'], ['triaged', 'supervisor']]);

    for (const user of ['champion-a2', 'champion-b1', 'supervisor-b']) expect((await t.api('GET', `/escalations/${e.id}`, { token: await tok(user) })).status).toBe(404);
    expect((await t.api('GET', `/escalations/${e.id}`, { token: await tok('commissioner') })).status).toBe(403);
    const events = await auditEventsFor(t, 'escalation', e.id);
    const reads = events.filter((ev) => ev['action'] === 'escalations.read');
    expect(reads.some((ev) => ev['requestId'] === mine.headers.get('x-request-id'))).toBe(true);
    expect(events.filter((ev) => ev['outcome'] === 'denied').length).toBeGreaterThanOrEqual(3);
  });

  it('lists: a champion their own newest first; a supervisor their team\'s open ones by priority then age; never another team\'s', async () => {
    const standard = await raised({ reason: 'other', consent: 'yes' }, validContact({ riskFlags: [] }));
    const immediate = await raised({ reason: 'immediate_risk_to_life', consent: 'yes' });
    const mine = await t.api('GET', '/escalations?limit=100', { token: await tok('champion-a1') });
    const mineIds = mine.body.items.map((x: { id: string }) => x.id);
    expect(mineIds.indexOf(immediate.id)).toBeLessThan(mineIds.indexOf(standard.id));
    expect(mine.body.items.every((x: Record<string, unknown>) => !('history' in x))).toBe(true);
    expect((await t.api('GET', '/escalations?limit=100', { token: await tok('champion-a2') })).body.items.map((x: { id: string }) => x.id)).not.toContain(standard.id);

    const team = await t.api('GET', '/escalations?limit=100', { token: await tok('supervisor-a') });
    expect(team.status).toBe(200);
    const items = team.body.items as { id: string; priority: 'immediate' | 'high' | 'standard'; raisedAt: string; teamId: string }[];
    expect(items.every((x) => x.teamId === 'team-a')).toBe(true);
    const order = items.map((x) => `${priorityRank[x.priority]}#${x.raisedAt}`);
    expect(order).toEqual([...order].sort());
    expect(items.map((x) => x.id)).toEqual(expect.arrayContaining([standard.id, immediate.id]));
    const other = await t.api('GET', '/escalations?limit=100', { token: await tok('supervisor-b') });
    expect(other.body.items.map((x: { id: string }) => x.id)).not.toContain(standard.id);
    expect((await t.api('GET', '/escalations?teamId=team-a', { token: await tok('supervisor-b') })).status).toBe(404);
    expect((await t.api('GET', '/escalations', { token: await tok('commissioner') })).status).toBe(403);
  });
});

describe('the state machine', () => {
  it('raised → triaged → referred → outcome recorded → closed, each attributed and timed; closed leaves the open list', async () => {
    const e = await raised({ reason: 'asks_for_specialist_support', consent: 'yes' });
    const steps = [
      { to: 'triaged', targetServiceKind: 'idva' },
      { to: 'referred', serviceId: 'service-idva', referredOn: ukToday(), mode: 'referral_with_consent' },
      { to: 'outcome_recorded', outcome: 'accepted_by_service' },
      { to: 'closed' },
    ];
    let version = 1;
    for (const step of steps) {
      const res = await move(e.id, { ...step, version });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ state: step.to, version: version + 1 });
      version += 1;
    }
    const item = escalationSchema.parse(await storedItem(e.id));
    expect(item).toMatchObject({ state: 'closed', targetServiceKind: 'idva', serviceId: 'service-idva', referredOn: ukToday(), sharedWithoutConsent: false, outcome: 'accepted_by_service' });
    for (const at of [item.triagedAt, item.referredAt, item.outcomeAt, item.closedAt]) expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(item.history.map((h) => [h.to, h.by, h.role])).toEqual([
      ['raised', sub('champion-a1'), 'champion'],
      ...steps.map((s) => [s.to, sub('supervisor-a'), 'supervisor']),
    ]);
    const raw = await storedItem(e.id);
    expect(raw['gsi1pk']).toBe(keys.closedEscalationsOfTeam('team-a').gsi1pk);
    const open = await t.api('GET', '/escalations?limit=100', { token: await tok('supervisor-a') });
    expect(open.body.items.map((x: { id: string }) => x.id)).not.toContain(e.id);
    const closed = await t.api('GET', '/escalations?status=closed&limit=100', { token: await tok('supervisor-a') });
    expect(closed.body.items.map((x: { id: string }) => x.id)).toContain(e.id);
    const audit = (await auditEventsFor(t, 'escalation', e.id)).filter((ev) => ev['action'] === 'escalations.transition');
    expect(audit).toHaveLength(4);
    expect(audit.find((ev) => (ev['changedFields'] as string[]).includes('serviceId'))?.['changedFields']).toEqual(
      expect.arrayContaining(['state', 'referredAt', 'serviceId', 'referredOn', 'sharedWithoutConsent', 'history']),
    );
  });

  it('a move the machine does not allow, or a stale version, is a 409 with the current state and what may follow; nothing changes', async () => {
    const e = await raised();
    const skip = await move(e.id, { to: 'closed', version: 1 });
    expect(skip.status).toBe(409);
    expect(skip.body).toMatchObject({ currentState: 'raised', allowedNext: ['triaged', 'withdrawn'], currentVersion: 1 });
    expect((await move(e.id, { to: 'triaged', version: 1, targetServiceKind: 'idva' })).status).toBe(200);
    const stale = await move(e.id, { to: 'withdrawn', version: 1, reason: 'The person moved away' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ currentState: 'triaged', allowedNext: ['referred', 'withdrawn'], currentVersion: 2 });
    const withdrawn = await move(e.id, { to: 'withdrawn', version: 2, reason: 'The person asked us to stop' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', allowedNext: [] });
    const finished = await move(e.id, { to: 'triaged', version: 3, targetServiceKind: 'idva' });
    expect(finished.status).toBe(409);
    expect(finished.body).toMatchObject({ currentState: 'withdrawn', allowedNext: [] });
    expect((await storedItem(e.id))['version']).toBe(3);

    const bad = await move(e.id, { to: 'sideways', version: 3 });
    expect(bad.status).toBe(400);
    expect((await move(e.id, { to: 'triaged', version: 1, targetServiceKind: 'idva' }, 'champion-a1')).status).toBe(403);
    expect((await move(e.id, { to: 'triaged', version: 1, targetServiceKind: 'idva' }, 'supervisor-b')).status).toBe(404);
  });

  it('two supervisors racing on one escalation: exactly one wins, the other gets 409 with the current state', async () => {
    const e = await raised();
    const [a, b] = await Promise.all([
      move(e.id, { to: 'triaged', version: 1, targetServiceKind: 'idva' }),
      move(e.id, { to: 'withdrawn', version: 1, reason: 'Raised in error' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    expect(loser.body.currentState).toBe(winner.body.state);
    expect(loser.body.allowedNext).toEqual(winner.body.allowedNext);
    const item = escalationSchema.parse(await storedItem(e.id));
    expect(item.version).toBe(2);
    expect(item.history).toHaveLength(2);
  });

  describe('with a transaction conflict injected', () => {
    const name = 'inject-transaction-conflict';
    afterEach(() => {
      getDocumentClient().middlewareStack.remove(name);
    });

    it('answers 503 with Retry-After, and nothing changes', async () => {
      const e = await raised();
      getDocumentClient().middlewareStack.add(
        (next) => async (args) => {
          const input = args.input as { TransactItems?: Array<{ Update?: { TableName?: string } }> };
          if (input.TransactItems?.some((i) => i.Update?.TableName === t.env.tableNames.Case)) {
            throw Object.assign(new Error('Transaction cancelled'), {
              name: 'TransactionCanceledException',
              CancellationReasons: input.TransactItems.map((i) => ({ Code: i.Update ? 'TransactionConflict' : 'None' })),
            });
          }
          return next(args);
        },
        { step: 'initialize', name },
      );
      const res = await move(e.id, { to: 'triaged', version: 1, targetServiceKind: 'idva' });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await storedItem(e.id)).toMatchObject({ state: 'raised', version: 1 });
    });
  });

  it('a referral names an active service that serves the strand; without consent only for risk to life or children, with a justification', async () => {
    const noConsent = await raised({ reason: 'asks_for_specialist_support', consent: 'no' });
    expect((await move(noConsent.id, { to: 'triaged', version: 1, targetServiceKind: 'idva' })).status).toBe(200);
    const refused = await move(noConsent.id, { to: 'referred', version: 2, serviceId: 'service-idva', referredOn: ukToday(), sharedWithoutConsentJustification: 'We think it is important' });
    expect(refused.status).toBe(400);
    expect(refused.body.issues.map((i: { path: string }) => i.path)).toEqual(['consent']);

    const children = await raised({ reason: 'children_at_risk', consent: 'no' });
    expect((await move(children.id, { to: 'triaged', version: 1, targetServiceKind: 'childrens_safeguarding' })).status).toBe(200);
    const unjustified = await move(children.id, { to: 'referred', version: 2, serviceId: 'service-mash', referredOn: ukToday() });
    expect(unjustified.status).toBe(400);
    expect(unjustified.body.issues.map((i: { path: string }) => i.path)).toEqual(['sharedWithoutConsentJustification']);
    const unknown = await move(children.id, { to: 'referred', version: 2, serviceId: 'service-nowhere', referredOn: ukToday(), sharedWithoutConsentJustification: 'Children in the household are at risk of harm' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues.map((i: { path: string }) => i.path)).toEqual(['serviceId']);
    const future = await move(children.id, { to: 'referred', version: 2, serviceId: 'service-mash', referredOn: '2999-01-01', sharedWithoutConsentJustification: 'Children in the household are at risk of harm' });
    expect(future.status).toBe(400);
    expect(future.body.issues.map((i: { path: string }) => i.path)).toEqual(['referredOn']);
    expect((await storedItem(children.id))['state']).toBe('triaged');
    const ok = await move(children.id, { to: 'referred', version: 2, serviceId: 'service-mash', referredOn: ukToday(), sharedWithoutConsentJustification: 'Children in the household are at risk of harm' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ state: 'referred', sharedWithoutConsent: true, sharedWithoutConsentJustification: 'Children in the household are at risk of harm' });

    const admin = await tok('admin');
    const svc = await t.api('POST', '/services', { token: admin, body: { name: 'Closing IDVA pilot', kind: 'idva', strands: ['dasv'], howToRefer: 'Referral form' } });
    await t.api('PATCH', `/services/${svc.body.id}`, { token: admin, body: { version: 1, status: 'retired' } });
    const consented = await raised({ reason: 'asks_for_specialist_support', consent: 'yes' });
    await move(consented.id, { to: 'triaged', version: 1, targetServiceKind: 'idva' });
    const retired = await move(consented.id, { to: 'referred', version: 2, serviceId: svc.body.id, referredOn: ukToday() });
    expect(retired.status).toBe(400);
    expect(retired.body.issues[0]).toMatchObject({ path: 'serviceId', message: expect.stringMatching(/retired/) });
  });
});

describe('the supervisor caseload', () => {
  it('open escalations overdue first, then by priority, then age; follow-ups; training to renew; contacts per champion', async () => {
    const standard = await raised({ reason: 'other', consent: 'yes' }, validContact({ riskFlags: [] }));
    const immediate = await raised({ reason: 'immediate_risk_to_life', consent: 'yes' });
    const late = await raised({ reason: 'other', consent: 'yes' }, validContact({ riskFlags: [] }));
    // Make one overdue (as if raised long ago): its triage due time has passed.
    await t.db.send(new UpdateCommand({ TableName: t.env.tableNames.Case, Key: keys.escalation(late.id), UpdateExpression: 'SET triageDueAt = :past', ExpressionAttributeValues: { ':past': '2020-01-01T09:00:00.000Z' } }));

    const res = await t.api('GET', '/caseload', { token: await tok('supervisor-a') });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const items = res.body.escalations.items as { id: string; overdue: boolean; priority: 'immediate' | 'high' | 'standard'; raisedAt: string; teamId: string }[];
    expect(items.every((x) => x.teamId === 'team-a')).toBe(true);
    const ids = items.map((x) => x.id);
    expect(ids.indexOf(late.id)).toBeLessThan(ids.indexOf(immediate.id));
    expect(ids.indexOf(immediate.id)).toBeLessThan(ids.indexOf(standard.id));
    expect(items.find((x) => x.id === late.id)?.overdue).toBe(true);
    const key = items.map((x) => `${x.overdue ? 0 : 1}#${priorityRank[x.priority]}#${x.raisedAt}`);
    expect(key).toEqual([...key].sort());
    expect(res.body.escalations.overdue).toBe(items.filter((x) => x.overdue).length);

    // Follow-ups: a new contact's signposting waits for its outcome, then leaves the list.
    const c = await contact();
    const follow = async () => (await t.api('GET', '/caseload', { token: await tok('supervisor-a') })).body.followUps.items as { contactId: string; signpostingId: string }[];
    const waiting = (await follow()).filter((f) => f.contactId === c.id);
    expect(waiting).toHaveLength(1);
    const outcome = await t.api('PUT', `/contacts/${c.id}/signposting/${waiting[0]!.signpostingId}/outcome`, { token: await tok('champion-a1'), body: { outcome: 'engaged' } });
    expect(outcome.status).toBe(200);
    expect((await follow()).filter((f) => f.contactId === c.id)).toHaveLength(0);

    const training = res.body.training as { championId: string; trainingStatus: { strand: string; status: string }[] }[];
    expect(training.find((x) => x.championId === 'champion-demo-a2')?.trainingStatus).toEqual([expect.objectContaining({ strand: 'dasv', status: 'lapsed' })]);
    expect(training.find((x) => x.championId === 'champion-demo-a1')?.trainingStatus).toEqual([expect.objectContaining({ strand: 'hate_crime', status: 'expiring' })]);
    expect(training.map((x) => x.championId)).not.toContain('champion-demo-a6'); // suspended
    expect(training.map((x) => x.championId)).not.toContain('champion-demo-b2'); // another team

    const counts = res.body.contactCounts as { championId: string; last30Days: number; last90Days: number }[];
    const a1 = counts.find((x) => x.championId === 'champion-demo-a1');
    expect(a1?.last30Days).toBeGreaterThanOrEqual(6);
    expect(a1?.last90Days).toBeGreaterThanOrEqual(a1?.last30Days ?? 0);
    expect(counts.find((x) => x.championId === 'champion-demo-a4')).toMatchObject({ last30Days: 0, last90Days: 0 });

    const reads = (await auditEventsFor(t, 'team', 'team-a')).filter((e) => e['action'] === 'caseload.read');
    expect(reads.some((e) => e['requestId'] === res.headers.get('x-request-id'))).toBe(true);
    expect((await t.api('GET', '/caseload', { token: await tok('champion-a1') })).status).toBe(403);
    expect((await t.api('GET', '/caseload', { token: await tok('commissioner') })).status).toBe(403);
    expect((await t.api('GET', '/caseload?teamId=team-a', { token: await tok('supervisor-b') })).status).toBe(404);
    expect((await t.api('GET', '/caseload', { token: await tok('admin') })).status).toBe(400);
    expect((await t.api('GET', '/caseload?teamId=team-a', { token: await tok('admin') })).status).toBe(200);
  });
});

describe('notifications', () => {
  it('raising writes an outbox notification for the team carrying no case detail: priority, due time and a link', async () => {
    const e = await raised({ reason: 'high_risk_indicators', consent: 'yes', note: 'Frightened of a family member returning' });
    const res = await t.api('GET', '/notifications?limit=100', { token: await tok('supervisor-a') });
    expect(res.status).toBe(200);
    const n = res.body.items.find((x: { link: string }) => x.link === `/escalations/${e.id}`);
    expect(n).toMatchObject({ kind: 'escalation.awaiting_triage', teamId: 'team-a', priority: 'high', triageDueAt: e.triageDueAt });
    // `recipients`: one machine names who was told (notification-routing.test.ts).
    expect(Object.keys(n).sort()).toEqual(['createdAt', 'id', 'kind', 'link', 'priority', 'recipients', 'teamId', 'triageDueAt']);
    const raw = await t.db.send(
      new QueryCommand({ TableName: t.env.tableNames.Case, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.notification('team-a').pk }, ConsistentRead: true }),
    );
    const stored = (raw.Items ?? []).find((i) => i['link'] === `/escalations/${e.id}`) as Record<string, unknown>;
    for (const field of ['note', 'reason', 'contactId', 'contactReference', 'strands', 'raisedBy', 'consent']) expect(stored).not.toHaveProperty(field);
    expect(JSON.stringify(stored)).not.toContain('Frightened');

    const other = await t.api('GET', '/notifications?limit=100', { token: await tok('supervisor-b') });
    expect(other.body.items.map((x: { link: string }) => x.link)).not.toContain(`/escalations/${e.id}`);
    expect((await t.api('GET', '/notifications', { token: await tok('champion-a1') })).status).toBe(403);
  });
});
