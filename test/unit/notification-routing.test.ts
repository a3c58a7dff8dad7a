import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OFFICE_HOURS,
  isOutOfHours,
  matchesFilterPolicy,
  notificationAttributes,
  ON_CALL_FILTER_POLICY,
  receivesNotifications,
  subscriptionPolicyOf,
  supervisorFilterPolicy,
} from '../../shared/domain/notification-routing';

/** Who hears of a concern: office hours in UK time at their edges and across the clock change, and SNS's filter rule. */
describe('office hours (UK time)', () => {
  it.each([
    ['2026-06-03T07:59:59Z', true], // Wednesday 08:59:59 BST
    ['2026-06-03T08:00:00Z', false], // 09:00 BST
    ['2026-06-03T15:59:59Z', false], // 16:59:59 BST
    ['2026-06-03T16:00:00Z', true], // 17:00 BST
    ['2026-12-02T08:59:59Z', true], // Wednesday 08:59:59 GMT
    ['2026-12-02T09:00:00Z', false],
    ['2026-12-05T12:00:00Z', true], // Saturday
    ['2026-03-30T08:30:00Z', false], // the Monday after the clocks go forward: 09:30 BST
  ])('%s out of hours: %s', (at, out) => {
    expect(isOutOfHours(new Date(at), DEFAULT_OFFICE_HOURS)).toBe(out);
  });
});

describe('filter policies', () => {
  const attrs = (priority: 'immediate' | 'high' | 'standard', at: string, teamId = 'team-a') =>
    notificationAttributes({ teamId, priority, createdAt: at }, DEFAULT_OFFICE_HOURS);

  it('a supervisor hears of their own team only, at the priorities chosen (every priority when none chosen)', () => {
    const a = supervisorFilterPolicy('team-a', undefined);
    expect(matchesFilterPolicy(a, attrs('standard', '2026-12-02T10:00:00Z'))).toBe(true);
    expect(matchesFilterPolicy(a, attrs('standard', '2026-12-02T10:00:00Z', 'team-b'))).toBe(false);
    const onlyImmediate = supervisorFilterPolicy('team-a', ['immediate']);
    expect(matchesFilterPolicy(onlyImmediate, attrs('high', '2026-12-02T10:00:00Z'))).toBe(false);
    expect(matchesFilterPolicy(onlyImmediate, attrs('immediate', '2026-12-02T10:00:00Z'))).toBe(true);
    expect(matchesFilterPolicy(supervisorFilterPolicy('team-a', []), attrs('immediate', '2026-12-02T10:00:00Z'))).toBe(false);
  });

  it('the on-call address hears of immediate concerns out of hours only', () => {
    expect(matchesFilterPolicy(ON_CALL_FILTER_POLICY, attrs('immediate', '2026-12-02T18:00:00Z'))).toBe(true);
    expect(matchesFilterPolicy(ON_CALL_FILTER_POLICY, attrs('immediate', '2026-12-02T10:00:00Z'))).toBe(false);
    expect(matchesFilterPolicy(ON_CALL_FILTER_POLICY, attrs('high', '2026-12-02T18:00:00Z'))).toBe(false);
  });

  it('suspended and departed supervisors, and other roles, are never recipients', () => {
    expect(receivesNotifications({ role: 'supervisor', status: 'active' })).toBe(true);
    expect(receivesNotifications({ role: 'supervisor', status: 'suspended' })).toBe(false);
    expect(receivesNotifications({ role: 'supervisor', status: 'left' })).toBe(false);
    expect(receivesNotifications({ role: 'champion', status: 'active' })).toBe(false);
  });

  it('a person\'s subscription follows their record: moved, new priorities, suspended, left', () => {
    const sup = { role: 'supervisor', status: 'active', teamId: 'team-a' as string | null };
    expect(subscriptionPolicyOf(sup)).toEqual({ teamId: ['team-a'], priority: ['immediate', 'high', 'standard'] });
    expect(subscriptionPolicyOf({ ...sup, teamId: 'team-b', notifyPriorities: ['immediate'] })).toEqual({ teamId: ['team-b'], priority: ['immediate'] });
    expect(subscriptionPolicyOf({ ...sup, status: 'suspended' })).toBeNull();
    expect(subscriptionPolicyOf({ ...sup, status: 'left' })).toBeNull();
    expect(subscriptionPolicyOf({ ...sup, role: 'admin', teamId: null })).toBeNull();
  });
});
