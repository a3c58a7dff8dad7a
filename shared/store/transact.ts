import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { serviceUnavailable, type HttpError } from '../domain/errors';
import { auditPut, buildAuditEvent, type AuditSubject, type RequestScope } from './audit';
import { getDocumentClient } from './client';
import { cancellationReasons, errorName, mapDynamoError } from './dynamo-errors';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit on actions in one TransactWriteItems. */
export const MAX_TRANSACTION_ACTIONS = 100;

export interface AuditedWrite {
  /** The changes, in order; the audit event is appended as the last action. */
  items: TransactItem[];
  audit: AuditSubject;
  /**
   * Called when the condition of `items[index]` failed, to say in the
   * domain's words what that means (a duplicate, a stale version...).
   */
  onConditionFailed?: (index: number) => HttpError | undefined;
}

/**
 * The only way Waymark writes case data: the changes and their audit event
 * in one TransactWriteItems, so no change can land without its audit event
 * and no audit event claims a change that did not land.
 */
export async function writeWithAudit(scope: RequestScope, write: AuditedWrite): Promise<void> {
  if (write.items.length + 1 > MAX_TRANSACTION_ACTIONS) {
    throw new Error(`A transaction holds at most ${MAX_TRANSACTION_ACTIONS} actions (asked for ${write.items.length + 1})`);
  }
  const event = buildAuditEvent(scope, write.audit, 'success');
  const TransactItems = [...write.items, auditPut(event)];
  try {
    await getDocumentClient().send(new TransactWriteCommand({ TransactItems }));
  } catch (error) {
    throw explainFailure(error, write);
  }
}

function explainFailure(error: unknown, write: AuditedWrite): unknown {
  if (errorName(error) === 'TransactionCanceledException') {
    const reasons = cancellationReasons(error);
    const auditIndex = write.items.length;
    if (reasons[auditIndex]?.Code && reasons[auditIndex]?.Code !== 'None') {
      return serviceUnavailable('The change could not be audited, so nothing was stored. Try again shortly.', 1);
    }
    for (const [index, reason] of reasons.entries()) {
      if (reason.Code === 'ConditionalCheckFailed') {
        const explained = write.onConditionFailed?.(index);
        if (explained) return explained;
      }
    }
  }
  return mapDynamoError(error);
}
