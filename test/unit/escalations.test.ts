import { describe, expect, it } from 'vitest';
import {
  allowedNext,
  canTransition,
  derivePriority,
  escalationStateSchema,
  needsEmergencyGuidance,
  pointsTowardsMarac,
  referralConsentProblem,
  transitionSchema,
  transitions,
} from '../../shared/domain/escalations';

const states = escalationStateSchema.options;

describe('the escalation state machine', () => {
  it('allows exactly the documented transitions (every pair checked)', () => {
    const legal = new Set([
      'raised→triaged',
      'raised→withdrawn',
      'triaged→referred',
      'triaged→withdrawn',
      'referred→outcome_recorded',
      'outcome_recorded→closed',
    ]);
    for (const from of states) for (const to of states) expect(canTransition(from, to), `${from}→${to}`).toBe(legal.has(`${from}→${to}`));
  });

  it('ends in closed or withdrawn, and every state can reach an end', () => {
    expect(allowedNext('closed')).toEqual([]);
    expect(allowedNext('withdrawn')).toEqual([]);
    const reachesEnd = (s: (typeof states)[number], seen = new Set<string>()): boolean =>
      transitions[s].length === 0 || transitions[s].some((n) => !seen.has(n) && reachesEnd(n, new Set([...seen, s])));
    for (const s of states) expect(reachesEnd(s)).toBe(true);
  });

  it('has a body schema for every state a transition can reach, and only those', () => {
    const targets = new Set(Object.values(transitions).flat());
    const schemaTargets = new Set(transitionSchema.def.options.map((o) => o.shape.to.def.values[0]));
    expect(schemaTargets).toEqual(targets);
  });
});

describe('priority', () => {
  it('derives immediate, high and standard from the reason and risk flags', () => {
    expect(derivePriority('immediate_risk_to_life', [])).toBe('immediate');
    expect(derivePriority('other', ['immediate_danger'])).toBe('immediate');
    expect(derivePriority('children_at_risk', [])).toBe('high');
    expect(derivePriority('asks_for_specialist_support', ['person_is_afraid', 'repeat_incident'])).toBe('high');
    expect(derivePriority('asks_for_specialist_support', ['person_is_afraid'])).toBe('standard');
    expect(derivePriority('wants_to_report_hate_crime', [])).toBe('standard');
  });

  it('puts the 999 guidance first for risk to life or immediate danger', () => {
    expect(needsEmergencyGuidance('immediate_risk_to_life', [])).toBe(true);
    expect(needsEmergencyGuidance('other', ['immediate_danger'])).toBe(true);
    expect(needsEmergencyGuidance('other', ['repeat_incident'])).toBe(false);
  });
});

describe('sharing without consent', () => {
  it('needs consent, except for a risk to life or to children with a recorded justification', () => {
    expect(referralConsentProblem('other', 'yes', undefined)).toBeUndefined();
    expect(referralConsentProblem('adult_at_risk', 'no', 'serious risk')).toMatch(/only for a risk to life or to children/);
    expect(referralConsentProblem('children_at_risk', 'not_asked', undefined)).toMatch(/Enter why the information is shared without consent/);
    expect(referralConsentProblem('children_at_risk', 'no', 'Child disclosed harm at home.')).toBeUndefined();
  });

  it('treats a DASH score of 14 or more as pointing towards MARAC', () => {
    expect(pointsTowardsMarac(13)).toBe(false);
    expect(pointsTowardsMarac(14)).toBe(true);
    expect(pointsTowardsMarac(undefined)).toBe(false);
  });
});
