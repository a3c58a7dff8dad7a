import { getConfig } from '../config';
import { conflict } from '../domain/errors';
import type { TargetsBody, YearTargets } from '../domain/outcomes';
import type { RequestScope } from './audit';
import { getItem } from './items';
import { keys } from './keys';
import { writeWithAudit } from './transact';

const table = () => getConfig().caseTableName;

const toTargets = (year: string, item: Record<string, unknown> | undefined): YearTargets =>
  item
    ? { year, targets: (item['targets'] ?? {}) as YearTargets['targets'], version: Number(item['version'] ?? 0), updatedAt: String(item['updatedAt']), updatedBy: String(item['updatedBy']) }
    : { year, targets: {}, version: 0 };

export async function getTargets(year: string): Promise<YearTargets> {
  return toTargets(year, await getItem<Record<string, unknown>>(table(), keys.outcomeTargets(year)));
}

/** The targets of several years (a missing year has none). */
export async function getTargetsOf(years: readonly string[]): Promise<Map<string, YearTargets>> {
  const all = await Promise.all(years.map(getTargets));
  return new Map(all.map((t) => [t.year, t]));
}

/** Replaces a year's targets at the version read (0: none yet), audited; a stale version is a 409. */
export async function putTargets(scope: RequestScope, year: string, body: TargetsBody, now = new Date()): Promise<YearTargets> {
  const next: YearTargets = { year, targets: body.targets, version: body.version + 1, updatedAt: now.toISOString(), updatedBy: scope.principal.sub };
  const condition =
    body.version === 0
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': body.version } };
  const STALE = conflict('The targets have changed since they were read', { field: 'version' });
  try {
    await writeWithAudit(scope, {
      items: [{ Put: { TableName: table(), Item: { ...keys.outcomeTargets(year), type: 'outcomeTargets', ...next }, ...condition } }],
      audit: { action: 'reports.setTargets', entityType: 'outcomeTargets', entityId: year, changedFields: Object.keys(body.targets) },
      onConditionFailed: () => STALE,
    });
  } catch (error) {
    if (error !== STALE) throw error;
    const current = await getTargets(year);
    throw conflict('The targets have changed since they were read', { field: 'version', currentVersion: current.version });
  }
  return next;
}
