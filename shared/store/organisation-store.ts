import { getConfig } from '../config';
import { organisationSchema, type CreateOrganisation, type Organisation, type OrganisationKind } from '../domain/organisations';
import type { RequestScope } from './audit';
import { createUnique, getItem, pickRecord } from './items';
import { keys } from './keys';
import type { Page, PageQuery } from './pagination';
import { queryFilteredPage } from './query';

const table = () => getConfig().caseTableName;

const toOrganisation = (item: Record<string, unknown>): Organisation => pickRecord<Organisation>(organisationSchema, item);

/** Adds an organisation; its name is unique within its neighbourhood (case-insensitive). */
export async function createOrganisation(scope: RequestScope, id: string, input: CreateOrganisation, now = new Date()): Promise<Organisation> {
  const at = now.toISOString();
  const organisation: Organisation = { id, ...input, createdAt: at, updatedAt: at, version: 1 };
  await createUnique(scope, table(), {
    item: { ...keys.organisation(id), ...keys.organisationsByName(input.name, id), type: 'organisation', ...organisation },
    guard: { ...keys.organisationName(input.name, input.neighbourhood), type: 'organisationName', organisationId: id },
    field: 'name',
    duplicateMessage: 'An organisation with this name already exists in this neighbourhood',
    audit: { action: 'organisations.create', entityType: 'organisation', entityId: id, changedFields: Object.keys(input) },
  });
  return organisation;
}

export async function getOrganisation(id: string): Promise<Organisation | undefined> {
  const item = await getItem<Record<string, unknown>>(table(), keys.organisation(id));
  return item ? toOrganisation(item) : undefined;
}

/** Organisations in name order, a page at a time (gsi1), optionally of one kind. */
export async function listOrganisations(page: PageQuery, filter: { kind?: OrganisationKind | undefined } = {}): Promise<Page<Organisation>> {
  return queryFilteredPage(
    {
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.organisationsByName().gsi1pk },
    },
    page,
    (item) => (filter.kind === undefined || item['kind'] === filter.kind ? toOrganisation(item) : undefined),
  );
}
