/**
 * Every rule of every form speaks plain English. The walk takes each route's
 * body and query schema (from the handlers themselves, as the OpenAPI
 * document does), breaks each field every way its JSON Schema says it can
 * be broken (missing, wrong type, not a choice, too long, too short, too
 * many, repeated, wrong shape, unknown field), adds the rules across fields,
 * and reads every message that comes back: none may carry schema vocabulary
 * (`Invalid`, `expected`, a quoted or raw enum value, a field's code name,
 * `|`), each is a sentence that starts with a capital letter.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { functionEntry, routeKey, routes } from '../../shared/api/routes';
import { contactConsistency, createContactSchema, contactDateProblem } from '../../shared/domain/contacts';
import { fieldMessage, fieldWords, schemaVocabulary, wordsFor } from '../../shared/domain/messages';
import { reportQuerySchema } from '../../shared/domain/reports';
import { transitionSchema } from '../../shared/domain/escalations';
import { validationFailed, type FieldIssue } from '../../shared/domain/errors';
import { parseOrThrow } from '../../shared/http/validation';
import type { Operation } from '../../shared/http/pipeline';

const root = new URL('../../', import.meta.url).pathname;
type Json = Record<string, any>;

async function operations(): Promise<{ key: string; where: 'body' | 'query'; schema: z.core.$ZodType }[]> {
  const out: { key: string; where: 'body' | 'query'; schema: z.core.$ZodType }[] = [];
  for (const route of routes) {
    const module = (await import(pathToFileURL(join(root, functionEntry(route.function))).href)) as { handler: { operations: Record<string, Operation> } };
    const op = module.handler.operations[routeKey(route)];
    if (op?.body) out.push({ key: routeKey(route), where: 'body', schema: op.body as z.core.$ZodType });
    if (op?.query) out.push({ key: routeKey(route), where: 'query', schema: op.query as z.core.$ZodType });
  }
  return out;
}

/** Ways to break a field described by a JSON Schema node. */
function badValues(node: Json): unknown[] {
  const values: unknown[] = [undefined, null, 12345, true, 'nope-not-a-choice', '', '   ', {}, [], 1.5, -1, 1e9];
  const options = (node['anyOf'] ?? node['oneOf'] ?? []) as Json[];
  for (const o of options) values.push(...badValues(o).slice(12));
  if (node['type'] === 'string') {
    values.push('x'.repeat(Number(node['maxLength'] ?? 5000) + 1), '!!', 'a', '2026-13-45', '2999-01-01', '1999-01-01', 'http://insecure.example');
  }
  if (node['type'] === 'array') {
    const item = (node['items'] ?? {}) as Json;
    const sample = item['enum']?.[0] ?? (item['type'] === 'object' ? {} : 'a');
    values.push([sample, sample], Array.from({ length: Number(node['maxItems'] ?? 200) + 1 }, (_, i) => item['enum']?.[i % item['enum'].length] ?? `x${i}`), [12], [null], ['nope']);
    if (item['type'] === 'object') values.push([{ serviceId: 'nope', mode: 'nope' }], [{ serviceId: 'service-a', mode: 'information_given', extra: 1 }]);
  }
  if (node['type'] === 'object') {
    values.push({ unknownField: 1 });
    for (const [k, child] of Object.entries((node['properties'] ?? {}) as Record<string, Json>)) {
      for (const v of badValues(child)) values.push({ [k]: v });
    }
  }
  if (node['type'] === 'integer' || node['type'] === 'number') values.push(Number(node['maximum'] ?? 1e6) + 1, Number(node['minimum'] ?? -1e6) - 1, 2.5, '12');
  return values;
}

function issuesOf(schema: z.core.$ZodType, input: unknown, prefix: string[]): FieldIssue[] {
  try {
    parseOrThrow(schema, input, prefix);
    return [];
  } catch (error) {
    return (error as { issues: FieldIssue[] }).issues;
  }
}

/** What is wrong with a message, if anything: `where: path: "message" (why)`. */
function faultOf(issue: FieldIssue, where: string): string | undefined {
  const m = issue.message;
  const broken = schemaVocabulary.find((pattern) => pattern.test(m));
  if (broken) return `${where}: ${issue.path}: "${m}" (${broken})`;
  if (!/^[A-Z0-9]/.test(m) || m.length < 6) return `${where}: ${issue.path}: "${m}" (not a sentence)`;
  return undefined;
}

/** Every fault in these issues, once each (the walk meets the same message many times). */
const faults = (list: readonly (readonly [FieldIssue, string])[]): string[] =>
  [...new Set(list.map(([issue, where]) => faultOf(issue, where)).filter((f): f is string => f !== undefined))];

describe('the message catalogue', () => {
  it('every sentence in it is plain English', () => {
    for (const [path, w] of Object.entries(fieldWords)) {
      const texts = [w.missing, w.missingText, w.format].filter((t): t is string => t !== undefined);
      expect(faults(texts.map((message) => [{ path, message }, 'catalogue'] as const))).toEqual([]);
      expect(w.label).toMatch(/^[A-Z]/);
    }
  });

  it('completes a rule’s predicate with the field’s name, and keeps a whole sentence as it is', () => {
    expect(fieldMessage('contactDate', { kind: 'stated', text: 'must be today or in the past' })).toBe('Date of the contact must be today or in the past');
    expect(fieldMessage('query.to', { kind: 'stated', text: 'To must be the same as or after From' })).toBe('To must be the same as or after From');
    expect(fieldMessage('signposting.3.serviceId', { kind: 'missing' })).toBe('Select a service from the directory');
    expect(wordsFor('body.setting').label).toBe('Where it happened');
  });

  it('a refused contact says what to do, in the GOV.UK words', () => {
    const issues = issuesOf(createContactSchema, { contactDate: '2026-05-01', strands: ['dasv'], setting: 'a_barn', priorHelp: [], signposting: [] }, []);
    const by = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    // The rules across fields are checked once every field has the right shape.
    const shaped = { contactDate: '2026-05-01', strands: ['dasv'], setting: 'online_messaging', priorHelp: ['none', 'family_or_friends'], beforePoliceOrEmergency: true, signposting: [{ serviceId: 'service-a', mode: 'information_given' }] };
    for (const issue of issuesOf(createContactSchema, shaped, [])) by[issue.path] = issue.message;
    expect(by['setting']).toBe('Select where the contact happened');
    expect(by['signposting']).toBe('Select at least one service you signposted the person to');
    expect(by['beforePoliceOrEmergency']).toBe('Select whether this is before any police or 999 involvement');
    expect(by['dasvForms']).toBe('Select at least one form of abuse for a DASV contact');
    expect(by['priorHelp']).toBe('Select None on its own, or the people the person had sought help from');
    expect(validationFailed(issues).message).toMatch(/^There is a problem: setting: Select where the contact happened/);
  });
});

describe('every rule of every form', () => {
  it('answers in plain English, whichever field is broken and however', { timeout: 60_000 }, async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(20);
    let seen = 0;
    const paths = new Set<string>();
    const found: [FieldIssue, string][] = [];
    for (const op of ops) {
      const json = z.toJSONSchema(op.schema, { io: 'input', unrepresentable: 'any' }) as Json;
      const prefix = op.where === 'query' ? ['query'] : [];
      const inputs: unknown[] = [{}, undefined, 'text', [], { unknownField: 1 }];
      const branches = (json['oneOf'] ?? json['anyOf'] ?? [json]) as Json[];
      for (const branch of branches) {
        const base: Json = {};
        for (const [k, child] of Object.entries((branch['properties'] ?? {}) as Record<string, Json>)) {
          if (child['const'] !== undefined) base[k] = child['const'];
        }
        inputs.push({ ...base });
        for (const [k, child] of Object.entries((branch['properties'] ?? {}) as Record<string, Json>)) {
          for (const v of badValues(child)) inputs.push({ ...base, [k]: v });
        }
      }
      for (const input of inputs) {
        for (const issue of issuesOf(op.schema, input, prefix)) {
          found.push([issue, `${op.key} ${op.where}`]);
          seen += 1;
          if (issue.message !== fieldMessage('x', { kind: 'unknown_field' })) paths.add(issue.path.replace(/\.\d+/g, ''));
        }
      }
    }
    expect(faults(found)).toEqual([]);
    expect(seen).toBeGreaterThan(1000);
    // Each field that can be refused has words of its own (not a name made up from its code).
    const unnamed = [...paths].filter((p) => p && !p.endsWith('unknownField') && !Object.keys(fieldWords).some((k) => p === k || p.endsWith(`.${k}`) || p.replace(/^query\./, '') === k));
    expect(unnamed).toEqual([]);
  });

  it('the rules across fields, of a contact, a report and a next step, answer in plain English too', () => {
    const contactCases = [
      { strands: ['dasv'], dasvForms: [] },
      { strands: ['hate_crime'], dasvForms: ['physical'], hateMotivations: [], hateIncidentKinds: [] },
      { strands: ['dasv'], hateMotivations: ['disability'], hateIncidentKinds: ['threats'] },
      { priorHelp: ['none', 'family_or_friends'] },
      { priorHelp: ['police_or_999'], beforePoliceOrEmergency: true },
    ];
    const issues = contactCases.flatMap((c) => contactConsistency(c as never));
    expect(issues.length).toBeGreaterThanOrEqual(7);
    const problems = [contactDateProblem('2999-01-01', new Date(), 30), contactDateProblem('2001-01-01', new Date(), 30)];
    for (const message of problems) issues.push({ path: 'contactDate', message: message ?? '' });
    for (const q of [{ from: '2026-05', to: '2026-01' }, { from: '2020-01', to: '2026-01' }, { from: '2026-01', to: '2026-02', metrics: 'no_such_metric' }, { from: '2026-01', to: '2026-02', breakdown: 'team', metrics: 'champions_current' }]) {
      issues.push(...issuesOf(reportQuerySchema, q, ['query']));
    }
    for (const body of [{ to: 'flying' }, { to: 'triaged', version: 1, targetServiceKind: 'nope', dashScore: 30 }, { to: 'referred', version: 1 }]) {
      issues.push(...issuesOf(transitionSchema, body, []));
    }
    expect(issues.length).toBeGreaterThanOrEqual(15);
    expect(faults((validationFailed(issues).issues as FieldIssue[]).map((i) => [i, 'across fields'] as const))).toEqual([]);
  });
});
