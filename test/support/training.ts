import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { addMonths, todayUtc, type IsoDate } from '../../shared/domain/dates';
import { expiryOf } from '../../shared/domain/training';
import { keys } from '../../shared/store/keys';
import type { TestEnvironment } from './environment';

/**
 * A completion date and course validity whose derived expiry is exactly
 * `target` (month-end clamping makes some dates unreachable from 12 months,
 * e.g. 29 February; 48 months always reaches them).
 */
export function completionExpiringOn(target: IsoDate): { completedOn: IsoDate; validityMonths: number } {
  for (const validityMonths of [12, 24, 36, 48]) {
    const completedOn = addMonths(target, -validityMonths);
    if (expiryOf(completedOn, validityMonths) === target) return { completedOn, validityMonths };
  }
  throw new Error(`no completion expires on ${target}`);
}

export const today = () => todayUtc();

export async function auditEventsFor(t: TestEnvironment, entityType: string, entityId: string) {
  const res = await t.db.send(
    new QueryCommand({
      TableName: t.env.tableNames.Audit,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.auditEntity(entityType, entityId) },
      ConsistentRead: true,
    }),
  );
  return res.Items ?? [];
}

let counter = 0;
/** A unique sign-in identity for a champion created by a test. */
export const newIdentity = () => `test-identity-${process.pid}-${Date.now()}-${counter++}`;
