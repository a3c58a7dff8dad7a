import { describe, expect, it } from 'vitest';
import { exactEthnicGroup, migrateCommunity } from '../../shared/domain/community-migration';

describe('what becomes of a free-text community', () => {
  it('is removed, always; becomes an ethnic group only when it is exactly a category (value or full label) and none is recorded', () => {
    expect(migrateCommunity({ community: 'Somali', gender: 'woman' })).toEqual({ demographics: { gender: 'woman' } });
    expect(migrateCommunity({ community: 'Zainab Rahman 07700 900123' })).toEqual({ demographics: {} });
    expect(migrateCommunity({ community: 'White: Irish' })).toEqual({ demographics: { ethnicGroup: 'white_irish' }, mappedTo: 'white_irish' });
    expect(migrateCommunity({ community: ' white:  irish. ' })?.mappedTo).toBe('white_irish');
    expect(migrateCommunity({ community: 'asian pakistani' })?.mappedTo).toBe('asian_pakistani'); // the value, spaced
    expect(migrateCommunity({ community: 'White: Irish', ethnicGroup: 'white_other' })).toEqual({ demographics: { ethnicGroup: 'white_other' } });
    expect(migrateCommunity({ community: 42 })).toEqual({ demographics: {} });
    expect(migrateCommunity({ community: '' })).toEqual({ demographics: {} });
  });

  it('a word that is part of a category is not guessed into it; nothing to do without the field', () => {
    for (const word of ['Irish', 'Pakistani', 'Arab', 'African', 'Muslim', 'White']) expect(exactEthnicGroup(word), word).toBeUndefined();
    expect(migrateCommunity({ gender: 'woman' })).toBeUndefined();
    expect(migrateCommunity(undefined)).toBeUndefined();
  });
});
