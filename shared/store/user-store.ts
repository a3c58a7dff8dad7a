import { getConfig } from '../config';
import type { CreateChampion } from '../domain/champions';
import { conflict, type HttpError } from '../domain/errors';
import { mayUseWaymark, userRecordSchema, type UpdateUser, type User } from '../domain/users';
import { auditPut, buildAuditEvent, type RequestScope } from './audit';
import { championCreation } from './champion-store';
import { getItem, pickRecord, putNew, versionedUpdate } from './items';
import { keys } from './keys';
import type { Page, PageQuery } from './pagination';
import { queryFilteredPage } from './query';
import { followPerson } from './subscriptions';
import { writeWithAudit, type TransactItem } from './transact';

const table = () => getConfig().caseTableName;

function toUser(item: Record<string, unknown>): User {
  const user = pickRecord<User>(userRecordSchema, item);
  return { ...user, teamId: user.teamId ?? null, championId: user.championId ?? null };
}

const listKeys = (u: Pick<User, 'id' | 'teamId' | 'displayName'>) => ({
  ...(u.teamId ? keys.usersOfTeam(u.teamId, u.displayName, u.id) : {}),
  ...keys.allUsers(u.displayName, u.id),
});

export const staleUser = (currentVersion: number): HttpError =>
  conflict('This person was changed by someone else; reload and try again. Nothing was stored.', { field: 'version', currentVersion });

/**
 * Writes the record of a newly invited person; for a champion, with their champion record (`championCreation`) in
 * the same transaction, so that the account's identity is the champion's without anyone typing it. Audited as the
 * invitation and, for a champion, the champion's creation.
 */
export async function createUser(
  scope: RequestScope,
  user: Omit<User, 'createdAt' | 'updatedAt' | 'version' | 'championId'> & { championId?: string | null },
  champion: { id: string; profile: Omit<CreateChampion, 'teamId' | 'identity' | 'displayName'> } | undefined,
  now = new Date(),
): Promise<User> {
  const at = now.toISOString();
  const record: User = { ...user, championId: champion?.id ?? user.championId ?? null, createdAt: at, updatedAt: at, version: 1 };
  const items: TransactItem[] = [putNew(table(), { ...keys.user(user.id), ...listKeys(record), type: 'user', ...record })];
  let onChampionFailed: ((index: number) => HttpError | undefined) | undefined;
  if (champion) {
    const creation = championCreation(champion.id, user.teamId as string, { ...champion.profile, displayName: user.displayName, identity: user.id }, now);
    items.push(...creation.items, auditPut(buildAuditEvent(scope, creation.audit, 'success', now)));
    onChampionFailed = creation.onConditionFailed;
  }
  await writeWithAudit(scope, {
    items,
    audit: { action: 'users.create', entityType: 'user', entityId: user.id, teamId: user.teamId ?? undefined, changedFields: ['role', 'displayName', 'email', 'teamId', ...(champion ? ['championId'] : [])] },
    onConditionFailed: (index) => (index === 0 ? conflict('This person already has a record', { field: 'id' }) : onChampionFailed?.(index - 1)),
  });
  // A new supervisor's notification subscription (AWS: SNS, filtered to their team).
  await followPerson(record);
  return record;
}

export async function getUser(sub: string): Promise<User | undefined> {
  const item = await getItem<Record<string, unknown>>(table(), keys.user(sub));
  return item ? toUser(item) : undefined;
}

/** Changes a person's record at the version the caller read; a stale version is a 409 with the current one. */
export async function updateUser(scope: RequestScope, before: User, input: UpdateUser, now = new Date()): Promise<User> {
  if (before.version !== input.version) throw staleUser(before.version);
  const { version, ...fields } = input;
  const after: User = { ...before, ...fields, teamId: fields.teamId === undefined ? before.teamId : fields.teamId, updatedAt: now.toISOString(), version: before.version + 1 };
  const moved = fields.teamId !== undefined && fields.teamId !== before.teamId;
  const renamed = fields.displayName !== undefined;
  const changes: Record<string, unknown> = {
    ...fields,
    ...(renamed || moved ? listKeys(after) : {}),
    ...(moved && !after.teamId ? { gsi1pk: null, gsi1sk: null } : {}),
  };
  const update = versionedUpdate(table(), { key: keys.user(before.id), expectedVersion: version, changes, now });
  const items: TransactItem[] = [update.item];
  // A champion's record follows their account: suspended while the account is suspended or closed (so the
  // champion no longer counts as active in the team's lists and figures), active again when reinstated.
  const championStatus = fields.status === undefined || fields.status === before.status ? undefined : mayUseWaymark(fields.status) ? 'active' : 'suspended';
  if (before.championId && championStatus) {
    items.push(
      versionedUpdate(table(), { key: keys.champion(before.championId), changes: { status: championStatus }, now }).item,
      auditPut(buildAuditEvent(scope, { action: 'champions.update', entityType: 'champion', entityId: before.championId, teamId: before.teamId ?? undefined, changedFields: ['status'], reason: `account ${fields.status}` }, 'success', now)),
    );
  }
  const STALE = staleUser(before.version);
  try {
    await writeWithAudit(scope, {
      items,
      // The team in the event is the one the person was in: a supervisor reads their team's history of a leaver.
      audit: { action: 'users.update', entityType: 'user', entityId: before.id, teamId: before.teamId ?? undefined, changedFields: Object.keys(fields) },
      onConditionFailed: (index) => (index === 0 ? STALE : undefined),
    });
  } catch (error) {
    if (error !== STALE) throw error;
    throw staleUser((await getUser(before.id))?.version ?? before.version);
  }
  // Moved, suspended, left or reinstated: their notification subscription follows.
  await followPerson(after, before);
  return after;
}

/** People in display-name order: one team's (gsi1) or everyone (gsi2); `shape` filters in code over the partition. */
export async function listUsers<T>(of: { teamId: string } | 'all', page: PageQuery, shape: (user: User) => T | undefined): Promise<Page<T>> {
  const query =
    of === 'all'
      ? { IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': keys.allUsers().gsi2pk } }
      : { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.usersOfTeam(of.teamId).gsi1pk } };
  return queryFilteredPage({ TableName: table(), ...query }, page, (item) => shape(toUser(item)));
}

/** A supervisor's choice of the priorities they are notified of (their own record; audited, no version asked: it is theirs alone). */
export async function setNotifyPriorities(scope: RequestScope, user: User, priorities: User['notifyPriorities'], now = new Date()): Promise<User> {
  const update = versionedUpdate(table(), { key: keys.user(user.id), changes: { notifyPriorities: priorities }, now });
  await writeWithAudit(scope, {
    items: [update.item],
    audit: { action: 'users.setNotifications', entityType: 'user', entityId: user.id, teamId: user.teamId ?? undefined, changedFields: ['notifyPriorities'] },
  });
  const after = { ...user, notifyPriorities: priorities, updatedAt: now.toISOString(), version: user.version + 1 };
  await followPerson(after, user);
  return after;
}
