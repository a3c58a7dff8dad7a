import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/store/keys';
import type { TestEnvironment } from './environment';

/** Every audit event recorded against one record, read straight from the audit table. */
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
