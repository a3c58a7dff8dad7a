/**
 * The OpenAPI document, built from the route table and the zod schemas the
 * handlers validate with, so the API document cannot disagree with the API.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod/mini';
import { functionEntry, routeKey, routes } from '../shared/api/routes';
import { policy } from '../shared/domain/policy';
import type { Operation } from '../shared/http/pipeline';

const root = new URL('..', import.meta.url).pathname;
export const openApiPath = join(root, 'docs', 'openapi.json');

type Schema = Record<string, unknown>;
const jsonSchema = (schema: unknown, io: 'input' | 'output' = 'input'): Schema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema as z.core.$ZodType, { io, unrepresentable: 'any' }) as Schema;
  return rest;
};

const errorSchema: Schema = {
  type: 'object',
  required: ['error', 'requestId'],
  properties: {
    error: { type: 'string', description: 'what went wrong, in plain words (5xx: only "Internal error" or a retry hint)' },
    issues: {
      type: 'array',
      description: 'one entry per bad field',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
    requestId: { type: 'string', description: 'correlation id, also in the x-request-id header and the audit trail' },
  },
};

export async function buildOpenApi(): Promise<Schema> {
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of routes) {
    const module = (await import(pathToFileURL(join(root, functionEntry(route.function))).href)) as {
      handler: { operations: Record<string, Operation> };
    };
    const operation = module.handler.operations[routeKey(route)];
    if (!operation) throw new Error(`${routeKey(route)} has no operation in ${functionEntry(route.function)}`);
    const parameters: Schema[] = [];
    for (const [where, schema] of [['path', operation.params], ['query', operation.query]] as const) {
      if (!schema) continue;
      const s = jsonSchema(schema);
      const required = new Set((s['required'] as string[] | undefined) ?? []);
      for (const [name, prop] of Object.entries((s['properties'] as Record<string, Schema>) ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || required.has(name), schema: prop });
      }
    }
    const allowed = route.action ? Object.entries(policy[route.action]).map(([role, scope]) => `${role} (${scope})`) : [];
    const responses: Record<string, Schema> = {
      '200': { description: 'Success' },
      '400': { description: 'Invalid input: each bad field named', content: { 'application/json': { schema: errorSchema } } },
      '503': { description: 'Busy or could not be audited; nothing stored. Retry after the Retry-After header.' },
    };
    if (route.auth === 'jwt') {
      responses['401'] = { description: 'Missing or invalid access token' };
      responses['403'] = { description: 'The role may not do this', content: { 'application/json': { schema: errorSchema } } };
    }
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, Schema>)[route.method.toLowerCase()] = {
      operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, '').split('/').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}`,
      summary: route.summary,
      ...(operation.description ? { description: operation.description } : {}),
      ...(route.action ? { 'x-waymark-action': route.action, 'x-waymark-roles': allowed } : {}),
      tags: [route.function],
      security: route.auth === 'jwt' ? [{ cognito: [] }] : [],
      ...(parameters.length ? { parameters } : {}),
      ...(operation.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(operation.body) } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Waymark API',
      version: '0.1.0',
      description:
        'Generated from shared/api/routes.ts and the zod schemas the handlers validate with (npm run docs:openapi). ' +
        'Every body is a strict object: unknown fields are refused with 400. Every response carries Cache-Control: no-store.',
    },
    servers: [{ url: 'http://localhost:3000', description: 'npm start' }],
    components: {
      securitySchemes: {
        cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito access token (on one machine: POST /local/token)' },
      },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}

export const serialise = (doc: Schema): string => `${JSON.stringify(doc, null, 2)}\n`;
