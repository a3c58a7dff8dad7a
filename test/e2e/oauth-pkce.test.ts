/** The development identity provider's OAuth 2.0 authorization code + PKCE flow, over HTTP (what the web app and Cognito do). */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../support/environment';

const t = useTestEnvironment({ seed: false });
const b64 = (buf: Buffer) => buf.toString('base64url');

async function authorize(overrides: Record<string, string> = {}) {
  const verifier = b64(randomBytes(48));
  const params = {
    response_type: 'code',
    client_id: t.env.idp.clientId,
    redirect_uri: `${t.env.url}/`,
    scope: 'openid',
    state: 'state-123',
    code_challenge: b64(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    ...overrides,
  };
  const res = await fetch(`${t.env.url}/idp/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...params, user: 'champion-a1' }).toString(),
    redirect: 'manual',
  });
  return { res, verifier, location: res.headers.get('location') ?? '' };
}

const redeem = (fields: Record<string, string>) =>
  fetch(`${t.env.url}/idp/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: t.env.idp.clientId, redirect_uri: `${t.env.url}/`, ...fields }).toString(),
  });

describe('development identity provider: authorization code + PKCE', () => {
  it('publishes its endpoints, and the web app\'s config names them', async () => {
    const discovery = await (await fetch(`${t.env.url}/idp/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({
      authorization_endpoint: `${t.env.url}/idp/authorize`,
      token_endpoint: `${t.env.url}/idp/token`,
      code_challenge_methods_supported: ['S256'],
    });
    const config = await (await fetch(`${t.env.url}/config.json`)).json();
    expect(config).toMatchObject({ clientId: t.env.idp.clientId, authorizationEndpoint: discovery.authorization_endpoint, tokenEndpoint: discovery.token_endpoint });
  });

  it('shows the demo users for a valid request, and sends the browser back with a code and the state', async () => {
    const page = await fetch(`${t.env.url}/idp/authorize?${new URLSearchParams({ response_type: 'code', client_id: t.env.idp.clientId, redirect_uri: `${t.env.url}/`, state: 's', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' })}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sign in as <strong>champion-a1</strong>');
    const { res, location } = await authorize();
    expect(res.status).toBe(302);
    const back = new URL(location);
    expect(back.origin + back.pathname).toBe(`${t.env.url}/`);
    expect(back.searchParams.get('state')).toBe('state-123');
    expect(back.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('redeems a code once, with its verifier, for an access token the API accepts', async () => {
    const { location, verifier } = await authorize();
    const code = new URL(location).searchParams.get('code') as string;
    const res = await redeem({ code, code_verifier: verifier });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const me = await t.api('GET', '/me', { token: body.access_token });
    expect(me.body).toMatchObject({ username: 'champion-a1', role: 'champion' });
    // Single use.
    expect((await redeem({ code, code_verifier: verifier })).status).toBe(400);
  });

  it('refuses a wrong verifier, and the code is spent by the attempt', async () => {
    const { location, verifier } = await authorize();
    const code = new URL(location).searchParams.get('code') as string;
    const wrong = await redeem({ code, code_verifier: b64(randomBytes(48)) });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_grant' });
    expect((await redeem({ code, code_verifier: verifier })).status).toBe(400);
  });

  it('refuses a code redeemed for another redirect URI or client', async () => {
    const a = await authorize();
    const codeA = new URL(a.location).searchParams.get('code') as string;
    expect((await redeem({ code: codeA, code_verifier: a.verifier, redirect_uri: 'http://evil.example/' })).status).toBe(400);
    const b = await authorize();
    const codeB = new URL(b.location).searchParams.get('code') as string;
    expect((await redeem({ code: codeB, code_verifier: b.verifier, client_id: 'other' })).status).toBe(401);
  });

  it('never redirects to an unknown redirect URI or for an unknown client; refuses a plain (non-S256) challenge', async () => {
    for (const overrides of [{ redirect_uri: 'https://evil.example/' }, { client_id: 'someone-else' }] as Record<string, string>[]) {
      const { res } = await authorize(overrides);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
    const plain = await authorize({ code_challenge_method: 'plain' });
    expect(plain.res.status).toBe(302);
    expect(new URL(plain.location).searchParams.get('error')).toBe('invalid_request');
    expect(new URL(plain.location).searchParams.get('code')).toBeNull();
  });

  it('keeps POST /local/token and the plain sign-in page working', async () => {
    const res = await fetch(`${t.env.url}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'admin' }) });
    expect(res.status).toBe(200);
    const page = await fetch(`${t.env.url}/idp/sign-in`);
    expect(await page.text()).toContain('action="/idp/sign-in"');
    expect((await fetch(`${t.env.url}/idp/idp.css`)).status).toBe(200);
  });
});
