/** Labels of the shared taxonomies (shared/domain), for display. */
import { strandLabels, type Strand } from '../../shared/domain/strands';
import {
  ageBands,
  dasvForms,
  genders,
  hateIncidentKinds,
  hateMotivations,
  priorHelp,
  riskFlags,
  serviceKinds,
  settings,
  signpostingModes,
} from '../../shared/domain/taxonomies';

export { ageBands, dasvForms, genders, hateIncidentKinds, hateMotivations, priorHelp, riskFlags, serviceKinds, settings, signpostingModes, strandLabels };
export type { Strand };

/** Short strand names, for tables on a phone. */
export const strandShort: Record<Strand, string> = { dasv: 'DASV', hate_crime: 'Hate crime' };

export const label = (labels: Record<string, string>, value: string): string => labels[value] ?? value;
export const labelList = (labels: Record<string, string>, values: readonly string[]): string => values.map((v) => label(labels, v)).join(', ');

export const items = (t: { values: readonly string[]; labels: Record<string, string> }, checked: readonly string[] = []) =>
  t.values.map((value) => ({ value, label: t.labels[value] ?? value, checked: checked.includes(value) }));
