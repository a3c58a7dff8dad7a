import * as z from 'zod/mini';

/**
 * The strands of Waymark's work. A champion serves one or more; a course
 * qualifies for one or more; a contact is logged under exactly one.
 */
export const strandSchema = z.enum(['dasv', 'hate_crime']);
export type Strand = z.infer<typeof strandSchema>;
export const strands = strandSchema.options;

export const strandLabels: Record<Strand, string> = {
  dasv: 'Domestic abuse and sexual violence (DASV)',
  hate_crime: 'Hate crime',
};

/** One or more strands, each at most once. */
export const strandListSchema = z
  .array(strandSchema)
  .check(
    z.minLength(1, 'must name at least one strand'),
    z.refine((list) => new Set(list).size === list.length, 'must not repeat a strand'),
  );
