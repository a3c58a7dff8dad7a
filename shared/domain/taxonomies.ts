import * as z from 'zod/mini';
import * as lists from './taxonomy-labels';

/**
 * The taxonomies as schemas: each validates against, and labels from, its
 * list in taxonomy-labels.ts (values and labels are written there once).
 */
function taxonomy<const T extends readonly [string, ...string[]]>(list: { values: T; labels: Record<T[number], string> }) {
  const schema = z.enum(list.values);
  return { schema, values: schema.options, labels: list.labels };
}

export const dasvForms = taxonomy(lists.dasvForms);
export const hateMotivations = taxonomy(lists.hateMotivations);
export const hateIncidentKinds = taxonomy(lists.hateIncidentKinds);
export const settings = taxonomy(lists.settings);
export const serviceKinds = taxonomy(lists.serviceKinds);
export const ageBands = taxonomy(lists.ageBands);
export const genders = taxonomy(lists.genders);
export const ethnicGroups = taxonomy(lists.ethnicGroups);
export const religions = taxonomy(lists.religions);
export const priorHelp = taxonomy(lists.priorHelp);
export const riskFlags = taxonomy(lists.riskFlags);
export const signpostingModes = taxonomy(lists.signpostingModes);
export const signpostingOutcomes = taxonomy(lists.signpostingOutcomes);
