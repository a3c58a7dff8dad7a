import * as z from 'zod/mini';
import '../zod-messages';
import { validationFailed, type FieldIssue, type HttpError } from '../domain/errors';
import { fieldMessage, type Rule } from '../domain/messages';

type Issue = z.core.$ZodIssue;

const unitOf = (origin: string): 'characters' | 'items' | 'value' =>
  origin === 'string' ? 'characters' : origin === 'array' || origin === 'set' ? 'items' : 'value';

/** What a zod issue means for the field, in the terms of the message catalogue (shared/domain/messages.ts). */
function ruleOf(issue: Issue, given: unknown): Rule {
  switch (issue.code) {
    case 'invalid_type':
      if (given === undefined || given === null) return { kind: 'missing', text: issue.expected === 'string' };
      return { kind: 'wrong_type', expected: issue.expected };
    case 'invalid_value':
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return { kind: 'not_a_choice' };
    case 'too_big':
      return { kind: 'too_long', max: Number(issue.maximum), unit: unitOf(issue.origin) };
    case 'too_small':
      return { kind: 'too_short', min: Number(issue.minimum), unit: unitOf(issue.origin), ...(issue.inclusive === false ? { exclusive: true } : {}) };
    case 'not_multiple_of':
      return { kind: 'whole_number' };
    case 'invalid_format':
      return { kind: 'format' };
    case 'custom':
      return { kind: 'stated', text: issue.message };
    default:
      return { kind: 'format' };
  }
}

/**
 * Turns zod's issues into `{ path, message }` pairs that name each bad field:
 * the path for machines, one plain sentence from the message catalogue for
 * people. Unknown keys (strict objects) become one issue per key, at the key's path.
 */
export function toFieldIssues(error: z.core.$ZodError, prefix: string[] = [], input?: unknown): FieldIssue[] {
  // zod/mini runs a field's checks even after its type was wrong ("too long" for a number given as text): the type is the one thing to say.
  const mistyped = new Set(error.issues.filter((i) => i.code === 'invalid_type').map((i) => i.path.join('.')));
  const issues = error.issues.filter((i) => i.code === 'invalid_type' || !mistyped.has(i.path.join('.')));
  const said = new Set<string>();
  // Two rules of one field can come to the same sentence (a date's pattern and its calendar check): said once.
  const once = (i: FieldIssue) => !said.has(`${i.path}\n${i.message}`) && said.add(`${i.path}\n${i.message}`) !== undefined;
  return issues.flatMap((issue): FieldIssue[] => {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const at = [...path, key].join('.');
        return { path: at, message: fieldMessage(at, { kind: 'unknown_field' }) };
      });
    }
    const at = path.join('.');
    // zod does not report the input it was given, so a field is missing only if it is absent from what was sent
    // (`"version": "1"` is there, of the wrong type, and is told so).
    const given = input === undefined ? issue.input : valueAt(input, issue.path);
    return [{ path: at, message: fieldMessage(at, ruleOf(issue, given)) }];
  }).filter(once);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Parses `input` with `schema`, or throws a 400 naming every bad field (prefixed with where it came from). */
export function parseOrThrow<S extends z.core.$ZodType>(schema: S, input: unknown, prefix: string[] = []): z.output<S> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  throw validationFailed(toFieldIssues(result.error, prefix, input)) as HttpError;
}
