import { afterEach, describe, expect, it, vi } from 'vitest';
import { demoEmail } from '../../infra/local/sign-in-accounts';
import { findDemoUser } from '../../infra/local/demo-users';
import { ON_CALL_FILTER_POLICY, supervisorFilterPolicy } from '../../shared/domain/notification-routing';
import { useTestEnvironment } from '../support/environment';

/**
 * Existing supervisors are subscribed without waiting for a change to their record (issue 22): the hourly
 * reconciliation (functions/subscriptions) reads the people and the on-call setting from DynamoDB Local and the
 * addresses from the directory, and sets the notification topic's email subscriptions to match. SNS is not on one
 * machine: the topic is answered at the SNS client's boundary (a middleware on the reconciliation's own client, before
 * anything is sent), as SNS answers for a topic whose subscriptions this test holds.
 */
const t = useTestEnvironment();
const TOPIC = 'arn:aws:sns:eu-west-2:123456789012:waymark-notifications';
const ON_CALL = 'dasv-on-call@council.example';
const TEAM_MAILBOX = 'dasv-team@council.example';

interface Held {
  arn: string;
  endpoint: string;
  filterPolicy: string | undefined;
  confirmed: boolean;
}

/** The reconciliation in a module graph of its own, configured as in AWS (a topic), its SNS client answered from `held`. */
async function reconciliation(held: Held[], failOn: (command: string, input: Record<string, unknown>) => boolean = () => false) {
  vi.resetModules();
  // The topic is this module graph's configuration alone (read once here), not that of the handlers the gateway runs.
  vi.stubEnv('NOTIFICATION_TOPIC_ARN', TOPIC);
  expect((await import('../../shared/config')).getConfig().notificationTopicArn).toBe(TOPIC);
  vi.unstubAllEnvs();
  const calls: { command: string; input: Record<string, unknown> }[] = [];
  const { subscriptionsClient } = await import('../../shared/store/subscriptions');
  (await subscriptionsClient()).middlewareStack.add(
    (_next, context) => async (args) => {
      const command = context.commandName as string;
      const input = args.input as Record<string, unknown>;
      calls.push({ command, input });
      if (failOn(command, input)) throw Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
      let output: Record<string, unknown> = {};
      if (command === 'ListSubscriptionsByTopicCommand') {
        output = { Subscriptions: held.map((h) => ({ TopicArn: TOPIC, Protocol: 'email', Endpoint: h.endpoint, SubscriptionArn: h.confirmed ? h.arn : 'PendingConfirmation' })) };
      } else if (command === 'SubscribeCommand') {
        const arn = `${TOPIC}:${held.length + 1}`;
        held.push({ arn, endpoint: input['Endpoint'] as string, filterPolicy: (input['Attributes'] as Record<string, string>)['FilterPolicy'], confirmed: false });
        output = { SubscriptionArn: arn };
      } else if (command === 'SetSubscriptionAttributesCommand') {
        held.find((h) => h.arn === input['SubscriptionArn'])!.filterPolicy = input['AttributeValue'] as string;
      } else if (command === 'UnsubscribeCommand') {
        held.splice(held.findIndex((h) => h.arn === input['SubscriptionArn']), 1);
      }
      return { output: { $metadata: {}, ...output }, response: {} } as never;
    },
    { step: 'initialize', name: 'answerAsSns' },
  );
  const { handler } = await import('../../functions/subscriptions/handler');
  return { run: handler, calls };
}

const policyOf = (held: Held[], email: string) => {
  const found = held.find((h) => h.endpoint === email);
  return found?.filterPolicy === undefined ? undefined : JSON.parse(found.filterPolicy);
};

describe('reconciling notification subscriptions', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('subscribes existing supervisors and the on-call address, corrects a stale policy, leaves other addresses and pending confirmations alone, and unsubscribes a suspended supervisor', async () => {
    const admin = await t.tokenFor('admin');
    const current = await t.api('GET', '/settings/on-call', { token: admin });
    const setOnCall = await t.api('PUT', '/settings/on-call', { token: admin, body: { version: current.body.version, email: ON_CALL, officeHours: { days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' } } });
    expect(setOnCall.status, JSON.stringify(setOnCall.body)).toBe(200);

    const a = demoEmail('supervisor-a');
    const b = demoEmail('supervisor-b');
    // Before: supervisor-a subscribed with another team's policy (a move whose follow-up failed), supervisor-b never
    // subscribed (there before notifications followed people), a team mailbox an operator subscribed by hand.
    const held: Held[] = [
      { arn: `${TOPIC}:a`, endpoint: a, filterPolicy: JSON.stringify(supervisorFilterPolicy('team-b', undefined)), confirmed: true },
      { arn: `${TOPIC}:mailbox`, endpoint: TEAM_MAILBOX, filterPolicy: undefined, confirmed: true },
    ];
    const first = await reconciliation(held);
    expect(await first.run()).toEqual({ kept: 3, awaitingConfirmation: 0, failed: 0 });
    expect(policyOf(held, a)).toEqual(supervisorFilterPolicy('team-a', undefined));
    expect(policyOf(held, b)).toEqual(supervisorFilterPolicy('team-b', undefined));
    expect(policyOf(held, ON_CALL)).toEqual(ON_CALL_FILTER_POLICY);
    expect(held.find((h) => h.endpoint === TEAM_MAILBOX)).toMatchObject({ confirmed: true, filterPolicy: undefined });
    expect(first.calls.filter((c) => c.command === 'ListSubscriptionsByTopicCommand')).toHaveLength(1);

    // Run again before anyone confirms: the pending subscriptions are left alone (no second confirmation email).
    const second = await reconciliation(held);
    expect(await second.run()).toEqual({ kept: 1, awaitingConfirmation: 2, failed: 0 });
    expect(second.calls.map((c) => c.command).filter((c) => c === 'SubscribeCommand')).toEqual([]);

    // supervisor-b confirms, then is suspended: the next run unsubscribes them.
    held.find((h) => h.endpoint === b)!.confirmed = true;
    held.find((h) => h.endpoint === ON_CALL)!.confirmed = true;
    const supervisorB = findDemoUser('supervisor-b')!.sub;
    const before = await t.api('GET', `/users/${supervisorB}`, { token: admin });
    const suspended = await t.api('PATCH', `/users/${supervisorB}`, { token: admin, body: { version: before.body.version, status: 'suspended' } });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    const bArn = held.find((h) => h.endpoint === b)!.arn;
    const third = await reconciliation(held);
    expect(await third.run()).toEqual({ kept: 3, awaitingConfirmation: 0, failed: 0 });
    expect(held.map((h) => h.endpoint).sort()).toEqual([ON_CALL, a, TEAM_MAILBOX].sort());
    expect(third.calls.filter((c) => c.command === 'UnsubscribeCommand').map((c) => c.input['SubscriptionArn'])).toEqual([bArn]);
  });

  it('a failure for one recipient is counted and the others are still kept; the next run puts it right', async () => {
    const a = demoEmail('supervisor-a');
    const held: Held[] = [{ arn: `${TOPIC}:a`, endpoint: a, filterPolicy: JSON.stringify(supervisorFilterPolicy('team-b', undefined)), confirmed: true }];
    const failing = await reconciliation(held, (command, input) => command === 'SetSubscriptionAttributesCommand' && input['SubscriptionArn'] === `${TOPIC}:a`);
    const result = await failing.run();
    expect(result.failed).toBe(1);
    expect(result.kept).toBeGreaterThanOrEqual(1); // supervisor-b (and the on-call address, when the earlier test set it)
    expect(policyOf(held, a)).toEqual(supervisorFilterPolicy('team-b', undefined));
    const retried = await reconciliation(held);
    expect((await retried.run()).failed).toBe(0);
    expect(policyOf(held, a)).toEqual(supervisorFilterPolicy('team-a', undefined));
  });
});
