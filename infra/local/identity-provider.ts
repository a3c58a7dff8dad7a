import { exportJWK, generateKeyPair, importJWK, SignJWT, calculateJwkThumbprint, type JWK, type CryptoKey } from 'jose';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
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
  /** OAuth 2.0 authorization code + PKCE: a single-use code for a signed-in user, valid for a minute. */
  issueAuthorizationCode(request: AuthorizationRequest, user: DemoUser): string;
  /** Redeems a code (once, whatever the outcome): the user when client, redirect URI and verifier match. */
  redeemAuthorizationCode(redemption: CodeRedemption): { user: DemoUser } | { error: string };
}

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
}

export interface CodeRedemption {
  code: string;
  clientId: string;
  redirectUri: string;
  codeVerifier: string;
}

export const AUTHORIZATION_CODE_TTL_MS = 60_000;

/** RFC 7636: the S256 challenge of a verifier. */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url');

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
  const codes = new Map<string, AuthorizationRequest & { user: DemoUser; expiresAt: number }>();
  return {
    issuer,
    clientId: LOCAL_CLIENT_ID,
    kid,
    publicJwk,
    jwks: () => ({ keys: [publicJwk] }),
    discovery: () => ({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [LOCAL_ALGORITHM],
      token_endpoint_auth_methods_supported: ['none'],
    }),
    issueAuthorizationCode(request, user) {
      const now = Date.now();
      for (const [c, v] of codes) if (v.expiresAt <= now) codes.delete(c);
      const code = randomBytes(32).toString('base64url');
      codes.set(code, { ...request, user, expiresAt: now + AUTHORIZATION_CODE_TTL_MS });
      return code;
    },
    redeemAuthorizationCode({ code, clientId, redirectUri, codeVerifier }) {
      const grant = codes.get(code);
      codes.delete(code);
      if (!grant || grant.expiresAt <= Date.now()) return { error: 'invalid_grant' };
      if (grant.clientId !== clientId || grant.redirectUri !== redirectUri) return { error: 'invalid_grant' };
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(codeVerifier)) return { error: 'invalid_grant' };
      const expected = Buffer.from(grant.codeChallenge);
      const actual = Buffer.from(s256(codeVerifier));
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return { error: 'invalid_grant' };
      return { user: grant.user };
    },
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
