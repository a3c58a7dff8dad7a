/**
 * The API's contract, checked on every reply the test client receives: the
 * status must be one docs/openapi.json documents for the operation, the
 * headers it requires must be there (and Location, Retry-After and
 * idempotent-replayed only where documented), and the body must match the
 * documented schema of its media type. Requests that no route of the route
 * table serves (the identity provider, the web app) are not the API's and
 * are not checked.
 */
import { readFileSync } from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { matchRoute } from '../../infra/local/api-gateway-event';
import { routes } from '../../shared/api/routes';
import { openApiPath } from '../../scripts/openapi';

type Json = Record<string, any>;

const DOC_ID = 'waymark-openapi.json';
let doc: Json | undefined;
let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

function load(): { doc: Json; ajv: Ajv2020 } {
  if (!doc || !ajv) {
    doc = JSON.parse(readFileSync(openApiPath, 'utf8')) as Json;
    // The whole document is one schema resource, so that `#/components/schemas/...` resolves as written; it is not itself a JSON Schema.
    ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...doc, $id: DOC_ID });
  }
  return { doc, ajv };
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function validatorAt(path: string): ValidateFunction {
  const { ajv } = load();
  let v = validators.get(path);
  if (!v) {
    v = ajv.compile({ $ref: `${DOC_ID}#/${path}` });
    validators.set(path, v);
  }
  return v;
}

/** Follows a `$ref` to `#/components/...` (responses and headers are shared by reference). */
function resolve(value: Json): Json {
  const r = value['$ref'];
  if (typeof r !== 'string') return value;
  const target = r.replace(/^#\//, '').split('/').reduce((node: Json, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], load().doc);
  return { ...target, ...(value['description'] ? { description: value['description'] } : {}) };
}

/** Headers whose presence says something the document must say: each is documented wherever it is sent. */
const DOCUMENTED_ONLY = ['location', 'retry-after', 'idempotent-replayed', 'www-authenticate'];

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

/** What is wrong with this reply to `method path` by the API document; empty if nothing (or if the path is not the API's). */
export function contractProblems(method: string, url: string, reply: Reply): string[] {
  const path = new URL(url, 'http://localhost').pathname;
  const match = matchRoute(routes, method.toUpperCase(), path);
  if (!match) return [];
  const { doc } = load();
  const operation = doc['paths']?.[match.route.path]?.[match.route.method.toLowerCase()] as Json | undefined;
  if (!operation) return [`${match.route.method} ${match.route.path} is not in docs/openapi.json`];
  const documented = operation['responses']?.[String(reply.status)] as Json | undefined;
  if (!documented) return [`status ${reply.status} is not documented (documented: ${Object.keys(operation['responses'] ?? {}).join(', ')})`];
  const response = resolve(documented);
  const problems: string[] = [];

  const headers = Object.fromEntries(Object.entries((response['headers'] ?? {}) as Json).map(([name, h]) => [name.toLowerCase(), resolve(h as Json)]));
  for (const [name, header] of Object.entries(headers)) {
    const value = reply.headers.get(name);
    if (value === null) {
      if (header['required']) problems.push(`header ${name} is required but missing`);
      continue;
    }
    const schema = header['schema'] as Json | undefined;
    if (schema?.['pattern'] && !new RegExp(schema['pattern'] as string).test(value)) problems.push(`header ${name} (${value}) does not match ${schema['pattern']}`);
    if (schema?.['enum'] && !(schema['enum'] as string[]).includes(value)) problems.push(`header ${name} (${value}) is not one of ${(schema['enum'] as string[]).join(', ')}`);
  }
  for (const name of DOCUMENTED_ONLY) {
    if (reply.headers.get(name) !== null && !headers[name]) problems.push(`header ${name} is sent but not documented for ${reply.status}`);
  }

  const content = response['content'] as Json | undefined;
  const contentType = (reply.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!content) {
    if (reply.text !== '') problems.push(`status ${reply.status} is documented without a body, but one was sent`);
    return problems;
  }
  const media = content[contentType] as Json | undefined;
  if (!media) return [...problems, `content-type ${contentType || '(none)'} is not documented for ${reply.status} (documented: ${Object.keys(content).join(', ')})`];
  if (contentType !== 'application/json') return problems;
  let body: unknown;
  try {
    body = JSON.parse(reply.text);
  } catch {
    return [...problems, 'the body is not JSON'];
  }
  const responsePath = documented['$ref']
    ? (documented['$ref'] as string).replace(/^#\//, '')
    : pointer('paths', match.route.path, match.route.method.toLowerCase(), 'responses', String(reply.status));
  const validate = validatorAt(`${responsePath}/${pointer('content', contentType, 'schema')}`);
  if (!validate(body)) {
    for (const e of validate.errors ?? []) problems.push(`body${e.instancePath || ''} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params['additionalProperty'])})` : ''}`);
  }
  return problems;
}

/** Throws, naming each problem, when a reply does not match the API document. */
export function assertMatchesContract(method: string, url: string, reply: Reply): void {
  const problems = contractProblems(method, url, reply);
  if (problems.length > 0) {
    throw new Error(`${method} ${new URL(url, 'http://localhost').pathname} answered ${reply.status}, which docs/openapi.json does not allow:\n  ${problems.join('\n  ')}\n  body: ${reply.text.slice(0, 500)}`);
  }
}
