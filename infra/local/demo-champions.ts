import type { CreateOrganisation } from '../../shared/domain/organisations';
import type { Strand } from '../../shared/domain/strands';

/** Demo organisations and champions for `npm start` (one machine only). Ids are fixed so seeding is idempotent. */
export const demoOrganisations: ReadonlyArray<CreateOrganisation & { id: string }> = [
  { id: 'org-demo-central-mosque', name: 'Central Mosque', kind: 'mosque', neighbourhood: 'City Centre' },
  { id: 'org-demo-st-marys', name: "St Mary's Church", kind: 'church', neighbourhood: 'Northfield' },
  { id: 'org-demo-guru-nanak', name: 'Guru Nanak Gurdwara', kind: 'gurdwara', neighbourhood: 'Eastgate' },
  { id: 'org-demo-riverside-women', name: "Riverside Women's Group", kind: 'community_group', neighbourhood: 'Riverside' },
  { id: 'org-demo-southmead-centre', name: 'Southmead Community Centre', kind: 'community_centre', neighbourhood: 'Southmead' },
];

/** How a demo completion stands on the day of seeding. */
export type DemoTraining = { courseId: string; standing: 'current' | 'expiring' | 'lapsed' };

export interface DemoChampion {
  id: string;
  teamId: 'team-a' | 'team-b';
  /** Demo user whose sign-in identity this champion has, if any (so `GET /champions/me` works for them). */
  username?: string;
  /** Identity for champions without a demo sign-in. */
  identity?: string;
  displayName: string;
  organisationId: string;
  strands: Strand[];
  languages: string[];
  suspended?: boolean;
  training: DemoTraining[];
}

export const demoChampions: readonly DemoChampion[] = [
  {
    id: 'champion-demo-a1', teamId: 'team-a', username: 'champion-a1', displayName: 'Amira K.', organisationId: 'org-demo-central-mosque',
    strands: ['dasv', 'hate_crime'], languages: ['English', 'Arabic', 'Somali'],
    training: [{ courseId: 'course-dasv-ambassador', standing: 'current' }, { courseId: 'course-hate-crime-champion', standing: 'expiring' }],
  },
  {
    id: 'champion-demo-a2', teamId: 'team-a', username: 'champion-a2', displayName: 'Arjun P.', organisationId: 'org-demo-guru-nanak',
    strands: ['dasv', 'hate_crime'], languages: ['English', 'Punjabi', 'Hindi'],
    training: [{ courseId: 'course-dasv-ambassador', standing: 'lapsed' }, { courseId: 'course-hate-crime-champion', standing: 'current' }],
  },
  {
    id: 'champion-demo-a3', teamId: 'team-a', identity: 'demo-champion-a3', displayName: 'Bernadette O.', organisationId: 'org-demo-st-marys',
    strands: ['dasv'], languages: ['English', 'Polish'],
    training: [{ courseId: 'course-safeguarding-refresher', standing: 'expiring' }],
  },
  {
    id: 'champion-demo-a4', teamId: 'team-a', identity: 'demo-champion-a4', displayName: 'Daniel M.', organisationId: 'org-demo-st-marys',
    strands: ['hate_crime'], languages: ['English'],
    training: [],
  },
  {
    id: 'champion-demo-a5', teamId: 'team-a', identity: 'demo-champion-a5', displayName: 'Fatima H.', organisationId: 'org-demo-riverside-women',
    strands: ['dasv', 'hate_crime'], languages: ['English', 'Urdu'],
    training: [{ courseId: 'course-combined-induction', standing: 'current' }],
  },
  {
    id: 'champion-demo-a6', teamId: 'team-a', identity: 'demo-champion-a6', displayName: 'Grace T.', organisationId: 'org-demo-riverside-women',
    strands: ['dasv'], languages: ['English', 'Tigrinya'], suspended: true,
    training: [{ courseId: 'course-dasv-ambassador', standing: 'current' }],
  },
  {
    id: 'champion-demo-b1', teamId: 'team-b', username: 'champion-b1', displayName: 'Bola A.', organisationId: 'org-demo-southmead-centre',
    strands: ['dasv', 'hate_crime'], languages: ['English', 'Yoruba'],
    training: [{ courseId: 'course-combined-induction', standing: 'current' }],
  },
  {
    id: 'champion-demo-b2', teamId: 'team-b', identity: 'demo-champion-b2', displayName: 'Chen L.', organisationId: 'org-demo-southmead-centre',
    strands: ['hate_crime'], languages: ['English', 'Mandarin', 'Cantonese'],
    training: [{ courseId: 'course-hate-crime-champion', standing: 'lapsed' }],
  },
  {
    id: 'champion-demo-b3', teamId: 'team-b', identity: 'demo-champion-b3', displayName: 'Hassan R.', organisationId: 'org-demo-central-mosque',
    strands: ['dasv', 'hate_crime'], languages: ['English', 'Bengali'],
    training: [{ courseId: 'course-dasv-ambassador', standing: 'expiring' }, { courseId: 'course-safeguarding-refresher', standing: 'current' }],
  },
  {
    id: 'champion-demo-b4', teamId: 'team-b', identity: 'demo-champion-b4', displayName: 'Joy N.', organisationId: 'org-demo-st-marys',
    strands: ['dasv'], languages: ['English', 'Swahili'],
    training: [{ courseId: 'course-dasv-ambassador', standing: 'current' }],
  },
  {
    id: 'champion-demo-b5', teamId: 'team-b', identity: 'demo-champion-b5', displayName: 'Kuldeep S.', organisationId: 'org-demo-guru-nanak',
    strands: ['hate_crime'], languages: ['English', 'Punjabi'],
    training: [{ courseId: 'course-hate-crime-champion', standing: 'expiring' }],
  },
  {
    id: 'champion-demo-b6', teamId: 'team-b', identity: 'demo-champion-b6', displayName: 'Magda W.', organisationId: 'org-demo-riverside-women',
    strands: ['dasv'], languages: ['English', 'Polish'],
    training: [{ courseId: 'course-combined-induction', standing: 'lapsed' }],
  },
];
