/**
 * The parts of the SNS client that keep the notification topic's subscriptions (subscriptions.ts). Loaded with
 * `import()`, so that only the functions that change people or settings, and only when they do, evaluate it.
 */
export { ListSubscriptionsByTopicCommand, SetSubscriptionAttributesCommand, SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
