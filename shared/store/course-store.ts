import { getConfig } from '../config';
import { conflict, notFound, type HttpError } from '../domain/errors';
import { courseSchema, type Course, type CreateCourse, type UpdateCourse } from '../domain/courses';
import type { Strand } from '../domain/strands';
import type { RequestScope } from './audit';
import { createUnique, getItem, pickRecord, putNew, versionedUpdate } from './items';
import { keys } from './keys';
import type { Page, PageQuery } from './pagination';
import { queryAll, queryCount, queryFilteredPage } from './query';
import { writeWithAudit, type TransactItem } from './transact';

const table = () => getConfig().caseTableName;

const toCourse = (item: Record<string, unknown>): Course => pickRecord<Course>(courseSchema, item);

const sameTitle = (a: string, b: string) => keys.courseTitle(a).pk === keys.courseTitle(b).pk;

export const staleCourse = (currentVersion: number): HttpError =>
  conflict('This course was changed by someone else; reload it and try again. Nothing was stored.', { field: 'version', currentVersion });

/** Adds a course to the catalogue; its title is unique (case-insensitive). */
export async function createCourse(scope: RequestScope, id: string, input: CreateCourse, now = new Date()): Promise<Course> {
  const at = now.toISOString();
  const course: Course = { id, ...input, createdAt: at, updatedAt: at, version: 1 };
  await createUnique(scope, table(), {
    item: { ...keys.course(id), ...keys.coursesByTitle(input.title, id), type: 'course', ...course },
    guard: { ...keys.courseTitle(input.title), type: 'courseTitle', courseId: id },
    field: 'title',
    duplicateMessage: 'A course with this title already exists',
    audit: { action: 'courses.create', entityType: 'course', entityId: id, changedFields: Object.keys(input) },
  });
  return course;
}

export async function getCourse(id: string): Promise<Course | undefined> {
  const item = await getItem<Record<string, unknown>>(table(), keys.course(id));
  return item ? toCourse(item) : undefined;
}

/** The catalogue in title order, a page at a time (gsi1), optionally only courses covering a strand. */
export async function listCourses(page: PageQuery, filter: { strand?: Strand | undefined } = {}): Promise<Page<Course>> {
  return queryFilteredPage(
    { TableName: table(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.coursesByTitle().gsi1pk } },
    page,
    (item) => {
      const course = toCourse(item);
      return filter.strand === undefined || course.strands.includes(filter.strand) ? course : undefined;
    },
  );
}

/** The whole catalogue (a handful of courses), to derive expiry and status from. */
export async function allCourses(): Promise<Course[]> {
  const items = await queryAll({
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.coursesByTitle().gsi1pk },
  });
  return items.map(toCourse);
}

/** How many completions of a course are recorded (gsi2). */
export async function countCompletions(courseId: string): Promise<number> {
  return queryCount({
    TableName: table(),
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.completionsOfCourse(courseId).gsi2pk },
  });
}

/**
 * Changes a course at the version the caller read. Completions keep only
 * their course and date, so a new validity changes every expiry from now on
 * without rewriting them. A new title moves the title guard in the same
 * transaction.
 */
export async function updateCourse(scope: RequestScope, id: string, input: UpdateCourse, now = new Date()): Promise<{ before: Course; after: Course }> {
  const before = await getCourse(id);
  if (!before) throw notFound('Course');
  if (before.version !== input.version) throw staleCourse(before.version);
  const { version, ...fields } = input;
  const renamed = fields.title !== undefined && !sameTitle(fields.title, before.title);
  const changes: Record<string, unknown> = { ...fields, ...(fields.title !== undefined ? { gsi1sk: keys.coursesByTitle(fields.title, id).gsi1sk } : {}) };
  const update = versionedUpdate(table(), { key: keys.course(id), expectedVersion: version, changes, now });
  const items: TransactItem[] = [update.item];
  if (renamed) {
    items.push(putNew(table(), { ...keys.courseTitle(fields.title as string), type: 'courseTitle', courseId: id }));
    items.push({
      Delete: {
        TableName: table(),
        Key: keys.courseTitle(before.title),
        ConditionExpression: 'courseId = :id',
        ExpressionAttributeValues: { ':id': id },
      },
    });
  }
  const STALE = staleCourse(before.version);
  try {
    await writeWithAudit(scope, {
      items,
      audit: { action: 'courses.update', entityType: 'course', entityId: id, changedFields: Object.keys(fields) },
      onConditionFailed: (index) => (index === 1 ? conflict('A course with this title already exists', { field: 'title' }) : STALE),
    });
  } catch (error) {
    if (error !== STALE) throw error;
    const current = await getCourse(id);
    throw staleCourse(current?.version ?? before.version);
  }
  const after: Course = { ...before, ...fields, updatedAt: now.toISOString(), version: before.version + 1 };
  return { before, after };
}
