import { afterEach, describe, expect, it, vi } from 'vitest';
import { forgetVerifiedTokens, verifyJwt, type TokenSettings } from '../../shared/auth/access-token';
import { jwksServer, signingKey } from '../support/jwks';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  forgetVerifiedTokens();
  for (const close of closers.splice(0)) await close();
});

const ISSUER = 'https://issuer.test';
const AUDIENCE = 'waymark-test';

async function issuer(kid = 'a') {
  const key = await signingKey(kid);
  const state = { keys: [key.jwk] };
  const server = await jwksServer(state);
  closers.push(server.close);
  const settings: TokenSettings = { issuer: ISSUER, audience: AUDIENCE, jwksUrl: server.url.href, algorithms: ['ES256'] };
  const sign = (claims: Record<string, unknown> = {}, expiresIn: string | number = '5m') => key.sign({ iss: ISSUER, aud: AUDIENCE, ...claims }, expiresIn);
  return { key, state, settings, sign };
}

/** Flips one character of the signature, keeping it base64url. */
const tampered = (token: string) => `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;

describe('verified tokens remembered by the process', () => {
  it('answers a token it has verified from memory: the same payload object, not a second verification', async () => {
    const { settings, sign } = await issuer();
    const token = await sign();
    const first = await verifyJwt(token, settings);
    const second = await verifyJwt(token, settings);
    expect(second).toBe(first);
    // Another token of the same user is verified afresh.
    const other = await verifyJwt(await sign({ jti: 'other' }), settings);
    expect(other).not.toBe(first);
    expect(other.sub).toBe('someone');
  });

  it('still refuses a changed byte, another audience or issuer, and an unsigned copy, after the original was remembered', async () => {
    const { settings, sign } = await issuer();
    const token = await sign();
    await verifyJwt(token, settings);
    await expect(verifyJwt(tampered(token), settings)).rejects.toMatchObject({ status: 401, message: 'Token signature is invalid' });
    await expect(verifyJwt(token, { ...settings, audience: 'another-api' })).rejects.toMatchObject({ status: 401, message: 'Token audience is not this API' });
    await expect(verifyJwt(token, { ...settings, issuer: 'https://elsewhere.test' })).rejects.toMatchObject({ status: 401, message: 'Token issuer is not trusted' });
    const [header, payload] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    expect(header).not.toBe(none.split('.')[0]);
    await expect(verifyJwt(none, settings)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a remembered token once it expires', async () => {
    const { settings, sign } = await issuer();
    const token = await sign({}, '2m');
    await verifyJwt(token, settings);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 60_000);
    await expect(verifyJwt(token, settings)).resolves.toMatchObject({ sub: 'someone' });
    vi.setSystemTime(Date.now() + 61_000);
    await expect(verifyJwt(token, settings)).rejects.toMatchObject({ status: 401, message: 'Token expired' });
  });

  it('trusts a remembered token no longer than its key set: after ten minutes a key taken out of the JWKS refuses it', async () => {
    const { settings, sign, state } = await issuer('old');
    const token = await sign({}, '1h');
    await verifyJwt(token, settings);
    const replacement = await signingKey('new');
    state.keys = [replacement.jwk];
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 9 * 60_000);
    await expect(verifyJwt(token, settings)).resolves.toMatchObject({ sub: 'someone' });
    vi.setSystemTime(Date.now() + 2 * 60_000);
    await expect(verifyJwt(token, settings)).rejects.toMatchObject({ status: 401, message: 'Token signing key is unknown' });
  });

  it('refuses a remembered token before its nbf when the clock is set back', async () => {
    const { settings, sign } = await issuer();
    const nbf = Math.floor(Date.now() / 1000) - 5;
    const token = await sign({ nbf });
    await verifyJwt(token, settings);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((nbf - 60) * 1000);
    await expect(verifyJwt(token, settings)).rejects.toMatchObject({ status: 401, message: 'Token not yet valid' });
  });
});
