import { describe, expect, it } from 'vitest';
import { contractProblems } from '../support/contract';

/** The test client's contract check, on replies made up to break it one way at a time. */
const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers({ 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'req-1', ...headers }),
  text: body === undefined ? '' : JSON.stringify(body),
});
const team = { id: 'team-x', name: 'A team', supervisors: [], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', version: 1 };

describe('the reply contract (docs/openapi.json) the test client checks', () => {
  it('accepts a documented status, headers and body', () => {
    expect(contractProblems('POST', '/teams', reply(201, team))).toEqual([]);
    expect(contractProblems('GET', '/teams?limit=5', reply(200, { items: [team], nextCursor: null }))).toEqual([]);
  });

  it('refuses a status the operation does not document', () => {
    expect(contractProblems('POST', '/teams', reply(200, team))[0]).toMatch(/status 200 is not documented/);
  });

  it('refuses a body with a field the schema does not have, or without one it requires', () => {
    expect(contractProblems('POST', '/teams', reply(201, { ...team, secret: 'x' })).join()).toMatch(/additional properties \(secret\)/);
    const { name: _name, ...nameless } = team;
    expect(contractProblems('POST', '/teams', reply(201, nameless)).join()).toMatch(/name/);
  });

  it('refuses a header sent where it is not documented, and a required header missing', () => {
    expect(contractProblems('POST', '/teams', reply(201, team, { location: '/teams/team-x' })).join()).toMatch(/header location is sent but not documented/);
    const noId = { ...reply(201, team), headers: new Headers({ 'content-type': 'application/json' }) };
    expect(contractProblems('POST', '/teams', noId).join()).toMatch(/x-request-id is required/);
    expect(contractProblems('POST', '/champions', reply(201, {})).join()).toMatch(/header location is required/);
  });

  it('checks refusals against the shared error body, and the gateway\'s 401 against its own', () => {
    expect(contractProblems('POST', '/teams', reply(400, { error: 'Invalid', issues: [{ path: 'name', message: 'is required' }], requestId: 'req-1' }))).toEqual([]);
    expect(contractProblems('POST', '/teams', reply(400, { message: 'Bad' })).join()).toMatch(/error|requestId/);
    expect(contractProblems('GET', '/me', reply(401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' }))).toEqual([]);
  });

  it('leaves alone what is not the API (the identity provider, the web app)', () => {
    expect(contractProblems('GET', '/idp/.well-known/jwks.json', reply(200, { anything: true }))).toEqual([]);
  });
});
