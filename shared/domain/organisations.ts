import * as z from 'zod/mini';
import { nameText } from './text';

/**
 * A faith or community organisation that champions belong to. It is named by
 * its kind and neighbourhood, never by anyone's address.
 */
export const organisationKindSchema = z.enum([
  'mosque',
  'church',
  'gurdwara',
  'mandir',
  'synagogue',
  'community_group',
  'community_centre',
  'other',
]);
export type OrganisationKind = z.infer<typeof organisationKindSchema>;

export const organisationKindLabels: Record<OrganisationKind, string> = {
  mosque: 'Mosque',
  church: 'Church',
  gurdwara: 'Gurdwara',
  mandir: 'Mandir (Hindu temple)',
  synagogue: 'Synagogue',
  community_group: 'Community group',
  community_centre: 'Community centre',
  other: 'Other',
};

/** A full UK postcode, or a leading house number: the marks of an address rather than a neighbourhood. */
const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/i;
const HOUSE_NUMBER = /^\s*\d+[a-z]?\s*,?\s+\S/i;

export const neighbourhoodSchema = nameText(80).check(
  z.refine((s) => !UK_POSTCODE.test(s) && !HOUSE_NUMBER.test(s), 'must be a neighbourhood or area, not an address or postcode'),
);

export const organisationIdSchema = z.string().check(z.regex(/^org-[a-z0-9-]{1,60}$/, 'must be an organisation id (org-...)'));

export const createOrganisationSchema = z.strictObject({
  name: nameText(120),
  kind: organisationKindSchema,
  neighbourhood: neighbourhoodSchema,
});
export type CreateOrganisation = z.infer<typeof createOrganisationSchema>;

export const organisationSchema = z.object({
  id: organisationIdSchema,
  name: z.string(),
  kind: organisationKindSchema,
  neighbourhood: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().check(z.int(), z.positive()),
});
export type Organisation = z.infer<typeof organisationSchema>;
