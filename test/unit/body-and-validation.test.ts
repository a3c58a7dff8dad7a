import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_BODY_BYTES, MAX_BODY_DEPTH, parseJsonBody } from '../../shared/http/body';
import { parseOrThrow, toFieldIssues } from '../../shared/http/validation';
import { safeParse } from 'zod/mini';
import { createTeamSchema } from '../../shared/domain/teams';
import { supportSessionListQuerySchema } from '../../shared/domain/support-sessions';

const statusOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as { status: number }).status;
  }
};

describe('parseJsonBody', () => {
  it('parses JSON bodies, plain or base64', () => {
    expect(parseJsonBody('{"a":1}', false, 'application/json')).toEqual({ a: 1 });
    expect(parseJsonBody(Buffer.from('{"a":2}').toString('base64'), true, 'application/json; charset=utf-8')).toEqual({ a: 2 });
    expect(parseJsonBody('{"a":3}', false, 'application/merge-patch+json')).toEqual({ a: 3 });
  });

  it('refuses each kind of bad body with the right status', () => {
    expect(statusOf(() => parseJsonBody(undefined, false, 'application/json'))).toBe(400);
    expect(statusOf(() => parseJsonBody('{}', false, 'text/plain'))).toBe(415);
    expect(statusOf(() => parseJsonBody('{}', false, undefined))).toBe(415);
    expect(statusOf(() => parseJsonBody('{', false, 'application/json'))).toBe(400);
    expect(statusOf(() => parseJsonBody(`"${'x'.repeat(MAX_BODY_BYTES)}"`, false, 'application/json'))).toBe(413);
    expect(statusOf(() => parseJsonBody(Buffer.from([0x7b, 0xff, 0x7d]).toString('base64'), true, 'application/json'))).toBe(400);
    const deep = '['.repeat(MAX_BODY_DEPTH + 1) + ']'.repeat(MAX_BODY_DEPTH + 1);
    expect(statusOf(() => parseJsonBody(deep, false, 'application/json'))).toBe(400);
    const shallow = '['.repeat(MAX_BODY_DEPTH - 1) + ']'.repeat(MAX_BODY_DEPTH - 1);
    expect(statusOf(() => parseJsonBody(shallow, false, 'application/json'))).toBe('ok');
  });
});

describe('field issues', () => {
  it('names every unknown key, including prototype-pollution keys, at its own path', () => {
    const body = JSON.parse('{"name":"A","__proto__":{"admin":true},"constructor":1}');
    const result = createTeamSchema.safeParse(body);
    expect(result.success).toBe(false);
    const issues = toFieldIssues(result.error!);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: '__proto__', message: 'Remove this field: Waymark does not take it' },
        { path: 'constructor', message: 'Remove this field: Waymark does not take it' },
      ]),
    );
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  });

  it('says what to enter for a missing field (from the message catalogue) and prefixes where the value came from', () => {
    const schema = z.strictObject({ limit: z.coerce.number().max(5) });
    expect(statusOf(() => parseOrThrow(schema, {}, ['query']))).toBe(400);
    try {
      parseOrThrow(schema, { limit: '9' }, ['query']);
    } catch (error) {
      expect((error as { issues: unknown }).issues).toEqual([{ path: 'query.limit', message: expect.stringContaining('5') }]);
    }
    const missing = z.strictObject({ name: z.string() }).safeParse({});
    expect(toFieldIssues(missing.error!)).toEqual([{ path: 'name', message: 'Enter a name' }]);
  });

  it('says a field\'s sentence once when two of its rules come to the same one (a date not a date, nor in the calendar)', () => {
    const result = safeParse(supportSessionListQuerySchema, { from: '2026-12', to: '2026-12-01' });
    expect(result.success).toBe(false);
    const issues = toFieldIssues(result.error!, ['query']);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'query.from' });
  });
});
