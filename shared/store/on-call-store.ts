import { getConfig } from '../config';
import { conflict } from '../domain/errors';
import { DEFAULT_OFFICE_HOURS, type OfficeHours } from '../domain/notification-routing';
import type { OnCall, OnCallBody } from '../domain/on-call';
import type { RequestScope } from './audit';
import { getItem } from './items';
import { keys } from './keys';
import { followOnCall } from './subscriptions';
import { writeWithAudit } from './transact';

const table = () => getConfig().caseTableName;

interface StoredOnCall {
  email: string | null;
  officeHours: OfficeHours;
  version: number;
}

/** The on-call setting in force: the admin's, or none with the default office hours. One consistent GetItem, never cached. */
export async function getOnCall(): Promise<OnCall> {
  const stored = await getItem<StoredOnCall>(table(), keys.onCallSettings());
  return stored
    ? { email: stored.email ?? null, officeHours: stored.officeHours, version: stored.version, source: 'setting' }
    : { email: null, officeHours: DEFAULT_OFFICE_HOURS, version: 0, source: 'default' };
}

/** Replaces the setting at the version read (0: none yet), audited without the address; a stale version is a 409. */
export async function putOnCall(scope: RequestScope, body: OnCallBody, now = new Date()): Promise<OnCall> {
  const before = await getOnCall();
  const next = { email: body.email ?? null, officeHours: body.officeHours, version: body.version + 1, updatedAt: now.toISOString() };
  const condition =
    body.version === 0
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': body.version } };
  const STALE = conflict('The on-call setting has changed since it was read', { field: 'version' });
  try {
    await writeWithAudit(scope, {
      items: [{ Put: { TableName: table(), Item: { ...keys.onCallSettings(), type: 'onCallSettings', ...next }, ...condition } }],
      audit: { action: 'settings.setOnCall', entityType: 'settings', entityId: 'on-call', changedFields: ['email', 'officeHours'] },
      onConditionFailed: () => STALE,
    });
  } catch (error) {
    if (error !== STALE) throw error;
    throw conflict('The on-call setting has changed since it was read', { field: 'version', currentVersion: (await getOnCall()).version });
  }
  // AWS: the on-call address's subscription (out-of-hours immediate concerns) follows the setting.
  await followOnCall(before.email, next.email);
  return { email: next.email, officeHours: next.officeHours, version: next.version, source: 'setting' };
}
