import { describe, expect, it } from 'vitest';
import { createTableInput } from '../../infra/local/create-tables';
import { flattenClaims, fromResult, matchRoute } from '../../infra/local/api-gateway-event';
import { caseTable, auditTable, tables } from '../../shared/store/tables';
import type { RouteDefinition } from '../../shared/api/routes';

describe('tables from the shared definition', () => {
  it('builds CreateTable with the keys, indexes and stream of the definition', () => {
    const input = createTableInput(caseTable, 'x-case');
    expect(input.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(input.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(caseTable.globalSecondaryIndexes.map((i) => i.indexName));
    expect(input.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(new Set(input.AttributeDefinitions?.map((a) => a.AttributeName))).toEqual(new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']));
  });

  it('defines each attribute once even when indexes share a sort key', () => {
    const names = createTableInput(auditTable, 'x-audit').AttributeDefinitions?.map((a) => a.AttributeName) ?? [];
    expect(names.filter((n) => n === 'at')).toHaveLength(1);
  });

  it('gives every table its own environment variable', () => {
    expect(new Set(tables.map((t) => t.envVar)).size).toBe(tables.length);
  });
});

describe('API Gateway emulation', () => {
  const routes: RouteDefinition[] = [
    { method: 'GET', path: '/champions/me', function: 'x', auth: 'jwt', summary: '' },
    { method: 'GET', path: '/champions/{id}', function: 'x', auth: 'jwt', summary: '' },
    { method: 'PUT', path: '/contacts/{id}/signposting/{signpostingId}/outcome', function: 'x', auth: 'jwt', summary: '' },
  ];

  it('matches templates and decodes path parameters', () => {
    expect(matchRoute(routes, 'GET', '/champions/me')?.route.path).toBe('/champions/me');
    expect(matchRoute(routes, 'GET', '/champions/a%20b')?.pathParameters).toEqual({ id: 'a b' });
    expect(matchRoute(routes, 'PUT', '/contacts/c1/signposting/s1/outcome')?.pathParameters).toEqual({ id: 'c1', signpostingId: 's1' });
    expect(matchRoute(routes, 'POST', '/champions/me')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/champions/%E0%A4%A')).toBeUndefined();
  });

  it('flattens claims as API Gateway does', () => {
    expect(flattenClaims({ 'cognito:groups': ['admin', 'x'], exp: 5, sub: 'a' })).toEqual({ 'cognito:groups': '[admin x]', exp: '5', sub: 'a' });
  });

  it('reads structured and bare results as payload 2.0 says', () => {
    expect(fromResult({ statusCode: 204, body: '' }).statusCode).toBe(204);
    const bare = fromResult({ hello: 'world' } as never);
    expect(bare.statusCode).toBe(200);
    expect(JSON.parse(bare.body.toString())).toEqual({ hello: 'world' });
    expect(fromResult({ statusCode: 200, body: Buffer.from('hi').toString('base64'), isBase64Encoded: true }).body.toString()).toBe('hi');
  });
});
