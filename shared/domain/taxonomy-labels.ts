/**
 * The fixed taxonomies of the brief, each defined once: its values and their
 * human labels. Plain data, without zod, so that the web app can show the
 * labels without shipping a validator; taxonomies.ts builds the schemas the
 * API validates with from these very lists, and the metric definitions and
 * the docs read them too.
 */
function taxonomy<const T extends readonly [string, ...string[]]>(values: T, labels: Record<T[number], string>) {
  return { values, labels };
}

/** Domestic Abuse Act 2021 definition plus related forms. */
export const dasvForms = taxonomy(
  [
    'physical',
    'sexual',
    'violent_or_threatening',
    'controlling_or_coercive',
    'economic',
    'psychological_emotional',
    'stalking_harassment',
    'technology_facilitated',
    'honour_based',
    'forced_marriage',
    'fgm',
  ],
  {
    physical: 'Physical abuse',
    sexual: 'Sexual abuse',
    violent_or_threatening: 'Violent or threatening behaviour',
    controlling_or_coercive: 'Controlling or coercive behaviour',
    economic: 'Economic abuse',
    psychological_emotional: 'Psychological or emotional abuse',
    stalking_harassment: 'Stalking or harassment',
    technology_facilitated: 'Technology-facilitated abuse',
    honour_based: 'Honour-based abuse',
    forced_marriage: 'Forced marriage',
    fgm: 'Female genital mutilation (FGM)',
  },
);

/** What a hate incident is perceived to be motivated by: the monitored strands of hate crime (England and Wales), plus "other or not sure". Not to be confused with the strands of Waymark's work (strands.ts). */
export const hateMotivations = taxonomy(
  ['race_or_ethnicity', 'religion_or_belief', 'sexual_orientation', 'disability', 'transgender_identity', 'other_or_not_sure'],
  {
    race_or_ethnicity: 'Race or ethnicity',
    religion_or_belief: 'Religion or belief',
    sexual_orientation: 'Sexual orientation',
    disability: 'Disability',
    transgender_identity: 'Transgender identity',
    other_or_not_sure: 'Other or not sure',
  },
);

export const hateIncidentKinds = taxonomy(
  ['verbal_abuse', 'threats', 'physical_assault', 'damage_to_property', 'online_abuse', 'harassment'],
  {
    verbal_abuse: 'Verbal abuse',
    threats: 'Threats',
    physical_assault: 'Physical assault',
    damage_to_property: 'Damage to property',
    online_abuse: 'Online abuse',
    harassment: 'Harassment',
  },
);

export const settings = taxonomy(
  ['place_of_worship', 'community_centre', 'school_college', 'workplace', 'home_visit', 'phone', 'online_messaging', 'public_place', 'other'],
  {
    place_of_worship: 'Place of worship',
    community_centre: 'Community centre',
    school_college: 'School or college',
    workplace: 'Workplace',
    home_visit: 'Home visit',
    phone: 'Phone',
    online_messaging: 'Online or messaging',
    public_place: 'Public place',
    other: 'Other',
  },
);

/** Kinds of service in the directory (the brief's seed list, grouped by what they are). */
export const serviceKinds = taxonomy(
  [
    'police',
    'idva',
    'da_outreach',
    'refuge',
    'national_helpline',
    'marac',
    'childrens_safeguarding',
    'adult_safeguarding',
    'sarc_isva',
    'victim_support',
    'hate_crime_reporting',
    'specialist_hate_crime_support',
    'forced_marriage_honour',
    'advice',
    'health',
    'housing',
    'support_network',
  ],
  {
    police: 'Police (999 / 101)',
    idva: 'IDVA service',
    da_outreach: 'Local domestic abuse outreach',
    refuge: 'Refuge',
    national_helpline: 'National helpline',
    marac: 'MARAC (via the DASV team)',
    childrens_safeguarding: "Children's safeguarding (MASH)",
    adult_safeguarding: 'Adult safeguarding',
    sarc_isva: 'Sexual assault referral centre (SARC) / ISVA',
    victim_support: 'Victim support',
    hate_crime_reporting: 'Hate crime reporting',
    specialist_hate_crime_support: 'Specialist hate crime support',
    forced_marriage_honour: 'Forced marriage and honour-based abuse',
    advice: 'Advice',
    health: 'GP or health',
    housing: 'Housing options',
    support_network: 'Peer support network (DASV team)',
  },
);

export const ageBands = taxonomy(['under_16', '16_17', '18_24', '25_34', '35_44', '45_54', '55_64', '65_plus'], {
  under_16: 'Under 16',
  '16_17': '16–17',
  '18_24': '18–24',
  '25_34': '25–34',
  '35_44': '35–44',
  '45_54': '45–54',
  '55_64': '55–64',
  '65_plus': '65 or over',
});

export const genders = taxonomy(['woman', 'man', 'non_binary', 'self_described', 'prefer_not_to_say'], {
  woman: 'Woman',
  man: 'Man',
  non_binary: 'Non-binary',
  self_described: 'Prefers to self-describe',
  prefer_not_to_say: 'Prefers not to say',
});

/** Whether the person had sought help before, and from whom. */
export const priorHelp = taxonomy(['none', 'family_or_friends', 'police_or_999', 'other_service'], {
  none: 'None',
  family_or_friends: 'Family or friends',
  police_or_999: 'Police or 999',
  other_service: 'Another service',
});

export const riskFlags = taxonomy(['immediate_danger', 'children_in_household', 'repeat_incident', 'person_is_afraid'], {
  immediate_danger: 'Immediate danger',
  children_in_household: 'Children in the household',
  repeat_incident: 'Repeat incident',
  person_is_afraid: 'Person is afraid',
});

export const signpostingModes = taxonomy(['information_given', 'referral_with_consent'], {
  information_given: 'Information given',
  referral_with_consent: 'Referral made with consent',
});

export const signpostingOutcomes = taxonomy(['engaged', 'did_not_engage', 'unknown'], {
  engaged: 'Engaged',
  did_not_engage: 'Did not engage',
  unknown: 'Unknown',
});

/** The strands of Waymark's work (strands.ts holds their schema). */
export const strands = taxonomy(['dasv', 'hate_crime'], {
  dasv: 'Domestic abuse and sexual violence (DASV)',
  hate_crime: 'Hate crime',
});

/** Why a champion raises a concern (escalations.ts holds the state machine and the schemas). */
export const escalationReasons = taxonomy(
  [
    'immediate_risk_to_life',
    'children_at_risk',
    'adult_at_risk',
    'high_risk_indicators',
    'asks_for_specialist_support',
    'wants_to_report_hate_crime',
    'other',
  ],
  {
    immediate_risk_to_life: 'Immediate risk to life',
    children_at_risk: 'Children at risk',
    adult_at_risk: 'Adult at risk',
    high_risk_indicators: 'High-risk indicators',
    asks_for_specialist_support: 'The person asks for specialist support',
    wants_to_report_hate_crime: 'The person wants to report a hate crime',
    other: 'Other',
  },
);

/** The outcome of a referral, as the DASV team records it. */
export const escalationOutcomes = taxonomy(['accepted_by_service', 'declined_by_service', 'person_declined', 'unable_to_contact'], {
  accepted_by_service: 'Accepted by the service',
  declined_by_service: 'Declined by the service',
  person_declined: 'The person declined',
  unable_to_contact: 'Unable to contact',
});

/** What to tell the champion before anything else when life is at risk. */
export const CALL_999_GUIDANCE =
  'If anyone is in immediate danger, call 999 now. If speaking would put the person at risk, call 999 and press 55 when prompted (Silent Solution). This concern is recorded, but recording it does not summon help.';

/**
 * Sharing without consent. Information may be shared with a service without
 * the person's consent only where there is a risk to life or to children
 * (the safeguarding exceptions), and the supervisor must record why.
 */
export const SHARING_WITHOUT_CONSENT_REASONS: readonly (typeof escalationReasons.values)[number][] = ['immediate_risk_to_life', 'children_at_risk'];

/**
 * Ethnic group: the 19 categories of the 2021 Census of England and Wales (ONS), grouped under their five
 * high-level groups, plus "prefer not to say", so that figures can stand beside census denominators.
 * Closed: no free text ("any other" categories have no write-in here).
 */
export const ethnicGroups = taxonomy(
  [
    'asian_bangladeshi',
    'asian_chinese',
    'asian_indian',
    'asian_pakistani',
    'asian_other',
    'black_african',
    'black_caribbean',
    'black_other',
    'mixed_white_asian',
    'mixed_white_black_african',
    'mixed_white_black_caribbean',
    'mixed_other',
    'white_british',
    'white_irish',
    'white_gypsy_irish_traveller',
    'white_roma',
    'white_other',
    'other_arab',
    'other_any',
    'prefer_not_to_say',
  ],
  {
    asian_bangladeshi: 'Asian, Asian British or Asian Welsh: Bangladeshi',
    asian_chinese: 'Asian, Asian British or Asian Welsh: Chinese',
    asian_indian: 'Asian, Asian British or Asian Welsh: Indian',
    asian_pakistani: 'Asian, Asian British or Asian Welsh: Pakistani',
    asian_other: 'Asian, Asian British or Asian Welsh: Other Asian',
    black_african: 'Black, Black British, Black Welsh, Caribbean or African: African',
    black_caribbean: 'Black, Black British, Black Welsh, Caribbean or African: Caribbean',
    black_other: 'Black, Black British, Black Welsh, Caribbean or African: Other Black',
    mixed_white_asian: 'Mixed or Multiple ethnic groups: White and Asian',
    mixed_white_black_african: 'Mixed or Multiple ethnic groups: White and Black African',
    mixed_white_black_caribbean: 'Mixed or Multiple ethnic groups: White and Black Caribbean',
    mixed_other: 'Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups',
    white_british: 'White: English, Welsh, Scottish, Northern Irish or British',
    white_irish: 'White: Irish',
    white_gypsy_irish_traveller: 'White: Gypsy or Irish Traveller',
    white_roma: 'White: Roma',
    white_other: 'White: Other White',
    other_arab: 'Other ethnic group: Arab',
    other_any: 'Other ethnic group: Any other ethnic group',
    prefer_not_to_say: 'Prefers not to say',
  },
);

/** Religion: the categories of the 2021 Census of England and Wales (ONS), plus "prefer not to say" (the census's question was voluntary). */
export const religions = taxonomy(
  ['no_religion', 'christian', 'buddhist', 'hindu', 'jewish', 'muslim', 'sikh', 'other_religion', 'prefer_not_to_say'],
  {
    no_religion: 'No religion',
    christian: 'Christian',
    buddhist: 'Buddhist',
    hindu: 'Hindu',
    jewish: 'Jewish',
    muslim: 'Muslim',
    sikh: 'Sikh',
    other_religion: 'Other religion',
    prefer_not_to_say: 'Prefers not to say',
  },
);
