import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../scripts/reports-rebuild';
import { findDemoUser } from '../../infra/local/demo-users';
import { hourOf } from '../../shared/domain/audit-seal';
import { sealHour } from '../../shared/store/audit-sealer';
import { verifyAuditRange } from '../../shared/store/audit-verify';
import { auditEventsFor } from '../support/audit';
import { daysAgo, hateCrimeContact, validContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';

/**
 * The rights of the person holding a contact reference, over HTTP against DynamoDB Local: the subject access
 * response (everything under the reference, nothing of another, no staff identities), erasure (records gone,
 * figures reconciled by a rebuild, the audit trail naming the request and still verifying) and team scope.
 */
const t = useTestEnvironment();
const tables = () => ({ caseTable: t.env.tableNames.Case, aggregatesTable: t.env.tableNames.Aggregates });

async function scanAll(tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await t.db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const liveCount = (items: Record<string, unknown>[]) =>
  items.filter((i) => String(i['pk']).startsWith('COUNT#')).reduce((n, i) => n + Number(i['n'] ?? 0), 0);

let person: { reference: string; contactIds: string[]; escalationId: string };
let other: { reference: string; id: string };

async function log(user: string, body: Record<string, unknown>) {
  const res = await t.api('POST', '/contacts', { token: await t.tokenFor(user), body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; contactReference: string };
}

beforeAll(async () => {
  const first = await log('champion-a1', validContact({ contactDate: daysAgo(3), demographics: { gender: 'woman', ageBand: '25_34' } }));
  // A repeat under the same reference, with two services.
  const second = await log('champion-a1', validContact({ contactReference: first.contactReference, signposting: [{ serviceId: 'service-idva', mode: 'referral_with_consent' }, { serviceId: 'service-national-da-helpline', mode: 'information_given' }] }));
  const raised = await t.api('POST', `/contacts/${second.id}/escalations`, { token: await t.tokenFor('champion-a1'), body: { reason: 'asks_for_specialist_support', consent: 'yes' } });
  expect(raised.status, JSON.stringify(raised.body)).toBe(201);
  const supervisor = await t.tokenFor('supervisor-a');
  expect((await t.api('POST', `/escalations/${raised.body.id}/transitions`, { token: supervisor, body: { to: 'triaged', version: raised.body.version, targetServiceKind: 'idva' } })).status).toBe(200);
  person = { reference: first.contactReference, contactIds: [first.id, second.id], escalationId: raised.body.id };
  // Someone else in the same team, logged the same day by the same champion.
  const o = await log('champion-a1', hateCrimeContact());
  other = { reference: o.contactReference, id: o.id };
  await t.env.drainStreams();
  expect((await reconcile(t.db, tables())).differences).toEqual([]);
});

describe('subject access', () => {
  it('gives everything held under the reference in plain language, nothing of another reference and no staff identities', async () => {
    const res = await t.api('POST', '/rights/access', { token: await t.tokenFor('supervisor-a'), body: { contactReference: person.reference.toLowerCase(), requestReference: 'DSAR-2026-014' } });
    expect(res.status, res.text).toBe(200);
    const sar = res.body;
    expect(sar.contactReference).toBe(person.reference);
    expect(sar.contacts).toHaveLength(2);
    expect(sar.concerns).toHaveLength(1);
    expect(sar.summary).toMatch(/2 records of conversations.*3 services.*1 concern/);
    expect(sar.contacts[0]).toMatchObject({ where: 'Community centre', about: ['Domestic abuse and sexual violence (DASV)'], whatWasDescribed: ['Controlling or coercive behaviour'] });
    expect(sar.contacts[0].aboutYou).toEqual(expect.arrayContaining(['Woman', '25–34']));
    expect(sar.contacts[1].signposting.map((s: { how: string }) => s.how)).toContain('Referral made with consent');
    expect(sar.concerns[0].history.map((h: { by: string }) => h.by)).toEqual(['a community champion', 'the DASV team']);
    // No identity of a champion or member of staff, no ids, nothing of the other reference.
    const text = res.text;
    for (const user of ['champion-a1', 'champion-a2', 'supervisor-a']) {
      const u = findDemoUser(user)!;
      expect(text).not.toContain(u.sub);
      expect(text).not.toContain(u.username);
    }
    for (const forbidden of ['championId', 'champion-demo', 'createdBy', 'raisedBy', 'team-a', person.contactIds[0]!, person.escalationId, other.reference, other.id, 'Race or ethnicity']) {
      expect(text, forbidden).not.toContain(forbidden);
    }
    // Audited under the request, not the reference.
    const events = await auditEventsFor(t, 'rightsRequest', 'DSAR-2026-014');
    expect(events.map((e) => e['action'])).toEqual(['rights.access']);
    expect(JSON.stringify(events)).not.toContain(person.reference);
  });

  it('gives the DASH checklist of a concern in plain words, with its score, verdict and the MARAC facts', async () => {
    const supervisor = await t.tokenFor('supervisor-a');
    const logged = await log('champion-a1', validContact());
    const raised = await t.api('POST', `/contacts/${logged.id}/escalations`, { token: await t.tokenFor('champion-a1'), body: { reason: 'asks_for_specialist_support', consent: 'yes' } });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    const id = raised.body.id as string;
    // 15 yes, 2 not known, the rest no; and the officer's judgement, for the reason chosen.
    const answers = Array.from({ length: 24 }, (_, i) => (i < 15 ? 'yes' : i < 17 ? 'not_known' : 'no'));
    const assessed = await t.api('PUT', `/escalations/${id}/risk-assessment`, {
      token: supervisor,
      body: { version: raised.body.version, answers, professionalJudgement: true, professionalJudgementReason: 'information_from_another_agency', potentialEscalation: false },
    });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    const triaged = await t.api('POST', `/escalations/${id}/transitions`, { token: supervisor, body: { to: 'triaged', version: assessed.body.version, targetServiceKind: 'marac' } });
    expect(triaged.status, JSON.stringify(triaged.body)).toBe(200);
    const referred = await t.api('POST', `/escalations/${id}/transitions`, { token: supervisor, body: { to: 'referred', version: triaged.body.version, serviceId: 'service-marac', referredOn: daysAgo(0) } });
    expect(referred.status, JSON.stringify(referred.body)).toBe(200);
    const decided = await t.api('POST', `/escalations/${id}/transitions`, { token: supervisor, body: { to: 'outcome_recorded', version: referred.body.version, outcome: 'accepted_by_service', maracOutcome: 'action_plan_agreed' } });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);

    const res = await t.api('POST', '/rights/access', { token: supervisor, body: { contactReference: logged.contactReference, requestReference: 'DSAR-2026-DASH' } });
    expect(res.status, res.text).toBe(200);
    const [concern] = res.body.concerns;
    const risk = concern.riskAssessment;
    expect(risk.by).toBe('the DASV team');
    expect(risk.answers).toHaveLength(24);
    expect(risk.answers[0]).toEqual({ question: '1. Did the latest incident leave the person injured?', answer: 'Yes' });
    expect(risk.answers[15].answer).toBe('Not known');
    expect(risk.answers[23].answer).toBe('No');
    expect(risk.score).toBe('15 of the 24 questions were answered yes and 2 not known.');
    expect(risk.level).toBe('High risk');
    expect(risk.whyHighRisk).toEqual([
      'Fourteen or more questions were answered yes.',
      'The DASV team\'s professional judgement was that the risk is high.',
      'Why: Information from another agency.',
    ]);
    expect(risk.recommendedStep).toMatch(/^Refer to MARAC/);
    expect(concern.marac[0]).toMatch(/referred to MARAC/);
    expect(concern.marac).toContain(`It went to the meeting on ${referred.body.maracMeetingDate}.`);
    expect(concern.marac).toContain('What the meeting decided: Safety action plan agreed.');
    // Still no staff identity: the assessment's author is a role, never the sub it is stored with.
    expect(res.text).not.toContain(findDemoUser('supervisor-a')!.sub);
    expect(res.text).not.toMatch(/visible_high_risk|information_from_another_agency|not_known/);
    // The first person's concern had no checklist: it says nothing of one.
    const first = await t.api('POST', '/rights/access', { token: supervisor, body: { contactReference: person.reference, requestReference: 'DSAR-2026-DASH-0' } });
    expect(first.body.concerns[0].riskAssessment).toBeUndefined();
    expect(first.body.concerns[0].marac).toBeUndefined();
  });

  it('refuses a reference of another team with the same 404 as one never issued, and audits the refusal', async () => {
    const asB = await t.tokenFor('supervisor-b');
    const elsewhere = await t.api('POST', '/rights/access', { token: asB, body: { contactReference: person.reference, requestReference: 'DSAR-B-1' } });
    const nowhere = await t.api('POST', '/rights/access', { token: asB, body: { contactReference: 'WM-0000-00', requestReference: 'DSAR-B-2' } });
    expect(elsewhere.status).toBe(404);
    expect(nowhere.status).toBe(404);
    expect(elsewhere.body.error).toBe(nowhere.body.error);
    expect((await t.api('POST', '/rights/erasure', { token: asB, body: { contactReference: person.reference, requestReference: 'DSAR-B-3' } })).status).toBe(404);
    expect((await auditEventsFor(t, 'rightsRequest', 'DSAR-B-1')).map((e) => e['outcome'])).toEqual(['denied']);
    for (const user of ['admin', 'commissioner', 'champion-a1']) {
      expect((await t.api('POST', '/rights/access', { token: await t.tokenFor(user), body: { contactReference: person.reference, requestReference: 'DSAR-X-1' } })).status).toBe(403);
    }
    expect((await t.api('POST', '/rights/access', { token: asB, body: { contactReference: 'Jane Smith', requestReference: 'x' } })).status).toBe(400);
  });
});

describe('erasure', () => {
  it('removes every record under the reference, and only those; figures fall and reconcile with a rebuild; the audit trail keeps the request and verifies', async () => {
    const counted = liveCount(await scanAll(t.env.tableNames.Aggregates));
    const res = await t.api('POST', '/rights/erasure', { token: await t.tokenFor('supervisor-a'), body: { contactReference: person.reference, requestReference: 'DSAR-2026-015' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.erased).toEqual({ contacts: 2, signposting: 3, concerns: 1, references: 1 });

    // (The one-machine notification outbox keeps its link to the concern, with its priority only, until it expires in 30 days.)
    const held = (await scanAll(t.env.tableNames.Case)).filter((i) => !String(i['pk']).startsWith('NOTIFY#'));
    const text = JSON.stringify(held);
    expect(text).not.toContain(person.reference);
    for (const id of [...person.contactIds, person.escalationId]) expect(text).not.toContain(id);
    expect(text).toContain(other.reference);
    expect(text).toContain(other.id);
    // The supervisor's own views agree: the contact is gone, a second request finds nothing.
    const supervisor = await t.tokenFor('supervisor-a');
    expect((await t.api('GET', `/contacts/${person.contactIds[0]}`, { token: supervisor })).status).toBe(404);
    expect((await t.api('POST', '/rights/access', { token: supervisor, body: { contactReference: person.reference, requestReference: 'DSAR-2026-016' } })).status).toBe(404);

    // Figures: the aggregator subtracts the erased records (a REMOVE by a person), and a rebuild from the source agrees.
    await t.env.drainStreams();
    expect(liveCount(await scanAll(t.env.tableNames.Aggregates))).toBeLessThan(counted);
    expect((await reconcile(t.db, tables())).differences).toEqual([]);
    expect(JSON.stringify(await scanAll(t.env.tableNames.Aggregates))).not.toContain(person.reference);

    // The audit trail: the erasure under its request, with the count, none of the content, nor the reference.
    const events = await auditEventsFor(t, 'rightsRequest', 'DSAR-2026-015');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'rights.erase', outcome: 'success', teamId: 'team-a' });
    expect(events[0]!['reason']).toMatch(/7 records removed/);
    expect(JSON.stringify(await scanAll(t.env.tableNames.Audit))).not.toContain(person.reference);
    // Nothing in the trail was altered: the hour seals and verifies.
    const hour = hourOf(new Date().toISOString());
    await sealHour(hour);
    const report = await verifyAuditRange(hour, hour);
    expect(report.firstBreak).toBeNull();
    expect(report.ok).toBe(true);
  });
});
