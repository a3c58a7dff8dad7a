import { logger } from '../../shared/http/logger';
import { reconcileSubscriptions, type SubscriptionReconciliation } from '../../shared/store/subscription-reconciliation';

/**
 * The scheduled reconciliation of notification subscriptions (hourly; docs/ESCALATIONS.md, "Who is notified"): every
 * supervisor's email subscription and the on-call address's are set to what the records say, so that supervisors who
 * were there before notifications followed people are subscribed within the hour of the deploy, and a follow-up that
 * failed (NotificationSubscriptionsNotUpdated) is retried within the hour. On one machine there is no topic, and it
 * does nothing (the local outbox matches the filter policies per notification).
 */
export async function handler(): Promise<SubscriptionReconciliation> {
  logger.resetKeys();
  const result = await reconcileSubscriptions();
  if (result.failed > 0) logger.warn('notification subscriptions reconciled, some not', { ...result });
  else logger.info('notification subscriptions reconciled', { ...result });
  return result;
}
