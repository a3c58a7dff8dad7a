import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getConfig } from '../config';
import { conflict, notFound } from '../domain/errors';
import { supportSessionSchema, type CreateSupportSession, type SupportSession, type UpdateSupportSession } from '../domain/support-sessions';
import type { RequestScope } from './audit';
import { batchGetAll } from './batch-get';
import { getDocumentClient } from './client';
import { getItem, pickRecord, putNew, versionedUpdate } from './items';
import { keys, type ItemKey } from './keys';
import { decodeCursor, encodeCursor, type Page, type PageQuery } from './pagination';
import { writeWithAudit } from './transact';

const table = () => getConfig().caseTableName;

/** A stored session as the API shows it: the fields its schema declares, read back (keys and type left behind). */
export function toSupportSession(item: Record<string, unknown>): SupportSession {
  return pickRecord<SupportSession>(supportSessionSchema, item);
}

const sessionItem = (s: SupportSession) => ({
  ...keys.supportSession(s.id),
  ...keys.supportSessionsOfTeam(s.teamId, s.sessionDate, s.id),
  ...keys.allSupportSessions(s.sessionDate, s.id),
  type: 'supportSession',
  ...s,
});

/** Splits presented references into those Waymark issued and a count of the rest (well formed, never issued). */
export async function verifyReferences(references: readonly string[]): Promise<{ issued: string[]; unknown: number }> {
  if (references.length === 0) return { issued: [], unknown: 0 };
  const items = await batchGetAll(table(), references.map((r) => keys.contactReference(r) as unknown as ItemKey), { projection: 'pk' });
  const found = new Set(items.map((item) => String(item['pk']).slice('REF#'.length)));
  const issued = references.filter((r) => found.has(r));
  return { issued, unknown: references.length - issued.length };
}

/** Records a session, with its audit event, in one transaction. */
export async function createSupportSession(
  scope: RequestScope,
  id: string,
  teamId: string,
  input: CreateSupportSession,
  references: { issued: string[]; unknown: number },
  now = new Date(),
): Promise<SupportSession> {
  const at = now.toISOString();
  const session: SupportSession = {
    id,
    teamId,
    sessionDate: input.sessionDate,
    venueKind: input.venueKind,
    strands: input.strands,
    runBy: input.runBy,
    ...(input.organisationId ? { organisationId: input.organisationId } : {}),
    attendance: input.attendance,
    referencesPresented: references.issued,
    unknownReferences: references.unknown,
    status: 'active',
    createdAt: at,
    createdBy: scope.principal.sub,
    updatedAt: at,
    version: 1,
  };
  await writeWithAudit(scope, {
    items: [putNew(table(), sessionItem(session))],
    audit: { action: 'supportSessions.create', entityType: 'supportSession', entityId: id, teamId, changedFields: Object.keys(input) },
    onConditionFailed: () => conflict('A support session with this id already exists', { field: 'id' }),
  });
  return session;
}

export async function getSupportSession(id: string): Promise<SupportSession | undefined> {
  const item = await getItem<Record<string, unknown>>(table(), keys.supportSession(id));
  return item ? toSupportSession(item) : undefined;
}

/** Changes a session at the version read; a stale version is a 409 with the current one. */
export async function updateSupportSession(
  scope: RequestScope,
  before: SupportSession,
  change: Omit<UpdateSupportSession, 'version' | 'referencesPresented' | 'organisationId'> & { organisationId?: string | null },
  version: number,
  references: { issued: string[]; unknown: number } | undefined,
  now = new Date(),
): Promise<SupportSession> {
  const { organisationId, ...rest } = change;
  const after: SupportSession = {
    ...before,
    ...rest,
    ...(references ? { referencesPresented: references.issued, unknownReferences: references.unknown } : {}),
    updatedAt: now.toISOString(),
    version: version + 1,
  };
  if (organisationId === null) delete after.organisationId;
  else if (organisationId !== undefined) after.organisationId = organisationId;
  const changes: Record<string, unknown> = { ...rest };
  if (references) Object.assign(changes, { referencesPresented: references.issued, unknownReferences: references.unknown });
  if (organisationId !== undefined) changes['organisationId'] = organisationId;
  if (change.sessionDate !== undefined) {
    changes['gsi1sk'] = keys.supportSessionsOfTeam(before.teamId, after.sessionDate, before.id).gsi1sk;
    changes['gsi2sk'] = keys.allSupportSessions(after.sessionDate, before.id).gsi2sk;
  }
  const { item, changedFields } = versionedUpdate(table(), { key: keys.supportSession(before.id), expectedVersion: version, changes, now });
  const STALE = conflict('The support session has changed since it was read', { field: 'version', currentVersion: before.version });
  try {
    await writeWithAudit(scope, {
      items: [item],
      audit: { action: 'supportSessions.update', entityType: 'supportSession', entityId: before.id, teamId: before.teamId, changedFields: changedFields.filter((f) => !f.startsWith('gsi')) },
      onConditionFailed: () => STALE,
    });
  } catch (error) {
    if (error !== STALE) throw error;
    const current = await getSupportSession(before.id);
    if (!current) throw notFound('Support session');
    throw conflict('The support session has changed since it was read', { field: 'version', currentVersion: current.version });
  }
  return after;
}

/** A team's sessions (gsi1), or every team's (gsi2, admins), newest first, optionally between two dates. */
export async function listSupportSessions(page: PageQuery, filter: { teamId?: string | undefined; from?: string | undefined; to?: string | undefined }): Promise<Page<SupportSession>> {
  const byTeam = filter.teamId !== undefined;
  const pk = byTeam ? keys.supportSessionsOfTeam(filter.teamId as string).gsi1pk : keys.allSupportSessions().gsi2pk;
  const [pkName, skName] = byTeam ? ['gsi1pk', 'gsi1sk'] : ['gsi2pk', 'gsi2sk'];
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: table(),
      IndexName: byTeam ? 'gsi1' : 'gsi2',
      KeyConditionExpression: `#pk = :pk AND #sk BETWEEN :from AND :to`,
      ExpressionAttributeNames: { '#pk': pkName, '#sk': skName },
      ExpressionAttributeValues: { ':pk': pk, ':from': `${filter.from ?? '0000-00-00'}#`, ':to': `${filter.to ?? '9999-12-31'}#~` },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor),
    }),
  );
  return { items: (result.Items ?? []).map(toSupportSession), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}
