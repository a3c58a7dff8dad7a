import { describe, expect, it } from 'vitest';
import { demoUsers, findDemoUser } from '../../infra/local/demo-users';
import { handler as meHandler } from '../../functions/me/handler';
import { ORIGIN_VERIFY_HEADER } from '../../shared/http/origin-verify';
import { useTestEnvironment } from '../support/environment';
import { apiEvent, context } from '../support/events';
import { attackTokens } from '../support/tokens';

const t = useTestEnvironment({ seed: false });

/**
 * Each broken token is refused at the gateway (API Gateway's JWT authorizer,
 * emulated) and again by the handler itself when invoked directly with no
 * authorizer in front (defence in depth).
 */
const expectations = [
  { name: 'expired', gateway: 401, handler: 401, message: /expired/i },
  { name: 'notYetValid', gateway: 401, handler: 401, message: /not yet valid/i },
  { name: 'wrongIssuer', gateway: 401, handler: 401, message: /issuer/i },
  { name: 'wrongAudience', gateway: 401, handler: 401, message: /audience/i },
  { name: 'algNone', gateway: 401, handler: 401, message: /algorithm|invalid/i },
  { name: 'hs256WithPublicKey', gateway: 401, handler: 401, message: /algorithm/i },
  { name: 'tamperedPayload', gateway: 401, handler: 401, message: /signature/i },
  // The authorizer checks neither groups nor token_use; the handler does.
  { name: 'noGroups', gateway: 403, handler: 403, message: /no Waymark role/i },
  { name: 'idToken', gateway: 401, handler: 401, message: /access token/i },
] as const;

describe('authentication', () => {
  it.each(demoUsers.map((u) => [u.username, u.role, u.team ?? null] as const))(
    'a valid token for %s gives /me with role %s and team %s',
    async (username, role, team) => {
      const res = await t.api('GET', '/me', { token: await t.tokenFor(username) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ role, team, username });
    },
  );

  it('refuses a request with no token at the gateway, before any handler runs', async () => {
    const res = await t.api('GET', '/me');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthorized' });
  });

  it('refuses a request with no token in the handler too', async () => {
    const res = await meHandler(apiEvent('GET /me'), context());
    expect(res).toMatchObject({ statusCode: 401 });
  });

  describe.each(expectations)('a token that is $name', ({ name, gateway, handler, message }) => {
    it(`gets ${gateway} at the gateway`, async () => {
      const tokens = await attackTokens(t.env.idp, findDemoUser('champion-a1')!);
      const res = await t.api('GET', '/me', { token: tokens[name] });
      expect(res.status).toBe(gateway);
      expect(JSON.stringify(res.body)).not.toContain(tokens[name]);
    });

    it(`gets ${handler} from the handler invoked directly`, async () => {
      const tokens = await attackTokens(t.env.idp, findDemoUser('champion-a1')!);
      // Forged claims in the request context must not be trusted: the handler reads the token.
      const res = await meHandler(
        apiEvent('GET /me', { authorization: `Bearer ${tokens[name]}`, claims: { sub: 'x', 'cognito:groups': '[admin]' } }),
        context(),
      );
      expect(typeof res === 'object' && res.statusCode).toBe(handler);
      const body = JSON.parse((res as { body: string }).body) as { error: string };
      expect(body.error).toMatch(message);
    });
  });

  it('a request that did not come through CloudFront (no origin header) is refused with 403, valid token or not', async () => {
    const tokens = await attackTokens(t.env.idp, findDemoUser('champion-a1')!);
    const direct = await meHandler(apiEvent('GET /me', { authorization: `Bearer ${tokens.valid}`, viaCloudFront: false }), context());
    expect(direct).toMatchObject({ statusCode: 403 });
    expect(JSON.parse((direct as { body: string }).body).error).toBe('Requests must come through the Waymark web address');
    const forged = await meHandler(
      { ...apiEvent('GET /me', { authorization: `Bearer ${tokens.valid}`, viaCloudFront: false }), headers: { authorization: `Bearer ${tokens.valid}`, [ORIGIN_VERIFY_HEADER]: 'x'.repeat(32) } },
      context(),
    );
    expect(forged).toMatchObject({ statusCode: 403 });
    // Through the gateway (CloudFront's part on one machine), a caller's own origin header is replaced, not trusted.
    const viaGateway = await t.api('GET', '/me', { token: tokens.valid, headers: { [ORIGIN_VERIFY_HEADER]: 'x'.repeat(32) } });
    expect(viaGateway.status).toBe(200);
  });

  it('the valid token from the same helper is accepted by the handler (the attack cases are not vacuous)', async () => {
    const tokens = await attackTokens(t.env.idp, findDemoUser('champion-a1')!);
    const res = await meHandler(apiEvent('GET /me', { authorization: `Bearer ${tokens.valid}` }), context());
    expect(res).toMatchObject({ statusCode: 200 });
  });

  it('a token whose role may not perform the route gets 403 with the action named', async () => {
    const res = await t.api('POST', '/teams', { token: await t.tokenFor('commissioner'), body: { name: 'Nope' } });
    expect(res.status).toBe(403);
    expect(res.body.error).toContain('teams.create');
  });
});
