import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { addMonths } from '../../shared/domain/dates';
import { keys } from '../../shared/store/keys';
import { useTestEnvironment } from '../support/environment';
import { auditEventsFor, newIdentity, today } from '../support/training';

const t = useTestEnvironment();
const admin = () => t.tokenFor('admin');

async function newCourse(body: Record<string, unknown>) {
  const res = await t.api('POST', '/courses', { token: await admin(), body });
  expect(res.status).toBe(201);
  return res.body;
}

describe('GET /courses', () => {
  it('lists the seeded catalogue by title, to every role, filterable by strand', async () => {
    const res = await t.api('GET', '/courses?limit=100', { token: await t.tokenFor('champion-a1') });
    expect(res.status).toBe(200);
    const ids = res.body.items.map((c: { id: string }) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining(['course-dasv-ambassador', 'course-hate-crime-champion', 'course-safeguarding-refresher', 'course-combined-induction']),
    );
    const titles = res.body.items.map((c: { title: string }) => c.title.toLowerCase());
    expect(titles).toEqual([...titles].sort());

    const hate = await t.api('GET', '/courses?strand=hate_crime&limit=100', { token: await t.tokenFor('commissioner') });
    expect(hate.status).toBe(200);
    const hateIds = hate.body.items.map((c: { id: string }) => c.id);
    expect(hateIds).toContain('course-hate-crime-champion');
    expect(hateIds).toContain('course-combined-induction');
    expect(hateIds).not.toContain('course-dasv-ambassador');
  });

  it('pages with a cursor, filtered or not', async () => {
    const token = await admin();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.api(
        'GET',
        `/courses?strand=dasv&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      );
      expect(res.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...res.body.items.map((c) => c.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(['course-dasv-ambassador', 'course-safeguarding-refresher', 'course-combined-induction']));
    expect(seen).not.toContain('course-hate-crime-champion');
  });

  it('refuses an unknown strand filter, naming it', async () => {
    const res = await t.api('GET', '/courses?strand=burglary', { token: await admin() });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe('query.strand');
  });
});

describe('POST /courses', () => {
  it('adds a course with its audit event (admin)', async () => {
    const course = await newCourse({ title: 'Forced marriage awareness', strands: ['dasv'], validityMonths: 18 });
    expect(course).toMatchObject({ title: 'Forced marriage awareness', strands: ['dasv'], validityMonths: 18, version: 1 });
    const events = await auditEventsFor(t, 'course', course.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'courses.create', outcome: 'success', changedFields: ['title', 'strands', 'validityMonths'] });
  });

  it('is refused to supervisors and commissioners', async () => {
    for (const user of ['supervisor-a', 'commissioner', 'champion-a1']) {
      const res = await t.api('POST', '/courses', { token: await t.tokenFor(user), body: { title: `By ${user}`, strands: ['dasv'], validityMonths: 12 } });
      expect(res.status, user).toBe(403);
    }
  });

  it.each([
    [{ title: 'No strands', strands: [], validityMonths: 12 }, 'strands'],
    [{ title: 'Bad strand', strands: ['burglary'], validityMonths: 12 }, 'strands.0'],
    [{ title: 'Repeated strand', strands: ['dasv', 'dasv'], validityMonths: 12 }, 'strands'],
    [{ title: 'Zero months', strands: ['dasv'], validityMonths: 0 }, 'validityMonths'],
    [{ title: 'Typed expiry', strands: ['dasv'], validityMonths: 12, expiresOn: '2030-01-01' }, 'expiresOn'],
  ])('answers 400 naming the field for %j, and stores nothing', async (body, path) => {
    const res = await t.api('POST', '/courses', { token: await admin(), body });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(path);
    const guard = await t.db.send(new GetCommand({ TableName: t.env.tableNames.Case, Key: keys.courseTitle(body.title), ConsistentRead: true }));
    expect(guard.Item).toBeUndefined();
  });

  it('answers 409 for a title already in the catalogue', async () => {
    const res = await t.api('POST', '/courses', {
      token: await admin(),
      body: { title: 'safeguarding REFRESHER', strands: ['dasv'], validityMonths: 12 },
    });
    expect(res.status).toBe(409);
    expect(res.body.field).toBe('title');
  });
});

describe('PATCH /courses/{id}', () => {
  it('changes expiry for every completion of the course, going forward, and says so', async () => {
    const course = await newCourse({ title: 'Validity change course', strands: ['dasv'], validityMonths: 12 });
    const supervisor = await t.tokenFor('supervisor-a');
    const champion = await t.api('POST', '/champions', {
      token: supervisor,
      body: { displayName: 'Validity Test', organisationId: 'org-demo-st-marys', strands: ['dasv'], identity: newIdentity() },
    });
    expect(champion.status).toBe(201);
    const completedOn = addMonths(today(), -13);
    const recorded = await t.api('POST', `/champions/${champion.body.id}/training`, {
      token: supervisor,
      body: { courseId: course.id, completedOn, deliveredBy: 'Trainer' },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ status: 'lapsed', expiresOn: addMonths(completedOn, 12) });

    const res = await t.api('PATCH', `/courses/${course.id}`, { token: await admin(), body: { version: 1, validityMonths: 24 } });
    expect(res.status).toBe(200);
    expect(res.body.course).toMatchObject({ validityMonths: 24, version: 2 });
    expect(res.body.completions).toBe(1);
    expect(res.body.effect).toMatch(/1 completion .*24 months \(was 12\)/);

    const training = await t.api('GET', `/champions/${champion.body.id}/training`, { token: supervisor });
    expect(training.body.items[0]).toMatchObject({ courseId: course.id, expiresOn: addMonths(completedOn, 24), status: 'current' });
    const view = await t.api('GET', `/champions/${champion.body.id}`, { token: supervisor });
    expect(view.body.qualifiedStrands).toEqual(['dasv']);

    // Nothing was rewritten: the completion holds only its course and date.
    const stored = await t.db.send(
      new QueryCommand({
        TableName: t.env.tableNames.Case,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.champion(champion.body.id).pk, ':p': 'TRAINING#' },
        ConsistentRead: true,
      }),
    );
    expect(stored.Items).toHaveLength(1);
    expect(stored.Items?.[0]).not.toHaveProperty('expiresOn');

    const events = await auditEventsFor(t, 'course', course.id);
    expect(events.map((e) => e['action'])).toContain('courses.update');
    expect(events.find((e) => e['action'] === 'courses.update')?.['changedFields']).toEqual(['validityMonths']);
  });

  it('answers 409 with the current version for a stale version, and changes nothing', async () => {
    const course = await newCourse({ title: 'Stale version course', strands: ['hate_crime'], validityMonths: 12 });
    const token = await admin();
    expect((await t.api('PATCH', `/courses/${course.id}`, { token, body: { version: 1, title: 'Stale version course (2)' } })).status).toBe(200);
    const stale = await t.api('PATCH', `/courses/${course.id}`, { token, body: { version: 1, validityMonths: 36 } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ field: 'version', currentVersion: 2 });
    const list = await t.api('GET', '/courses?limit=100', { token });
    expect(list.body.items.find((c: { id: string }) => c.id === course.id)).toMatchObject({ validityMonths: 12, version: 2 });
  });

  it('moves the title guard on a rename: the old title is free again, a taken one is 409', async () => {
    const course = await newCourse({ title: 'Rename me', strands: ['dasv'], validityMonths: 12 });
    const token = await admin();
    const taken = await t.api('PATCH', `/courses/${course.id}`, { token, body: { version: 1, title: 'Safeguarding refresher' } });
    expect(taken.status).toBe(409);
    expect(taken.body.field).toBe('title');
    const renamed = await t.api('PATCH', `/courses/${course.id}`, { token, body: { version: 1, title: 'Renamed' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.effect).toMatch(/No change/);
    expect((await t.api('POST', '/courses', { token, body: { title: 'Rename me', strands: ['dasv'], validityMonths: 6 } })).status).toBe(201);
    expect((await t.api('POST', '/courses', { token, body: { title: 'renamed', strands: ['dasv'], validityMonths: 6 } })).status).toBe(409);
  });

  it('answers 404 for an unknown course, 400 for an empty change, 403 to a supervisor', async () => {
    const token = await admin();
    expect((await t.api('PATCH', '/courses/course-nope', { token, body: { version: 1, validityMonths: 6 } })).status).toBe(404);
    const empty = await t.api('PATCH', '/courses/course-dasv-ambassador', { token, body: { version: 1 } });
    expect(empty.status).toBe(400);
    const noVersion = await t.api('PATCH', '/courses/course-dasv-ambassador', { token, body: { validityMonths: 6 } });
    expect(noVersion.body.issues.map((i: { path: string }) => i.path)).toContain('version');
    const supervisor = await t.api('PATCH', '/courses/course-dasv-ambassador', {
      token: await t.tokenFor('supervisor-a'),
      body: { version: 1, validityMonths: 6 },
    });
    expect(supervisor.status).toBe(403);
  });
});

describe('organisations', () => {
  it('an admin adds one with a kind and neighbourhood; every role may list them; an address is refused', async () => {
    const token = await admin();
    const res = await t.api('POST', '/organisations', { token, body: { name: 'Hope Chapel', kind: 'church', neighbourhood: 'Hillside' } });
    expect(res.status).toBe(201);
    expect((await auditEventsFor(t, 'organisation', res.body.id))[0]).toMatchObject({ action: 'organisations.create' });
    const dup = await t.api('POST', '/organisations', { token, body: { name: 'hope chapel', kind: 'church', neighbourhood: 'hillside' } });
    expect(dup.status).toBe(409);
    expect(dup.body.field).toBe('name');
    const address = await t.api('POST', '/organisations', { token, body: { name: 'Somewhere', kind: 'other', neighbourhood: '14 Elm Road' } });
    expect(address.status).toBe(400);
    expect(address.body.issues[0].path).toBe('neighbourhood');
    expect((await t.api('POST', '/organisations', { token: await t.tokenFor('supervisor-a'), body: { name: 'X', kind: 'other', neighbourhood: 'Y' } })).status).toBe(403);

    const churches = await t.api('GET', '/organisations?kind=church&limit=100', { token: await t.tokenFor('supervisor-b') });
    expect(churches.status).toBe(200);
    expect(churches.body.items.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['Hope Chapel', "St Mary's Church"]));
    expect(churches.body.items.every((o: { kind: string }) => o.kind === 'church')).toBe(true);
  });
});
