import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { remoteKeySet } from './key-set';
import * as z from 'zod/mini';
import { roles, roleSchema, teamIdSchema, type Principal } from '../domain/roles';
import { forbidden, unauthorized } from '../domain/errors';

/** The claim that carries a principal's team (set by the pre-token-generation trigger in AWS). */
export const TEAM_CLAIM = 'custom:team';
export const GROUPS_CLAIM = 'cognito:groups';

export interface TokenSettings {
  issuer: string;
  audience: string;
  jwksUrl: string;
  algorithms: string[];
}

const keySets = new Map<string, JWTVerifyGetKey>();

/** How long a fetched key set is used before it is fetched again; a verified token is trusted no longer than that. */
const KEY_SET_MAX_AGE_MS = 10 * 60_000;

/** One key set per JWKS URL for the life of the process (see key-set.ts for when it is fetched again). */
function keySetFor(url: string): JWTVerifyGetKey {
  let set = keySets.get(url);
  if (!set) {
    set = remoteKeySet(new URL(url), { cacheMaxAgeMs: KEY_SET_MAX_AGE_MS, cooldownMs: 30_000, timeoutMs: 3_000 });
    keySets.set(url, set);
  }
  return set;
}

/**
 * Tokens this process has verified, by their exact text: a signed-in user sends the same access token with
 * every request for an hour, and checking its signature again (an ES256 or RS256 verification) is the largest
 * cost of a warm request that is not a DynamoDB round trip (BENCHMARKS.md, item 2). The same bytes always pass
 * the same signature, algorithm, issuer and audience checks; what changes is the time, so a remembered token
 * is checked against `exp` and `nbf` again on every use, and is forgotten when the key set it was verified
 * with would have been fetched again. A changed byte is another token, verified in full.
 */
interface VerifiedToken {
  payload: JWTPayload;
  /** Until when (ms since the epoch) the entry may be used: the earlier of `exp` and the key set's age limit. */
  usableUntil: number;
  notBefore: number;
}
const MAX_VERIFIED_TOKENS = 1_000;
const verifiedTokens = new Map<string, VerifiedToken>();

const settingsKey = (s: TokenSettings) => `${s.jwksUrl} ${s.issuer} ${s.audience} ${s.algorithms.join(',')}`;

function rememberedPayload(cacheKey: string, now: number): JWTPayload | undefined {
  const entry = verifiedTokens.get(cacheKey);
  if (!entry) return undefined;
  if (now >= entry.usableUntil || now < entry.notBefore) {
    // Expired, or not yet valid (a clock moved): verified in full again, which gives the exact reason.
    verifiedTokens.delete(cacheKey);
    return undefined;
  }
  return entry.payload;
}

function remember(cacheKey: string, payload: JWTPayload, now: number): void {
  if (verifiedTokens.size >= MAX_VERIFIED_TOKENS) {
    // The oldest first (a Map keeps insertion order).
    verifiedTokens.delete(verifiedTokens.keys().next().value as string);
  }
  const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : now;
  const notBefore = typeof payload.nbf === 'number' ? payload.nbf * 1000 : -Infinity;
  verifiedTokens.set(cacheKey, { payload, usableUntil: Math.min(expiresAt, now + KEY_SET_MAX_AGE_MS), notBefore });
}

/** Forgets every verified token (tests that change keys or clocks under a running process). */
export function forgetVerifiedTokens(): void {
  verifiedTokens.clear();
}

export function bearerToken(authorization: string | undefined): string {
  if (!authorization) throw unauthorized('Missing bearer token');
  const match = /^Bearer +([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]*)$/i.exec(authorization.trim());
  if (!match?.[1]) throw unauthorized('Malformed Authorization header; expected "Bearer <token>"');
  if (match[1].length > 8192) throw unauthorized('Token too large');
  return match[1];
}

/**
 * What API Gateway's JWT authorizer checks: signature with a key from the
 * issuer's JWKS, the pinned algorithm, `iss`, `exp`, `nbf`, and `aud` or
 * `client_id`. Throws 401 on any failure without saying more than which check failed.
 */
export async function verifyJwt(token: string, settings: TokenSettings): Promise<JWTPayload> {
  const cacheKey = `${settingsKey(settings)} ${token}`;
  const remembered = rememberedPayload(cacheKey, Date.now());
  if (remembered) return remembered;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keySetFor(settings.jwksUrl), {
      issuer: settings.issuer,
      algorithms: settings.algorithms,
      clockTolerance: 0,
    }));
  } catch (error) {
    throw unauthorized(describeJoseError(error));
  }
  const audiences = [payload.aud ?? []].flat();
  if (!audiences.includes(settings.audience) && payload['client_id'] !== settings.audience) {
    throw unauthorized('Token audience is not this API');
  }
  remember(cacheKey, payload, Date.now());
  return payload;
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'Token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'Token not yet valid';
    if (error.claim === 'iss') return 'Token issuer is not trusted';
    return `Token claim '${error.claim}' is invalid`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'Token algorithm is not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'Token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'Token signing key is unknown';
  if (error instanceof errors.JOSEError) return 'Token is invalid';
  return 'Token could not be verified';
}

const groupsSchema = z._default(z.array(z.string()), []);

/**
 * Everything the handler pipeline checks: the authorizer's checks, then that
 * it is an access token, then the principal's role (exactly one of the four
 * groups) and team. 401 for a bad token; 403 for a good token without a role.
 */
export async function authenticate(authorization: string | undefined, settings: TokenSettings): Promise<Principal> {
  const payload = await verifyJwt(bearerToken(authorization), settings);
  if (payload['token_use'] !== 'access') throw unauthorized('An access token is required');
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw unauthorized('Token has no subject');
  const groups = groupsSchema.safeParse(payload[GROUPS_CLAIM]);
  const roleGroups = (groups.success ? groups.data : []).filter((g) => (roles as readonly string[]).includes(g));
  if (roleGroups.length === 0) throw forbidden('The signed-in user has no Waymark role');
  if (roleGroups.length > 1) throw forbidden('The signed-in user has more than one Waymark role');
  const team = teamIdSchema.safeParse(payload[TEAM_CLAIM]);
  return {
    sub: payload.sub,
    username: typeof payload['username'] === 'string' ? payload['username'] : undefined,
    role: roleSchema.parse(roleGroups[0]),
    team: team.success ? team.data : undefined,
  };
}
