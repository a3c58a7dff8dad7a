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

/**
 * Transaction action that updates an item only if it is still at the version
 * the caller read (optimistic concurrency), and moves it to the next version.
 * Returns the names of the fields it sets, for the audit event.
 */
export function updateVersioned(
  tableName: string,
  key: ItemKey,
  expectedVersion: number,
  changes: Record<string, unknown>,
  now = new Date(),
): { item: TransactItem; changedFields: string[] } {
  const changedFields = Object.keys(changes).filter((f) => changes[f] !== undefined);
  const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':expected': expectedVersion, ':one': 1, ':now': now.toISOString() };
  const sets = changedFields.map((field, i) => {
    names[`#f${i}`] = field;
    values[`:v${i}`] = changes[field];
    return `#f${i} = :v${i}`;
  });
  return {
    changedFields,
    item: {
      Update: {
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET ${[...sets, '#updatedAt = :now'].join(', ')} ADD #version :one`,
        ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
  };
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
