import type { Role } from '../../shared/domain/roles';

/** The seeded demo users of `npm start` (one machine only; AWS has real Cognito users). */
export interface DemoUser {
  username: string;
  sub: string;
  role: Role;
  team?: string;
  displayName: string;
}

export const demoTeams = [
  { id: 'team-a', name: 'North City DASV team' },
  { id: 'team-b', name: 'South City DASV team' },
] as const;

export const demoUsers: readonly DemoUser[] = [
  { username: 'admin', sub: '5d2c1a9e-0000-4000-8000-00000000ad01', role: 'admin', displayName: 'Alex Admin' },
  { username: 'commissioner', sub: '5d2c1a9e-0000-4000-8000-00000000c001', role: 'commissioner', displayName: 'Casey Commissioner' },
  { username: 'supervisor-a', sub: '5d2c1a9e-0000-4000-8000-00000000a501', role: 'supervisor', team: 'team-a', displayName: 'Sam Supervisor (A)' },
  { username: 'supervisor-b', sub: '5d2c1a9e-0000-4000-8000-00000000b501', role: 'supervisor', team: 'team-b', displayName: 'Sade Supervisor (B)' },
  { username: 'champion-a1', sub: '5d2c1a9e-0000-4000-8000-00000000a101', role: 'champion', team: 'team-a', displayName: 'Amira Champion (A1)' },
  { username: 'champion-a2', sub: '5d2c1a9e-0000-4000-8000-00000000a102', role: 'champion', team: 'team-a', displayName: 'Arjun Champion (A2)' },
  { username: 'champion-b1', sub: '5d2c1a9e-0000-4000-8000-00000000b101', role: 'champion', team: 'team-b', displayName: 'Bola Champion (B1)' },
];

export const findDemoUser = (username: string): DemoUser | undefined => demoUsers.find((u) => u.username === username);
