import { describe, expect, it } from 'vitest';
import { championRecordSchema } from '../../shared/domain/champions';
import { contactRecordSchema } from '../../shared/domain/contacts';
import { serviceFromRecord, serviceRecordSchema, type ServiceRecord } from '../../shared/domain/services';
import { pickRecord, STILL_ACTIVE, versionedUpdate } from '../../shared/store/items';

const now = new Date('2026-11-20T12:00:00Z');

describe('the one versioned update', () => {
  it('sets, removes (null) and leaves (undefined) fields, stamps updatedAt and moves the version on, at the version read', () => {
    const { item, changedFields } = versionedUpdate('case', { key: { pk: 'A', sk: 'B' }, expectedVersion: 3, changes: { name: 'x', phone: null, website: undefined }, now });
    expect(changedFields).toEqual(['name', 'phone']);
    expect(item.Update?.UpdateExpression).toBe('SET #f0 = :v0, #updatedAt = :now REMOVE #f1 ADD #version :one');
    expect(item.Update?.ConditionExpression).toBe('attribute_exists(pk) AND #version = :expected');
    expect(item.Update?.ExpressionAttributeNames).toMatchObject({ '#f0': 'name', '#f1': 'phone' });
    expect(item.Update?.ExpressionAttributeValues).toEqual({ ':one': 1, ':now': now.toISOString(), ':v0': 'x', ':expected': 3 });
  });

  it('adds further conditions and appends to lists', () => {
    const { item } = versionedUpdate('case', { key: { pk: 'A', sk: 'B' }, expectedVersion: 1, changes: { state: 'closed' }, append: { history: [{ to: 'closed' }] }, condition: STILL_ACTIVE, now });
    expect(item.Update?.UpdateExpression).toBe('SET #f0 = :v0, #a0 = list_append(#a0, :a0), #updatedAt = :now ADD #version :one');
    expect(item.Update?.ConditionExpression).toBe('attribute_exists(pk) AND #version = :expected AND #status = :active');
    expect(item.Update?.ExpressionAttributeValues).toMatchObject({ ':a0': [{ to: 'closed' }], ':active': 'active' });
  });

  it('without a version read, holds for any version of an existing item', () => {
    const { item } = versionedUpdate('case', { key: { pk: 'A', sk: 'B' }, changes: { hasEscalation: true }, now });
    expect(item.Update?.ConditionExpression).toBe('attribute_exists(pk)');
    expect(item.Update?.ExpressionAttributeValues).not.toHaveProperty(':expected');
  });
});

describe('records read back', () => {
  it('hold the fields their schema names, never keys, type or bookkeeping', () => {
    const item = { pk: 'CONTACT#c', sk: 'CONTACT', gsi1pk: 'x', type: 'contact', escalationId: 'escalation-1', id: 'contact-c', status: 'active', note: undefined };
    expect(pickRecord(contactRecordSchema, item)).toEqual({ id: 'contact-c', status: 'active' });
    const champion = { pk: 'CHAMPION#x', gsi2pk: 'CHAMPIONS', type: 'champion', id: 'champion-x', uiLanguage: 'cy', training: [] };
    expect(pickRecord(championRecordSchema, champion)).toEqual({ id: 'champion-x', uiLanguage: 'cy', training: [] });
  });

  it('a service read back gets its kind label and, from an older item, empty languages and descriptions', () => {
    const item = { pk: 'SERVICE#s', type: 'service', id: 'service-s', name: 'Refuge', kind: 'refuge', strands: ['dasv'], howToRefer: 'Phone', status: 'active', createdAt: '', updatedAt: '', version: 1 };
    const service = serviceFromRecord(pickRecord<ServiceRecord>(serviceRecordSchema, item));
    expect(service).toMatchObject({ id: 'service-s', languages: [], descriptions: {} });
    expect(service.kindLabel).not.toBe('refuge');
    expect(service).not.toHaveProperty('pk');
  });
});
