import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../scripts/reports-rebuild';
import { migrateCommunities } from '../../scripts/community-migrate';
import { keys } from '../../shared/store/keys';
import { supportSessionBody } from '../reliability/fixtures';
import { daysAgo, ukToday, validContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';

/**
 * `npm run contacts:migrate-community` against DynamoDB Local: contacts in the old shape (a free-text
 * `demographics.community`), a dry run that writes nothing, an interrupted run resumed, a second run that changes
 * nothing, and the figures following through the stream (a text that is exactly a category becomes that ethnic group).
 */
const t = useTestEnvironment();
const caseTable = () => t.env.tableNames.Case;
const month = () => ukToday().slice(0, 7);

/** A contact logged through the API, then given the old shape: free text in `demographics.community`. */
async function legacyContact(community: string, demographics: Record<string, unknown> = { gender: 'woman' }): Promise<string> {
  const res = await t.api('POST', '/contacts', { token: await t.tokenFor('champion-a1'), body: validContact({ demographics }) });
  expect(res.status, res.text).toBe(201);
  await t.db.send(
    new UpdateCommand({ TableName: caseTable(), Key: keys.contact(res.body.id), UpdateExpression: 'SET demographics.community = :c', ExpressionAttributeValues: { ':c': community } }),
  );
  return res.body.id as string;
}

const contactOf = async (id: string) => (await t.db.send(new GetCommand({ TableName: caseTable(), Key: keys.contact(id), ConsistentRead: true }))).Item!;

/** A figure of this month as counted (admin, unsuppressed): overall, or one row of a breakdown. */
async function monthFigure(metric: string, breakdown = 'none', value = '*'): Promise<number> {
  const res = await t.api('GET', `/reports/metrics?from=${month()}&to=${month()}&metrics=${metric}&breakdown=${breakdown}&unsuppressed=true`, { token: await t.tokenFor('admin') });
  expect(res.status, res.text).toBe(200);
  const row = res.body.metrics[0].periods[0].rows.find((r: { value: string }) => r.value === value);
  return row ? (row.total ?? row.cells.count) : 0;
}
const ethnicGroupFigure = (value: string) => monthFigure('contacts', 'ethnicGroup', value);

describe('migrating the free-text community', () => {
  it('a dry run by default; with --apply, resumable and idempotent: the text removed, an exact category kept as the ethnic group, nothing else inferred', async () => {
    const named = await legacyContact('Zainab Rahman, zainab@example.com'); // anything a person typed
    const word = await legacyContact('Somali'); // a word, not a category: not guessed
    const exact = await legacyContact('  white: IRISH ', { gender: 'woman' }); // exactly a category's label
    const byValue = await legacyContact('other_arab', { gender: 'man' });
    const alreadyHas = await legacyContact('White: Irish', { gender: 'woman', ethnicGroup: 'black_african' }); // the recorded group stands
    const untouched = (await t.api('POST', '/contacts', { token: await t.tokenFor('champion-a1'), body: validContact() })).body.id as string;
    await t.env.drainStreams();
    const irish0 = await ethnicGroupFigure('white_irish');
    const versions = new Map(await Promise.all([named, word, exact, byValue, alreadyHas, untouched].map(async (id) => [id, Number((await contactOf(id))['version'])] as const)));

    // Dry run (the default): counts only, nothing written, not even progress.
    const dry = await migrateCommunities(t.db, caseTable(), { pageSize: 7 });
    expect(dry).toMatchObject({ dryRun: true, holding: 5, mapped: 2, finished: true });
    expect((await contactOf(named))['demographics']).toMatchObject({ community: 'Zainab Rahman, zainab@example.com' });
    expect((await t.db.send(new GetCommand({ TableName: caseTable(), Key: keys.communityMigration() }))).Item).toBeUndefined();

    // Applied, interrupted after two pages, then resumed from where it got to.
    const first = await migrateCommunities(t.db, caseTable(), { apply: true, pageSize: 7, stopAfterPages: 2 });
    expect(first).toMatchObject({ dryRun: false, finished: false, resumed: false });
    const rest = await migrateCommunities(t.db, caseTable(), { apply: true, pageSize: 7 });
    expect(rest).toMatchObject({ resumed: true, finished: true });
    expect(first.holding + rest.holding).toBe(5);
    expect(rest.progress).toMatchObject({ migrated: 5, mapped: 2 });

    for (const id of [named, word, exact, byValue, alreadyHas]) {
      const item = await contactOf(id);
      expect(item['demographics'], id).not.toHaveProperty('community');
      expect(item['version']).toBe(versions.get(id)! + 1);
    }
    expect((await contactOf(named))['demographics']).toEqual({ gender: 'woman' });
    expect((await contactOf(word))['demographics']).toEqual({ gender: 'woman' });
    expect((await contactOf(exact))['demographics']).toEqual({ gender: 'woman', ethnicGroup: 'white_irish' });
    expect((await contactOf(byValue))['demographics']).toEqual({ gender: 'man', ethnicGroup: 'other_arab' });
    expect((await contactOf(alreadyHas))['demographics']).toEqual({ gender: 'woman', ethnicGroup: 'black_african' });
    expect((await contactOf(untouched))['version']).toBe(versions.get(untouched));

    // Finished: running again does nothing; from the start again, it finds nothing to do.
    expect(await migrateCommunities(t.db, caseTable(), { apply: true })).toMatchObject({ finished: true, scanned: 0, holding: 0 });
    expect(await migrateCommunities(t.db, caseTable(), { apply: true, restart: true })).toMatchObject({ finished: true, holding: 0 });
    expect(await migrateCommunities(t.db, caseTable())).toMatchObject({ dryRun: true, holding: 0 });

    // The figures follow through the stream: the exact category now counts; the counters reconcile.
    await t.env.drainStreams();
    expect(await ethnicGroupFigure('white_irish')).toBe(irish0 + 1);
    expect((await reconcile(t.db, { caseTable: caseTable(), aggregatesTable: t.env.tableNames.Aggregates })).differences).toEqual([]);
    // The case roles no longer see the text either.
    const view = await t.api('GET', `/contacts/${named}`, { token: await t.tokenFor('supervisor-a') });
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.body)).not.toContain('Zainab');
  }, 120_000);

  it('signposting saved without its contact\'s reference is given it, so the person signposted to the support network who came to a session counts', async () => {
    const champion = await t.tokenFor('champion-a1');
    const contact = await t.api('POST', '/contacts', {
      token: champion,
      body: validContact({ demographics: { gender: 'woman' }, contactDate: daysAgo(2), signposting: [{ serviceId: 'service-support-network', mode: 'information_given' }] }),
    });
    expect(contact.status, contact.text).toBe(201);
    const reference = contact.body.contactReference as string;
    const [signposting] = contact.body.signposting as Array<{ id: string }>;
    // The old shape: the signposting item without the reference.
    const key = keys.signposting(contact.body.id, signposting!.id);
    await t.db.send(new UpdateCommand({ TableName: caseTable(), Key: key, UpdateExpression: 'REMOVE contactReference' }));
    const session = await t.api('POST', '/support-sessions', { token: await t.tokenFor('supervisor-a'), body: supportSessionBody({ referencesPresented: [reference] }) });
    expect(session.status, session.text).toBe(201);
    await t.env.drainStreams();
    const before = await monthFigure('signposted_then_attended');

    const dry = await migrateCommunities(t.db, caseTable(), { restart: true });
    expect(dry.unreferenced).toBe(1);
    const applied = await migrateCommunities(t.db, caseTable(), { apply: true, restart: true, pageSize: 5 });
    expect(applied).toMatchObject({ unreferenced: 1, finished: true });
    expect(applied.progress?.referenced).toBe(1);
    const item = (await t.db.send(new GetCommand({ TableName: caseTable(), Key: key, ConsistentRead: true }))).Item!;
    expect(item['contactReference']).toBe(reference);
    await t.env.drainStreams();
    expect(await monthFigure('signposted_then_attended')).toBe(before + 1);
    expect((await reconcile(t.db, { caseTable: caseTable(), aggregatesTable: t.env.tableNames.Aggregates })).differences).toEqual([]);
    // Again: nothing left to give.
    expect(await migrateCommunities(t.db, caseTable(), { apply: true, restart: true })).toMatchObject({ unreferenced: 0 });
  }, 120_000);

  it('a contact corrected between the read and the write is migrated at its new version, not overwritten; the API never takes the field again', async () => {
    const id = await legacyContact('Polish');
    const item = await contactOf(id);
    // New writes can never bring the field back: the API refuses it, naming it.
    const refused = await t.api('PATCH', `/contacts/${id}`, { token: await t.tokenFor('champion-a1'), body: { version: item['version'], demographics: { gender: 'woman', community: 'Polish' } } });
    expect(refused.status).toBe(400);
    expect(refused.body.issues[0].path).toMatch(/^demographics/);
    // Fault injection: just before the migration's first write, someone else corrects the contact (an age band, a new version).
    let raced = false;
    const RACE = 'community-migration-race';
    t.db.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { ConditionExpression?: string };
        if (!raced && String(context.commandName).startsWith('Update') && input.ConditionExpression?.includes('#d.#c')) {
          raced = true;
          await t.db.send(new UpdateCommand({ TableName: caseTable(), Key: keys.contact(id), UpdateExpression: 'SET version = version + :one, demographics.ageBand = :a', ExpressionAttributeValues: { ':one': 1, ':a': '25_34' } }));
        }
        return next(args);
      },
      { step: 'initialize', name: RACE },
    );
    try {
      const report = await migrateCommunities(t.db, caseTable(), { apply: true, restart: true });
      expect(report).toMatchObject({ holding: 1, retried: 1 });
    } finally {
      t.db.middlewareStack.remove(RACE);
    }
    expect(raced).toBe(true);
    const after = await contactOf(id);
    expect(after['demographics']).toEqual({ gender: 'woman', ageBand: '25_34' }); // the correction kept, the text gone
    expect(after['version']).toBe(Number(item['version']) + 2);
  }, 60_000);
});
