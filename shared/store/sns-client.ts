/**
 * The parts of the SNS client the notifier uses. Loaded with `import()` from notifier.ts, so that the client is
 * evaluated when a notification is first published (in AWS, on an escalation), not on every cold start of the
 * escalations function; naming the parts keeps esbuild's tree shaking.
 */
export { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
