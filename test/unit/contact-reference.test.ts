import { describe, expect, it } from 'vitest';
import {
  CONTACT_REFERENCE_PATTERN,
  CROCKFORD_ALPHABET,
  checkSymbol,
  newContactReference,
  parseContactReference,
} from '../../shared/domain/contact-reference';

describe('contact references', () => {
  it('are WM-XXXX-XX in Crockford base32 and pass their own check', () => {
    for (let i = 0; i < 500; i += 1) {
      const ref = newContactReference();
      expect(ref).toMatch(CONTACT_REFERENCE_PATTERN);
      expect(parseContactReference(ref)).toEqual({ ok: true, reference: ref });
    }
  });

  it('are random: 2,000 draws give (almost) no repeats', () => {
    const refs = new Set(Array.from({ length: 2000 }, () => newContactReference()));
    expect(refs.size).toBeGreaterThan(1990);
  });

  it('accept what a person types: lower case, spaces, no dashes, O for 0, I or L for 1', () => {
    const body = '01ABC';
    const ref = `WM-${body.slice(0, 4)}-${body.slice(4)}${checkSymbol(body)}`;
    expect(parseContactReference(ref.toLowerCase().replace(/-/g, ' '))).toEqual({ ok: true, reference: ref });
    expect(parseContactReference(ref.replace('0', 'o').replace('1', 'l'))).toEqual({ ok: true, reference: ref });
    expect(parseContactReference(ref.replace('1', 'I').replace(/-/g, ''))).toEqual({ ok: true, reference: ref });
  });

  it('catch every single mistyped symbol and every swap of neighbouring symbols', () => {
    let tried = 0;
    for (let n = 0; n < 200; n += 1) {
      const ref = newContactReference();
      const symbols = ref.replace(/^WM-/, '').replace('-', '');
      for (let pos = 0; pos < symbols.length; pos += 1) {
        for (const c of CROCKFORD_ALPHABET) {
          if (c === symbols[pos]) continue;
          const typo = symbols.slice(0, pos) + c + symbols.slice(pos + 1);
          expect(parseContactReference(`WM${typo}`)).toEqual({ ok: false, problem: 'check' });
          tried += 1;
        }
        if (pos < symbols.length - 1 && symbols[pos] !== symbols[pos + 1]) {
          const swapped = symbols.slice(0, pos) + symbols[pos + 1] + symbols[pos] + symbols.slice(pos + 2);
          expect(parseContactReference(`WM${swapped}`)).toEqual({ ok: false, problem: 'check' });
          tried += 1;
        }
      }
    }
    expect(tried).toBeGreaterThan(30_000);
  });

  it('catch a swap of any two different neighbouring symbols at any position (exhaustive over symbol pairs)', () => {
    // The check is linear, so whether a swap is caught depends only on the two symbols and the position.
    for (let pos = 0; pos < 5; pos += 1) {
      for (const a of CROCKFORD_ALPHABET) {
        for (const b of CROCKFORD_ALPHABET) {
          if (a === b) continue;
          const body = '00000'.split('');
          body[pos] = a;
          if (pos < 4) body[pos + 1] = b;
          const data = body.join('');
          const full = data + checkSymbol(data);
          const i = pos;
          const swapped = full.slice(0, i) + full[i + 1] + full[i] + full.slice(i + 2);
          if (swapped === full) continue;
          expect(parseContactReference(`WM${swapped}`).ok).toBe(false);
        }
      }
    }
  });

  it('say "format" for the wrong length or symbols outside the alphabet', () => {
    expect(parseContactReference('WM-1234-5')).toEqual({ ok: false, problem: 'format' });
    expect(parseContactReference('WM-12U4-56')).toEqual({ ok: false, problem: 'format' });
    expect(parseContactReference('')).toEqual({ ok: false, problem: 'format' });
  });
});
