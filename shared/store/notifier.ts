import type { SNSClient } from '@aws-sdk/client-sns';
import { getConfig } from '../config';
import { escalationNotificationSchema, notificationText, type EscalationNotification } from '../domain/escalation-views';
import { describeErrorForLog, logger } from '../http/logger';
import { LOGGED_FAILURES } from '../metrics/operational';
import { pickRecord } from './items';
import { keys } from './keys';
import { queryFilteredPage } from './query';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_OFFICE_HOURS, matchesFilterPolicy, notificationAttributes, ON_CALL_FILTER_POLICY, receivesNotifications, supervisorFilterPolicy } from '../domain/notification-routing';
import { getDocumentClient } from './client';
import { getOnCall } from './on-call-store';
import { listUsers } from './user-store';
import type { Page, PageQuery } from './pagination';
import type { TransactItem } from './transact';

/**
 * Where escalation notifications go, chosen by configuration only (like the
 * digest store): with NOTIFICATION_TOPIC_ARN (AWS) they are published to SNS
 * once the escalation is stored; without it (one machine) they are written to
 * the team's outbox — items in the case table, in the very transaction that
 * stores the escalation — and listed by `GET /notifications`.
 *
 * A notification carries no case detail (see escalation-views.ts).
 */
export interface Notifier {
  /** Actions to add to the transaction that stores the escalation (the outbox item). */
  transactItems(notification: EscalationNotification): TransactItem[];
  /** After the transaction committed: deliver (SNS). The escalation is stored either way: a caller logs a failure, never fails the request. */
  afterCommit(notification: EscalationNotification): Promise<void>;
  readonly kind: 'sns' | 'outbox';
}

/** Outbox items are kept this long (the caseload is the record; the outbox only says "look"). */
const OUTBOX_TTL_SECONDS = 30 * 86_400;

type OutboxListener = (notification: EscalationNotification, line: string) => void;
let outboxListener: OutboxListener | undefined;

/** One machine: a hook told of each outbox notification once stored (npm start prints a line). */
export function onOutboxNotification(listener: OutboxListener | undefined): void {
  outboxListener = listener;
}

class OutboxNotifier implements Notifier {
  readonly kind = 'outbox' as const;
  transactItems(n: EscalationNotification): TransactItem[] {
    return [
      {
        Put: {
          TableName: getConfig().caseTableName,
          Item: {
            ...keys.notification(n.teamId, n.createdAt, n.id),
            type: 'notification',
            ...n,
            expiresAt: Math.floor(Date.parse(n.createdAt) / 1000) + OUTBOX_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }
  async afterCommit(n: EscalationNotification): Promise<void> {
    // Delivery as SNS would make it: each subscription's filter policy against the message's attributes.
    const recipients = await localRecipients(n);
    await getDocumentClient().send(
      new UpdateCommand({
        TableName: getConfig().caseTableName,
        Key: keys.notification(n.teamId, n.createdAt, n.id),
        UpdateExpression: 'SET recipients = :r',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':r': recipients },
      }),
    );
    try {
      for (const r of recipients) outboxListener?.({ ...n, recipients }, `To ${r.name}: ${notificationText(n)}`);
      if (recipients.length === 0) outboxListener?.({ ...n, recipients }, `No one is subscribed to this one (team and priority): ${notificationText(n)}`);
    } catch {
      // a console hook must never fail a request
    }
  }
}

type Recipient = NonNullable<EscalationNotification['recipients']>[number];

/** One machine: the supervisors of the team and the on-call address whose subscriptions' filter policies match. */
async function localRecipients(n: EscalationNotification): Promise<Recipient[]> {
  const onCall = await getOnCall();
  const attributes = notificationAttributes(n, onCall.officeHours);
  const recipients: Recipient[] = [];
  let cursor: string | undefined;
  do {
    const page = await listUsers({ teamId: n.teamId }, { limit: 100, cursor }, (u) =>
      receivesNotifications(u) && u.teamId && matchesFilterPolicy(supervisorFilterPolicy(u.teamId, u.notifyPriorities), attributes) ? u : undefined,
    );
    recipients.push(...page.items.map((u) => ({ kind: 'supervisor' as const, name: u.displayName, userId: u.id })));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (onCall.email && matchesFilterPolicy(ON_CALL_FILTER_POLICY, attributes)) recipients.push({ kind: 'on-call', name: onCall.email });
  return recipients;
}

let snsClient: SNSClient | undefined;
/** The SNS client is loaded on first publish, not with the module (BENCHMARKS.md, item 1). */
const loadSns = () => import('./sns-client');

class SnsNotifier implements Notifier {
  readonly kind = 'sns' as const;
  constructor(private readonly topicArn: string) {}
  transactItems(): TransactItem[] {
    return [];
  }
  async afterCommit(n: EscalationNotification): Promise<void> {
    const { PublishCommand, SNSClient } = await loadSns();
    snsClient ??= new SNSClient({ region: getConfig().region });
    // The subscriptions' filter policies (notification-routing.ts) choose the recipients from these attributes.
    // An unreadable setting must not cost the team its notification: the default office hours stand in.
    const hours = await getOnCall().then((c) => c.officeHours, () => DEFAULT_OFFICE_HOURS);
    const attributes = notificationAttributes(n, hours);
    await snsClient.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: `Waymark: ${n.priority} priority escalation awaits triage`,
        Message: JSON.stringify({ ...n, text: notificationText(n) }),
        MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
      }),
    );
  }
}

export function getNotifier(): Notifier {
  const arn = getConfig().notificationTopicArn;
  return arn ? new SnsNotifier(arn) : new OutboxNotifier();
}

/** A team's outbox, newest first. */
/**
 * Publishes an escalation's notification once it is stored. The escalation is
 * on the team's caseload whatever happens here, so a lost notification is
 * logged (its id, no case field), not an error.
 */
export async function notifyAfterCommit(n: EscalationNotification): Promise<void> {
  try {
    await getNotifier().afterCommit(n);
  } catch (error) {
    logger.error(LOGGED_FAILURES.notificationNotPublished, { ...describeErrorForLog(error), notificationId: n.id });
  }
}

export async function listNotifications(teamId: string, page: PageQuery): Promise<Page<EscalationNotification>> {
  return queryFilteredPage(
    {
      TableName: getConfig().caseTableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.notification(teamId).pk },
      ScanIndexForward: false,
    },
    page,
    (item) => pickRecord<EscalationNotification>(escalationNotificationSchema, item),
  );
}
