import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../scripts/reports-rebuild';
import { keys } from '../../shared/store/keys';
import { hateCrimeContact, ukToday, validContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';
import { auditEventsFor } from '../support/training';

const t = useTestEnvironment();
const tok = (user: string) => t.tokenFor(user);

type Answer = 'yes' | 'no' | 'not_known';
const answers = (yes: number, notKnown = 0): Answer[] => Array.from({ length: 24 }, (_, i) => (i < yes ? 'yes' : i < yes + notKnown ? 'not_known' : 'no'));
const plain = { professionalJudgement: false, potentialEscalation: false };

async function raised(contactBody: Record<string, unknown> = validContact(), reason = 'asks_for_specialist_support') {
  const c = await t.api('POST', '/contacts', { token: await tok('champion-a1'), body: contactBody });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const e = await t.api('POST', `/contacts/${c.body.id}/escalations`, { token: await tok('champion-a1'), body: { reason, consent: 'yes' } });
  expect(e.status, JSON.stringify(e.body)).toBe(201);
  return { contact: c.body as { id: string; contactReference: string }, escalation: e.body as { id: string; version: number; priority: string; triageDueAt: string } };
}

const assess = async (id: string, body: Record<string, unknown>, user = 'supervisor-a') =>
  t.api('PUT', `/escalations/${id}/risk-assessment`, { token: await tok(user), body });
const move = async (id: string, body: Record<string, unknown>) =>
  t.api('POST', `/escalations/${id}/transitions`, { token: await tok('supervisor-a'), body });

/** Triage and refer to MARAC; the reply of the referral. */
async function referToMarac(id: string, version: number, referredOn = ukToday()) {
  const triaged = await move(id, { to: 'triaged', version, targetServiceKind: 'marac' });
  expect(triaged.status, JSON.stringify(triaged.body)).toBe(200);
  const referred = await move(id, { to: 'referred', version: triaged.body.version, serviceId: 'service-marac', referredOn });
  expect(referred.status, JSON.stringify(referred.body)).toBe(200);
  return referred.body;
}

describe('the DASH checklist at triage', () => {
  it('14 "yes" is high risk: MARAC recommended, priority immediate, triage brought forward, stored, versioned and audited without values', async () => {
    const { escalation } = await raised();
    expect(escalation.priority).toBe('standard');
    const res = await assess(escalation.id, { version: escalation.version, answers: answers(14), ...plain });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.riskAssessment).toMatchObject({ score: 14, level: 'high', recommendedStep: 'marac', highRiskBecause: ['visible_high_risk'], repeatMarac: false });
    expect(res.body).toMatchObject({ priority: 'immediate', version: escalation.version + 1 });
    expect(Date.parse(res.body.triageDueAt)).toBeLessThan(Date.parse(escalation.triageDueAt));
    expect(Date.parse(res.body.triageDueAt) - Date.now()).toBeLessThanOrEqual(3_600_000);

    const item = (await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.escalation(escalation.id), ConsistentRead: true }))).Item!;
    expect(item['riskAssessment']).toMatchObject({ score: 14, answers: answers(14) });
    // It now sits in the team's open list as immediate.
    expect(item['gsi1sk']).toBe(keys.openEscalationsOfTeam('team-a', 0, item['raisedAt'] as string, escalation.id).gsi1sk);
    const events = await auditEventsFor(t, 'escalation', escalation.id);
    const event = events.find((e) => e['action'] === 'escalations.assessRisk');
    expect(event?.['changedFields']).toEqual(expect.arrayContaining(['riskAssessment', 'priority', 'triageDueAt']));
    expect(JSON.stringify(event)).not.toContain('visible_high_risk');
  });

  it('13 "yes" is medium (a standard concern becomes high); all "not known" is standard and changes nothing but the record', async () => {
    const medium = await raised();
    const m = await assess(medium.escalation.id, { version: 1, answers: answers(13), ...plain });
    expect(m.body).toMatchObject({ priority: 'high', riskAssessment: { score: 13, level: 'medium', recommendedStep: 'specialist_support' } });
    const unknown = await raised();
    const u = await assess(unknown.escalation.id, { version: 1, answers: answers(0, 24), ...plain });
    expect(u.body).toMatchObject({ priority: 'standard', triageDueAt: unknown.escalation.triageDueAt, riskAssessment: { score: 0, notKnown: 24, level: 'standard' } });
  });

  it('professional judgement or potential escalation makes it high below 14; judgement needs a listed reason', async () => {
    const { escalation } = await raised();
    const noReason = await assess(escalation.id, { version: 1, answers: answers(4), professionalJudgement: true, potentialEscalation: false });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body)).toContain('professionalJudgementReason');
    const judged = await assess(escalation.id, { version: 1, answers: answers(4), professionalJudgement: true, professionalJudgementReason: 'information_from_another_agency', potentialEscalation: false });
    expect(judged.body.riskAssessment).toMatchObject({ level: 'high', highRiskBecause: ['professional_judgement'] });
    const again = await assess(escalation.id, { version: judged.body.version, answers: answers(2), professionalJudgement: false, potentialEscalation: true });
    expect(again.body.riskAssessment).toMatchObject({ score: 2, level: 'high', highRiskBecause: ['potential_escalation'] });
  });

  it('a stale version is a 409 and nothing changes; a hate crime concern takes no DASH checklist', async () => {
    const { escalation } = await raised();
    const stale = await assess(escalation.id, { version: 7, answers: answers(20), ...plain });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ currentVersion: 1 });
    const hate = await raised(hateCrimeContact(), 'wants_to_report_hate_crime');
    const refused = await assess(hate.escalation.id, { version: 1, answers: answers(20), ...plain });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toMatch(/domestic abuse/);
  });

  it('only the team\'s supervisors assess; champions never see the answers; commissioners see no escalation', async () => {
    const { escalation } = await raised();
    expect((await assess(escalation.id, { version: 1, answers: answers(14), ...plain }, 'champion-a1')).status).toBe(403);
    expect((await assess(escalation.id, { version: 1, answers: answers(14), ...plain }, 'commissioner')).status).toBe(403);
    expect((await assess(escalation.id, { version: 1, answers: answers(14), ...plain }, 'supervisor-b')).status).toBe(404);
    expect((await assess(escalation.id, { version: 1, answers: answers(14), ...plain }, 'admin')).status).toBe(403);
    expect((await assess(escalation.id, { version: 1, answers: answers(14), ...plain })).status).toBe(200);
    const asChampion = await t.api('GET', `/escalations/${escalation.id}`, { token: await tok('champion-a1') });
    expect(asChampion.status).toBe(200);
    expect(JSON.stringify(asChampion.body)).not.toMatch(/riskAssessment|answers|score|marac/i);
    const list = await t.api('GET', '/escalations', { token: await tok('champion-a1') });
    expect(JSON.stringify(list.body)).not.toMatch(/riskAssessment/);
    expect((await t.api('GET', `/escalations/${escalation.id}`, { token: await tok('commissioner') })).status).toBe(403);
    const asSupervisor = await t.api('GET', `/escalations/${escalation.id}`, { token: await tok('supervisor-a') });
    expect(asSupervisor.body.riskAssessment.score).toBe(14);
  });
});

describe('MARAC', () => {
  it('a referral goes to the next meeting on the cycle; a second within 12 months under the same reference is a repeat MARAC, flagged at triage', async () => {
    const first = await raised();
    const high = await assess(first.escalation.id, { version: 1, answers: answers(15), ...plain });
    expect(high.body.riskAssessment.repeatMarac).toBe(false);
    const referred = await referToMarac(first.escalation.id, high.body.version);
    expect(referred).toMatchObject({ referredServiceKind: 'marac', repeatMarac: false });
    expect(referred.maracMeetingDate >= ukToday()).toBe(true);
    expect(new Date(`${referred.maracMeetingDate}T00:00:00Z`).getUTCDay()).toBe(4);

    // The same person comes back (same reference card): the new concern's assessment flags a repeat MARAC.
    const second = await raised(validContact({ contactReference: first.contact.contactReference }));
    const again = await assess(second.escalation.id, { version: 1, answers: answers(16), ...plain });
    expect(again.body.riskAssessment).toMatchObject({ level: 'high', repeatMarac: true });
    const secondReferral = await referToMarac(second.escalation.id, again.body.version);
    expect(secondReferral.repeatMarac).toBe(true);

    // Another person's first referral is not a repeat.
    const other = await raised();
    const otherAssessed = await assess(other.escalation.id, { version: 1, answers: answers(14), ...plain });
    expect(otherAssessed.body.riskAssessment.repeatMarac).toBe(false);
  });

  it('records the MARAC outcome, and refuses a meeting date or MARAC outcome for another service', async () => {
    const { escalation } = await raised();
    const referred = await referToMarac(escalation.id, 1);
    const outcome = await move(escalation.id, { to: 'outcome_recorded', version: referred.version, outcome: 'accepted_by_service', maracOutcome: 'action_plan_agreed' });
    expect(outcome.status, JSON.stringify(outcome.body)).toBe(200);
    expect(outcome.body.maracOutcome).toBe('action_plan_agreed');

    const idva = await raised();
    const triaged = await move(idva.escalation.id, { to: 'triaged', version: 1, targetServiceKind: 'idva' });
    const badDate = await move(idva.escalation.id, { to: 'referred', version: triaged.body.version, serviceId: 'service-idva', referredOn: ukToday(), maracMeetingDate: ukToday() });
    expect(badDate.status).toBe(400);
    expect(JSON.stringify(badDate.body)).toContain('maracMeetingDate');
    const ok = await move(idva.escalation.id, { to: 'referred', version: triaged.body.version, serviceId: 'service-idva', referredOn: ukToday() });
    const badOutcome = await move(idva.escalation.id, { to: 'outcome_recorded', version: ok.body.version, outcome: 'accepted_by_service', maracOutcome: 'action_plan_agreed' });
    expect(badOutcome.status).toBe(400);
    expect(JSON.stringify(badOutcome.body)).toContain('maracOutcome');
  });
});

describe('risk at triage in the reports', () => {
  const cells = async (period: 'month' | 'quarter') => {
    const month = ukToday().slice(0, 7);
    const res = await t.api('GET', `/reports/metrics?from=${month}&to=${month}&period=${period}&metrics=risk_at_triage&unsuppressed=true`, { token: await tok('admin') });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.metrics[0].periods.at(-1).rows[0].cells ?? {}) as Record<string, number>;
  };

  it('counts high-risk assessments, MARAC referrals and repeat MARACs through the stream, and the counters reconcile with the source', async () => {
    await t.env.drainStreams();
    const before = await cells('quarter');
    const first = await raised();
    const a = await assess(first.escalation.id, { version: 1, answers: answers(14), ...plain });
    await referToMarac(first.escalation.id, a.body.version);
    const second = await raised(validContact({ contactReference: first.contact.contactReference }));
    const b = await assess(second.escalation.id, { version: 1, answers: answers(3), professionalJudgement: false, potentialEscalation: true });
    await referToMarac(second.escalation.id, b.body.version);
    const medium = await raised();
    await assess(medium.escalation.id, { version: 1, answers: answers(11), ...plain });
    await t.env.drainStreams();
    const after = await cells('quarter');
    const delta = (series: string) => (after[series] ?? 0) - (before[series] ?? 0);
    expect([delta('high_risk'), delta('marac_referral'), delta('repeat_marac')]).toEqual([2, 2, 1]);
    const report = await reconcile(t.db, { caseTable: t.env.tableNames.Case, aggregatesTable: t.env.tableNames.Aggregates });
    expect(report.differences).toEqual([]);
  });

  it('commissioners get the figures only under disclosure control', async () => {
    const month = ukToday().slice(0, 7);
    const res = await t.api('GET', `/reports/metrics?from=${month}&to=${month}&metrics=risk_at_triage&breakdown=team`, { token: await tok('commissioner') });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await t.api('GET', `/reports/metrics?from=${month}&to=${month}&metrics=risk_at_triage&unsuppressed=true`, { token: await tok('commissioner') })).status).toBe(403);
    for (const row of res.body.metrics[0].periods[0].rows as Array<{ cells: Record<string, unknown> }>) {
      for (const v of Object.values(row.cells)) if (typeof v === 'number') expect(v === 0 || v > 7).toBe(true);
    }
  });
});
