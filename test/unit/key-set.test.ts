import { jwtVerify, type JWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { remoteKeySet } from '../../shared/auth/key-set';
import { jwksServer, signingKey } from '../support/jwks';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('the remote key set', () => {
  it('fetches the JWKS once and verifies every later token from the cache', async () => {
    const a = await signingKey('a');
    const server = await jwksServer({ keys: [a.jwk] });
    closers.push(server.close);
    const keys = remoteKeySet(server.url, { cacheMaxAgeMs: 60_000, cooldownMs: 30_000, timeoutMs: 2_000 });
    const results = await Promise.all([a.sign(), a.sign(), a.sign()].map(async (t) => jwtVerify(await t, keys)));
    expect(results.map((r) => r.payload.sub)).toEqual(['someone', 'someone', 'someone']);
    await jwtVerify(await a.sign(), keys);
    expect(server.requests()).toBe(1);
  });

  it('refetches for an unknown kid (a rotated key) once the cooldown has passed, and not before', async () => {
    const a = await signingKey('a');
    const b = await signingKey('b');
    const state = { keys: [a.jwk] };
    const server = await jwksServer(state);
    closers.push(server.close);
    const keys = remoteKeySet(server.url, { cacheMaxAgeMs: 60_000, cooldownMs: 0, timeoutMs: 2_000 });
    await jwtVerify(await a.sign(), keys);
    state.keys = [a.jwk, b.jwk];
    await expect(jwtVerify(await b.sign(), keys)).resolves.toMatchObject({ payload: { sub: 'someone' } });
    expect(server.requests()).toBe(2);

    const cooling = remoteKeySet(server.url, { cacheMaxAgeMs: 60_000, cooldownMs: 60_000, timeoutMs: 2_000 });
    state.keys = [a.jwk];
    await jwtVerify(await a.sign(), cooling);
    state.keys = [a.jwk, b.jwk];
    await expect(jwtVerify(await b.sign(), cooling)).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
    expect(server.requests()).toBe(3);
  });

  it('fetches again when the cached set is older than its maximum age', async () => {
    const a = await signingKey('a');
    const server = await jwksServer({ keys: [a.jwk] });
    closers.push(server.close);
    const keys = remoteKeySet(server.url, { cacheMaxAgeMs: 0, cooldownMs: 0, timeoutMs: 2_000 });
    await jwtVerify(await a.sign(), keys);
    await jwtVerify(await a.sign(), keys);
    expect(server.requests()).toBe(2);
  });

  it('fails, without a key, when the endpoint answers an error, nonsense or too slowly', async () => {
    const a = await signingKey('a');
    const broken = await jwksServer({ keys: [], status: 500 });
    const nonsense = await jwksServer({ keys: [], body: '<html>not json</html>' });
    const slow = await jwksServer({ keys: [a.jwk], delayMs: 1_000 });
    closers.push(broken.close, nonsense.close, slow.close);
    const options = { cacheMaxAgeMs: 60_000, cooldownMs: 0, timeoutMs: 200 };
    await expect(jwtVerify(await a.sign(), remoteKeySet(broken.url, options))).rejects.toThrow(/Expected 200 OK/);
    await expect(jwtVerify(await a.sign(), remoteKeySet(nonsense.url, options))).rejects.toThrow(/parse the JSON Web Key Set/);
    await expect(jwtVerify(await a.sign(), remoteKeySet(slow.url, options))).rejects.toMatchObject({ code: 'ERR_JWKS_TIMEOUT' });
  });

  it('recovers after a failed fetch: the next token fetches again', async () => {
    const a = await signingKey('a');
    const state: { keys: JWK[]; status?: number } = { keys: [a.jwk], status: 503 };
    const server = await jwksServer(state);
    closers.push(server.close);
    const keys = remoteKeySet(server.url, { cacheMaxAgeMs: 60_000, cooldownMs: 30_000, timeoutMs: 2_000 });
    await expect(jwtVerify(await a.sign(), keys)).rejects.toThrow();
    delete state.status;
    await expect(jwtVerify(await a.sign(), keys)).resolves.toMatchObject({ payload: { sub: 'someone' } });
  });
});
