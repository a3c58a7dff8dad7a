import { SignJWT, base64url } from 'jose';
import type { IdentityProvider } from '../../infra/local/identity-provider';
import type { DemoUser } from '../../infra/local/demo-users';

/** Hostile and broken tokens, each built the way an attacker or a bug would build it. */
export async function attackTokens(idp: IdentityProvider, user: DemoUser) {
  const now = Math.floor(Date.now() / 1000);
  const valid = await idp.issueAccessToken(user);
  const [header, payload, signature] = valid.split('.') as [string, string, string];
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as Record<string, unknown>;
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

  const tamperedClaims = { ...claims, 'cognito:groups': ['admin'] };
  const hsSecret = new TextEncoder().encode(JSON.stringify(idp.publicJwk));

  return {
    valid,
    expired: await idp.issueAccessToken(user, { iat: now - 7200, exp: now - 60 }),
    notYetValid: await idp.issueAccessToken(user, { nbf: now + 600 }),
    wrongIssuer: await idp.issueAccessToken(user, { iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_evil' }),
    wrongAudience: await idp.issueAccessToken(user, { client_id: 'some-other-app' }),
    algNone: `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`,
    hs256WithPublicKey: await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: idp.kid }).sign(hsSecret),
    tamperedPayload: `${header}.${encode(tamperedClaims)}.${signature}`,
    noGroups: await idp.issueAccessToken(user, { 'cognito:groups': [] }),
    idToken: await idp.issueAccessToken(user, { token_use: 'id', aud: idp.clientId }),
  };
}
