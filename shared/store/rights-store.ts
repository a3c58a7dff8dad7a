import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getConfig } from '../config';
import { addDays, type IsoDate } from '../domain/dates';
import type { StoredEscalation } from '../domain/escalation-views';
import type { HeldUnderReference } from '../domain/subject-access';
import type { RequestScope } from './audit';
import { getDocumentClient } from './client';
import { getContact, getContactReference } from './contact-store';
import { toEscalation } from './escalation-store';
import { getItem } from './items';
import { keys, type ItemKey } from './keys';
import { MAX_TRANSACTION_ACTIONS, writeWithAudit, type TransactItem } from './transact';

const table = () => getConfig().caseTableName;

/** A contact may be dated back up to this long before it is logged (CONTACT_LOG_WINDOW_DAYS is at most 365). */
const LONGEST_BACKDATING_DAYS = 365;

export interface ReferenceRecords extends HeldUnderReference {
  teamId: string;
  /** Every item key held under the reference: what an erasure deletes. */
  itemKeys: ItemKey[];
}

/** The reference's own item: which team issued it (for the policy) and its first contact's date. */
export async function issuedReference(reference: string): Promise<{ teamId: string; firstContactDate: string } | undefined> {
  const issued = await getContactReference(reference);
  return issued?.teamId && issued.firstContactDate ? { teamId: issued.teamId, firstContactDate: issued.firstContactDate } : undefined;
}

/** Ids of the team's contacts under a reference (deleted ones too): the team's contacts from the first contact's date less the longest back-dating, filtered by reference. */
async function contactIdsUnder(reference: string, teamId: string, firstContactDate: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await getDocumentClient().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :from',
        FilterExpression: 'contactReference = :ref AND #type = :contact',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: {
          ':pk': keys.contactsOfTeam(teamId).gsi1pk,
          ':from': addDays(firstContactDate as IsoDate, -LONGEST_BACKDATING_DAYS),
          ':ref': reference,
          ':contact': 'contact',
        },
        ProjectionExpression: 'id',
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) ids.push(String(item['id']));
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}

/** Everything held under a reference the team issued: its contacts with their signposting, the concerns raised from them, and every item's key. */
export async function recordsUnderReference(reference: string, issued: { teamId: string; firstContactDate: string }): Promise<ReferenceRecords> {
  const ids = await contactIdsUnder(reference, issued.teamId, issued.firstContactDate);
  const contacts = (await Promise.all(ids.map((id) => getContact(id)))).filter((c) => c !== undefined);
  const escalationIds = await Promise.all(ids.map(async (id) => (await getItem<{ escalationId?: string }>(table(), keys.contact(id)))?.escalationId));
  const escalations: StoredEscalation[] = [];
  for (const id of escalationIds) {
    if (!id) continue;
    const item = await getItem<Record<string, unknown>>(table(), keys.escalation(id));
    if (item && item['type'] === 'escalation' && item['contactReference'] === reference) escalations.push(toEscalation(item));
  }
  const itemKeys: ItemKey[] = [
    ...contacts.flatMap(({ contact, signposting }) => [keys.contact(contact.id), ...signposting.map((s) => keys.signposting(contact.id, s.id))]),
    ...escalations.map((e) => keys.escalation(e.id)),
    keys.contactReference(reference),
  ];
  return { teamId: issued.teamId, reference: { firstContactDate: issued.firstContactDate }, contacts, escalations, itemKeys };
}

/**
 * Erases every record held under a reference: deletes in transactions of at most 100 actions, each with an audit
 * event that names the request and how many records it removed, never what they held (nor the reference). The
 * deletions reach the case stream as REMOVEs made by a person, so the aggregator subtracts what they had counted
 * (past figures change; the metric definitions say so). Returns how many items were deleted.
 */
export async function eraseRecords(scope: RequestScope, requestReference: string, records: ReferenceRecords): Promise<number> {
  const perTransaction = MAX_TRANSACTION_ACTIONS - 1;
  const parts: ItemKey[][] = [];
  for (let i = 0; i < records.itemKeys.length; i += perTransaction) parts.push(records.itemKeys.slice(i, i + perTransaction));
  for (const [index, part] of parts.entries()) {
    const items: TransactItem[] = part.map((Key) => ({ Delete: { TableName: table(), Key } }));
    await writeWithAudit(scope, {
      items,
      audit: {
        action: 'rights.erase',
        entityType: 'rightsRequest',
        entityId: requestReference,
        teamId: records.teamId,
        reason: `Erasure on the person's request: ${part.length} records removed${parts.length > 1 ? ` (part ${index + 1} of ${parts.length})` : ''}`,
      },
    });
  }
  return records.itemKeys.length;
}
