import { getConfig } from '../config';
import { ON_CALL_FILTER_POLICY, subscriptionPolicyOf, type FilterPolicy } from '../domain/notification-routing';
import { describeErrorForLog, logger } from '../http/logger';
import { emitOperationalMetric } from '../metrics/emit';
import { OPERATIONAL_METRICS } from '../metrics/operational';
import { getOnCall } from './on-call-store';
import { signInEmailOf } from './sign-in-directory';
import { keepSubscription, topicSubscriptions, type AddressSubscriptions } from './subscriptions';
import { listUsers } from './user-store';

export interface SubscriptionReconciliation {
  /** Supervisors (any status) and the on-call address whose subscription was set to what the records say. */
  kept: number;
  /** Left alone: a subscription awaiting its recipient's confirmation (SNS cannot change it, and subscribing again would send another confirmation email). */
  awaitingConfirmation: number;
  /** Could not be kept in step (logged by person id and counted as NotificationSubscriptionsNotUpdated); the next run tries again. */
  failed: number;
}

/**
 * Brings the topic's email subscriptions in step with the records (AWS only: no topic, nothing to do): every supervisor
 * who may use Waymark is subscribed to their team at their chosen priorities, a suspended or departed one is
 * unsubscribed, and the on-call address is subscribed to out-of-hours immediate concerns. So the supervisors who were
 * there before notifications followed people (and anyone whose follow-up failed) are subscribed within a run, not at
 * their record's next change. Idempotent: a subscription already right is set to the same policy again.
 *
 * It touches only the addresses of Waymark's supervisors and the on-call setting: an address that is neither (say a
 * shared team mailbox an operator subscribed by hand) is never unsubscribed.
 */
export async function reconcileSubscriptions(): Promise<SubscriptionReconciliation> {
  const result: SubscriptionReconciliation = { kept: 0, awaitingConfirmation: 0, failed: 0 };
  const topicArn = getConfig().notificationTopicArn;
  if (!topicArn) return result;
  const listed = await topicSubscriptions(topicArn);
  const keep = async (email: string, policy: FilterPolicy | null) => {
    const known: AddressSubscriptions = listed.get(email.toLowerCase()) ?? { arns: [], pending: false };
    if (policy !== null && known.arns.length === 0 && known.pending) {
      result.awaitingConfirmation += 1;
      return;
    }
    await keepSubscription(email, policy, known);
    result.kept += 1;
  };
  const failed = (error: unknown, whose: Record<string, string>) => {
    result.failed += 1;
    logger.error('Notification subscription not reconciled', { ...describeErrorForLog(error), ...whose });
    emitOperationalMetric(OPERATIONAL_METRICS.notificationSubscriptionsNotUpdated, 1);
  };

  let cursor: string | undefined;
  do {
    const page = await listUsers('all', { limit: 100, ...(cursor ? { cursor } : {}) }, (u) => (u.role === 'supervisor' ? u : undefined));
    for (const supervisor of page.items) {
      const whose = { userId: supervisor.id };
      try {
        const email = await signInEmailOf(supervisor.id);
        if (email) await keep(email, subscriptionPolicyOf(supervisor));
      } catch (error) {
        failed(error, whose);
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);

  try {
    const { email } = await getOnCall();
    if (email) await keep(email, ON_CALL_FILTER_POLICY);
  } catch (error) {
    failed(error, { recipient: 'on-call' });
  }
  return result;
}
