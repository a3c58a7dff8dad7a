/**
 * The OpenAPI document, built from the route table and the zod schemas the
 * handlers validate with and reply by, so the API document cannot disagree
 * with the API: every status an operation answers (its successes, declared
 * with `defineOperation`'s `responses`; the refusals each kind of operation
 * can give, and those it declares), each with its headers and body schema.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod/mini';
import { findRoute, functionEntry, routeKey, routes, type RouteDefinition } from '../shared/api/routes';
import { policy } from '../shared/domain/policy';
import { roles } from '../shared/domain/roles';
import type { Operation, ResponseDefinition } from '../shared/http/pipeline';
import { errorBodySchema, gatewayErrorSchema } from '../shared/http/responses';
import { namedSchemas } from './openapi-names';

const root = new URL('..', import.meta.url).pathname;
export const openApiPath = join(root, 'docs', 'openapi.json');

type Schema = Record<string, unknown>;

/** Named schemas, extracted as components (`#/components/schemas/<name>`) wherever they appear in a reply. */
const components: Record<string, Schema> = {};
const toComponents = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(toComponents);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : toComponents(v)]),
  );
};

function jsonSchema(schema: unknown, io: 'input' | 'output' = 'input'): Schema {
  const { $schema: _ignored, $defs, ...rest } = z.toJSONSchema(schema as z.core.$ZodType, { io, unrepresentable: 'any' }) as Schema;
  for (const [name, def] of Object.entries(($defs as Record<string, Schema> | undefined) ?? {})) {
    const shaped = toComponents(def) as Schema;
    const known = components[name];
    if (known && JSON.stringify(known) !== JSON.stringify(shaped)) throw new Error(`Two different schemas are both named ${name}`);
    components[name] = shaped;
  }
  return toComponents(rest) as Schema;
}

const json = (schema: Schema) => ({ 'application/json': { schema } });
const ref = (kind: 'schemas' | 'headers' | 'parameters' | 'responses', name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** Headers every pipeline reply carries (success or refusal). */
const requestIdHeader = { 'x-request-id': ref('headers', 'RequestId') };

/** The refusals and failures every operation of a kind can answer, shared by reference. */
const sharedResponses: Record<string, Schema> = {
  Unauthorized: {
    description: 'No access token, or one that is not valid: answered by the gateway\'s JWT authorizer (with a Bearer challenge), or by the handler, which verifies the token again',
    headers: { 'www-authenticate': ref('headers', 'WwwAuthenticate') },
    content: json({ anyOf: [ref('schemas', 'GatewayError'), ref('schemas', 'Error')] }),
  },
  PayloadTooLarge: {
    description: 'The body is larger than the API takes (64 KB; the gateway refuses over 10 MB)',
    content: json({ anyOf: [ref('schemas', 'Error'), ref('schemas', 'GatewayError')] }),
  },
  UnsupportedMediaType: {
    description: 'The body is not sent as application/json',
    headers: requestIdHeader,
    content: json(ref('schemas', 'Error')),
  },
  TooManyRequests: {
    description: 'Throttled by the API stage\'s rate limit (in AWS; the local gateway does not throttle): retry later',
    content: json(ref('schemas', 'GatewayError')),
  },
  ServiceUnavailable: {
    description: 'Busy, or a table or the audit trail could not be reached; nothing was stored. Retry after the Retry-After header (a function that timed out is answered by the gateway, without it).',
    headers: { 'retry-after': ref('headers', 'RetryAfter') },
    content: json({
      anyOf: [
        ref('schemas', 'Error'),
        ref('schemas', 'GatewayError'),
        // A 503 carries the error's details, as a 4xx does (GET /health names the failing part).
        { type: 'object', required: ['error'], properties: { error: { type: 'string' }, requestId: { type: 'string' }, failing: { type: 'string' } } },
      ],
    }),
  },
  InternalError: {
    description: 'Something failed that should not have; the body gives only the request id to quote',
    content: json({ anyOf: [ref('schemas', 'Error'), ref('schemas', 'GatewayError')] }),
  },
};

const refusal = (description: string) => ({ description, headers: requestIdHeader, content: json(ref('schemas', 'Error')) });

/** A route's success reply, as documented. */
function success(route: RouteDefinition, status: string, definition: ResponseDefinition): Schema {
  const headers: Record<string, unknown> = { ...requestIdHeader };
  let description = definition.description;
  if (definition.location) {
    const target = findRoute(definition.location);
    if (!target || target.method !== 'GET') throw new Error(`${routeKey(route)}: Location names ${definition.location}, which is not a GET of the route table`);
    headers['location'] = { ...ref('headers', 'Location'), description: `the path of what was created, read by ${definition.location}` };
    description += ` (Location: ${target.path})`;
  }
  if (definition.replayable) headers['idempotent-replayed'] = ref('headers', 'IdempotentReplayed');
  const content: Record<string, unknown> = {};
  if (definition.body) content['application/json'] = { schema: jsonSchema(definition.body, 'output') };
  else if (status !== '204') throw new Error(`${routeKey(route)}: ${status} has no body schema (only a 204 may have none)`);
  for (const [type, what] of Object.entries(definition.alternatives ?? {})) content[type] = { schema: { type: 'string', description: what } };
  return { description, headers, ...(Object.keys(content).length ? { content } : {}) };
}

/** Every status the operation answers: its successes, then the refusals it can give, in order. */
function responsesOf(route: RouteDefinition, operation: Operation): Record<string, Schema> {
  if (!operation.responses || Object.keys(operation.responses).length === 0) throw new Error(`${routeKey(route)} declares no responses`);
  const out: Record<string, Schema> = {};
  for (const [status, definition] of Object.entries(operation.responses)) out[status] = success(route, status, definition as ResponseDefinition);
  const refusals = operation.refusals ?? {};
  const takesInput = Boolean(operation.body || operation.query || operation.params);
  if (takesInput || refusals[400]) {
    out['400'] = refusal(['Invalid input: the reply names each bad field and why; nothing was stored', refusals[400]].filter(Boolean).join('. '));
  }
  if (route.auth === 'jwt') out['401'] = ref('responses', 'Unauthorized');
  const deniedRoles = route.action ? roles.filter((r) => !(r in policy[route.action as keyof typeof policy])) : [];
  if (route.auth === 'jwt' || refusals[403]) {
    const why = [
      deniedRoles.length ? `The role may not do this (${deniedRoles.join(', ')})` : '',
      route.auth === 'jwt' ? 'the signed-in user has no Waymark role' : '',
      refusals[403] ?? '',
    ];
    out['403'] = refusal(why.filter(Boolean).join('; or '));
  }
  if (route.path.includes('{') || refusals[404]) {
    out['404'] = refusal([route.path.includes('{') ? 'No such record, or it is outside the caller\'s team or ownership' : '', refusals[404]].filter(Boolean).join('; or '));
  }
  // Any write whose condition fails in DynamoDB answers 409, whatever else the operation declares.
  if (refusals[409] || route.method !== 'GET') out['409'] = refusal(`${refusals[409] ?? 'The record changed or already exists'}; nothing was stored`);
  if (operation.body) {
    out['413'] = ref('responses', 'PayloadTooLarge');
    out['415'] = ref('responses', 'UnsupportedMediaType');
  }
  out['429'] = ref('responses', 'TooManyRequests');
  out['500'] = ref('responses', 'InternalError');
  out['503'] = ref('responses', 'ServiceUnavailable');
  return out;
}

const operationId = (route: RouteDefinition) =>
  `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, '').split('/').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}`;

export async function buildOpenApi(): Promise<Schema> {
  for (const [schema, id] of namedSchemas) z.globalRegistry.add(schema, { ...(z.globalRegistry.get(schema) ?? {}), id });
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
        const { description, ...rest } = prop;
        parameters.push({ name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest });
      }
    }
    if (Object.values(operation.responses).some((r) => (r as ResponseDefinition).replayable)) parameters.push(ref('parameters', 'IdempotencyKey'));
    const allowed = route.action ? Object.entries(policy[route.action]).map(([role, scope]) => `${role} (${scope})`) : [];
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, Schema>)[route.method.toLowerCase()] = {
      operationId: operationId(route),
      summary: route.summary,
      ...(operation.description ? { description: operation.description } : {}),
      ...(route.action ? { 'x-waymark-action': route.action, 'x-waymark-roles': allowed } : {}),
      tags: [route.function],
      security: route.auth === 'jwt' ? [{ cognito: [] }] : [],
      ...(parameters.length ? { parameters } : {}),
      ...(operation.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(operation.body) } } } }
        : {}),
      responses: responsesOf(route, operation),
    };
  }
  const { functionDefinitions } = await import('../shared/api/routes');
  const used = new Set(routes.map((r) => r.function));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Waymark API',
      version: '0.1.0',
      summary: 'Case-work for community and faith champions supporting people affected by domestic abuse, sexual violence and hate crime',
      description:
        'Generated from shared/api/routes.ts and the zod schemas the handlers validate with and reply by (npm run docs). ' +
        'Every body is a strict object: unknown fields are refused with 400. Every response carries Cache-Control: no-store and the ' +
        'security headers of shared/http/responses.ts; every reply of the API (not of the gateway) carries x-request-id.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'the API\'s origin: the stack\'s ApiUrl output in AWS, the gateway of npm start (http://localhost:3000) on one machine' }],
    tags: functionDefinitions.filter((f) => used.has(f.id)).map((f) => ({ name: f.id, description: f.description })),
    components: {
      securitySchemes: {
        cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito access token (on one machine: POST /local/token)' },
      },
      schemas: {
        Error: jsonSchema(errorBodySchema, 'output'),
        GatewayError: { ...jsonSchema(gatewayErrorSchema, 'output'), description: 'what API Gateway itself answers (401, 413 over 10 MB, a function that timed out or failed)' },
        ...Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      },
      headers: {
        RequestId: { description: 'correlation id of the request: in the error body, the logs and the audit trail', required: true, schema: { type: 'string' } },
        RetryAfter: { description: 'seconds to wait before retrying', schema: { type: 'string', pattern: '^[0-9]+$' } },
        Location: { description: 'the path of what was created', required: true, schema: { type: 'string', pattern: '^/' } },
        IdempotentReplayed: {
          description: 'present (true) when the reply is the replay of the first reply to this Idempotency-Key; nothing new was stored',
          schema: { type: 'string', enum: ['true'] },
        },
        WwwAuthenticate: { description: 'the Bearer challenge (sent by the gateway; a refusal by the handler has none)', schema: { type: 'string' } },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'A retry with the same key and body is stored once and gets the first reply (header idempotent-replayed: true); the same key with another body is a 409. Keys are per user and live 24 hours; a UUID is ideal.',
          schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' },
        },
      },
      responses: sharedResponses,
    },
    paths,
  };
}

export const serialise = (doc: Schema): string => `${JSON.stringify(doc, null, 2)}\n`;
