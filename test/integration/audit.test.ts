import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { auditPut, auditRead, buildAuditEvent } from '../../shared/store/audit';
import { getDocumentClient } from '../../shared/store/client';
import { keys } from '../../shared/store/keys';
import { useTestEnvironment } from '../support/environment';

const t = useTestEnvironment({ seed: false });
const scope = { principal: { sub: 'sup-sub', role: 'supervisor' as const, team: 'team-a' }, requestId: 'req-audit-test' };

async function eventsFor(entityId: string) {
  const res = await t.db.send(
    new QueryCommand({
      TableName: t.env.tableNames.Audit,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.auditEntity('contact', entityId) },
      ConsistentRead: true,
    }),
  );
  return res.Items ?? [];
}

describe('audit of case-level reads', () => {
  afterEach(() => getDocumentClient().middlewareStack.remove('failAuditRead'));

  it('writes the read event, indexed by entity, actor and hour', async () => {
    const event = await auditRead(scope, { action: 'contacts.read', entityType: 'contact', entityId: 'c-1', teamId: 'team-a' });
    const [item] = await eventsFor('c-1');
    expect(item).toMatchObject({
      eventId: event.eventId,
      outcome: 'success',
      action: 'contacts.read',
      actorKey: keys.auditActor('sup-sub'),
      hourKey: keys.auditHour(event.at),
      requestId: 'req-audit-test',
      changedFields: [],
    });
    expect(item?.['expiresAt']).toBeGreaterThan(Date.now() / 1000 + 5 * 365 * 86_400);
  });

  it('refuses the read with 503 when its audit event cannot be written', async () => {
    getDocumentClient().middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      },
      { step: 'initialize', name: 'failAuditRead' },
    );
    await expect(auditRead(scope, { action: 'contacts.read', entityType: 'contact', entityId: 'c-2' })).rejects.toMatchObject({
      status: 503,
    });
    getDocumentClient().middlewareStack.remove('failAuditRead');
    expect(await eventsFor('c-2')).toEqual([]);
  });

  it('never overwrites an existing audit event', async () => {
    const event = buildAuditEvent(scope, { action: 'contacts.update', entityType: 'contact', entityId: 'c-3', changedFields: ['note'] }, 'success');
    const put = auditPut(event).Put;
    await t.db.send(new PutCommand(put));
    await expect(t.db.send(new PutCommand({ ...put, Item: { ...put.Item, changedFields: ['forged'] } }))).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    const [item] = await eventsFor('c-3');
    expect(item?.['changedFields']).toEqual(['note']);
  });
});
