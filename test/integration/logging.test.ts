import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureOutput } from '../support/output-capture';
import { useTestEnvironment } from '../support/environment';

const t = useTestEnvironment({ seed: false });

/** Everything written to stdout and stderr while a test runs. */
let capture: ReturnType<typeof captureOutput>;
beforeEach(() => {
  capture = captureOutput('INFO');
});
afterEach(() => capture.stop());

describe('structured logs', () => {
  it('log correlation id, route, status and latency for each request — never the body or the token', async () => {
    const token = await t.tokenFor('admin');
    const marker = `Marker team ${Math.random().toString(36).slice(2)}`;
    const created = await t.api('POST', '/teams', { token, body: { name: marker, supervisors: ['a-supervisor-sub-value'] } });
    expect(created.status).toBe(201);
    const refused = await t.api('POST', '/teams', { token, body: { name: `${marker} again`, unexpected: 'secret-field-value' } });
    expect(refused.status).toBe(400);

    const lines = capture.lines();
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const completed = entries.filter((e) => e['message'] === 'request completed');
    expect(completed.map((e) => e['status'])).toEqual(expect.arrayContaining([201, 400]));
    for (const entry of completed) {
      expect(entry).toMatchObject({ route: 'POST /teams', correlationId: expect.any(String), latencyMs: expect.any(Number) });
    }
    expect(completed.map((e) => e['correlationId'])).toContain(created.headers.get('x-request-id'));

    const everything = capture.text();
    for (const secret of [marker, 'a-supervisor-sub-value', 'secret-field-value', token, token.split('.')[2] as string]) {
      expect(everything).not.toContain(secret);
    }
  });
});
