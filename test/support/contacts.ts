import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { ukDate } from '../../shared/domain/dates';
import { addDays } from '../../shared/domain/dates';
import { findDemoUser } from '../../infra/local/demo-users';
import { keys } from '../../shared/store/keys';
import type { TestEnvironment } from './environment';

export const ukToday = () => ukDate(new Date());
export const daysAgo = (n: number) => addDays(ukToday(), -n);
export const newKey = () => randomUUID();

/** A contact body that passes every rule for champion-a1 (DASV, today). */
export function validContact(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    contactDate: ukToday(),
    setting: 'community_centre',
    strands: ['dasv'],
    dasvForms: ['controlling_or_coercive'],
    priorHelp: ['none'],
    beforePoliceOrEmergency: true,
    riskFlags: ['person_is_afraid'],
    signposting: [{ serviceId: 'service-idva', mode: 'information_given' }],
    ...overrides,
  };
}

export const hateCrimeContact = (overrides: Record<string, unknown> = {}) =>
  validContact({ strands: ['hate_crime'], dasvForms: [], hateMotivations: ['race_or_ethnicity'], hateIncidentKinds: ['verbal_abuse'], signposting: [{ serviceId: 'service-stop-hate-uk', mode: 'information_given' }], ...overrides });

/** Every case-table item a champion's contacts consist of: contacts (gsi2), and everything in their partitions. */
export async function contactItemsOf(t: TestEnvironment, username: string): Promise<Record<string, unknown>[]> {
  const sub = findDemoUser(username)?.sub as string;
  const res = await t.db.send(
    new QueryCommand({
      TableName: t.env.tableNames.Case,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.contactsOfChampion(sub).gsi2pk },
    }),
  );
  return res.Items ?? [];
}

/** How many items the case table holds (a test file's own table: small). */
export async function caseItemCount(t: TestEnvironment): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const res = await t.db.send(new ScanCommand({ TableName: t.env.tableNames.Case, Select: 'COUNT', ExclusiveStartKey: start, ConsistentRead: true }));
    count += res.Count ?? 0;
    start = res.LastEvaluatedKey;
  } while (start);
  return count;
}

export async function partitionOf(t: TestEnvironment, contactId: string) {
  const res = await t.db.send(
    new QueryCommand({
      TableName: t.env.tableNames.Case,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.contactPartition(contactId) },
      ConsistentRead: true,
    }),
  );
  return res.Items ?? [];
}
