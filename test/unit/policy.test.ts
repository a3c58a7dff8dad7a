import { describe, expect, it } from 'vitest';
import { actions, authorize, policy } from '../../shared/domain/policy';
import { roles, type Principal } from '../../shared/domain/roles';
import { routes } from '../../shared/api/routes';

const principal = (role: Principal['role'], team?: string): Principal => ({ sub: `${role}-sub`, role, ...(team ? { team } : {}) });

describe('the role policy', () => {
  it('refuses with 403 a role the action does not list', () => {
    expect(authorize(principal('commissioner'), 'teams.create')).toMatchObject({ allowed: false, status: 403 });
    expect(authorize(principal('champion', 'team-a'), 'teams.create')).toMatchObject({ allowed: false, status: 403 });
  });

  it('allows a team-scoped role on its own team and answers 404 for another team', () => {
    const supervisor = principal('supervisor', 'team-a');
    expect(authorize(supervisor, 'teams.list', { teamId: 'team-a' })).toEqual({ allowed: true, scope: 'team' });
    expect(authorize(supervisor, 'teams.list', { teamId: 'team-b' })).toMatchObject({ allowed: false, status: 404 });
  });

  it('never matches a team-scoped principal that has no team', () => {
    expect(authorize(principal('supervisor'), 'teams.list', { teamId: undefined })).toMatchObject({ allowed: false, status: 404 });
  });

  it('allows an any-scoped role on every record', () => {
    expect(authorize(principal('admin'), 'teams.create', { teamId: 'team-z' })).toEqual({ allowed: true, scope: 'any' });
  });

  it('names only the four roles, and every route action is a policy action', () => {
    for (const action of actions) {
      for (const role of Object.keys(policy[action])) expect(roles).toContain(role);
    }
    for (const route of routes) if (route.auth === 'jwt') expect(actions).toContain(route.action);
  });

  it('leaves no protected route without an action, and only /health public', () => {
    expect(routes.filter((r) => r.auth === 'none').map((r) => `${r.method} ${r.path}`)).toEqual(['GET /health']);
    expect(routes.filter((r) => r.auth === 'jwt' && !r.action)).toEqual([]);
  });
});
