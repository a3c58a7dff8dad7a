import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * The issuer's JSON Web Key Set, fetched over node:http(s) and handed to
 * jose's local key set. jose's own remote key set uses the global `fetch`
 * and `Headers`, whose first use loads undici: about 30 ms of every cold
 * start (BENCHMARKS.md, item 1), while node:http is already loaded by the
 * AWS SDK. The rules are jose's: fetch on first use, keep it for
 * `cacheMaxAgeMs`, refetch once for an unknown `kid` unless the last fetch
 * was within `cooldownMs`, one fetch in flight at a time.
 */
export interface KeySetOptions {
  cacheMaxAgeMs: number;
  cooldownMs: number;
  timeoutMs: number;
}

const MAX_JWKS_BYTES = 512 * 1024;

export function remoteKeySet(url: URL, options: KeySetOptions): JWTVerifyGetKey {
  let local: JWTVerifyGetKey | undefined;
  let fetchedAt = -Infinity;
  let pending: Promise<void> | undefined;

  const reload = (): Promise<void> => {
    pending ??= fetchKeySet(url, options.timeoutMs)
      .then((jwks) => {
        local = createLocalJWKSet(jwks);
        fetchedAt = Date.now();
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  return async (protectedHeader, token) => {
    if (!local || Date.now() >= fetchedAt + options.cacheMaxAgeMs) await reload();
    try {
      return await local!(protectedHeader, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey && Date.now() >= fetchedAt + options.cooldownMs) {
        await reload();
        return local!(protectedHeader, token);
      }
      throw error;
    }
  };
}

function fetchKeySet(url: URL, timeoutMs: number): Promise<JSONWebKeySet> {
  const request = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
  if (!request) return Promise.reject(new errors.JOSEError(`Unsupported JWKS URL protocol ${url.protocol}`));
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { accept: 'application/json, application/jwk-set+json' } }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new errors.JOSEError('Expected 200 OK from the JSON Web Key Set HTTP response'));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_JWKS_BYTES) req.destroy(new errors.JOSEError('The JSON Web Key Set HTTP response is too large'));
        else chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JSONWebKeySet;
          if (!body || !Array.isArray(body.keys)) throw new Error('no keys array');
          resolve(body);
        } catch (cause) {
          reject(new errors.JOSEError('Failed to parse the JSON Web Key Set HTTP response as JSON', { cause }));
        }
      });
    });
    // A deadline for the whole exchange, not only for an idle socket.
    const deadline = setTimeout(() => req.destroy(new errors.JWKSTimeout()), timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('error', reject);
    req.end();
  });
}
