import { describe, expect, it } from 'vitest';
import { allCounters, cellKey, contributions, difference, distinctCounters, journeyCounters, metricDefinitions, referenceGender, periodOf, quantileFromBuckets, sumContributions, triageDelayBuckets } from '../../shared/domain/metrics';
import { buildReport, csvField, reportQuerySchema, resolveReportRequest, toCsv } from '../../shared/domain/reports';
import { actionsOf, groupsOf, partsOf, unitsOf } from '../../shared/store/aggregates';
import { DEFAULT_DISCLOSURE } from '../../shared/domain/disclosure';

const contact = (over: Record<string, unknown> = {}) => ({
  type: 'contact', id: 'contact-1', status: 'active', contactDate: '2026-05-10', strands: ['dasv', 'hate_crime'], teamId: 'team-a',
  setting: 'phone', demographics: { community: ' Somali ', gender: 'woman', ethnicGroup: 'black_african' }, beforePoliceOrEmergency: true, contactReference: 'WM-AAAA-AA', ...over,
});

describe('metric definitions and contributions', () => {
  it('every metric has a definition, the rule it counts by and its dimensions', () => {
    for (const m of metricDefinitions) {
      expect(m.definition.length, m.id).toBeGreaterThan(20);
      expect(m.counts.length, m.id).toBeGreaterThan(20);
      expect(m.series.length, m.id).toBeGreaterThan(0);
    }
    expect(new Set(metricDefinitions.map((m) => m.id)).size).toBe(metricDefinitions.length);
  });

  it('a contact counts once overall and once per strand, team, gender, age band, ethnic group, religion and setting; a legacy free-text community counts nowhere; deleted contacts and other items count nothing', () => {
    const c = contributions(contact());
    const k = (dim: string, value: string, metric = 'contacts') => cellKey({ metric: metric as never, dim: dim as never, value, periodKind: 'month', period: '2026-05', series: '*' });
    const placements = [['all', '*'], ['strand', 'dasv'], ['strand', 'hate_crime'], ['team', 'team-a'], ['gender', 'woman'], ['ageBand', 'not_recorded'], ['ethnicGroup', 'black_african'], ['religion', 'not_recorded'], ['setting', 'phone']];
    for (const [dim, value] of placements) {
      expect(c.counters.get(k(dim!, value!)), `${dim} ${value}`).toBe(1);
    }
    // A woman's DASV contact before any police involvement: success criterion 3.
    expect(c.counters.get(k('all', '*', 'women_earlier_help'))).toBe(1);
    expect(c.counters.get(k('ageBand', 'not_recorded', 'women_earlier_help'))).toBe(1);
    expect([...c.counters.keys(), ...c.references.keys()].filter((key) => /somali/i.test(key))).toEqual([]);
    expect(c.references.size).toBe(3 * placements.length); // month, quarter, year × the placements
    expect(contributions(contact({ status: 'deleted' })).counters.size).toBe(0);
    for (const type of ['idempotency', 'team', 'service', 'champion', 'contactReference', 'course']) expect(contributions({ ...contact(), type }).counters.size).toBe(0);
  });

  it('distinct attendees: a reference shown at two sessions of a quarter counts once in the quarter and year, once in each month; a cancelled session counts nothing', () => {
    const session = (id: string, sessionDate: string, referencesPresented: string[], status = 'active') => ({
      type: 'supportSession', id, status, sessionDate, teamId: 'team-b', strands: ['dasv'], attendance: [{ gender: 'woman', count: 9 }], referencesPresented,
    });
    const sessions = [
      session('s1', '2026-04-02', ['WM-2345-6C', 'WM-7Q8R-9D']),
      session('s2', '2026-05-20', ['WM-2345-6C', 'WM-2345-6C']), // shown twice at one session: still one
      session('s3', '2026-05-27', ['WM-K4M7-2F'], 'cancelled'),
    ];
    const distinct = distinctCounters(sumContributions(sessions.map((s) => contributions(s))).references);
    const k = (periodKind: 'month' | 'quarter' | 'year', period: string, dim = 'all', value = '*') =>
      cellKey({ metric: 'support_network_attendees', dim: dim as never, value, periodKind, period, series: '*' });
    expect(distinct.get(k('month', '2026-04'))).toBe(2);
    expect(distinct.get(k('month', '2026-05'))).toBe(1);
    expect(distinct.get(k('quarter', '2026-Q2'))).toBe(2);
    expect(distinct.get(k('year', '2026'))).toBe(2);
    expect(distinct.get(k('quarter', '2026-Q2', 'team', 'team-b'))).toBe(2);
    expect(distinct.get(k('quarter', '2026-Q2', 'strand', 'dasv'))).toBe(2);
    // Attendees are distinct from the people supported: the contacts' distinct references are not touched.
    expect([...distinct.keys()].some((key) => key.startsWith('contact_references'))).toBe(false);
  });

  describe('journeys: records joined under one contact reference', () => {
    const REF = 'WM-2345-6C';
    const session = (id: string, sessionDate: string, referencesPresented: string[], teamId = 'team-b', status = 'active') => ({
      type: 'supportSession', id, status, sessionDate, teamId, strands: ['dasv'], attendance: [{ gender: 'woman', count: 9 }], referencesPresented,
    });
    const signposting = (contactDate: string, serviceKind = 'support_network', contactReference = REF) => ({
      type: 'signposting', id: `sp-${contactDate}-${serviceKind}`, contactStatus: 'active', contactDate, teamId: 'team-a', strands: ['dasv'], serviceKind, mode: 'referral_with_consent', contactReference,
    });
    const person = (gender: string | undefined, id = 'c1') => contact({ id, contactReference: REF, demographics: gender ? { gender } : {} });
    const k = (metric: string, dim: string, value: string, period: string, periodKind: 'month' | 'quarter' | 'year' = 'month') =>
      cellKey({ metric: metric as never, dim: dim as never, value, periodKind, period, series: '*' });
    const figures = (items: Array<Record<string, unknown>>) => allCounters(sumContributions(items.map((i) => contributions(i))));

    it('signposted, then attended: counted once, in the month of the first session on a later day than the earliest signposting', () => {
      const f = figures([person('woman'), signposting('2026-03-10'), session('s0', '2026-03-10', [REF]), session('s1', '2026-04-02', [REF]), session('s2', '2026-06-20', [REF], 'team-c')]);
      expect(f.get(k('signposted_then_attended', 'all', '*', '2026-04'))).toBe(1); // the same day does not count; April is the first after
      expect(f.get(k('signposted_then_attended', 'team', 'team-b', '2026-04'))).toBe(1);
      expect(f.get(k('signposted_then_attended', 'gender', 'woman', '2026-04'))).toBe(1);
      expect(f.get(k('signposted_then_attended', 'strand', 'dasv', '2026-04'))).toBe(1);
      expect([...f.keys()].filter((key) => key.startsWith('signposted_then_attended|all|'))).toHaveLength(1);
    });

    it('signposting to another kind of service, attending before the signposting, or a cancelled session count nothing', () => {
      for (const items of [
        [signposting('2026-03-10', 'idva'), session('s1', '2026-04-02', [REF])],
        [signposting('2026-05-10'), session('s1', '2026-04-02', [REF])],
        [signposting('2026-03-10'), session('s1', '2026-04-02', [REF], 'team-b', 'cancelled')],
        [{ ...signposting('2026-03-10'), contactStatus: 'deleted' }, session('s1', '2026-04-02', [REF])],
        [signposting('2026-03-10', 'support_network', 'WM-7Q8R-9D'), session('s1', '2026-04-02', [REF])],
      ]) {
        expect([...figures(items).keys()].filter((key) => key.startsWith('signposted_then_attended'))).toEqual([]);
      }
    });

    it('the gender of a reference: the one its contacts recorded; none, or different ones, is not recorded — one row each, adding up to the total', () => {
      const g = (...genders: Array<string | undefined>) => referenceGender(journeyCounters(new Map()) && new Map(genders.map((x, i) => [`g|${x ?? 'not_recorded'}`, i + 1])));
      expect(g('woman')).toBe('woman');
      expect(g('woman', undefined)).toBe('woman');
      expect(g(undefined)).toBe('not_recorded');
      expect(g('woman', 'man')).toBe('not_recorded');
      expect(referenceGender(new Map())).toBe('not_recorded');

      const sessions = [session('s1', '2026-04-02', [REF, 'WM-7Q8R-9D']), session('s2', '2026-05-02', [REF])];
      const f = figures([person('woman'), person(undefined, 'c2'), ...sessions]);
      expect(f.get(k('support_network_attendees', 'gender', 'woman', '2026-Q2', 'quarter'))).toBe(1);
      expect(f.get(k('support_network_attendees', 'gender', 'not_recorded', '2026-Q2', 'quarter'))).toBe(1); // WM-7Q8R-9D: no contact here
      expect(f.get(k('support_network_attendees', 'all', '*', '2026-Q2', 'quarter'))).toBe(2);
      expect(f.get(k('support_network_attendees', 'gender', 'woman', '2026-05'))).toBe(1);
      // A second contact under the reference recording another gender: the reference moves to not recorded.
      const g2 = figures([person('woman'), person('man', 'c3'), ...sessions]);
      expect(g2.get(k('support_network_attendees', 'gender', 'woman', '2026-Q2', 'quarter'))).toBeUndefined();
      expect(g2.get(k('support_network_attendees', 'gender', 'not_recorded', '2026-Q2', 'quarter'))).toBe(2);
    });

    it('a correction changes the journey entries of the reference, nothing else of it', () => {
      const d = difference(contributions(person('woman')), contributions(person('man')));
      expect([...d.journeys]).toEqual([[`${REF}|g|man`, 1], [`${REF}|g|woman`, -1]].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)));
      expect(contributions(signposting('2026-03-10', 'idva')).journeys.size).toBe(0);
    });
  });

  it('a correction moves the counts from the old values to the new; a change that moves no figure is nothing', () => {
    const d = difference(contributions(contact()), contributions(contact({ setting: 'online_messaging' })));
    expect([...d.counters.values()].sort()).toEqual([-1, -1, -1, 1, 1, 1]); // contacts, earlier help and women's earlier help, per setting
    expect(difference(contributions(contact()), contributions(contact({ note: 'x', version: 2, hasEscalation: true }))).counters.size).toBe(0);
  });

  it('a TTL removal goes to the retired ledger, a person\'s removal subtracts', () => {
    const ttl = unitsOf({ eventId: 'e', eventName: 'REMOVE', oldImage: contact(), byTtl: true });
    expect(ttl.every((u) => u.ledger === 'retired' && u.delta > 0)).toBe(true);
    const person = unitsOf({ eventId: 'e', eventName: 'REMOVE', oldImage: contact(), byTtl: false });
    expect(person.every((u) => u.ledger === 'live' && u.delta < 0)).toBe(true);
  });

  it('splits a large change into parts of at most 99 actions, the same way every time', () => {
    const units = unitsOf({ eventId: 'e', eventName: 'MODIFY', oldImage: contact(), newImage: contact({ contactDate: '2025-01-02', setting: 'other', teamId: 'team-b', demographics: {} }), byTtl: false });
    for (const capacity of [99, 10, 3]) {
      const parts = partsOf(units, capacity);
      expect(parts.flat()).toEqual(units);
      for (const p of parts) expect(actionsOf(p)).toBeLessThanOrEqual(capacity);
    }
  });

  it('groups a batch into consecutive runs of records whose markers and summed actions fit one transaction; a record too large goes alone', () => {
    const change = (i: number, over: Record<string, unknown> = {}) => ({
      eventId: `e${i}`,
      eventName: 'INSERT' as const,
      newImage: contact({ id: `contact-${i}`, contactReference: `WM-AAAA-${String(i).padStart(2, '0')}`, teamId: i % 2 ? 'team-a' : 'team-b', ...over }),
      byTtl: false,
    });
    const planned = [
      ...Array.from({ length: 30 }, (_, i) => change(i)),
      { eventId: 'other', eventName: 'INSERT' as const, newImage: { type: 'team' }, byTtl: false },
      change(31, { contactDate: '2025-01-02' }),
    ].map((c) => ({ change: c, units: unitsOf(c) }));
    // One contact alone: its counters, its three reference items (month, quarter, year: every breakdown value in one) and the distinct counters they may move.
    const one = planned[0]!.units;
    const references = one.filter((u) => u.kind === 'reference').length;
    expect(references).toBeGreaterThan(12);
    expect(actionsOf(one)).toBe(one.length - references + 3 + references);
    for (const capacity of [100, 70]) {
      const groups = groupsOf(planned, capacity);
      expect(groups.flat()).toEqual([...Array(30).keys(), 31]); // in order, each record once; the team change moves nothing
      for (const g of groups) expect(g.length + actionsOf(g.flatMap((i) => planned[i]!.units))).toBeLessThanOrEqual(capacity);
      // Each contact also moves its reference's journey item (one item each: the references differ).
      expect(groups.length).toBeLessThan(capacity === 100 ? 9 : 18);
    }
    const large = groupsOf(planned, actionsOf(planned[0]!.units));
    expect(large.every((g) => g.length === 1)).toBe(true);
    expect(groupsOf([planned[0]!, planned[1]!, planned[0]!], 100)).toEqual([[0, 1], [2]]); // the same record twice is never in one transaction
  });

  it('estimates median and 90th percentile from buckets, saying when a bucket is open-ended', () => {
    expect(quantileFromBuckets(triageDelayBuckets, [0, 10, 0, 0, 0, 0, 0], 0.5)).toEqual({ bucket: '1_4h', estimate: 2.5, atLeast: false });
    expect(quantileFromBuckets(triageDelayBuckets, [1, 0, 0, 0, 0, 0, 9], 0.9)).toEqual({ bucket: 'over_30d', estimate: 720, atLeast: true });
    expect(quantileFromBuckets(triageDelayBuckets, [0, 0, 0, 0, 0, 0, 0], 0.5)).toBeNull();
  });
});

describe('reports', () => {
  it('widens a range to whole periods and refuses more than 24 months', () => {
    const q = reportQuerySchema.parse({ from: '2026-02', to: '2026-05', period: 'quarter' });
    const r = resolveReportRequest(q);
    expect(r.periods).toEqual(['2026-Q1', '2026-Q2']);
    expect([r.from, r.to]).toEqual(['2026-01', '2026-06']);
    expect(periodOf('year', '2026-05')).toBe('2026');
    expect(reportQuerySchema.safeParse({ from: '2024-01', to: '2026-01' }).success).toBe(false);
    expect(reportQuerySchema.safeParse({ from: '2024-02', to: '2026-01' }).success).toBe(true);
  });

  it('quotes CSV fields as RFC 4180 asks', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(toCsv([['a', 'b'], ['1', 'x\ny']])).toBe('a,b\r\n1,"x\ny"\r\n');
  });

  it('never publishes a small figure, however the counters fall', () => {
    const req = resolveReportRequest(reportQuerySchema.parse({ from: '2026-05', to: '2026-05', breakdown: 'team', metrics: 'contacts,signposted' }));
    const counters = new Map([
      ['contacts|all|month', [{ period: '2026-05', value: '*', series: '*', n: 23 }]],
      ['contacts|team|month', [{ period: '2026-05', value: 'team-a', series: '*', n: 20 }, { period: '2026-05', value: 'team-b', series: '*', n: 3 }]],
      ['signposted|all|month', [{ period: '2026-05', value: '*', series: 'information_given', n: 12 }, { period: '2026-05', value: '*', series: 'referral_with_consent', n: 11 }]],
      ['signposted|team|month', [{ period: '2026-05', value: 'team-a', series: 'information_given', n: 12 }, { period: '2026-05', value: 'team-a', series: 'referral_with_consent', n: 8 }, { period: '2026-05', value: 'team-b', series: 'referral_with_consent', n: 3 }]],
    ]);
    const report = buildReport(req, { counters, champions: [], courses: () => undefined, today: '2026-06-01' }, DEFAULT_DISCLOSURE, false);
    const contacts = report.metrics[0]!.periods[0]!;
    // team-b (3) is suppressed; the total (23) is published, so team-a (20) goes too, or 23 − 20 would give 3 away.
    expect(contacts.rows.map((r) => r.cells['count'])).toEqual([{ suppressed: true }, { suppressed: true }]);
    expect(contacts.total!.cells['count']).toBe(23);
    const sp = report.metrics[1]!.periods[0]!;
    expect(sp.rows[1]!.cells).toEqual({ information_given: 0, referral_with_consent: { suppressed: true } });
    expect(sp.rows[1]!.total).toEqual({ suppressed: true });
  });
});
