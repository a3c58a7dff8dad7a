/**
 * Labels of the shared taxonomies, for display: from taxonomy-labels.ts, the
 * plain lists the API's schemas are built from (no zod reaches the browser).
 */
import {
  ageBands,
  CALL_999_GUIDANCE,
  dasvForms,
  escalationOutcomes,
  escalationReasons,
  genders,
  hateIncidentKinds,
  hateMotivations,
  priorHelp,
  riskFlags,
  serviceKinds,
  settings,
  SHARING_WITHOUT_CONSENT_REASONS,
  signpostingModes,
  strands,
} from '../../shared/domain/taxonomy-labels';
import { championTaxonomies, type TaxonomyName } from './locales/en';
import { t, type MessageKey } from './i18n';

export type Strand = (typeof strands.values)[number];
export type EscalationReason = (typeof escalationReasons.values)[number];
export const strandLabels: Record<Strand, string> = strands.labels;

export {
  ageBands,
  CALL_999_GUIDANCE,
  dasvForms,
  escalationOutcomes,
  escalationReasons,
  genders,
  hateIncidentKinds,
  hateMotivations,
  priorHelp,
  riskFlags,
  serviceKinds,
  settings,
  SHARING_WITHOUT_CONSENT_REASONS,
  signpostingModes,
};

/** Short strand names, for tables on a phone. */
export const strandShort: Record<Strand, string> = { dasv: 'DASV', hate_crime: 'Hate crime' };

export const label = (labels: Record<string, string>, value: string): string => labels[value] ?? value;
export const labelList = (labels: Record<string, string>, values: readonly string[]): string => values.map((v) => label(labels, v)).join(', ');

export const items = (t: { values: readonly string[]; labels: Record<string, string> }, checked: readonly string[] = []) =>
  t.values.map((value) => ({ value, label: t.labels[value] ?? value, checked: checked.includes(value) }));

// ---- In the champion's language (issue 21) ----------------------------------------------------


/** A taxonomy value's label in the page's language (English where the language lacks it). */
export const tl = (name: TaxonomyName, value: string): string =>
  (championTaxonomies[name].values as readonly string[]).includes(value) ? t(`tax.${name}.${value}` as MessageKey) : value;
export const tlList = (name: TaxonomyName, values: readonly string[]): string => values.map((v) => tl(name, v)).join(', ');
/** A taxonomy's values as form items, labelled in the page's language. */
export const titems = (name: TaxonomyName, checked: readonly string[] = []) =>
  championTaxonomies[name].values.map((value: string) => ({ value, label: tl(name, value), checked: checked.includes(value) }));
