import { describe, expect, it } from 'vitest';
import { contactConsistency, contactDateProblem, contactReferenceSchema, correctable, createContactSchema } from '../../shared/domain/contacts';
import { ukDate } from '../../shared/domain/dates';
import { newContactReference } from '../../shared/domain/contact-reference';
import { unusableService, type Service } from '../../shared/domain/services';

const base = {
  contactDate: '2026-11-20',
  setting: 'phone',
  strands: ['dasv'],
  dasvForms: ['economic'],
  priorHelp: ['none'],
  beforePoliceOrEmergency: true,
  signposting: [{ serviceId: 'service-idva', mode: 'information_given' }],
};

describe('the contact schema', () => {
  it('fills defaults and accepts a minimal DASV contact', () => {
    const parsed = createContactSchema.parse(base);
    expect(parsed).toMatchObject({ hateMotivations: [], hateIncidentKinds: [], riskFlags: [], demographics: {} });
  });

  it('names the note and the kind of personal data, never the value', () => {
    const result = createContactSchema.safeParse({ ...base, note: 'her email is jane@example.com' });
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path).toEqual(['note']);
    expect(issue?.message).toContain('an email address at character 14');
    expect(issue?.message).not.toContain('jane');
  });

  it('keeps the taxonomy of each strand to contacts of that strand', () => {
    expect(contactConsistency({ strands: ['hate_crime'], dasvForms: ['fgm'], hateMotivations: [], hateIncidentKinds: ['threats'] }).map((i) => i.path)).toEqual([
      'dasvForms',
      'hateMotivations',
    ]);
    expect(contactConsistency({ strands: ['dasv', 'hate_crime'], dasvForms: ['fgm'], hateMotivations: ['disability'], hateIncidentKinds: ['threats'] })).toEqual([]);
  });

  it('reads a reference as typed, and tells a bad check character from a bad format', () => {
    const issued = newContactReference();
    expect(contactReferenceSchema.parse(issued.toLowerCase().replace(/-/g, ' '))).toBe(issued);
    expect(contactReferenceSchema.safeParse('hello').error?.issues[0]?.message).toMatch(/Enter the reference in the format WM-/);
  });
});

describe('dates and windows', () => {
  it('uses the UK date: 00:30 BST is already tomorrow', () => {
    const now = new Date('2026-07-01T23:30:00Z');
    expect(ukDate(now)).toBe('2026-07-02');
    expect(contactDateProblem('2026-07-02', now, 30)).toBeUndefined();
    expect(contactDateProblem('2026-07-03', now, 30)).toBe('must be today or in the past');
    expect(contactDateProblem('2026-06-02', now, 30)).toBeUndefined();
    expect(contactDateProblem('2026-06-01', now, 30)).toMatch(/within the last 30 days/);
  });

  it('allows corrections for 24 hours after logging', () => {
    const createdAt = '2026-07-01T10:00:00.000Z';
    expect(correctable({ createdAt }, new Date('2026-07-02T09:59:59Z'))).toBe(true);
    expect(correctable({ createdAt }, new Date('2026-07-02T10:00:00Z'))).toBe(false);
  });
});

describe('choosing a service', () => {
  const service = { id: 'service-x', status: 'active', strands: ['hate_crime'] } as Service;
  it('must exist, be active and serve a strand of the contact', () => {
    expect(unusableService(undefined, ['dasv'])).toMatch(/Select a service from the directory/);
    expect(unusableService({ ...service, status: 'retired' }, ['hate_crime'])).toMatch(/retired/);
    expect(unusableService(service, ['dasv'])).toMatch(/Select a service that serves what the contact is about/);
    expect(unusableService(service, ['dasv', 'hate_crime'])).toBeUndefined();
  });
});
