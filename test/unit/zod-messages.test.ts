import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import '../../shared/config';

describe("zod's messages", () => {
  it('read in English in every function: the configuration, which every function loads, sets the locale', () => {
    // Without it zod/mini says only "Invalid input" (a stream consumer logging a corrupt record would say no more).
    const result = z.safeParse(z.string().check(z.maxLength(2)), 'abc');
    expect(result.error?.issues[0]?.message).toBe('Too big: expected string to have <=2 characters');
  });
});
