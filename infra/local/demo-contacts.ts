import type { CreateContact } from '../../shared/domain/contacts';

/**
 * Demo contacts for `npm start` (one machine only), logged by the demo
 * champions with sign-ins, dated relative to the day of seeding. Ids are fixed
 * so seeding is idempotent. `repeatOf` quotes the reference of an earlier one.
 */
export interface DemoContact {
  id: string;
  username: 'champion-a1' | 'champion-a2' | 'champion-b1';
  daysAgo: number;
  repeatOf?: string;
  input: Omit<CreateContact, 'contactDate' | 'contactReference'>;
}

export const demoContacts: readonly DemoContact[] = [
  {
    id: 'contact-demo-a1-1', username: 'champion-a1', daysAgo: 9,
    input: {
      setting: 'place_of_worship', strands: ['dasv'], dasvForms: ['controlling_or_coercive', 'economic'], hateMotivations: [], hateIncidentKinds: [],
      demographics: { ageBand: '25_34', gender: 'woman', language: 'Arabic', interpreterNeeded: false }, priorHelp: ['family_or_friends'],
      beforePoliceOrEmergency: true, riskFlags: ['children_in_household'],
      signposting: [{ serviceId: 'service-national-da-helpline', mode: 'information_given' }, { serviceId: 'service-da-outreach', mode: 'referral_with_consent' }],
      note: 'Worried about money being controlled; wants to talk to someone in Arabic first.',
    },
  },
  {
    id: 'contact-demo-a1-2', username: 'champion-a1', daysAgo: 3, repeatOf: 'contact-demo-a1-1',
    input: {
      setting: 'phone', strands: ['dasv'], dasvForms: ['controlling_or_coercive', 'psychological_emotional'], hateMotivations: [], hateIncidentKinds: [],
      demographics: { ageBand: '25_34', gender: 'woman' }, priorHelp: ['other_service'], beforePoliceOrEmergency: true,
      riskFlags: ['children_in_household', 'repeat_incident', 'person_is_afraid'],
      signposting: [{ serviceId: 'service-idva', mode: 'referral_with_consent' }],
    },
  },
  {
    id: 'contact-demo-a1-3', username: 'champion-a1', daysAgo: 1,
    input: {
      setting: 'community_centre', strands: ['hate_crime'], dasvForms: [], hateMotivations: ['religion_or_belief'], hateIncidentKinds: ['verbal_abuse', 'threats'],
      demographics: { ageBand: '45_54', gender: 'man', ethnicGroup: 'black_african', religion: 'muslim' }, priorHelp: ['none'], beforePoliceOrEmergency: true, riskFlags: [],
      signposting: [{ serviceId: 'service-tell-mama', mode: 'information_given' }, { serviceId: 'service-true-vision', mode: 'information_given' }],
    },
  },
  {
    id: 'contact-demo-b1-1', username: 'champion-b1', daysAgo: 6,
    input: {
      setting: 'online_messaging', strands: ['dasv', 'hate_crime'], dasvForms: ['technology_facilitated', 'stalking_harassment'],
      hateMotivations: ['sexual_orientation'], hateIncidentKinds: ['online_abuse', 'harassment'],
      demographics: { ageBand: '18_24', gender: 'non_binary' }, priorHelp: ['police_or_999'], beforePoliceOrEmergency: false, riskFlags: ['person_is_afraid'],
      signposting: [{ serviceId: 'service-galop', mode: 'referral_with_consent' }],
    },
  },
  {
    id: 'contact-demo-b1-2', username: 'champion-b1', daysAgo: 2,
    input: {
      setting: 'home_visit', strands: ['dasv'], dasvForms: ['physical', 'violent_or_threatening'], hateMotivations: [], hateIncidentKinds: [],
      demographics: { ageBand: '35_44', gender: 'woman', language: 'Yoruba', interpreterNeeded: true }, priorHelp: ['none'],
      beforePoliceOrEmergency: true, riskFlags: ['immediate_danger', 'children_in_household'],
      signposting: [{ serviceId: 'service-police', mode: 'information_given' }, { serviceId: 'service-refuge', mode: 'referral_with_consent' }],
    },
  },
];
