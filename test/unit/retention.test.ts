import { describe, expect, it } from 'vitest';
import { effectiveRetention, expiryAfter, reexpiry, retentionBodySchema, yearsToDays } from '../../shared/domain/retention';

const DAY = 86_400;
const ok = (contactYears: number, auditYears: number) => retentionBodySchema.safeParse({ version: 0, contactYears, auditYears }).success;

describe('retention bounds', () => {
  it('contacts 1 to 10 whole years', () => {
    expect(ok(0, 5)).toBe(false);
    expect(ok(1, 2)).toBe(true);
    expect(ok(10, 11)).toBe(true);
    expect(ok(11, 12)).toBe(false);
    expect(ok(1.5, 3)).toBe(false);
  });

  it('the audit trail at least a year longer than contacts, at most 20 years', () => {
    expect(ok(6, 6)).toBe(false);
    expect(ok(6, 7)).toBe(true);
    expect(ok(19, 20)).toBe(false); // contacts beyond 10
    expect(ok(10, 20)).toBe(true);
    expect(ok(10, 21)).toBe(false);
  });

  it('years are kept in days (six years is the deployment default of 2192 days, seven the audit default of 2557)', () => {
    expect(yearsToDays(6)).toBe(2192);
    expect(yearsToDays(7)).toBe(2557);
  });

  it('without a setting the deployment default applies, version 0', () => {
    expect(effectiveRetention(undefined, { contactDays: 2192, auditDays: 2557 })).toMatchObject({ source: 'default', version: 0, contactDays: 2192 });
    expect(effectiveRetention({ contactYears: 3, auditYears: 5, version: 2 }, { contactDays: 2192, auditDays: 2557 })).toMatchObject({ source: 'set', version: 2, contactDays: 1096, auditDays: 1826 });
  });
});

describe('moving an expiry to a new retention', () => {
  const at = new Date('2026-03-29T00:30:00Z'); // the clock change does not matter: expiries are UTC seconds
  it('counts from the time the record was written with its own days (or the legacy default)', () => {
    const written = expiryAfter(at, 2192);
    expect(reexpiry({ expiresAt: written }, 2192, 1096)).toBe(expiryAfter(at, 1096));
    expect(reexpiry({ expiresAt: written, retentionDays: 2192 }, 30, 3653)).toBe(expiryAfter(at, 3653));
    expect(reexpiry({ expiresAt: expiryAfter(at, 1096), retentionDays: 1096 }, 2192, 1096)).toBeUndefined();
    expect(expiryAfter(at, 1) - expiryAfter(at, 0)).toBe(DAY);
  });
});
