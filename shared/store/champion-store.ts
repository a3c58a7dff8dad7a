import { getConfig } from '../config';
import { ulid } from 'ulid';
import { badRequest, conflict, notFound, validationFailed, type HttpError } from '../domain/errors';
import { championRecordSchema, type Champion, type CreateChampion, type UpdateChampion, type UpdateOwnProfile } from '../domain/champions';
import { championIdentityProblem } from '../domain/sign-in-accounts';
import type { RequestScope } from './audit';
import { getItem, pickRecord, putNew, versionedUpdate } from './items';
import { keys } from './keys';
import type { Page, PageQuery } from './pagination';
import { queryAll, queryFilteredPage } from './query';
import { findSignInAccount } from './sign-in-directory';
import { writeWithAudit, type TransactItem } from './transact';

const table = () => getConfig().caseTableName;

/** A stored champion, as its record schema reads it (a champion added before training was summarised has none). */
export function toChampion(item: Record<string, unknown>): Champion {
  const champion = pickRecord<Champion>(championRecordSchema, item);
  return { ...champion, training: champion.training ?? [] };
}

export const staleChampion = (currentVersion: number): HttpError =>
  conflict('This champion was changed by someone else; reload and try again. Nothing was stored.', { field: 'version', currentVersion });

/** A transaction action that holds only if an item exists (a team, an organisation). */
const mustExist = (key: { pk: string; sk: string }): TransactItem => ({
  ConditionCheck: { TableName: table(), Key: key, ConditionExpression: 'attribute_exists(pk)' },
});

const unknownOrganisation = () => badRequest('Unknown organisation', [{ path: 'organisationId', message: 'Select an organisation from the list' }]);

/**
 * What adding a champion to a team writes, for one transaction: the champion, the guard that makes the sign-in
 * identity unique, and checks that the team and the organisation exist; its audit subject; and what each failed
 * condition means. `createChampion` writes it alone; inviting a champion writes it with the account's record.
 */
export function championCreation(id: string, teamId: string, input: Omit<CreateChampion, 'teamId'>, now = new Date()) {
  const at = now.toISOString();
  const champion: Champion = {
    id,
    teamId,
    ...input,
    status: 'active',
    training: [],
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const items: TransactItem[] = [
    putNew(table(), {
      ...keys.champion(id),
      ...keys.championsOfTeam(teamId, input.displayName, id),
      ...keys.allChampions(input.displayName, id),
      type: 'champion',
      ...champion,
    }),
    putNew(table(), { ...keys.championIdentity(input.identity), type: 'championIdentity', championId: id, teamId }),
    mustExist(keys.team(teamId)),
    mustExist(keys.organisation(input.organisationId)),
  ];
  const failures = [
    conflict('A champion with this id already exists', { field: 'id' }),
    conflict('A champion with this sign-in identity already exists', { field: 'identity' }),
    badRequest('Unknown team', [{ path: 'teamId', message: 'Select a team from the list' }]),
    unknownOrganisation(),
  ];
  return {
    champion,
    items,
    audit: { action: 'champions.create', entityType: 'champion', entityId: id, teamId, changedFields: ['teamId', ...Object.keys(input)] },
    onConditionFailed: (index: number): HttpError | undefined => failures[index],
  };
}

/** Adds a champion to a team (`championCreation`), with its audit event, in one transaction. */
export async function createChampion(
  scope: RequestScope,
  id: string,
  teamId: string,
  input: Omit<CreateChampion, 'teamId'>,
  now = new Date(),
): Promise<Champion> {
  const { champion, items, audit, onConditionFailed } = championCreation(id, teamId, input, now);
  await writeWithAudit(scope, { items, audit, onConditionFailed });
  return champion;
}

/**
 * `POST /champions`: a new champion in `teamId`, whose sign-in identity must be an enabled champion's account in
 * that team (`championIdentityProblem`; one message for every refusal).
 */
export async function addChampion(scope: RequestScope, teamId: string, input: Omit<CreateChampion, 'teamId'>): Promise<Champion> {
  const identityProblem = championIdentityProblem(await findSignInAccount(input.identity), teamId);
  if (identityProblem) throw validationFailed([{ path: 'identity', message: identityProblem }]);
  return createChampion(scope, `champion-${ulid().toLowerCase()}`, teamId, input);
}

export async function getChampion(id: string): Promise<Champion | undefined> {
  const item = await getItem<Record<string, unknown>>(table(), keys.champion(id));
  return item ? toChampion(item) : undefined;
}

/** The champion whose sign-in identity this is, through the identity guard. */
export async function getChampionByIdentity(sub: string): Promise<Champion | undefined> {
  const guard = await getItem<{ championId?: string }>(table(), keys.championIdentity(sub));
  return guard?.championId ? getChampion(guard.championId) : undefined;
}

/**
 * Changes a champion at the version the caller read (optimistic concurrency):
 * profile fields, or status to suspend or reactivate. A new organisation must
 * exist. A stale version is a 409 carrying the current version.
 */
export async function updateChampion(scope: RequestScope, before: Champion, input: UpdateChampion, now = new Date()): Promise<Champion> {
  if (before.version !== input.version) throw staleChampion(before.version);
  const { version, ...fields } = input;
  const changes: Record<string, unknown> = {
    ...fields,
    ...(fields.displayName !== undefined
      ? {
          gsi1sk: keys.championsOfTeam(before.teamId, fields.displayName, before.id).gsi1sk,
          gsi2sk: keys.allChampions(fields.displayName, before.id).gsi2sk,
        }
      : {}),
  };
  const items: TransactItem[] = [versionedUpdate(table(), { key: keys.champion(before.id), expectedVersion: version, changes, now }).item];
  if (fields.organisationId !== undefined) items.push(mustExist(keys.organisation(fields.organisationId)));
  const STALE = staleChampion(before.version);
  try {
    await writeWithAudit(scope, {
      items,
      audit: { action: 'champions.update', entityType: 'champion', entityId: before.id, teamId: before.teamId, changedFields: Object.keys(fields) },
      onConditionFailed: (index) => (index === 0 ? STALE : unknownOrganisation()),
    });
  } catch (error) {
    if (error !== STALE) throw error;
    const current = await getChampion(before.id);
    throw staleChampion(current?.version ?? before.version);
  }
  return { ...before, ...fields, updatedAt: now.toISOString(), version: before.version + 1 };
}

/**
 * A champion sets their own preferences (the language of their pages). Only
 * the champion writes these attributes, and the profile's version is left
 * alone: a supervisor editing the profile at the same moment is not sent a
 * 409 because the champion changed language, and neither change is lost.
 */
export async function updateOwnProfile(scope: RequestScope, before: Champion, input: UpdateOwnProfile): Promise<Champion> {
  await writeWithAudit(scope, {
    items: [
      {
        Update: {
          TableName: table(),
          Key: keys.champion(before.id),
          UpdateExpression: 'SET uiLanguage = :uiLanguage',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':uiLanguage': input.uiLanguage },
        },
      },
    ],
    audit: { action: 'champions.updateSelf', entityType: 'champion', entityId: before.id, teamId: before.teamId, changedFields: Object.keys(input) },
    onConditionFailed: () => notFound('Champion'),
  });
  return { ...before, ...input };
}

/**
 * Champions in display-name order: one team's (gsi1) or, for admins, every
 * team's (gsi2); a team named by an admin must exist (404). `shape` filters and shapes each champion (training status is
 * derived at read time, so the filter runs in code over the partition).
 */
export async function listChampions<T>(
  of: { teamId: string; mustExist?: boolean } | 'all',
  page: PageQuery,
  shape: (champion: Champion) => T | undefined,
): Promise<Page<T>> {
  if (of !== 'all' && of.mustExist && !(await getItem(table(), keys.team(of.teamId)))) throw notFound('Team');
  const query =
    of === 'all'
      ? { IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': keys.allChampions().gsi2pk } }
      : { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.championsOfTeam(of.teamId).gsi1pk } };
  return queryFilteredPage({ TableName: table(), ...query }, page, (item) => shape(toChampion(item)));
}

/** Every champion of a team, in name order (a team is tens of champions: the supervisor's caseload). */
export async function allChampionsOfTeam(teamId: string): Promise<Champion[]> {
  const items = await queryAll({
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.championsOfTeam(teamId).gsi1pk },
  });
  return items.map(toChampion);
}
