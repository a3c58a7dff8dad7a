import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { getConfig } from '../config';
import { teamSchema, type CreateTeam, type Team } from '../domain/teams';
import { getDocumentClient } from './client';
import { createUnique, getItem, pickRecord } from './items';
import { keys } from './keys';
import { decodeCursor, encodeCursor, type Page, type PageQuery } from './pagination';
import type { RequestScope } from './audit';

const table = () => getConfig().caseTableName;

const toTeam = (item: Record<string, unknown>): Team => pickRecord<Team>(teamSchema, item);

/** Creates a team; its name is unique (case-insensitive) and the write is audited. */
export async function createTeam(scope: RequestScope, id: string, input: CreateTeam, now = new Date()): Promise<Team> {
  const at = now.toISOString();
  const team: Team = { id, name: input.name, supervisors: input.supervisors, createdAt: at, updatedAt: at, version: 1 };
  await createUnique(scope, table(), {
    item: { ...keys.team(id), ...keys.teamsByName(team.name, id), type: 'team', ...team },
    guard: { ...keys.teamName(team.name), type: 'teamName', teamId: id },
    field: 'name',
    duplicateMessage: 'A team with this name already exists',
    audit: { action: 'teams.create', entityType: 'team', entityId: id, teamId: id, changedFields: Object.keys(input) },
  });
  return team;
}

export async function getTeam(teamId: string): Promise<Team | undefined> {
  const item = await getItem<Record<string, unknown>>(table(), keys.team(teamId));
  return item ? toTeam(item) : undefined;
}

/** All teams in name order, a page at a time (gsi1). */
export async function listTeams(page: PageQuery): Promise<Page<Team>> {
  const result = await getDocumentClient().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.teamsByName().gsi1pk },
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor),
    }),
  );
  return { items: (result.Items ?? []).map(toTeam), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}
