import type { SNSClient } from '@aws-sdk/client-sns';
import { getConfig } from '../config';
import { ON_CALL_FILTER_POLICY, subscriptionPolicyOf, type FilterPolicy } from '../domain/notification-routing';
import type { User } from '../domain/users';
import { describeErrorForLog, logger } from '../http/logger';
import { emitOperationalMetric } from '../metrics/emit';
import { OPERATIONAL_METRICS } from '../metrics/operational';
import { signInEmailOf } from './sign-in-directory';

/**
 * Keeps the notification topic's email subscriptions in step with the people and the on-call setting (AWS only:
 * on one machine the same filter policies are matched per notification, notifier.ts). Each recipient is one
 * subscription, found by its address (so Waymark stores no subscription and no address), with the filter policy
 * notification-routing.ts gives: a supervisor's team and chosen priorities, or the on-call address's out-of-hours
 * rule. A subscription still awaiting its recipient's confirmation has no ARN yet and cannot be changed; SNS
 * drops it unconfirmed after three days, and the next change subscribes afresh.
 */

let client: SNSClient | undefined;
const load = () => import('./sns-subscriptions-client');

/** The client every subscription call goes through; tests reach it to answer at the SDK boundary. */
export async function subscriptionsClient(): Promise<SNSClient> {
  const { SNSClient } = await load();
  client ??= new SNSClient({ region: getConfig().region });
  return client;
}

/** An address's email subscriptions to the topic: the confirmed ones (by ARN), and whether one awaits confirmation. */
export interface AddressSubscriptions {
  arns: string[];
  pending: boolean;
}

/** Every email subscription of the topic, by address (lower case): one listing, for the reconciliation. */
export async function topicSubscriptions(topicArn: string): Promise<Map<string, AddressSubscriptions>> {
  const { ListSubscriptionsByTopicCommand } = await load();
  const sns = await subscriptionsClient();
  const byAddress = new Map<string, AddressSubscriptions>();
  let next: string | undefined;
  do {
    const page = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: next }));
    for (const s of page.Subscriptions ?? []) {
      if (s.Protocol !== 'email' || !s.Endpoint) continue;
      const entry = byAddress.get(s.Endpoint.toLowerCase()) ?? { arns: [], pending: false };
      // A subscription awaiting its recipient's confirmation has no ARN yet ('PendingConfirmation').
      if (s.SubscriptionArn?.startsWith('arn:')) entry.arns.push(s.SubscriptionArn);
      else entry.pending = true;
      byAddress.set(s.Endpoint.toLowerCase(), entry);
    }
    next = page.NextToken;
  } while (next);
  return byAddress;
}

/**
 * Makes the address's subscription carry `policy`, or removes it (`null`). `known`: what the topic holds for the
 * address, when the caller has listed it already (the reconciliation); otherwise the topic is listed.
 */
export async function keepSubscription(email: string, policy: FilterPolicy | null, known?: AddressSubscriptions): Promise<void> {
  const topicArn = getConfig().notificationTopicArn;
  if (!topicArn) return;
  const { SetSubscriptionAttributesCommand, SubscribeCommand, UnsubscribeCommand } = await load();
  const sns = await subscriptionsClient();
  const existing = (known ?? (await topicSubscriptions(topicArn)).get(email.toLowerCase()))?.arns ?? [];
  if (policy === null) {
    for (const arn of existing) await sns.send(new UnsubscribeCommand({ SubscriptionArn: arn }));
    return;
  }
  const FilterPolicy = JSON.stringify(policy);
  if (existing.length === 0) {
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: email, Attributes: { FilterPolicy }, ReturnSubscriptionArn: true }));
    return;
  }
  for (const arn of existing) await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'FilterPolicy', AttributeValue: FilterPolicy }));
}

/**
 * After a person's record changed (invited, moved, suspended, left, reinstated, new priorities): their subscription
 * follows. The record is the truth and is stored either way; a failure is logged (the person's id, never the address),
 * counted (`NotificationSubscriptionsNotUpdated`, which raises an alarm: infra/failure-alarms.ts), and the next change
 * or the daily reconciliation (`reconcileSubscriptions`) puts it right.
 */
export async function followPerson(user: User, before?: User): Promise<void> {
  if (!getConfig().notificationTopicArn) return;
  if (user.role !== 'supervisor' && before?.role !== 'supervisor') return;
  try {
    const email = await signInEmailOf(user.id);
    if (email) await keepSubscription(email, subscriptionPolicyOf(user));
  } catch (error) {
    logger.error('Notification subscription not updated', { ...describeErrorForLog(error), userId: user.id });
    emitOperationalMetric(OPERATIONAL_METRICS.notificationSubscriptionsNotUpdated, 1);
  }
}

/** After the on-call setting changed: the old address is unsubscribed, the new one subscribed to out-of-hours immediate concerns. */
export async function followOnCall(before: string | null, after: string | null): Promise<void> {
  if (!getConfig().notificationTopicArn) return;
  try {
    if (before && before.toLowerCase() !== after?.toLowerCase()) await keepSubscription(before, null);
    if (after) await keepSubscription(after, ON_CALL_FILTER_POLICY);
  } catch (error) {
    logger.error('On-call subscription not updated', describeErrorForLog(error));
    emitOperationalMetric(OPERATIONAL_METRICS.notificationSubscriptionsNotUpdated, 1);
  }
}
