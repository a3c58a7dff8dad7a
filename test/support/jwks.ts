import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

/** A JWKS endpoint on loopback that counts its requests and serves whatever `state` says. */
export async function jwksServer(state: { keys: JWK[]; status?: number; body?: string; delayMs?: number }) {
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests++;
    setTimeout(() => {
      res.writeHead(state.status ?? 200, { 'content-type': 'application/json' });
      res.end(state.body ?? JSON.stringify({ keys: state.keys }));
    }, state.delayMs ?? 0);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`);
  return { url, requests: () => requests, close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }) };
}

/** An ES256 key with its public JWK; `sign` makes a token for `someone` (five minutes unless the claims say otherwise). */
export async function signingKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const sign = (claims: JWTPayload = {}, expiresIn: string | number = '5m') =>
    new SignJWT({ sub: 'someone', ...claims }).setProtectedHeader({ alg: 'ES256', kid }).setIssuedAt().setExpirationTime(expiresIn).sign(privateKey);
  return { jwk, sign };
}
