import { getConfig } from '../config';
import { conflict } from '../domain/errors';
import { effectiveRetention, expiryAfter, type Retention, type RetentionBody } from '../domain/retention';
import type { RequestScope } from './audit';
import { getItem } from './items';
import { keys } from './keys';
import { rememberAuditRetention } from './retention-cache';
import { writeWithAudit } from './transact';

const table = () => getConfig().caseTableName;

interface StoredRetention {
  contactYears: number;
  auditYears: number;
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

const deploymentDefaults = () => ({ contactDays: getConfig().contactRetentionDays, auditDays: getConfig().auditRetentionDays });

/** The retention in force: an admin's setting, or the deployment's default. Read consistently (one GetItem), never cached: a change applies to the next record written. */
export async function getRetention(): Promise<Retention> {
  const stored = await getItem<StoredRetention>(table(), keys.retentionSettings());
  const retention = effectiveRetention(stored, deploymentDefaults());
  rememberAuditRetention(retention.auditDays);
  return retention;
}

/** What a case record written now carries: its expiry (DynamoDB's TTL) and the days it was written with (for a later backfill). */
export interface RecordRetention {
  expiresAt: number;
  retentionDays: number;
}

export const recordRetention = (retention: Pick<Retention, 'contactDays'>, now: Date): RecordRetention => ({
  expiresAt: expiryAfter(now, retention.contactDays),
  retentionDays: retention.contactDays,
});

/** Replaces the setting at the version read (0: none yet), audited; a stale version is a 409. */
export async function putRetention(scope: RequestScope, body: RetentionBody, now = new Date()): Promise<Retention> {
  const next: StoredRetention = {
    contactYears: body.contactYears,
    auditYears: body.auditYears,
    version: body.version + 1,
    updatedAt: now.toISOString(),
    updatedBy: scope.principal.sub,
  };
  const condition =
    body.version === 0
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': body.version } };
  const STALE = conflict('The retention setting has changed since it was read', { field: 'version' });
  try {
    await writeWithAudit(scope, {
      items: [{ Put: { TableName: table(), Item: { ...keys.retentionSettings(), type: 'retentionSettings', ...next }, ...condition } }],
      audit: { action: 'settings.setRetention', entityType: 'settings', entityId: 'retention', changedFields: ['contactYears', 'auditYears'] },
      onConditionFailed: () => STALE,
    });
  } catch (error) {
    if (error !== STALE) throw error;
    const current = await getRetention();
    throw conflict('The retention setting has changed since it was read', { field: 'version', currentVersion: current.version });
  }
  const retention = effectiveRetention(next, deploymentDefaults());
  rememberAuditRetention(retention.auditDays);
  return retention;
}
