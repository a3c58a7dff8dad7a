import { timingSafeEqual } from 'node:crypto';
import { getConfig } from '../config';
import { forbidden } from '../domain/errors';
import { secretValue } from '../store/secret-value';

/**
 * The header CloudFront adds to every request it forwards to the API (an origin custom header, which
 * replaces any header of that name a viewer sends), and the API requires: so the API answers only requests
 * that came through CloudFront and its WAF web ACL, never its execute-api address directly. On one machine
 * the local gateway plays CloudFront's part and adds it the same way.
 */
export const ORIGIN_VERIFY_HEADER = 'x-waymark-origin-verify';

/** How long fetched values are trusted before the secret is read again (a rotation reaches every function within this). */
const CACHE_MS = 5 * 60 * 1000;
/** A value that matches nothing triggers one early re-read at most this often (a rotation just happened). */
const REFRESH_ON_MISS_MS = 30 * 1000;

let cache: { values: string[]; at: number } | undefined;

/** The accepted values: the configured one, or the secret's current and previous versions (both valid while CloudFront catches up with a rotation). */
async function acceptedValues(now: number, force: boolean): Promise<string[]> {
  const config = getConfig().originVerify;
  if (!config) return [];
  if (config.value) return [config.value];
  if (cache && !force && now - cache.at < CACHE_MS) return cache.values;
  const { secretArn } = config;
  if (!secretArn) return [];
  const read = (stage: 'AWSCURRENT' | 'AWSPREVIOUS') => secretValue(secretArn, stage);
  const values = (await Promise.all([read('AWSCURRENT'), read('AWSPREVIOUS')])).filter((v): v is string => typeof v === 'string' && v.length > 0);
  cache = { values, at: now };
  return values;
}

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Throws 403 unless the request carries the origin header CloudFront adds; does nothing where the configuration names no origin secret. */
export async function verifyOrigin(headers: Readonly<Record<string, string | undefined>> | undefined, now = Date.now()): Promise<void> {
  if (!getConfig().originVerify) return;
  const presented = headers?.[ORIGIN_VERIFY_HEADER];
  const refuse = () => forbidden('Requests must come through the Waymark web address');
  if (!presented) throw refuse();
  if ((await acceptedValues(now, false)).some((v) => equal(v, presented))) return;
  if (cache && now - cache.at >= REFRESH_ON_MISS_MS && (await acceptedValues(now, true)).some((v) => equal(v, presented))) return;
  throw refuse();
}
