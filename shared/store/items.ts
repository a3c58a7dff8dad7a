import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../domain/errors';
import type { AuditSubject, RequestScope } from './audit';
import { getDocumentClient } from './client';
import type { ItemKey } from './keys';
import { writeWithAudit, type TransactItem } from './transact';

/** Transaction action that creates an item only if no item has its key. */
export function putNew(tableName: string, item: ItemKey & Record<string, unknown>): TransactItem {
  return { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** A further condition on an update: an expression with the names and values it uses. */
export interface Condition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

/** The record is still active (a contact not deleted, a service not retired). */
export const STILL_ACTIVE: Condition = { expression: '#status = :active', names: { '#status': 'status' }, values: { ':active': 'active' } };

/** Transaction action that holds only while the item at `key` is still active (a service not retired, a contact not deleted). */
export const stillActive = (tableName: string, key: ItemKey): TransactItem => ({
  ConditionCheck: {
    TableName: tableName,
    Key: key,
    ConditionExpression: STILL_ACTIVE.expression,
    ExpressionAttributeNames: STILL_ACTIVE.names,
    ExpressionAttributeValues: STILL_ACTIVE.values,
  },
});

export interface VersionedChange {
  key: ItemKey;
  /** The version the caller read; the update holds only if the item is still at it. Omitted: any version (the item must exist). */
  expectedVersion?: number;
  /** Fields to set; `undefined` leaves a field untouched, `null` removes it. */
  changes: Record<string, unknown>;
  /** Lists to append to (e.g. an escalation's history). */
  append?: Record<string, unknown[]>;
  /** Further conditions besides existence and version (still active, still in the state read). */
  condition?: Condition;
  now: Date;
}

/**
 * The one builder of versioned updates: a transaction action that sets the
 * changes (removing fields given `null`), stamps `updatedAt`, moves the
 * version on, and holds only if the item exists, is still at the version the
 * caller read (optimistic concurrency) and meets any further condition.
 * Returns the names of the fields it sets or removes, for the audit event.
 */
export function versionedUpdate(tableName: string, change: VersionedChange): { item: TransactItem; changedFields: string[] } {
  const changedFields = Object.keys(change.changes).filter((f) => change.changes[f] !== undefined);
  const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt', ...(change.condition?.names ?? {}) };
  const values: Record<string, unknown> = { ':one': 1, ':now': change.now.toISOString(), ...(change.condition?.values ?? {}) };
  const sets: string[] = [];
  const removes: string[] = [];
  changedFields.forEach((field, i) => {
    names[`#f${i}`] = field;
    if (change.changes[field] === null) removes.push(`#f${i}`);
    else {
      values[`:v${i}`] = change.changes[field];
      sets.push(`#f${i} = :v${i}`);
    }
  });
  Object.entries(change.append ?? {}).forEach(([field, entries], i) => {
    names[`#a${i}`] = field;
    values[`:a${i}`] = entries;
    sets.push(`#a${i} = list_append(#a${i}, :a${i})`);
  });
  sets.push('#updatedAt = :now');
  const conditions = ['attribute_exists(pk)'];
  if (change.expectedVersion !== undefined) {
    values[':expected'] = change.expectedVersion;
    conditions.push('#version = :expected');
  }
  if (change.condition) conditions.push(change.condition.expression);
  return {
    changedFields,
    item: {
      Update: {
        TableName: tableName,
        Key: change.key,
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''} ADD #version :one`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
  };
}

/**
 * The fields of a stored item that its record schema names: what a record
 * holds is decided by the schema, not by a list kept by hand (keys, `type`
 * and store bookkeeping are left behind).
 */
export function pickRecord<T>(schema: { shape: Record<string, unknown> }, item: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(schema.shape)) if (item[field] !== undefined) out[field] = item[field];
  return out as T;
}

export async function getItem<T>(tableName: string, key: ItemKey, consistent = true): Promise<T | undefined> {
  const result = await getDocumentClient().send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: consistent }));
  return result.Item as T | undefined;
}

export interface UniqueCreate {
  /** The new record; its key must not exist yet. */
  item: ItemKey & Record<string, unknown>;
  /** The guard item that makes a field unique (a normalised name or title); it must not exist yet either. */
  guard: ItemKey & Record<string, unknown>;
  /** The unique field, named in the 409 when the guard already exists. */
  field: string;
  duplicateMessage: string;
  audit: AuditSubject;
}

/** Creates a record whose `field` is unique: record, guard and audit event in one transaction; a duplicate is 409. */
export async function createUnique(scope: RequestScope, tableName: string, create: UniqueCreate): Promise<void> {
  await writeWithAudit(scope, {
    items: [putNew(tableName, create.item), putNew(tableName, create.guard)],
    audit: create.audit,
    onConditionFailed: (index) =>
      index === 1
        ? conflict(create.duplicateMessage, { field: create.field })
        : conflict(`A ${create.audit.entityType} with this id already exists`, { field: 'id' }),
  });
}
