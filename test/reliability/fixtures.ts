import { expect } from 'vitest';
import { hateCrimeContact, ukToday } from '../support/contacts';
import { addMonths, todayUtc } from '../../shared/domain/dates';
import { newIdentity } from '../support/training';
import type { TestEnvironment } from '../support/environment';

export type Owner = 'champion-a1' | 'champion-a2' | 'champion-b1';
export const owners: readonly Owner[] = ['champion-a1', 'champion-a2', 'champion-b1'];
export const teamOf = (owner: Owner) => (owner === 'champion-b1' ? 'team-b' : 'team-a');
export const supervisorOf = (owner: Owner) => (owner === 'champion-b1' ? 'supervisor-b' : 'supervisor-a');
export const championRecordOf = (owner: Owner) => `champion-demo-${owner.slice('champion-'.length)}`;

let unique = 0;
/** A name no other test run has used (names are unique per kind). */
export const uniqueName = (prefix: string) => `${prefix} ${process.pid}-${Date.now().toString(36)}-${unique++}`;

/** Fixtures written over HTTP with real tokens, as their owners would. */
/** A valid support session: last week, run by the DASV team, twelve women and two men. */
export const supportSessionBody = (overrides: Record<string, unknown> = {}) => ({
  sessionDate: ukToday(),
  venueKind: 'community_centre',
  strands: ['dasv'],
  runBy: 'dasv_team',
  attendance: [{ gender: 'woman', ageBand: '25_34', count: 12 }, { gender: 'man', count: 2 }],
  ...overrides,
});

export function fixtures(t: TestEnvironment) {
  const tokens = new Map<string, Promise<string>>();
  const tok = (user: string): Promise<string> => {
    if (!tokens.has(user)) tokens.set(user, t.tokenFor(user));
    return tokens.get(user)!;
  };
  async function ok(method: string, path: string, user: string, body?: unknown) {
    const res = await t.api(method, path, { token: await tok(user), ...(body !== undefined ? { body } : {}) });
    expect(res.status, `${method} ${path} as ${user}: ${res.text}`).toBeLessThan(300);
    return res.body;
  }
  return {
    tok,
    ok,
    /** A hate crime contact (every demo champion with a token holds current hate crime training). */
    contact: (owner: Owner, overrides: Record<string, unknown> = {}) =>
      ok('POST', '/contacts', owner, hateCrimeContact(overrides)) as Promise<{ id: string; version: number; contactReference: string; signposting: { id: string }[] }>,
    async escalation(owner: Owner) {
      const c = await this.contact(owner);
      const e = await ok('POST', `/contacts/${c.id}/escalations`, owner, { reason: 'asks_for_specialist_support', consent: 'yes' });
      return e as { id: string; version: number };
    },
    /** A new champion in the owner's team (added by its supervisor), with a sign-in identity of its own. */
    champion: (owner: Owner, identity = newIdentity(teamOf(owner))) =>
      ok('POST', '/champions', supervisorOf(owner), {
        displayName: uniqueName('Fixture Champion'),
        organisationId: 'org-demo-central-mosque',
        strands: ['dasv', 'hate_crime'],
        identity,
      }) as Promise<{ id: string; version: number; identity: string }>,
    course: () => ok('POST', '/courses', 'admin', { title: uniqueName('Fixture course'), strands: ['dasv'], validityMonths: 24 }) as Promise<{ id: string; version: number }>,
    service: () =>
      ok('POST', '/services', 'admin', { name: uniqueName('Fixture service'), kind: 'advice', strands: ['hate_crime'], languages: [], howToRefer: 'Drop in' }) as Promise<{
        id: string;
        version: number;
      }>,
    /** A support network session of the owner's team (recorded by its supervisor). */
    session: (owner: Owner) =>
      ok('POST', '/support-sessions', supervisorOf(owner), supportSessionBody()) as Promise<{ id: string; version: number }>,
    completion: () => ({ courseId: 'course-hate-crime-champion', completedOn: addMonths(todayUtc(), -1), deliveredBy: 'Reliability suite' }),
    today: ukToday,
  };
}
