import { getConfig } from '../config';
import { badRequest, conflict, type HttpError } from '../domain/errors';
import { completionRecordSchema, type Champion, type Completion, type CreateCompletion } from '../domain/champions';
import type { Course } from '../domain/courses';
import { todayUtc, type IsoDate } from '../domain/dates';
import type { Strand } from '../domain/strands';
import { courseLookup, trainingGate, type GateDecision } from '../domain/training';
import type { RequestScope } from './audit';
import { getChampionByIdentity, staleChampion } from './champion-store';
import { allCourses } from './course-store';
import { pickRecord, putNew } from './items';
import { keys } from './keys';
import type { Page, PageQuery } from './pagination';
import { queryFilteredPage } from './query';
import { writeWithAudit } from './transact';

const table = () => getConfig().caseTableName;

export const completionId = (completedOn: string, courseId: string) => `${completedOn}.${courseId}`;

const toCompletion = (item: Record<string, unknown>): Completion => pickRecord<Completion>(completionRecordSchema, item);

/**
 * Records that a champion completed a course. The course must cover a strand
 * the champion serves. One transaction: the completion (one per champion,
 * course and date, so a retry is stored once), the champion's completion
 * summary, checks that the champion and the course are still as read, and
 * the audit event.
 */
export async function recordCompletion(
  scope: RequestScope,
  champion: Champion,
  course: Course,
  input: CreateCompletion,
  now = new Date(),
): Promise<Completion> {
  if (!course.strands.some((s) => champion.strands.includes(s))) {
    throw badRequest('The course does not cover any strand the champion serves', [
      {
        path: 'courseId',
        message: 'Select a course for a strand the champion serves',
      },
    ]);
  }
  const id = completionId(input.completedOn, input.courseId);
  const completion: Completion = {
    id,
    championId: champion.id,
    teamId: champion.teamId,
    courseId: course.id,
    completedOn: input.completedOn,
    deliveredBy: input.deliveredBy,
    recordedBy: scope.principal.sub,
    recordedAt: now.toISOString(),
  };
  const STALE = staleChampion(champion.version);
  await writeWithAudit(scope, {
    items: [
      putNew(table(), {
        ...keys.completion(champion.id, input.completedOn, course.id),
        ...keys.completionsOfCourse(course.id, input.completedOn, champion.id),
        type: 'completion',
        ...completion,
      }),
      {
        // The summary is derived data, not a profile change, so the champion's version is checked, not moved.
        Update: {
          TableName: table(),
          Key: keys.champion(champion.id),
          UpdateExpression: 'SET #training = list_append(if_not_exists(#training, :empty), :one)',
          ConditionExpression: 'attribute_exists(pk) AND #version = :version',
          ExpressionAttributeNames: { '#training': 'training', '#version': 'version' },
          ExpressionAttributeValues: {
            ':empty': [],
            ':one': [{ completionId: id, courseId: course.id, completedOn: input.completedOn }],
            ':version': champion.version,
          },
        },
      },
      {
        ConditionCheck: {
          TableName: table(),
          Key: keys.course(course.id),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': course.version },
        },
      },
    ],
    audit: {
      action: 'training.create',
      entityType: 'champion',
      entityId: champion.id,
      teamId: champion.teamId,
      changedFields: Object.keys(input),
    },
    onConditionFailed: (index): HttpError =>
      [
        conflict('This course is already recorded for this champion on this date; nothing new was stored.', {
          field: 'completedOn',
          completionId: id,
        }),
        STALE,
        conflict('The course changed while the completion was recorded; nothing was stored. Try again.', { field: 'courseId' }),
      ][index] as HttpError,
  });
  return completion;
}

/** A champion's completions, newest first, optionally filtered (derived status, strand) in code. */
export async function listCompletions<T>(championId: string, page: PageQuery, shape: (completion: Completion) => T | undefined): Promise<Page<T>> {
  const { pk, skPrefix } = keys.completionPrefix(championId);
  return queryFilteredPage(
    {
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      ScanIndexForward: false,
      ConsistentRead: true,
    },
    page,
    (item) => shape(toCompletion(item)),
  );
}

/** The pure gate applied to a champion record and the catalogue as they are now. */
export function gateFor(champion: Champion, courses: readonly Course[], strand: Strand, on: IsoDate): GateDecision {
  return trainingGate(champion, courseLookup(courses), strand, on);
}

/**
 * The training gate for the signed-in champion (the contact issue calls it):
 * qualified for this strand on this date (default today, UTC)? A principal
 * with no champion record is not qualified.
 */
export async function checkTrainingGate(sub: string, strand: Strand, on: IsoDate = todayUtc()): Promise<GateDecision | { qualified: false; strand: Strand; on: IsoDate; reason: 'not_a_champion' }> {
  const champion = await getChampionByIdentity(sub);
  if (!champion) return { qualified: false, strand, on, reason: 'not_a_champion' };
  return gateFor(champion, await allCourses(), strand, on);
}
