import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, isoDateSchema, todayUtc } from '../../shared/domain/dates';
import { describeCourseChange, type Course } from '../../shared/domain/courses';
import { championSelf, championView, matchesChampionFilter, type Champion } from '../../shared/domain/champions';
import {
  courseLookup,
  expiryOf,
  qualifiedStrands,
  statusOn,
  strandTraining,
  trainingGate,
  type ChampionTrainingFacts,
  type CourseValidity,
} from '../../shared/domain/training';
import { neighbourhoodSchema } from '../../shared/domain/organisations';

const courses: CourseValidity[] = [
  { id: 'course-dasv', strands: ['dasv'], validityMonths: 12 },
  { id: 'course-hate', strands: ['hate_crime'], validityMonths: 24 },
  { id: 'course-both', strands: ['dasv', 'hate_crime'], validityMonths: 6 },
];
const lookup = courseLookup(courses);

const champion = (over: Partial<ChampionTrainingFacts> = {}): ChampionTrainingFacts => ({
  status: 'active',
  strands: ['dasv', 'hate_crime'],
  training: [],
  ...over,
});

describe('dates', () => {
  it('adds months, clamping to the end of a shorter month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2024-11-15', 3)).toBe('2025-02-15');
    expect(addMonths('2025-01-10', -13)).toBe('2023-12-10');
  });

  it('adds days and counts days between dates', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2024-12-31', '2025-01-30')).toBe(30);
    expect(daysBetween('2025-01-30', '2024-12-31')).toBe(-30);
  });

  it('accepts only real YYYY-MM-DD calendar dates', () => {
    expect(isoDateSchema.safeParse('2024-02-29').success).toBe(true);
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-5', '05/01/2024', '2024-04-31', '2024-02-29T00:00:00Z']) {
      expect(isoDateSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('takes today as the UTC date', () => {
    expect(todayUtc(new Date('2025-06-30T23:30:00-02:00'))).toBe('2025-07-01');
  });
});

describe('expiry and status', () => {
  it('derives expiry from the completion date and the course validity', () => {
    expect(expiryOf('2024-01-31', 1)).toBe('2024-02-29');
    expect(expiryOf('2024-05-10', 24)).toBe('2026-05-10');
  });

  it('is current, expiring within the window (inclusive), then lapsed the day after expiry', () => {
    expect(statusOn('2025-03-01', '2025-01-29')).toBe('current'); // 31 days left
    expect(statusOn('2025-03-01', '2025-01-30')).toBe('expiring'); // 30 days left
    expect(statusOn('2025-03-01', '2025-03-01')).toBe('expiring'); // expires today
    expect(statusOn('2025-03-01', '2025-03-02')).toBe('lapsed'); // expired yesterday
  });

  it('has a configurable expiring window', () => {
    expect(statusOn('2025-03-01', '2025-02-01', 7)).toBe('current');
    expect(statusOn('2025-03-01', '2025-02-22', 7)).toBe('expiring');
    expect(statusOn('2025-03-01', '2025-01-01', 90)).toBe('expiring');
  });

  it('takes the completion that lasts longest, from any course covering the strand', () => {
    const training = [
      { courseId: 'course-dasv', completedOn: '2024-01-10' }, // dasv until 2025-01-10
      { courseId: 'course-both', completedOn: '2024-09-01' }, // both until 2025-03-01
      { courseId: 'course-hate', completedOn: '2022-01-01' }, // hate until 2024-01-01
    ];
    expect(strandTraining(training, lookup, 'dasv', '2024-12-01')).toEqual({
      strand: 'dasv',
      status: 'current',
      expiresOn: '2025-03-01',
      courseId: 'course-both',
    });
    expect(strandTraining(training, lookup, 'hate_crime', '2025-02-15')).toMatchObject({ status: 'expiring', expiresOn: '2025-03-01' });
    expect(strandTraining(training, lookup, 'hate_crime', '2025-03-02')).toMatchObject({ status: 'lapsed', expiresOn: '2025-03-01' });
  });

  it('is never trained with no covering completion, and ignores completions after the date or of unknown courses', () => {
    const training = [
      { courseId: 'course-hate', completedOn: '2024-06-01' },
      { courseId: 'course-gone', completedOn: '2024-06-01' },
      { courseId: 'course-dasv', completedOn: '2024-07-01' },
    ];
    expect(strandTraining(training, lookup, 'dasv', '2024-06-30')).toEqual({ strand: 'dasv', status: 'never_trained', expiresOn: null, courseId: null });
    expect(strandTraining(training, lookup, 'dasv', '2024-07-01').status).toBe('current');
  });

  it('follows a change of course validity for completions already recorded', () => {
    const training = [{ courseId: 'course-dasv', completedOn: '2023-06-01' }];
    expect(strandTraining(training, lookup, 'dasv', '2024-09-01').status).toBe('lapsed');
    const longer = courseLookup([{ id: 'course-dasv', strands: ['dasv'], validityMonths: 24 }]);
    expect(strandTraining(training, longer, 'dasv', '2024-09-01')).toMatchObject({ status: 'current', expiresOn: '2025-06-01' });
  });
});

describe('the training gate', () => {
  const trained = champion({ training: [{ courseId: 'course-dasv', completedOn: '2024-03-15' }] }); // dasv until 2025-03-15

  it('qualifies on the day the training expires', () => {
    expect(trainingGate(trained, lookup, 'dasv', '2025-03-15')).toEqual({
      qualified: true,
      strand: 'dasv',
      on: '2025-03-15',
      expiresOn: '2025-03-15',
      courseId: 'course-dasv',
    });
  });

  it('does not qualify the day after it expired', () => {
    expect(trainingGate(trained, lookup, 'dasv', '2025-03-16')).toMatchObject({ qualified: false, reason: 'lapsed' });
  });

  it('qualifies from the day of completion, not before', () => {
    expect(trainingGate(trained, lookup, 'dasv', '2024-03-15').qualified).toBe(true);
    expect(trainingGate(trained, lookup, 'dasv', '2024-03-14')).toMatchObject({ qualified: false, reason: 'never_trained' });
  });

  it('never qualifies a suspended champion, however current the training', () => {
    expect(trainingGate({ ...trained, status: 'suspended' }, lookup, 'dasv', '2024-06-01')).toMatchObject({ qualified: false, reason: 'suspended' });
    expect(qualifiedStrands({ ...trained, status: 'suspended' }, lookup, '2024-06-01')).toEqual([]);
  });

  it('does not qualify for a strand the champion does not serve, nor one never trained for', () => {
    const dasvOnly = champion({ strands: ['dasv'], training: [{ courseId: 'course-both', completedOn: '2024-03-15' }] });
    expect(trainingGate(dasvOnly, lookup, 'hate_crime', '2024-04-01')).toMatchObject({ qualified: false, reason: 'strand_not_served' });
    expect(trainingGate(trained, lookup, 'hate_crime', '2024-04-01')).toMatchObject({ qualified: false, reason: 'never_trained' });
    expect(qualifiedStrands(trained, lookup, '2024-04-01')).toEqual(['dasv']);
  });
});

describe('champion views and filters', () => {
  const record: Champion = {
    id: 'champion-x',
    teamId: 'team-a',
    displayName: 'X',
    organisationId: 'org-x',
    strands: ['dasv', 'hate_crime'],
    languages: [],
    identity: 'sub-x',
    status: 'active',
    training: [{ completionId: 'c1', courseId: 'course-hate', completedOn: '2023-01-01' }],
    createdAt: '',
    updatedAt: '',
    version: 1,
  };
  const view = championView(record, lookup, '2024-12-15', 30);

  it('shows status per strand served and the strands open on the day, without the raw summary', () => {
    expect(view.trainingStatus).toEqual([
      { strand: 'dasv', status: 'never_trained', expiresOn: null, courseId: null },
      { strand: 'hate_crime', status: 'expiring', expiresOn: '2025-01-01', courseId: 'course-hate' },
    ]);
    expect(view.qualifiedStrands).toEqual(['hate_crime']);
    expect(view).not.toHaveProperty('training');
  });

  it('matches training status within the strand asked for, or in any strand', () => {
    expect(matchesChampionFilter(view, { trainingStatus: 'never_trained' })).toBe(true);
    expect(matchesChampionFilter(view, { trainingStatus: 'never_trained', strand: 'hate_crime' })).toBe(false);
    expect(matchesChampionFilter(view, { trainingStatus: 'expiring', strand: 'hate_crime' })).toBe(true);
    expect(matchesChampionFilter(view, { status: 'suspended' })).toBe(false);
  });

  it("gives the champion their own page: the completions with their course's expiry, and the strands open today with the day each runs out", () => {
    const catalogue: Course[] = [{ id: 'course-hate', title: 'Hate crime reporting', strands: ['hate_crime'], validityMonths: 24, createdAt: '', updatedAt: '', version: 1 }];
    const completion = { id: 'c1', championId: 'champion-x', teamId: 'team-a', courseId: 'course-hate', completedOn: '2023-01-01', deliveredBy: 'T', recordedBy: 's', recordedAt: '' };
    const gone = { ...completion, id: 'c2', courseId: 'course-gone' };
    const self = championSelf(record, catalogue, { items: [completion, gone], nextCursor: null }, '2024-12-15', 30);
    expect(self.mayLogContactsFor).toEqual([{ strand: 'hate_crime', label: 'Hate crime', until: '2025-01-01' }]);
    expect(self.training.items.map((c) => [c.id, c.status, c.expiresOn])).toEqual([['c1', 'expiring', '2025-01-01'], ['c2', 'unknown_course', null]]);
    expect(self.champion.uiLanguage).toBe('en');
    expect(self.asOf).toBe('2024-12-15');
  });
});

describe('course changes and organisations', () => {
  const before: Course = { id: 'course-a', title: 'A', strands: ['dasv'], validityMonths: 12, createdAt: '', updatedAt: '', version: 1 };

  it('says what a new validity does to the completions recorded', () => {
    const effect = describeCourseChange(before, { ...before, validityMonths: 24, version: 2 }, 3);
    expect(effect).toContain('3 completions');
    expect(effect).toContain('24 months (was 12)');
    expect(describeCourseChange(before, { ...before, title: 'B' }, 1)).toMatch(/No change/);
  });

  it('takes a neighbourhood, never an address or postcode', () => {
    expect(neighbourhoodSchema.safeParse('Northfield').success).toBe(true);
    expect(neighbourhoodSchema.safeParse('Ward 7 area').success).toBe(true);
    expect(neighbourhoodSchema.safeParse('12 Acacia Avenue').success).toBe(false);
    expect(neighbourhoodSchema.safeParse('Eastgate B12 9QT').success).toBe(false);
  });
});
