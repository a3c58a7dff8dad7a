import { getConfig } from '../config';
import { conflict, notFound, type HttpError } from '../domain/errors';
import type { CreateService, Service, ServiceKind, ServiceStatus, UpdateService } from '../domain/services';
import type { Strand } from '../domain/strands';
import { serviceKinds } from '../domain/taxonomies';
import type { RequestScope } from './audit';
import { idempotencyPut, replyAfterRace, type IdempotencyClaim, type StoredReply } from './idempotency';
import { getItem, putNew } from './items';
import { keys } from './keys';
import type { Page, PageQuery } from './pagination';
import { queryFilteredPage } from './query';
import { writeWithAudit } from './transact';

const table = () => getConfig().caseTableName;

export function toService(item: Record<string, unknown>): Service {
  const { id, name, kind, strands, languages, howToRefer, phone, website, status, createdAt, updatedAt, version } = item as unknown as Service;
  return {
    id,
    name,
    kind,
    kindLabel: serviceKinds.labels[kind] ?? kind,
    strands,
    languages: languages ?? [],
    howToRefer,
    ...(phone ? { phone } : {}),
    ...(website ? { website } : {}),
    status,
    createdAt,
    updatedAt,
    version,
  };
}

export const staleService = (currentVersion: number): HttpError =>
  conflict('This service was changed by someone else; reload it and try again. Nothing was stored.', { field: 'version', currentVersion });

/** Adds a service to the directory (active). */
export async function createService(
  scope: RequestScope,
  id: string,
  input: CreateService,
  now = new Date(),
  idempotency?: { claim: IdempotencyClaim; reply: (service: Service) => StoredReply },
): Promise<{ service: Service; reply?: StoredReply; replayed: boolean }> {
  const at = now.toISOString();
  const { phone, website, ...rest } = input;
  const stored = { id, ...rest, ...(phone ? { phone } : {}), ...(website ? { website } : {}), status: 'active' as const, createdAt: at, updatedAt: at, version: 1 };
  const service = toService(stored);
  const reply = idempotency?.reply(service);
  const TAKEN = conflict('taken');
  try {
    await writeWithAudit(scope, {
      items: [
        ...(idempotency && reply ? [idempotencyPut(idempotency.claim, reply, now)] : []),
        putNew(table(), { ...keys.service(id), ...keys.servicesByName(input.name, id), type: 'service', ...stored }),
      ],
      audit: { action: 'services.create', entityType: 'service', entityId: id, changedFields: Object.keys(input) },
      onConditionFailed: (index) => (idempotency && index === 0 ? TAKEN : conflict('A service with this id already exists', { field: 'id' })),
    });
  } catch (error) {
    if (error === TAKEN && idempotency) return { service, reply: await replyAfterRace(idempotency.claim, now), replayed: true };
    throw error;
  }
  return { service, ...(reply ? { reply } : {}), replayed: false };
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
  const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':expected': version, ':one': 1, ':now': now.toISOString() };
  const sets: string[] = ['#updatedAt = :now'];
  const removes: string[] = [];
  const entries = Object.entries({ ...fields, ...(fields.name !== undefined ? { gsi1sk: keys.servicesByName(fields.name, id).gsi1sk } : {}) });
  entries.forEach(([field, value], i) => {
    if (value === undefined) return;
    names[`#f${i}`] = field;
    if (value === null) {
      removes.push(`#f${i}`);
    } else {
      values[`:v${i}`] = value;
      sets.push(`#f${i} = :v${i}`);
    }
  });
  const STALE = staleService(before.version);
  try {
    await writeWithAudit(scope, {
      items: [
        {
          Update: {
            TableName: table(),
            Key: keys.service(id),
            UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''} ADD #version :one`,
            ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
      ],
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
