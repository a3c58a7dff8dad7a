import { isHttpError } from '../../shared/domain/errors';
import { createTeam } from '../../shared/store/team-store';
import { demoTeams, demoUsers, findDemoUser } from './demo-users';

/**
 * Demo data for `npm start`, written through the same store functions (and
 * so with the same audit events) as the API. Safe to run on every start.
 */
export async function seedDemoData(): Promise<{ created: string[] }> {
  const admin = findDemoUser('admin');
  if (!admin) throw new Error('demo admin missing');
  const scope = { principal: { sub: admin.sub, role: admin.role, username: admin.username }, requestId: 'seed' };
  const created: string[] = [];
  for (const team of demoTeams) {
    const supervisors = demoUsers.filter((u) => u.role === 'supervisor' && u.team === team.id).map((u) => u.sub);
    try {
      await createTeam(scope, team.id, { name: team.name, supervisors });
      created.push(team.id);
    } catch (error) {
      if (!(isHttpError(error) && error.status === 409)) throw error;
    }
  }
  return { created };
}
