import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../shared/domain/dates';
import { keys } from '../../shared/store/keys';
import { checkTrainingGate } from '../../shared/store/training-store';
import { findDemoUser } from '../../infra/local/demo-users';
import { useTestEnvironment } from '../support/environment';
import { auditEventsFor, completionExpiringOn, newIdentity, today } from '../support/training';

const t = useTestEnvironment();
const tok = (user: string) => t.tokenFor(user);
const ids = (items: { id: string }[]) => items.map((x) => x.id);

/** The team a champion added by `user` joins: the one an admin names, or the supervisor's. */
const teamFor = (user: string, body: Record<string, unknown>) => (typeof body['teamId'] === 'string' ? body['teamId'] : user.endsWith('-b') ? 'team-b' : 'team-a');

async function addChampion(user: string, body: Record<string, unknown> = {}) {
  const res = await t.api('POST', '/champions', {
    token: await tok(user),
    body: { displayName: 'Test Champion', organisationId: 'org-demo-central-mosque', strands: ['dasv'], identity: newIdentity(teamFor(user, body)), ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function completions(championId: string) {
  const res = await t.db.send(
    new QueryCommand({
      TableName: t.env.tableNames.Case,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': keys.champion(championId).pk, ':p': 'TRAINING#' },
      ConsistentRead: true,
    }),
  );
  return res.Items ?? [];
}

async function newCourse(validityMonths: number, strands: string[] = ['dasv']) {
  const res = await t.api('POST', '/courses', {
    token: await tok('admin'),
    body: { title: `Course ${newIdentity()}`, strands, validityMonths },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

describe('a supervisor and their team', () => {
  it('sees every champion of the team, by name, with training status per strand', async () => {
    const res = await t.api('GET', '/champions?limit=100&teamId=team-a', { token: await tok('supervisor-a') });
    expect(res.status).toBe(200);
    const seeded = res.body.items.filter((c: { id: string }) => c.id.startsWith('champion-demo-'));
    expect(ids(seeded).sort()).toEqual(['champion-demo-a1', 'champion-demo-a2', 'champion-demo-a3', 'champion-demo-a4', 'champion-demo-a5', 'champion-demo-a6']);
    expect(res.body.items.every((c: { teamId: string }) => c.teamId === 'team-a')).toBe(true);
    const names = res.body.items.map((c: { displayName: string }) => c.displayName.toLowerCase());
    expect(names).toEqual([...names].sort());
    const a1 = res.body.items.find((c: { id: string }) => c.id === 'champion-demo-a1');
    expect(a1.trainingStatus).toEqual([
      expect.objectContaining({ strand: 'dasv', status: 'current' }),
      expect.objectContaining({ strand: 'hate_crime', status: 'expiring' }),
    ]);
    const statuses = new Set(seeded.flatMap((c: { trainingStatus: { status: string }[] }) => c.trainingStatus.map((s) => s.status)));
    expect([...statuses].sort()).toEqual(['current', 'expiring', 'lapsed', 'never_trained']);
    expect(res.body.asOf).toBe(today());
  });

  it('pages through the team with a cursor, without repeats or gaps', async () => {
    const token = await tok('supervisor-b');
    const all = await t.api('GET', '/champions?limit=100', { token });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await t.api(
        'GET',
        `/champions?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      );
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...ids(res.body.items));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids(all.body.items));
    expect(seen.length).toBeGreaterThanOrEqual(6);
  });

  it('filters by champion status, strand and training status, paginating the filtered list', async () => {
    const token = await tok('supervisor-a');
    const suspended = await t.api('GET', '/champions?status=suspended', { token });
    expect(ids(suspended.body.items)).toEqual(['champion-demo-a6']);
    const never = await t.api('GET', '/champions?trainingStatus=never_trained&strand=hate_crime', { token });
    expect(ids(never.body.items)).toContain('champion-demo-a4');
    expect(ids(never.body.items)).not.toContain('champion-demo-a1');
    const lapsedDasv = await t.api('GET', '/champions?trainingStatus=lapsed&strand=dasv', { token });
    expect(ids(lapsedDasv.body.items)).toEqual(['champion-demo-a2']);
    const hate = await t.api('GET', '/champions?strand=hate_crime&limit=100', { token });
    for (const c of hate.body.items) expect(c.strands).toContain('hate_crime');
    expect(ids(hate.body.items)).not.toContain('champion-demo-a3');

    const firstPage = await t.api('GET', '/champions?strand=dasv&limit=1', { token });
    expect(firstPage.body.items).toHaveLength(1);
    expect(firstPage.body.nextCursor).toEqual(expect.any(String));
    const rest = await t.api('GET', `/champions?strand=dasv&limit=100&cursor=${firstPage.body.nextCursor}`, { token });
    expect(ids(rest.body.items)).not.toContain(firstPage.body.items[0].id);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('audits the list read', async () => {
    const res = await t.api('GET', '/champions', { token: await tok('supervisor-b') });
    const events = await auditEventsFor(t, 'team', 'team-b');
    expect(events.filter((e) => e['requestId'] === res.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({ action: 'champions.list', outcome: 'success', teamId: 'team-b' }),
    ]);
  });

  it('adds a champion to their own team, with its audit event and identity guard', async () => {
    const identity = newIdentity();
    const champion = await addChampion('supervisor-a', { displayName: 'Noor Q.', strands: ['dasv', 'hate_crime'], languages: ['English', 'Farsi'], identity });
    expect(champion).toMatchObject({
      teamId: 'team-a',
      status: 'active',
      version: 1,
      identity,
      qualifiedStrands: [],
      trainingStatus: [
        { strand: 'dasv', status: 'never_trained', expiresOn: null, courseId: null },
        { strand: 'hate_crime', status: 'never_trained', expiresOn: null, courseId: null },
      ],
    });
    const events = await auditEventsFor(t, 'champion', champion.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'champions.create', teamId: 'team-a', actor: { role: 'supervisor' } });
    expect(JSON.stringify(events[0])).not.toContain('Noor');
    const guard = await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.championIdentity(identity), ConsistentRead: true }));
    expect(guard.Item?.['championId']).toBe(champion.id);
  });

  it('suspends and reactivates a champion at the version read; a stale version is 409 with the current one', async () => {
    const token = await tok('supervisor-a');
    const course = await newCourse(12);
    const champion = await addChampion('supervisor-a');
    await t.api('POST', `/champions/${champion.id}/training`, {
      token,
      body: { courseId: course.id, completedOn: addMonths(today(), -1), deliveredBy: 'Trainer' },
    });
    const suspended = await t.api('PATCH', `/champions/${champion.id}`, { token, body: { version: 1, status: 'suspended' } });
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', version: 2, qualifiedStrands: [] });
    expect(suspended.body.trainingStatus[0].status).toBe('current');

    const stale = await t.api('PATCH', `/champions/${champion.id}`, { token, body: { version: 1, status: 'active' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ field: 'version', currentVersion: 2 });
    expect((await t.api('GET', `/champions/${champion.id}`, { token })).body.status).toBe('suspended');

    const back = await t.api('PATCH', `/champions/${champion.id}`, { token, body: { version: 2, status: 'active', displayName: 'Renamed Champion' } });
    expect(back.body).toMatchObject({ status: 'active', version: 3, displayName: 'Renamed Champion', qualifiedStrands: ['dasv'] });
    const events = await auditEventsFor(t, 'champion', champion.id);
    expect(events.filter((e) => e['action'] === 'champions.update').map((e) => e['changedFields'])).toEqual(
      expect.arrayContaining([['status'], ['displayName', 'status']]),
    );
  });

  it('answers 400 for a PATCH without a version or change, or to an unknown organisation; nothing changes', async () => {
    const token = await tok('supervisor-a');
    const champion = await addChampion('supervisor-a');
    const noVersion = await t.api('PATCH', `/champions/${champion.id}`, { token, body: { status: 'suspended' } });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.issues.map((i: { path: string }) => i.path)).toContain('version');
    expect((await t.api('PATCH', `/champions/${champion.id}`, { token, body: { version: 1 } })).status).toBe(400);
    const org = await t.api('PATCH', `/champions/${champion.id}`, { token, body: { version: 1, organisationId: 'org-nowhere' } });
    expect(org.status).toBe(400);
    expect(org.body.issues[0].path).toBe('organisationId');
    expect((await t.api('GET', `/champions/${champion.id}`, { token })).body).toMatchObject({ version: 1, organisationId: 'org-demo-central-mosque' });
  });
});

describe('bad input when adding a champion: 400 or 409 naming the field, nothing stored', () => {
  it.each([
    ['a duplicate sign-in identity', 'supervisor-a', { identity: '5d2c1a9e-0000-4000-8000-00000000a101' }, 409, 'identity'],
    ['a team that does not exist (admin)', 'admin', { teamId: 'team-nowhere' }, 400, 'teamId'],
    ['no team (admin)', 'admin', {}, 400, 'teamId'],
    ['an unknown organisation', 'supervisor-a', { organisationId: 'org-nowhere' }, 400, 'organisationId'],
    ['no strands', 'supervisor-a', { strands: [] }, 400, 'strands'],
    ['an unknown strand', 'supervisor-a', { strands: ['burglary'] }, 400, 'strands.0'],
    ['an unknown field', 'supervisor-a', { address: '1 High Street' }, 400, 'address'],
  ])('%s', async (_label, user, extra, status, field) => {
    const identity = newIdentity(teamFor(user, extra));
    const res = await t.api('POST', '/champions', {
      token: await tok(user),
      body: { displayName: 'Refused Champion', organisationId: 'org-demo-central-mosque', strands: ['dasv'], identity, ...extra },
    });
    expect(res.status).toBe(status);
    if (status === 409) expect(res.body.field).toBe(field);
    else expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(field);
    const guard = await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.championIdentity(identity), ConsistentRead: true }));
    expect(guard.Item).toBeUndefined();
    const list = await t.api('GET', '/champions?limit=100', { token: await tok('admin') });
    expect(list.body.items.map((c: { displayName: string }) => c.displayName)).not.toContain('Refused Champion');
  });

  it('an admin may name the team', async () => {
    const champion = await addChampion('admin', { teamId: 'team-b' });
    expect(champion.teamId).toBe('team-b');
    const list = await t.api('GET', '/champions?teamId=team-b&limit=100', { token: await tok('admin') });
    expect(ids(list.body.items)).toContain(champion.id);
    expect((await t.api('GET', '/champions?teamId=team-nowhere', { token: await tok('admin') })).status).toBe(404);
  });
});

describe('training completions', () => {
  it('records a completion with expiry derived from the course, and its audit event', async () => {
    const token = await tok('supervisor-a');
    const champion = await addChampion('supervisor-a', { strands: ['dasv', 'hate_crime'] });
    const completedOn = addMonths(today(), -2);
    const res = await t.api('POST', `/champions/${champion.id}/training`, {
      token,
      body: { courseId: 'course-safeguarding-refresher', completedOn, deliveredBy: 'City DASV training team' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      championId: champion.id,
      courseId: 'course-safeguarding-refresher',
      completedOn,
      expiresOn: addMonths(completedOn, 12),
      status: 'current',
      strands: ['dasv', 'hate_crime'],
    });
    const view = await t.api('GET', `/champions/${champion.id}`, { token });
    expect(view.body.qualifiedStrands).toEqual(['dasv', 'hate_crime']);
    const list = await t.api('GET', `/champions/${champion.id}/training`, { token });
    expect(list.body.items).toHaveLength(1);
    const events = await auditEventsFor(t, 'champion', champion.id);
    expect(events.find((e) => e['action'] === 'training.create')).toMatchObject({ changedFields: ['courseId', 'completedOn', 'deliveredBy'], teamId: 'team-a' });
  });

  it('lists completions newest first, filterable by strand and status', async () => {
    const token = await tok('supervisor-a');
    const champion = await addChampion('supervisor-a', { strands: ['dasv', 'hate_crime'] });
    for (const [courseId, completedOn] of [
      ['course-dasv-ambassador', addMonths(today(), -30)],
      ['course-hate-crime-champion', addMonths(today(), -1)],
      ['course-dasv-ambassador', addMonths(today(), -3)],
    ] as const) {
      const res = await t.api('POST', `/champions/${champion.id}/training`, { token, body: { courseId, completedOn, deliveredBy: 'T' } });
      expect(res.status).toBe(201);
    }
    const all = await t.api('GET', `/champions/${champion.id}/training`, { token });
    const dates = all.body.items.map((c: { completedOn: string }) => c.completedOn);
    expect(dates).toEqual([...dates].sort().reverse());
    const lapsed = await t.api('GET', `/champions/${champion.id}/training?status=lapsed`, { token });
    expect(lapsed.body.items.map((c: { completedOn: string }) => c.completedOn)).toEqual([addMonths(today(), -30)]);
    const hate = await t.api('GET', `/champions/${champion.id}/training?strand=hate_crime`, { token });
    expect(hate.body.items.map((c: { courseId: string }) => c.courseId)).toEqual(['course-hate-crime-champion']);
    const page = await t.api('GET', `/champions/${champion.id}/training?strand=dasv&limit=1`, { token });
    const next = await t.api('GET', `/champions/${champion.id}/training?strand=dasv&limit=1&cursor=${page.body.nextCursor}`, { token });
    expect(next.body.items[0].completedOn).toBe(addMonths(today(), -30));
    expect(next.body.nextCursor).toBeNull();
  });

  it.each([
    ['a completion date in the future', { completedOn: 'TOMORROW' }, 400, 'completedOn'],
    ['a date that is not a date', { completedOn: '2024-02-30' }, 400, 'completedOn'],
    ['an unknown course', { courseId: 'course-nowhere' }, 400, 'courseId'],
    ['a course covering none of the champion\'s strands', { courseId: 'course-hate-crime-champion' }, 400, 'courseId'],
    ['a typed-in expiry', { expiresOn: '2030-01-01' }, 400, 'expiresOn'],
  ])('refuses %s, naming the field, and stores nothing', async (_label, extra, status, field) => {
    const champion = await addChampion('supervisor-a', { strands: ['dasv'] });
    const body = { courseId: 'course-dasv-ambassador', completedOn: addMonths(today(), -1), deliveredBy: 'T', ...extra };
    if (body.completedOn === 'TOMORROW') body.completedOn = addDays(today(), 1);
    const res = await t.api('POST', `/champions/${champion.id}/training`, { token: await tok('supervisor-a'), body });
    expect(res.status).toBe(status);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(field);
    expect(await completions(champion.id)).toEqual([]);
    const stored = await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.champion(champion.id), ConsistentRead: true }));
    expect(stored.Item?.['training']).toEqual([]);
  });

  it('stores a retried submission once: the same course on the same date is 409', async () => {
    const token = await tok('supervisor-a');
    const champion = await addChampion('supervisor-a');
    const body = { courseId: 'course-dasv-ambassador', completedOn: addMonths(today(), -1), deliveredBy: 'T' };
    expect((await t.api('POST', `/champions/${champion.id}/training`, { token, body })).status).toBe(201);
    const again = await t.api('POST', `/champions/${champion.id}/training`, { token, body });
    expect(again.status).toBe(409);
    expect(again.body.field).toBe('completedOn');
    expect(await completions(champion.id)).toHaveLength(1);
    const stored = await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.champion(champion.id), ConsistentRead: true }));
    expect(stored.Item?.['training']).toHaveLength(1);
  });
});

describe('the training gate across the boundary dates', () => {
  it('qualifies a champion whose training expires today', async () => {
    const { completedOn, validityMonths } = completionExpiringOn(today());
    const course = await newCourse(validityMonths);
    const champion = await addChampion('supervisor-a');
    const token = await tok('supervisor-a');
    expect((await t.api('POST', `/champions/${champion.id}/training`, { token, body: { courseId: course.id, completedOn, deliveredBy: 'T' } })).status).toBe(201);
    const view = await t.api('GET', `/champions/${champion.id}`, { token });
    expect(view.body.trainingStatus).toEqual([{ strand: 'dasv', status: 'expiring', expiresOn: today(), courseId: course.id }]);
    expect(view.body.qualifiedStrands).toEqual(['dasv']);
    expect(await checkTrainingGate(champion.identity, 'dasv')).toMatchObject({ qualified: true, expiresOn: today() });
  });

  it('does not qualify a champion whose training expired yesterday', async () => {
    const { completedOn, validityMonths } = completionExpiringOn(addDays(today(), -1));
    const course = await newCourse(validityMonths);
    const champion = await addChampion('supervisor-a');
    const token = await tok('supervisor-a');
    expect((await t.api('POST', `/champions/${champion.id}/training`, { token, body: { courseId: course.id, completedOn, deliveredBy: 'T' } })).status).toBe(201);
    const view = await t.api('GET', `/champions/${champion.id}`, { token });
    expect(view.body.trainingStatus).toEqual([{ strand: 'dasv', status: 'lapsed', expiresOn: addDays(today(), -1), courseId: course.id }]);
    expect(view.body.qualifiedStrands).toEqual([]);
    expect(await checkTrainingGate(champion.identity, 'dasv')).toMatchObject({ qualified: false, reason: 'lapsed' });
  });

  it('never qualifies a suspended champion, and qualifies them again once reactivated', async () => {
    const champion = await addChampion('supervisor-a');
    const token = await tok('supervisor-a');
    await t.api('POST', `/champions/${champion.id}/training`, {
      token,
      body: { courseId: 'course-dasv-ambassador', completedOn: today(), deliveredBy: 'T' },
    });
    expect(await checkTrainingGate(champion.identity, 'dasv')).toMatchObject({ qualified: true });
    await t.api('PATCH', `/champions/${champion.id}`, { token, body: { version: 1, status: 'suspended' } });
    expect(await checkTrainingGate(champion.identity, 'dasv')).toMatchObject({ qualified: false, reason: 'suspended' });
    expect((await t.api('GET', `/champions/${champion.id}`, { token })).body.qualifiedStrands).toEqual([]);
    await t.api('PATCH', `/champions/${champion.id}`, { token, body: { version: 2, status: 'active' } });
    expect(await checkTrainingGate(champion.identity, 'dasv')).toMatchObject({ qualified: true });
  });

  it('does not qualify someone with no champion record, nor for a strand not served', async () => {
    expect(await checkTrainingGate('nobody', 'dasv')).toMatchObject({ qualified: false, reason: 'not_a_champion' });
    const sub = findDemoUser('champion-a1')?.sub as string;
    expect(await checkTrainingGate(sub, 'dasv')).toMatchObject({ qualified: true });
  });
});

describe('a champion', () => {
  it('sees their own profile, training and the strands they may log contacts for today', async () => {
    const res = await t.api('GET', '/champions/me', { token: await tok('champion-a1') });
    expect(res.status).toBe(200);
    expect(res.body.champion).toMatchObject({ id: 'champion-demo-a1', teamId: 'team-a', qualifiedStrands: ['dasv', 'hate_crime'] });
    expect(res.body.training.items).toHaveLength(2);
    expect(res.body.mayLogContactsFor.map((s: { strand: string }) => s.strand)).toEqual(['dasv', 'hate_crime']);
    expect(res.body.asOf).toBe(today());
    const events = await auditEventsFor(t, 'champion', 'champion-demo-a1');
    expect(events.filter((e) => e['requestId'] === res.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({ action: 'champions.readSelf', outcome: 'success', actor: expect.objectContaining({ role: 'champion' }) }),
    ]);

    const a2 = await t.api('GET', '/champions/me', { token: await tok('champion-a2') });
    expect(a2.body.champion.trainingStatus).toEqual([
      expect.objectContaining({ strand: 'dasv', status: 'lapsed' }),
      expect.objectContaining({ strand: 'hate_crime', status: 'current' }),
    ]);
    expect(a2.body.mayLogContactsFor.map((s: { strand: string }) => s.strand)).toEqual(['hate_crime']);
  });

  it('reads their own record and training by id, and gets 404 for another champion\'s', async () => {
    const token = await tok('champion-a1');
    expect((await t.api('GET', '/champions/champion-demo-a1', { token })).status).toBe(200);
    expect((await t.api('GET', '/champions/champion-demo-a1/training', { token })).status).toBe(200);
    for (const path of ['/champions/champion-demo-a2', '/champions/champion-demo-a2/training', '/champions/champion-demo-b1']) {
      const res = await t.api('GET', path, { token });
      expect(res.status, path).toBe(404);
      expect(res.body.error).toBe('Champion not found');
    }
    const denied = await auditEventsFor(t, 'champion', 'champion-demo-a2');
    expect(denied.some((e) => e['outcome'] === 'denied' && e['actor']?.['role'] === 'champion')).toBe(true);
  });

  it('may not list, add, change champions or record training (403)', async () => {
    const token = await tok('champion-a1');
    expect((await t.api('GET', '/champions', { token })).status).toBe(403);
    expect((await t.api('POST', '/champions', { token, body: {} })).status).toBe(403);
    expect((await t.api('PATCH', '/champions/champion-demo-a1', { token, body: { version: 1, status: 'active' } })).status).toBe(403);
    const training = await t.api('POST', '/champions/champion-demo-a1/training', {
      token,
      body: { courseId: 'course-dasv-ambassador', completedOn: today(), deliveredBy: 'Me' },
    });
    expect(training.status).toBe(403);
    expect(await completions('champion-demo-a1')).toHaveLength(2);
  });

  it('a supervisor has no /champions/me (403); a user with no champion record gets 404', async () => {
    expect((await t.api('GET', '/champions/me', { token: await tok('supervisor-a') })).status).toBe(403);
    // A champion's account in the directory, with no champion record yet.
    const stranger = await t.tokenFor('champion-a1', { sub: newIdentity('team-a') });
    expect((await t.api('GET', '/champions/me', { token: stranger })).status).toBe(404);
  });
});

describe('across teams', () => {
  it('a supervisor acting on another team\'s champion gets 404, and nothing changes', async () => {
    const token = await tok('supervisor-b');
    const id = 'champion-demo-a1';
    for (const [method, path, body] of [
      ['GET', `/champions/${id}`, undefined],
      ['PATCH', `/champions/${id}`, { version: 1, status: 'suspended' }],
      ['GET', `/champions/${id}/training`, undefined],
      ['POST', `/champions/${id}/training`, { courseId: 'course-dasv-ambassador', completedOn: today(), deliveredBy: 'B' }],
    ] as const) {
      const res = await t.api(method, path, { token, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error).toBe('Champion not found');
    }
    const unknown = await t.api('GET', '/champions/champion-does-not-exist', { token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('Champion not found');
    const stored = await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.champion(id), ConsistentRead: true }));
    expect(stored.Item).toMatchObject({ status: 'active' });
    expect(await completions(id)).toHaveLength(2);
  });

  it('a supervisor may neither list nor add to another team (404), and sees none of its champions', async () => {
    const token = await tok('supervisor-b');
    expect((await t.api('GET', '/champions?teamId=team-a', { token })).status).toBe(404);
    const identity = newIdentity();
    const res = await t.api('POST', '/champions', {
      token,
      body: { displayName: 'Wrong team', organisationId: 'org-demo-central-mosque', strands: ['dasv'], identity, teamId: 'team-a' },
    });
    expect(res.status).toBe(404);
    const guard = await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.championIdentity(identity), ConsistentRead: true }));
    expect(guard.Item).toBeUndefined();
    const own = await t.api('GET', '/champions?limit=100', { token });
    expect(own.body.items.every((c: { teamId: string }) => c.teamId === 'team-b')).toBe(true);
  });

  it('an admin sees every team\'s champions', async () => {
    const res = await t.api('GET', '/champions?limit=100', { token: await tok('admin') });
    const teams = new Set(res.body.items.map((c: { teamId: string }) => c.teamId));
    expect([...teams].sort()).toEqual(['team-a', 'team-b']);
    expect(res.body.items.filter((c: { id: string }) => c.id.startsWith('champion-demo-'))).toHaveLength(12);
  });
});

describe('a commissioner', () => {
  it('gets 403 on every champion and training route', async () => {
    const token = await tok('commissioner');
    for (const [method, path] of [
      ['GET', '/champions'],
      ['POST', '/champions'],
      ['GET', '/champions/me'],
      ['GET', '/champions/champion-demo-a1'],
      ['PATCH', '/champions/champion-demo-a1'],
      ['GET', '/champions/champion-demo-a1/training'],
      ['POST', '/champions/champion-demo-a1/training'],
    ] as const) {
      const res = await t.api(method, path, { token, ...(method === 'GET' ? {} : { body: {} }) });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });
});
