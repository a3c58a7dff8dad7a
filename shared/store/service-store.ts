import { getConfig } from '../config';
import { conflict, notFound, type HttpError } from '../domain/errors';
import { serviceFromRecord, serviceRecordSchema, type CreateService, type Service, type ServiceKind, type ServiceRecord, type ServiceStatus, type UpdateService } from '../domain/services';
import type { Strand } from '../domain/strands';
import type { RequestScope } from './audit';
import { writeOnce, type Once } from './idempotency';
import { getItem, pickRecord, putNew, versionedUpdate } from './items';
import { keys } from './keys';
import type { Page, PageQuery } from './pagination';
import { queryFilteredPage } from './query';
import { writeWithAudit } from './transact';

const table = () => getConfig().caseTableName;

export const toService = (item: Record<string, unknown>): Service => serviceFromRecord(pickRecord<ServiceRecord>(serviceRecordSchema, item));

export const staleService = (currentVersion: number): HttpError =>
  conflict('This service was changed by someone else; reload it and try again. Nothing was stored.', { field: 'version', currentVersion });

/** Adds a service to the directory (active); with an Idempotency-Key, its reply is stored with it (`writeOnce`). */
export async function createService(
  scope: RequestScope,
  id: string,
  input: CreateService,
  once: (service: Service) => Once | undefined = () => undefined,
  now = new Date(),
): Promise<Service> {
  const at = now.toISOString();
  const { phone, website, ...rest } = input;
  const stored = { id, ...rest, ...(phone ? { phone } : {}), ...(website ? { website } : {}), status: 'active' as const, createdAt: at, updatedAt: at, version: 1 };
  const service = toService(stored);
  await writeOnce(
    scope,
    once(service),
    {
      items: [putNew(table(), { ...keys.service(id), ...keys.servicesByName(input.name, id), type: 'service', ...stored })],
      audit: { action: 'services.create', entityType: 'service', entityId: id, changedFields: Object.keys(input) },
      onConditionFailed: () => conflict('A service with this id already exists', { field: 'id' }),
    },
    now,
  );
  return service;
}

export async function getService(id: string): Promise<Service | undefined> {
  const item = await getItem<Record<string, unknown>>(table(), keys.service(id));
  return item ? toService(item) : undefined;
}

/** Several services by id (a contact names at most a handful), read in parallel. */
export async function getServices(ids: readonly string[]): Promise<Map<string, Service>> {
  const found = await Promise.all([...new Set(ids)].map(async (id) => [id, await getService(id)] as const));
  return new Map(found.filter((f): f is readonly [string, Service] => f[1] !== undefined));
}

export interface ServiceFilter {
  strand?: Strand | undefined;
  kind?: ServiceKind | undefined;
  status: ServiceStatus | 'all';
}

/** The directory in name order (gsi1), filtered by strand served, kind and status. */
export async function listServices(page: PageQuery, filter: ServiceFilter): Promise<Page<Service>> {
  return queryFilteredPage(
    { TableName: table(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.servicesByName().gsi1pk } },
    page,
    (item) => {
      const s = toService(item);
      if (filter.status !== 'all' && s.status !== filter.status) return undefined;
      if (filter.strand !== undefined && !s.strands.includes(filter.strand)) return undefined;
      if (filter.kind !== undefined && s.kind !== filter.kind) return undefined;
      return s;
    },
  );
}

/**
 * Changes or retires a service at the version read. A retired service keeps
 * its item (old contacts name it) but cannot be chosen for new ones. `null`
 * removes the phone or website.
 */
export async function updateService(scope: RequestScope, id: string, input: UpdateService, now = new Date()): Promise<Service> {
  const before = await getService(id);
  if (!before) throw notFound('Service');
  if (before.version !== input.version) throw staleService(before.version);
  const { version, ...fields } = input;
  const changes = { ...fields, ...(fields.name !== undefined ? { gsi1sk: keys.servicesByName(fields.name, id).gsi1sk } : {}) };
  const STALE = staleService(before.version);
  try {
    await writeWithAudit(scope, {
      items: [versionedUpdate(table(), { key: keys.service(id), expectedVersion: version, changes, now }).item],
      audit: { action: 'services.update', entityType: 'service', entityId: id, changedFields: Object.keys(fields).filter((f) => fields[f as keyof typeof fields] !== undefined) },
      onConditionFailed: () => STALE,
    });
  } catch (error) {
    if (error !== STALE) throw error;
    const current = await getService(id);
    throw staleService(current?.version ?? before.version);
  }
  const after = (await getService(id)) as Service;
  return after;
}
