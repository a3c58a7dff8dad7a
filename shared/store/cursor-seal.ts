import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { getConfig } from '../config';
import { secretValue } from './secret-value';

/**
 * Sealed page links. A cursor handed to a client is the store's position
 * (DynamoDB's LastEvaluatedKey) encrypted and authenticated with AES-256-GCM,
 * with what it is bound to (caller, route, query) as additional data: the
 * client cannot read the key values inside, cannot forge one, and cannot
 * replay one from another caller, list or filter. Opening anything else gives
 * `undefined`, and the caller answers 400.
 *
 * The key comes from configuration only: in AWS a Secrets Manager secret the
 * stack generates (`CURSOR_KEY_SECRET_ARN`, read once per container), on one
 * machine a file under the data folder (`CURSOR_KEY_FILE`, written by
 * `npm start` on first run). Either way the secret is stretched with HKDF to
 * the AES key, so the secret's own format does not matter.
 */

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

let key: Promise<Buffer> | undefined;

/** The AES key, derived once per process from the configured secret. */
export function cursorKey(): Promise<Buffer> {
  key ??= readSecret().then(
    (secret) => Buffer.from(hkdfSync('sha256', secret, 'waymark', 'page cursor v1', 32)),
    (error: unknown) => {
      key = undefined; // a failed read (Secrets Manager unreachable) is retried by the next request
      throw error;
    },
  );
  return key;
}

async function readSecret(): Promise<Buffer> {
  const { cursorKey: source } = getConfig();
  if (source.file) return readFileSync(source.file);
  if (source.secretArn) {
    const value = await secretValue(source.secretArn);
    if (!value) throw new Error('The cursor key secret has no value');
    return Buffer.from(value, 'utf8');
  }
  throw new Error('Waymark configuration is incomplete: CURSOR_KEY_FILE or CURSOR_KEY_SECRET_ARN');
}

/** `payload` sealed for `binding`: URL-safe, opaque, different every time. */
export function seal(aesKey: Buffer, payload: string, binding: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', aesKey, iv);
  cipher.setAAD(Buffer.from(binding, 'utf8'));
  const body = Buffer.concat([cipher.update(payload, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT), iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The payload `token` was sealed with, if it was sealed with this key for exactly this binding; otherwise `undefined`. */
export function open(aesKey: Buffer, token: string, binding: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length < 1 + IV_BYTES + TAG_BYTES || raw[0] !== FORMAT) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', aesKey, raw.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(binding, 'utf8'));
    decipher.setAuthTag(raw.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
