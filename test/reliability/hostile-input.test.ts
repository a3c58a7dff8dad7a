import fc from 'fast-check';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { functionEntry, routeKey, routes, type RouteDefinition } from '../../shared/api/routes';
import { MAX_BODY_BYTES } from '../../shared/http/body';
import type { Operation } from '../../shared/http/pipeline';
import { caseItemCount, hateCrimeContact } from '../support/contacts';
import { newIdentity } from '../support/training';
import { useTestEnvironment, type ApiResponse } from '../support/environment';
import { fixtures, supportSessionBody, uniqueName } from './fixtures';
import { useLogScan } from './log-scan';
import { forbiddenCharacters, nameOnly } from './hostile-text';
import { pool } from './pool';

const t = useTestEnvironment();
const f = fixtures(t);
const logs = useLogScan();
const root = new URL('../..', import.meta.url).pathname;

/** The write routes that take a body: each is attacked below. */
const writeRoutes = routes.filter((r) => r.method !== 'GET');

interface Target {
  caller: string;
  path: string;
  /** A body the route's schema accepts (checked with the handler's own schema before use). */
  valid: Record<string, unknown>;
  schema: z.ZodType;
}
const targets = new Map<string, Target>();
/** Write routes that take no body (an action on the record named in the path). */
const bodyless = new Set<string>();
const counts: Record<string, Record<string, number>> = {};
const count = (key: string, kind: string, n = 1) => {
  counts[key] ??= {};
  counts[key][kind] = (counts[key][kind] ?? 0) + n;
};

async function operationOf(route: RouteDefinition): Promise<Operation> {
  const module = (await import(pathToFileURL(join(root, functionEntry(route.function))).href)) as { handler: { operations: Record<string, Operation> } };
  return module.handler.operations[routeKey(route)]!;
}

beforeAll(async () => {
  const contact = await f.contact('champion-a1');
  const escContact = await f.contact('champion-a1');
  const escalation = await f.escalation('champion-a1');
  const champion = await f.champion('champion-a1');
  const course = await f.course();
  const service = await f.service();
  const session = await f.session('champion-a1');
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
  const person = await f.ok('POST', '/users', 'supervisor-a', { role: 'champion', displayName: uniqueName('Hostile Person'), email: `${uniqueName('hostile').replace(/\W+/g, '-')}@example.org`, champion: { organisationId: 'org-demo-central-mosque', strands: ['dasv'] } });
  const setup: Record<string, Omit<Target, 'schema'>> = {
    'POST /teams': { caller: 'admin', path: '/teams', valid: { name: uniqueName('Hostile team'), supervisors: [] } },
    'POST /organisations': { caller: 'admin', path: '/organisations', valid: { name: uniqueName('Hostile org'), kind: 'mosque', neighbourhood: 'Northfield' } },
    'POST /courses': { caller: 'admin', path: '/courses', valid: { title: uniqueName('Hostile course'), strands: ['dasv'], validityMonths: 24 } },
    'PATCH /courses/{id}': { caller: 'admin', path: `/courses/${course.id}`, valid: { version: course.version, title: uniqueName('Hostile rename'), validityMonths: 12 } },
    'POST /champions': {
      caller: 'supervisor-a',
      path: '/champions',
      valid: { displayName: 'Hostile Champion', organisationId: 'org-demo-central-mosque', strands: ['dasv'], languages: ['English'], identity: newIdentity('team-a') },
    },
    'PATCH /champions/{id}': { caller: 'supervisor-a', path: `/champions/${champion.id}`, valid: { version: champion.version, displayName: 'Renamed Hostile', status: 'suspended' } },
    'PATCH /champions/me': { caller: 'champion-a2', path: '/champions/me', valid: { uiLanguage: 'en' } },
    'POST /champions/{id}/training': { caller: 'supervisor-a', path: `/champions/${champion.id}/training`, valid: f.completion() },
    'POST /services': {
      caller: 'admin',
      path: '/services',
      valid: { name: uniqueName('Hostile service'), kind: 'advice', strands: ['dasv'], languages: ['English'], howToRefer: 'Phone', website: 'https://x.example.org' },
    },
    'PATCH /services/{id}': { caller: 'admin', path: `/services/${service.id}`, valid: { version: service.version, howToRefer: 'Walk in', status: 'retired' } },
    'POST /contacts': { caller: 'champion-a1', path: '/contacts', valid: hateCrimeContact({ note: logs.secret('Met after Friday prayers, wants leaflets.') }) },
    'PATCH /contacts/{id}': { caller: 'champion-a1', path: `/contacts/${contact.id}`, valid: { version: contact.version, riskFlags: [], beforePoliceOrEmergency: false } },
    'DELETE /contacts/{id}': { caller: 'supervisor-a', path: `/contacts/${contact.id}`, valid: { reason: logs.secret('Logged twice by mistake, hostile run.') } },
    'PUT /contacts/{id}/signposting/{signpostingId}/outcome': {
      caller: 'champion-a1',
      path: `/contacts/${contact.id}/signposting/${contact.signposting[0]!.id}/outcome`,
      valid: { outcome: 'engaged' },
    },
    'POST /audit/verify': { caller: 'admin', path: '/audit/verify', valid: { from: hour, to: hour } },
    'POST /contacts/{id}/escalations': { caller: 'champion-a1', path: `/contacts/${escContact.id}/escalations`, valid: { reason: 'asks_for_specialist_support', consent: 'yes', note: logs.secret('Prefers mornings, hostile run.') } },
    'POST /support-sessions': { caller: 'supervisor-a', path: '/support-sessions', valid: supportSessionBody() },
    'PATCH /support-sessions/{id}': { caller: 'supervisor-a', path: `/support-sessions/${session.id}`, valid: { version: session.version, venueKind: 'place_of_worship' } },
    'PUT /reports/targets/{year}': { caller: 'admin', path: '/reports/targets/2031', valid: { version: 0, targets: { women_attending_support_network: 40, women_signposted: 60, women_earlier_help: 30 } } },
    'POST /escalations/{id}/transitions': { caller: 'supervisor-a', path: `/escalations/${escalation.id}/transitions`, valid: { to: 'triaged', version: escalation.version, targetServiceKind: 'police', dashScore: 3 } },
    // Rights requests name a reference never issued (a valid body is a 404: nothing read, nothing erased); retention a stale version (409).
    'POST /rights/access': { caller: 'supervisor-a', path: '/rights/access', valid: { contactReference: 'WM-0000-00', requestReference: 'DSAR-HOSTILE-1' } },
    'POST /rights/erasure': { caller: 'supervisor-a', path: '/rights/erasure', valid: { contactReference: 'WM-0000-00', requestReference: 'DSAR-HOSTILE-2' } },
    'PUT /settings/retention': { caller: 'admin', path: '/settings/retention', valid: { version: 99, contactYears: 6, auditYears: 7 } },
    // The on-call setting at a stale version (409); a supervisor's choice of priorities is theirs to make (200, the default again).
    'PUT /settings/on-call': { caller: 'admin', path: '/settings/on-call', valid: { version: 99, email: 'on-call@council.example', officeHours: { days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' } } },
    'PUT /users/me/notifications': { caller: 'supervisor-a', path: '/users/me/notifications', valid: { priorities: ['immediate', 'high', 'standard'] } },
    // The matrix's concern is a hate crime one: a valid checklist meets the DASV-only rule (409), nothing stored.
    'PUT /escalations/{id}/risk-assessment': {
      caller: 'supervisor-a',
      path: `/escalations/${escalation.id}/risk-assessment`,
      valid: { version: escalation.version, answers: Array.from({ length: 24 }, () => 'not_known'), professionalJudgement: false, potentialEscalation: false },
    },
    'POST /users': { caller: 'admin', path: '/users', valid: { role: 'commissioner', displayName: 'Hostile Invitee', email: 'hostile.invitee@example.org' } },
    'PATCH /users/{id}': { caller: 'supervisor-a', path: `/users/${person.id}`, valid: { version: person.version, displayName: 'Renamed Hostile', status: 'suspended' } },
  };
  for (const route of writeRoutes) {
    const key = routeKey(route);
    if (!(await operationOf(route)).body) bodyless.add(key);
    const s = setup[key];
    if (!s) continue;
    const operation = await operationOf(route);
    if (!operation.body) continue;
    targets.set(key, { ...s, schema: operation.body as z.ZodType });
  }
});

function send(target: Target, method: string, init: { body?: unknown; rawBody?: string | Uint8Array; headers?: Record<string, string> }): Promise<ApiResponse> {
  return (async () => {
    const token = await f.tok(target.caller);
    if (init.rawBody instanceof Uint8Array) {
      const res = await fetch(`${t.env.url}${target.path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
        body: Buffer.from(init.rawBody) as unknown as BodyInit,
      });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: res.status, headers: res.headers, body, text };
    }
    return t.api(method, target.path, { token, ...(init as { body?: unknown; rawBody?: string }) });
  })();
}

/** A refusal: 4xx (never 5xx, never success), saying what is wrong. */
function expectRefusal(res: ApiResponse, label: string, field?: string) {
  expect(res.status, `${label}: ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${label}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  expect([401, 403, 404], `${label}: refused for the wrong reason: ${res.text.slice(0, 300)}`).not.toContain(res.status);
  expect(typeof res.body?.error, label).toBe('string');
  if (field !== undefined) {
    const paths: string[] = (res.body.issues ?? []).map((i: { path: string }) => i.path);
    expect(paths.some((p) => p === field || p.startsWith(`${field}.`)) || res.body.error.includes(field), `${label}: issues ${JSON.stringify(res.body.issues)} name ${field}`).toBe(true);
  }
}

/** One field broken: its value replaced by one of the wrong type, or a required field left out, or an unknown field added. */
function nearValid(target: Target): { label: string; body?: Record<string, unknown>; raw?: string; field: string }[] {
  const schema = z.toJSONSchema(target.schema, { io: 'input', unrepresentable: 'any' }) as { required?: string[]; properties?: Record<string, unknown>; anyOf?: unknown; oneOf?: unknown };
  const cases: { label: string; body?: Record<string, unknown>; raw?: string; field: string }[] = [];
  const wrongFor = (v: unknown, field: string): unknown[] => {
    if (typeof v === 'string') {
      // Hostile text by class (hostile-text.ts): one of each forbidden kind in every text field; formulas and HTML in names.
      const classes = forbiddenCharacters.filter((h, i, all) => all.findIndex((o) => o.message === h.message) === i).map((h) => h.value);
      const names = NAME_FIELDS.includes(field) ? nameOnly.map((h) => h.value) : [];
      return [12345, ['x'], { x: 1 }, 'x'.repeat(5000), null, ...classes, ...names];
    }
    if (typeof v === 'number') return ['seven', -1, 1.5, 1e21, true];
    if (typeof v === 'boolean') return ['yes', 1];
    if (Array.isArray(v)) return ['not-a-list', [12345], [{}], Array.from({ length: 500 }, () => v[0] ?? 'x')];
    if (v && typeof v === 'object') return [42, 'x', []];
    return ['x'];
  };
  for (const [field, value] of Object.entries(target.valid)) {
    for (const wrong of wrongFor(value, field)) {
      cases.push({ label: `${field} = ${JSON.stringify(wrong).slice(0, 40)}`, body: { ...target.valid, [field]: wrong }, field });
    }
  }
  for (const field of schema.required ?? []) {
    const { [field]: _gone, ...rest } = target.valid;
    cases.push({ label: `without ${field}`, body: rest, field });
  }
  cases.push({ label: 'unknown field', body: { ...target.valid, surname: 'Smith' }, field: 'surname' });
  const json = JSON.stringify(target.valid);
  cases.push({ label: '__proto__ key', raw: `${json.slice(0, -1)},"__proto__":{"polluted":true,"role":"admin"}}`, field: '__proto__' });
  cases.push({ label: 'constructor key', raw: `${json.slice(0, -1)},"constructor":{"prototype":{"polluted":true}}}`, field: 'constructor' });
  return cases;
}

/** Fields that hold a name, where the name policy also refuses formulas and markup. */
const NAME_FIELDS = ['name', 'title', 'displayName', 'deliveredBy'];

const brokenDepth = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

describe('hostile input on every write route', () => {
  it('every write route with a body has a target here', () => {
    const withBody = writeRoutes.map(routeKey).filter((k) => !bodyless.has(k));
    expect([...bodyless]).toEqual(['POST /users/{id}/sign-out']);
    expect(withBody.filter((k) => !targets.has(k))).toEqual([]);
    for (const [key, target] of targets) expect(target.schema.safeParse(target.valid).success, `${key}: the base body is valid`).toBe(true);
  });

  it('near-valid bodies with one field broken: 400 naming the field; nothing stored', { timeout: 120_000 }, async () => {
    const before = await caseItemCount(t);
    for (const [key, target] of targets) {
      const method = key.split(' ')[0]!;
      await pool(nearValid(target), 4, async (c) => {
        const res = await send(target, method, c.raw !== undefined ? { rawBody: c.raw, headers: { 'content-type': 'application/json' } } : { body: c.body });
        expectRefusal(res, `${key} ${c.label}`, c.field);
        count(key, 'near-valid');
      });
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(await caseItemCount(t)).toBe(before);
  });

  it('random JSON (fast-check): never 5xx, always a 4xx that says what is wrong; nothing stored', { timeout: 120_000 }, async () => {
    const before = await caseItemCount(t);
    for (const [key, target] of targets) {
      const method = key.split(' ')[0]!;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.jsonValue({ maxDepth: 5 }).map((body) => ({ body })),
            // the valid body with random keys merged in: shapes close to the real one
            fc.dictionary(fc.oneof(fc.constantFrom(...Object.keys(target.valid)), fc.string({ maxLength: 12 })), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 4 }).map((extra) => ({
              body: { ...target.valid, ...extra },
            })),
          ),
          async ({ body }) => {
            if (target.schema.safeParse(body).success) return; // a random body that happens to be valid is not hostile
            const res = await send(target, method, { body });
            expectRefusal(res, `${key} ${JSON.stringify(body).slice(0, 120)}`);
            count(key, 'random JSON');
          },
        ),
        { numRuns: 20, seed: 20261123 },
      );
    }
    expect(await caseItemCount(t)).toBe(before);
  });

  it('oversized, deeply nested, wrong content type, not UTF-8, not JSON, empty: each a 4xx that says which; nothing stored', { timeout: 120_000 }, async () => {
    const before = await caseItemCount(t);
    for (const [key, target] of targets) {
      const method = key.split(' ')[0]!;
      const json = JSON.stringify(target.valid);
      // Bytes that are not UTF-8 inside a free-text field the route would otherwise store (or, without one, an unknown key).
      const textField = ['note', 'name', 'title', 'displayName', 'reason', 'howToRefer', 'deliveredBy'].find((k) => typeof target.valid[k] === 'string');
      const [head, tail] = textField ? (() => {
        const marker = `"${textField}":${JSON.stringify(target.valid[textField])}`;
        const at = json.indexOf(marker) + marker.length - 1;
        return [json.slice(0, at), json.slice(at)];
      })() : [json.slice(0, -1) + ',"x":"', '"}'];
      const invalidUtf8 = new Uint8Array([...Buffer.from(head), 0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, ...Buffer.from(tail)]);
      const cases: [string, Parameters<typeof send>[2], number[]][] = [
        ['oversized', { body: { ...target.valid, padding: 'x'.repeat(MAX_BODY_BYTES + 10) } }, [413]],
        ['deeply nested', { rawBody: brokenDepth(5000), headers: { 'content-type': 'application/json' } }, [400]],
        ['nested field', { rawBody: `${json.slice(0, -1)},"x":${brokenDepth(40)}}`, headers: { 'content-type': 'application/json' } }, [400]],
        ['text/plain', { rawBody: json, headers: { 'content-type': 'text/plain' } }, [415]],
        ['form encoded', { rawBody: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, [415]],
        ['no content type', { rawBody: json, headers: { 'content-type': '' } }, [415, 400]],
        ['octet stream', { rawBody: new Uint8Array([0xff, 0x00, 0x7b]), headers: { 'content-type': 'application/octet-stream' } }, [415]],
        ['invalid UTF-8 as JSON', { rawBody: invalidUtf8 }, [400]],
        ['not JSON', { rawBody: `${json.slice(0, -1)},}`, headers: { 'content-type': 'application/json' } }, [400]],
        ['empty', { rawBody: '', headers: { 'content-type': 'application/json' } }, [400]],
        ['JSON null', { rawBody: 'null', headers: { 'content-type': 'application/json' } }, [400]],
        ['JSON array', { rawBody: `[${json}]`, headers: { 'content-type': 'application/json' } }, [400]],
      ];
      for (const [label, init, statuses] of cases) {
        const res = await send(target, method, init);
        expectRefusal(res, `${key} ${label}`);
        expect(statuses, `${key} ${label}: ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
        count(key, 'transport');
      }
    }
    expect(await caseItemCount(t)).toBe(before);
    const table = Object.entries(counts).map(([route, c]) => ({ route, ...c, total: Object.values(c).reduce((a, b) => a + b, 0) }));
    console.table(table);
    console.log(`hostile input: ${table.reduce((a, r) => a + r.total, 0)} requests over ${table.length} write routes, 0 stored, 0 5xx`);
  });
});
