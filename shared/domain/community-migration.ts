import { ethnicGroups } from './taxonomies';

/**
 * What becomes of the free-text `demographics.community` of contacts logged before the closed categories (issue 18).
 * Pure: `npm run contacts:migrate-community` (scripts/community-migrate.ts) reads the records and writes what this
 * decides.
 *
 * The free text is removed, always: it must not survive into any report, and it may hold anything a person typed
 * (a name, an address). It becomes an ethnic group only when it *is* one of the ONS 2021 categories — its value or its
 * full label, ignoring case, spacing and punctuation around it — and the record has no ethnic group yet; anything else
 * ("Somali", "Polish", "the Khan family") leaves the ethnic group not recorded, since choosing a category from a word
 * would be guessing someone's ethnicity. Religion is never inferred from it.
 */

const normalise = (s: string): string => s.toLowerCase().replace(/[\s_]+/g, ' ').replace(/^[\s.,;:!?'"-]+|[\s.,;:!?'"-]+$/g, '').trim();

const byWords = new Map<string, string>(
  ethnicGroups.values.flatMap((value) => [
    [normalise(value), value],
    [normalise(ethnicGroups.labels[value as keyof typeof ethnicGroups.labels]), value],
  ]),
);

/** The ethnic group a free text names exactly, or undefined. */
export function exactEthnicGroup(text: string): string | undefined {
  return byWords.get(normalise(text));
}

export interface CommunityMigration {
  /** The demographics to store: without `community`, with an ethnic group where the text named one exactly. */
  demographics: Record<string, unknown>;
  /** The category the text was mapped to, if any. */
  mappedTo?: string;
}

/** The migration of one contact's demographics, or undefined when it holds no `community` (nothing to do: done already, or never had one). */
export function migrateCommunity(demographics: Record<string, unknown> | undefined): CommunityMigration | undefined {
  if (!demographics || !Object.hasOwn(demographics, 'community')) return undefined;
  const { community, ...rest } = demographics;
  const mapped = typeof community === 'string' && rest['ethnicGroup'] === undefined ? exactEthnicGroup(community) : undefined;
  return mapped ? { demographics: { ...rest, ethnicGroup: mapped }, mappedTo: mapped } : { demographics: rest };
}
