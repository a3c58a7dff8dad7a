import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { getConfig } from '../config';
import { auditEventSchema, type AuditEvent } from '../domain/audit';
import { hourOf, hoursBetween } from '../domain/audit-seal';
import { badRequest } from '../domain/errors';
import { getDocumentClient } from './client';
import { pickRecord } from './items';
import { keys } from './keys';
import type { Page } from './pagination';

/**
 * Audit events by entity (the table's partition), by actor (byActor index)
 * or by time range (byHour index, one partition per UTC hour), newest
 * first, a page at a time. Every mode is a Query; none is a Scan.
 * `teamId` restricts the page to events of that team (supervisors).
 */
export type AuditQuery =
  | { mode: 'entity'; entityType: string; entityId: string; from?: string | undefined; to?: string | undefined }
  | { mode: 'actor'; sub: string; from?: string | undefined; to?: string | undefined }
  | { mode: 'time'; from: string; to: string };

interface Segment {
  /** Names the segment in a cursor (the hour, in time mode). */
  tag: string;
  input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>;
  keyAttributes: string[];
}

const cursorSchema = z.strictObject({ t: z.string(), k: z.record(z.string(), z.union([z.string(), z.number()])) });

function encode(tag: string, key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ t: tag, k: key }), 'utf8').toString('base64url');
}

function decode(cursor: string): z.infer<typeof cursorSchema> {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw badRequest('There is a problem with the page', [{ path: 'cursor', message: 'Go back to the first page and try again' }]);
  }
}

/** Upper bound for a sort key that starts with an ISO time: every key of that instant sorts below it. */
const upTo = (iso: string) => `${iso}~`;

function segments(q: AuditQuery, table: string): Segment[] {
  const base = ['pk', 'sk'];
  if (q.mode === 'entity') {
    const range = q.from || q.to;
    return [
      {
        tag: 'entity',
        keyAttributes: base,
        input: {
          TableName: table,
          KeyConditionExpression: range ? 'pk = :pk AND sk BETWEEN :from AND :to' : 'pk = :pk',
          ExpressionAttributeValues: {
            ':pk': keys.auditEntity(q.entityType, q.entityId),
            ...(range ? { ':from': q.from ?? '0000', ':to': upTo(q.to ?? '9999') } : {}),
          },
        },
      },
    ];
  }
  if (q.mode === 'actor') {
    const range = q.from || q.to;
    return [
      {
        tag: 'actor',
        keyAttributes: [...base, 'actorKey', 'at'],
        input: {
          TableName: table,
          IndexName: 'byActor',
          KeyConditionExpression: range ? 'actorKey = :a AND #at BETWEEN :from AND :to' : 'actorKey = :a',
          ...(range ? { ExpressionAttributeNames: { '#at': 'at' } } : {}),
          ExpressionAttributeValues: {
            ':a': keys.auditActor(q.sub),
            ...(range ? { ':from': q.from ?? '0000', ':to': upTo(q.to ?? '9999') } : {}),
          },
        },
      },
    ];
  }
  return hoursBetween(hourOf(q.from), hourOf(q.to))
    .reverse()
    .map((hour) => ({
      tag: hour,
      keyAttributes: [...base, 'hourKey', 'at'],
      input: {
        TableName: table,
        IndexName: 'byHour',
        KeyConditionExpression: 'hourKey = :h AND #at BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':h': keys.auditHour(hour), ':from': q.from, ':to': q.to },
      },
    }));
}

const toEvent = (item: Record<string, unknown>): AuditEvent => pickRecord<AuditEvent>(auditEventSchema, item);

/** A filter of the events a query finds: a team's only, and (records of processing) actions starting with one of these. */
function filterOf(teamId: string | undefined, actionPrefixes: readonly string[] | undefined): Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeValues'> | undefined {
  const terms: string[] = [];
  const values: Record<string, unknown> = {};
  if (teamId !== undefined) {
    terms.push('teamId = :team');
    values[':team'] = teamId;
  }
  if (actionPrefixes?.length) {
    terms.push(`(${actionPrefixes.map((_, i) => `begins_with(#action, :ap${i})`).join(' OR ')})`);
    actionPrefixes.forEach((p, i) => (values[`:ap${i}`] = p));
  }
  return terms.length ? { FilterExpression: terms.join(' AND '), ExpressionAttributeValues: values } : undefined;
}

export async function listAuditEvents(
  q: AuditQuery,
  page: { limit: number; cursor?: string | undefined },
  teamId?: string,
  actionPrefixes?: readonly string[],
): Promise<Page<AuditEvent>> {
  const segs = segments(q, getConfig().auditTableName);
  let index = 0;
  let start: Record<string, unknown> | undefined;
  if (page.cursor !== undefined) {
    const c = decode(page.cursor);
    index = segs.findIndex((s) => s.tag === c.t);
    if (index === -1) throw badRequest('There is a problem with the page', [{ path: 'cursor', message: 'Go back to the first page and try again' }]);
    start = c.k;
  }
  const items: AuditEvent[] = [];
  while (index < segs.length) {
    const seg = segs[index] as Segment;
    const filter = filterOf(teamId, actionPrefixes);
    const result = await getDocumentClient().send(
      new QueryCommand({
        ...seg.input,
        ...(filter
          ? {
              FilterExpression: filter.FilterExpression,
              ExpressionAttributeValues: { ...seg.input.ExpressionAttributeValues, ...filter.ExpressionAttributeValues },
              ...(actionPrefixes?.length ? { ExpressionAttributeNames: { ...seg.input.ExpressionAttributeNames, '#action': 'action' } } : {}),
            }
          : {}),
        ScanIndexForward: false,
        Limit: page.limit - items.length,
        ExclusiveStartKey: start,
      }),
    );
    const found = result.Items ?? [];
    for (const [i, item] of found.entries()) {
      items.push(toEvent(item));
      if (items.length === page.limit) {
        const exhausted = i === found.length - 1 && !result.LastEvaluatedKey && index === segs.length - 1;
        const key = Object.fromEntries(seg.keyAttributes.map((a) => [a, item[a]]));
        return { items, nextCursor: exhausted ? null : encode(seg.tag, key) };
      }
    }
    if (result.LastEvaluatedKey) {
      start = result.LastEvaluatedKey;
    } else {
      index += 1;
      start = undefined;
    }
  }
  return { items, nextCursor: null };
}
