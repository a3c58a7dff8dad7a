import { describe, expect, it } from 'vitest';
import { findPersonalData } from '../../shared/domain/personal-data';
import { publicNumberDigits, publicNumbers } from '../../shared/domain/public-names';
import { seedServices } from '../../shared/domain/services';

describe('public numbers', () => {
  it('holds every number of the seed service directory', () => {
    const missing = seedServices.filter((s) => s.phone && !publicNumberDigits.has(s.phone.replace(/\D/g, '')));
    expect(missing.map((s) => s.id)).toEqual([]);
  });

  it('are never refused as personal data, however they are spaced', () => {
    for (const { number } of publicNumbers) {
      expect(findPersonalData(`gave her ${number} to call`), number).toEqual([]);
      expect(findPersonalData(`ring ${number.replace(/\s/g, '')} any time`), number).toEqual([]);
    }
    expect(findPersonalData('helpline 0808 2000 247 and 999')).toEqual([]);
  });

  it('do not hide a personal number that merely starts like one', () => {
    expect(findPersonalData('her number 0808 2000 2471 3').map((f) => f.kind)).not.toEqual([]);
    expect(findPersonalData('call 07700 900123').map((f) => f.kind)).toEqual(['phone_number']);
  });
});

describe('public names', () => {
  it('are never refused as a person\'s name: every seed service, and the names champions write', () => {
    for (const s of seedServices) expect(findPersonalData(`Called ${s.name} together`), s.name).toEqual([]);
    expect(findPersonalData('Called Victim Support together; they will call back')).toEqual([]);
    expect(findPersonalData('her friend Karma Nirvana said')).toEqual([]);
  });

  it('do not hide a person named beside them', () => {
    expect(findPersonalData('called Victim Support with her sister Hodan').map((f) => f.kind)).toEqual(['person_name']);
  });
});
