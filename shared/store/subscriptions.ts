import type { SNSClient } from '@aws-sdk/client-sns';
import { getConfig } from '../config';
import { ON_CALL_FILTER_POLICY, subscriptionPolicyOf, type FilterPolicy } from '../domain/notification-routing';
import type { User } from '../domain/users';
import { describeErrorForLog, logger } from '../http/logger';
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

interface Found {
  arn: string;
}

async function subscriptionsOf(topicArn: string, email: string): Promise<Found[]> {
  const { ListSubscriptionsByTopicCommand, SNSClient } = await load();
  client ??= new SNSClient({ region: getConfig().region });
  const found: Found[] = [];
  let next: string | undefined;
  do {
    const page = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: next }));
    for (const s of page.Subscriptions ?? []) {
      if (s.Protocol === 'email' && s.Endpoint?.toLowerCase() === email.toLowerCase() && s.SubscriptionArn?.startsWith('arn:')) found.push({ arn: s.SubscriptionArn });
    }
    next = page.NextToken;
  } while (next);
  return found;
}

/** Makes the address's subscription carry `policy`, or removes it (`null`). */
export async function keepSubscription(email: string, policy: FilterPolicy | null): Promise<void> {
  const topicArn = getConfig().notificationTopicArn;
  if (!topicArn) return;
  const { SetSubscriptionAttributesCommand, SubscribeCommand, UnsubscribeCommand, SNSClient } = await load();
  client ??= new SNSClient({ region: getConfig().region });
  const existing = await subscriptionsOf(topicArn, email);
  if (policy === null) {
    for (const s of existing) await client.send(new UnsubscribeCommand({ SubscriptionArn: s.arn }));
    return;
  }
  const FilterPolicy = JSON.stringify(policy);
  if (existing.length === 0) {
    await client.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: email, Attributes: { FilterPolicy }, ReturnSubscriptionArn: true }));
    return;
  }
  for (const s of existing) await client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: s.arn, AttributeName: 'FilterPolicy', AttributeValue: FilterPolicy }));
}

/**
 * After a person's record changed (invited, moved, suspended, left, reinstated, new priorities): their subscription
 * follows. The record is the truth and is stored either way; a failure is logged (the person's id, never the address)
 * and the next change puts it right.
 */
export async function followPerson(user: User, before?: User): Promise<void> {
  if (!getConfig().notificationTopicArn) return;
  if (user.role !== 'supervisor' && before?.role !== 'supervisor') return;
  try {
    const email = await signInEmailOf(user.id);
    if (email) await keepSubscription(email, subscriptionPolicyOf(user));
  } catch (error) {
    logger.error('Notification subscription not updated', { ...describeErrorForLog(error), userId: user.id });
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
  }
}
