import * as z from 'zod/mini';
import * as lists from './taxonomy-labels';

/**
 * The strands of Waymark's work. A champion serves one or more; a course
 * qualifies for one or more; a contact is logged under exactly one.
 */
export const strandSchema = z.enum(lists.strands.values);
export type Strand = z.infer<typeof strandSchema>;
export const strands = strandSchema.options;

export const strandLabels: Record<Strand, string> = lists.strands.labels;

/** One or more strands, each at most once. */
export const strandListSchema = z
  .array(strandSchema)
  .check(
    z.minLength(1, 'must name at least one strand'),
    z.refine((list) => new Set(list).size === list.length, 'must not repeat a strand'),
  );
