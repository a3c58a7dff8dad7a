import { exportJWK, generateKeyPair, importJWK, SignJWT, calculateJwkThumbprint, type JWK, type CryptoKey } from 'jose';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GROUPS_CLAIM, TEAM_CLAIM } from '../../shared/auth/access-token';
import type { DemoUser } from './demo-users';

/**
 * The development identity provider: a stand-in for Cognito on one machine.
 * It signs ES256 access tokens carrying the claims Cognito puts in access
 * tokens (plus the team claim the pre-token trigger adds in AWS), and
 * publishes its discovery document and JWKS like any OpenID provider.
 */
export const LOCAL_ALGORITHM = 'ES256';
export const LOCAL_CLIENT_ID = 'waymark-local-web';
export const ACCESS_TOKEN_TTL_SECONDS = 60 * 60;

export interface IdentityProvider {
  issuer: string;
  clientId: string;
  kid: string;
  publicJwk: JWK;
  jwks(): { keys: JWK[] };
  discovery(): Record<string, unknown>;
  issueAccessToken(user: DemoUser, overrides?: Record<string, unknown>): Promise<string>;
}

interface StoredKey {
  privateJwk: JWK;
}

/** Loads the signing key from `keyDir`, creating it on first start. */
async function loadOrCreateKey(keyDir: string): Promise<{ privateKey: CryptoKey; publicJwk: JWK }> {
  const file = join(keyDir, 'signing-key.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
    const privateKey = (await importJWK(stored.privateJwk, LOCAL_ALGORITHM)) as CryptoKey;
    const { d: _d, ...publicJwk } = stored.privateJwk;
    return { privateKey, publicJwk };
  }
  const { privateKey, publicKey } = await generateKeyPair(LOCAL_ALGORITHM, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  mkdirSync(keyDir, { recursive: true });
  writeFileSync(file, JSON.stringify({ privateJwk } satisfies StoredKey), { mode: 0o600 });
  return { privateKey, publicJwk: await exportJWK(publicKey) };
}

export async function createIdentityProvider(options: { issuer: string; keyDir: string }): Promise<IdentityProvider> {
  const { privateKey, publicJwk: rawPublic } = await loadOrCreateKey(options.keyDir);
  const kid = await calculateJwkThumbprint(rawPublic);
  const publicJwk: JWK = { ...rawPublic, kid, alg: LOCAL_ALGORITHM, use: 'sig' };
  const { issuer } = options;
  return {
    issuer,
    clientId: LOCAL_CLIENT_ID,
    kid,
    publicJwk,
    jwks: () => ({ keys: [publicJwk] }),
    discovery: () => ({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      authorization_endpoint: `${issuer}/sign-in`,
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [LOCAL_ALGORITHM],
      token_endpoint_auth_methods_supported: ['none'],
    }),
    async issueAccessToken(user, overrides = {}) {
      const now = Math.floor(Date.now() / 1000);
      const claims: Record<string, unknown> = {
        sub: user.sub,
        [GROUPS_CLAIM]: [user.role],
        ...(user.team ? { [TEAM_CLAIM]: user.team } : {}),
        iss: issuer,
        client_id: LOCAL_CLIENT_ID,
        token_use: 'access',
        scope: 'openid profile',
        auth_time: now,
        iat: now,
        exp: now + ACCESS_TOKEN_TTL_SECONDS,
        jti: randomUUID(),
        username: user.username,
        ...overrides,
      };
      return new SignJWT(claims).setProtectedHeader({ alg: LOCAL_ALGORITHM, kid, typ: 'JWT' }).sign(privateKey);
    },
  };
}
