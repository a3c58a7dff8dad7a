import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newContactReference } from '../../shared/domain/contact-reference';
import { dasvForms, hateIncidentKinds, hateMotivations, priorHelp, riskFlags, settings, signpostingModes } from '../../shared/domain/taxonomies';
import { benign, positives } from '../fixtures/personal-data-corpus';
import { caseItemCount, daysAgo, validContact } from '../support/contacts';
import { useTestEnvironment } from '../support/environment';

const t = useTestEnvironment();

/** Values a field might plausibly (or implausibly) hold: taxonomy values, wrong types, identifying data, junk. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(...settings.values, ...dasvForms.values, ...hateMotivations.values, 'dasv', 'hate_crime', 'both', ''),
  fc.subarray([...dasvForms.values, ...hateMotivations.values, ...hateIncidentKinds.values, ...riskFlags.values, ...priorHelp.values, 'dasv', 'hate_crime', 'none', 'nonsense']),
  fc.constantFrom(daysAgo(0), daysAgo(5), daysAgo(31), daysAgo(-1), '2024-02-30', '1985-03-12', 'yesterday'),
  fc.constantFrom(...positives.map((p) => p.note), ...benign.slice(0, 10)),
  fc.string({ maxLength: 600 }),
  fc.constantFrom(newContactReference(), 'WM-0000-00', 'WM-ZZZZ-Z1', 'wm7k3qp9'),
  fc.array(fc.record({ serviceId: fc.constantFrom('service-idva', 'service-police', 'service-tell-mama', 'service-nope', 'x'), mode: fc.constantFrom(...signpostingModes.values, 'maybe') }), { maxLength: 12 }),
);

const fieldNames = [
  'contactDate', 'setting', 'strands', 'dasvForms', 'hateMotivations', 'hateIncidentKinds', 'demographics', 'priorHelp',
  'beforePoliceOrEmergency', 'riskFlags', 'signposting', 'note', 'contactReference',
];
const extraKeys = ['name', 'address', 'phone', 'email', 'dateOfBirth', 'age', 'postcode', '__proto__x', 'Note'];

/** A valid contact with some fields replaced, removed or added. */
const mutatedContact = fc
  .record({
    replace: fc.dictionary(fc.constantFrom(...fieldNames), anyValue, { maxKeys: 4 }),
    remove: fc.subarray(fieldNames, { maxLength: 2 }),
    extra: fc.dictionary(fc.constantFrom(...extraKeys), anyValue, { maxKeys: 2 }),
  })
  .map(({ replace, remove, extra }) => {
    const body: Record<string, unknown> = { ...validContact(), ...replace, ...extra };
    for (const field of remove) delete body[field];
    return { body } as { body?: unknown; rawBody?: string };
  });

/** A valid contact with free text and optional parts drawn at random: most are stored, some notes are refused. */
const freeTextContact = fc
  .record({
    note: fc.option(fc.oneof(fc.constantFrom(...positives.map((p) => p.note), ...benign), fc.string({ maxLength: 520 })), { nil: undefined }),
    riskFlags: fc.subarray([...riskFlags.values]),
    demographics: fc.record(
      { language: fc.oneof(fc.constantFrom('Somali', 'Polish', 'Romani', 'Tigrinya'), fc.string({ maxLength: 70 })), ethnicGroup: fc.constantFrom('black_african', 'white_other', 'Eritrean'), interpreterNeeded: fc.boolean() },
      { requiredKeys: [] },
    ),
    contactDate: fc.integer({ min: -2, max: 33 }).map((n) => daysAgo(n)),
  })
  .map((parts) => ({ body: validContact(Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== undefined))) }) as { body?: unknown; rawBody?: string });

const request = fc.oneof(
  { weight: 4, arbitrary: mutatedContact },
  { weight: 3, arbitrary: freeTextContact },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((body) => ({ body }) as { body?: unknown; rawBody?: string }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((rawBody) => ({ rawBody }) as { body?: unknown; rawBody?: string }) },
);
const idempotencyKey = fc.option(fc.oneof(fc.uuid(), fc.string({ maxLength: 20 }).filter((s) => /^[\x20-\x7e]*$/.test(s))), { nil: undefined });

describe('POST /contacts with random bodies', () => {
  it('never answers 5xx, and stores nothing when it refuses', async () => {
    const token = await t.tokenFor('champion-a1');
    const tally = { runs: 0, created: 0, refused: 0 } as Record<string, number> & { runs: number; created: number; refused: number };
    await fc.assert(
      fc.asyncProperty(request, idempotencyKey, async (req, key) => {
        tally.runs += 1;
        const before = await caseItemCount(t);
        const res = await t.api('POST', '/contacts', {
          token,
          ...(req.body !== undefined ? { body: req.body } : { rawBody: req.rawBody as string, headers: { 'content-type': 'application/json' } }),
          ...(key !== undefined ? { headers: { 'content-type': 'application/json', 'idempotency-key': key } } : {}),
        });
        expect(res.status, res.text).toBeLessThan(500);
        if (res.status === 201) {
          tally.created += 1;
          return;
        }
        tally.refused += 1;
        tally[`status ${res.status}`] = (tally[`status ${res.status}`] ?? 0) + 1;
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(await caseItemCount(t)).toBe(before);
      }),
      { numRuns: 200 },
    );
    console.log(`fast-check POST /contacts: ${tally.runs} cases; ${tally.created} created, ${tally.refused} refused (${Object.entries(tally).filter(([k]) => k.startsWith('status')).map(([k, v]) => `${k}: ${v}`).join(', ')}); 0 answered 5xx; nothing stored when refused`);
    expect(tally.runs).toBe(200);
  }, 240_000);
});
