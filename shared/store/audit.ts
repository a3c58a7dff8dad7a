import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { getConfig } from '../config';
import { serviceUnavailable } from '../domain/errors';
import type { AuditEvent } from '../domain/audit';
import type { Principal } from '../domain/roles';
import { getDocumentClient } from './client';
import { keys } from './keys';
import { allInOrder } from './parallel';
import { auditRetentionDays } from './retention-cache';

/** Who is acting and in which request: every store write and audited read needs it. */
export interface RequestScope {
  principal: Principal;
  requestId: string;
}

export interface AuditSubject {
  action: string;
  entityType: string;
  entityId: string;
  teamId?: string | undefined;
  changedFields?: string[];
  reason?: string;
}

const DAY_SECONDS = 86_400;

export function buildAuditEvent(scope: RequestScope, subject: AuditSubject, outcome: AuditEvent['outcome'], now = new Date()): AuditEvent {
  const { principal } = scope;
  return {
    eventId: ulid(now.getTime()),
    at: now.toISOString(),
    actor: { sub: principal.sub, role: principal.role, ...(principal.team ? { team: principal.team } : {}) },
    action: subject.action,
    entityType: subject.entityType,
    entityId: subject.entityId,
    ...(subject.teamId ? { teamId: subject.teamId } : {}),
    requestId: scope.requestId,
    outcome,
    changedFields: subject.changedFields ?? [],
    ...(subject.reason ? { reason: subject.reason } : {}),
  };
}

/** The audit table item for an event, with the keys of its three access patterns. */
export function auditItem(event: AuditEvent): Record<string, unknown> {
  const retentionDays = auditRetentionDays();
  return {
    pk: keys.auditEntity(event.entityType, event.entityId),
    sk: `${event.at}#${event.eventId}`,
    actorKey: keys.auditActor(event.actor.sub),
    hourKey: keys.auditHour(event.at),
    ...event,
    expiresAt: Math.floor(Date.parse(event.at) / 1000) + retentionDays * DAY_SECONDS,
  };
}

/** A transaction action that appends the event and can never overwrite one. */
export function auditPut(event: AuditEvent) {
  return {
    Put: {
      TableName: getConfig().auditTableName,
      Item: auditItem(event),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

async function append(event: AuditEvent): Promise<void> {
  const put = auditPut(event).Put;
  await getDocumentClient().send(new PutCommand(put));
}

/**
 * Records a read of case-level data. Call it before the response is built:
 * if the audit event cannot be written, the read fails with 503, so no
 * case data leaves without its audit record.
 */
export async function auditRead(scope: RequestScope, subject: AuditSubject): Promise<AuditEvent> {
  const event = buildAuditEvent(scope, subject, 'success');
  try {
    await append(event);
  } catch {
    throw serviceUnavailable('The read could not be audited, so it was refused. Try again shortly.', 1);
  }
  return event;
}

/**
 * A read of case-level data made together with its audit event: one round trip's wait instead of two. For
 * reads whose audit event is known before the read (it names what was asked for, not what was found): the
 * answer is returned only when both have succeeded, so no case data leaves without its audit record, and a
 * failed audit write refuses the read (503) as `auditRead` does. A read that fails after its event was
 * written leaves the event: the trail records that the read was asked for and allowed.
 */
export async function auditedRead<T>(scope: RequestScope, subject: AuditSubject, read: Promise<T>): Promise<T> {
  const [result] = await allInOrder([read, auditRead(scope, subject)]);
  return result;
}

/** Records a refused attempt. Throws if the audit write fails; the caller decides what that means. */
export async function auditDenied(scope: RequestScope, subject: AuditSubject): Promise<AuditEvent> {
  const event = buildAuditEvent(scope, subject, 'denied');
  await append(event);
  return event;
}
