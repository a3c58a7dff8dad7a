import type { CreateContact } from '../../shared/domain/contacts';
import type { CreateSupportSession } from '../../shared/domain/support-sessions';
import type { DemoContact } from './demo-contacts';

/**
 * Demo data for the three headline figures (one machine only): support network sessions of both teams every
 * fortnight over the last fifteen months, and a history of contacts from the demo champions over the same
 * months, so that a newcomer sees the three success criteria, with a trend, on first start. Deterministic (the
 * numbers come from the index, not a random source) and with fixed ids, so seeding stays idempotent.
 */

export interface DemoSession {
  id: string;
  supervisor: 'supervisor-a' | 'supervisor-b';
  daysAgo: number;
  input: Omit<CreateSupportSession, 'sessionDate' | 'teamId'>;
}

const HISTORY_DAYS = 455;

export const demoSessions: readonly DemoSession[] = Array.from({ length: Math.floor(HISTORY_DAYS / 14) }, (_, i) => i).flatMap((i) =>
  (['a', 'b'] as const).map((team, t): DemoSession => {
    const women = 7 + ((i * 5 + t * 3) % 8); // 7..14, and rising a little over time
    const grow = Math.floor((Math.floor(HISTORY_DAYS / 14) - i) / 8);
    return {
      id: `session-demo-${team}-${String(i).padStart(3, '0')}`,
      supervisor: team === 'a' ? 'supervisor-a' : 'supervisor-b',
      daysAgo: 7 + i * 14 + t * 3,
      input: {
        venueKind: i % 3 === 0 ? 'place_of_worship' : 'community_centre',
        strands: i % 4 === 0 ? ['dasv', 'hate_crime'] : ['dasv'],
        runBy: i % 5 === 0 ? 'partner_organisation' : 'dasv_team',
        ...(i % 5 === 0 ? { organisationId: team === 'a' ? 'org-demo-riverside-women' : 'org-demo-southmead-centre' } : {}),
        attendance: [
          { gender: 'woman', ageBand: '25_34', count: Math.ceil((women + grow) / 2) },
          { gender: 'woman', ageBand: '35_44', count: Math.floor((women + grow) / 2) },
          ...(i % 3 === 1 ? [{ gender: 'man' as const, count: 1 }] : []),
          ...(i % 7 === 2 ? [{ count: 2 }] : []),
        ],
        referencesPresented: [],
      },
    };
  }),
);

const dasv = (i: number): DemoContact['input'] => ({
  setting: (['place_of_worship', 'community_centre', 'phone', 'home_visit'] as const)[i % 4]!,
  strands: ['dasv'],
  dasvForms: i % 2 === 0 ? ['controlling_or_coercive'] : ['psychological_emotional', 'economic'],
  hateMotivations: [],
  hateIncidentKinds: [],
  demographics: {
    gender: i % 9 === 4 ? 'man' : i % 11 === 7 ? 'prefer_not_to_say' : 'woman',
    ageBand: (['18_24', '25_34', '35_44', '45_54'] as const)[i % 4]!,
    ...(i % 3 === 0 ? { ethnicGroup: (['asian_pakistani', 'black_african', 'white_british', 'other_arab'] as const)[i % 4]!, religion: (['muslim', 'christian', 'no_religion', 'muslim'] as const)[i % 4]! } : {}),
  },
  priorHelp: i % 6 === 5 ? ['police_or_999'] : i % 2 === 0 ? ['none'] : ['family_or_friends'],
  beforePoliceOrEmergency: i % 6 !== 5,
  riskFlags: [],
  signposting: [
    // Two in three are pointed to the support network (both teams), so "signposted, then attended" has figures.
    { serviceId: i % 3 !== 2 ? 'service-support-network' : 'service-da-outreach', mode: 'information_given' },
    ...(i % 3 === 0 ? [{ serviceId: 'service-idva', mode: 'referral_with_consent' as const }] : []),
  ],
} satisfies Omit<CreateContact, 'contactDate' | 'contactReference'>);

/** About one DASV contact every four days across the two teams, back fifteen months. */
export const demoHistoryContacts: readonly DemoContact[] = Array.from({ length: Math.floor(HISTORY_DAYS / 4) }, (_, i): DemoContact => ({
  id: `contact-demo-history-${String(i).padStart(3, '0')}`,
  username: i % 2 === 0 ? 'champion-a1' : 'champion-b1',
  daysAgo: 12 + i * 4,
  input: dasv(i),
}));
