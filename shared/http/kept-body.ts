import Negotiator from 'negotiator';
import { gzipSync } from 'node:zlib';

/**
 * The reply of a body a warm instance keeps and never changes (a built report: shared/domain/reports.ts keeps a few).
 * A region's report by team is some 2 MB of JSON: 15–25 ms to serialise, and 2 MB for a commissioner's phone to
 * download. Kept, it is serialised once, and gzipped once (to a few percent of it) for a client whose
 * Accept-Encoding allows gzip, as browsers' and Node's fetch do; API Gateway and CloudFront pass the encoded body
 * and its Content-Encoding through. A client that does not ask for gzip gets the JSON as it is.
 */
interface KeptBody {
  json: string;
  gzip?: Buffer;
}
const kept = new WeakMap<object, KeptBody>();

/** Smaller than this, a body is sent as it is: gzip would save less than its own overhead is worth. */
const MIN_GZIP_CHARS = 1_024;

/**
 * The same JSON with every character beyond ASCII written as a `\uXXXX` escape, which JSON.parse reads back the same.
 * A report's few (the en dashes of "1–4 h") cost every client the slow path of UTF-8 decoding: a region's report by
 * team took about 9 ms to decode with them and 2 ms without, in Node's TextDecoder (browsers' have the same fast path).
 */
const asciiJson = (json: string): string => json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Whether the Accept-Encoding header allows gzip (no header: only the identity). */
export const acceptsGzip = (acceptEncoding: string | undefined): boolean =>
  new Negotiator({ headers: { 'accept-encoding': acceptEncoding ?? '' } }).encoding(['gzip']) === 'gzip';

export function keptJsonReply(body: object, acceptEncoding: string | undefined): { rawBody: string; headers: Record<string, string> } | { binaryBody: Uint8Array; headers: Record<string, string> } {
  let entry = kept.get(body);
  if (entry === undefined) kept.set(body, (entry = { json: asciiJson(JSON.stringify(body)) }));
  const headers = { vary: 'accept-encoding' };
  if (entry.json.length < MIN_GZIP_CHARS || !acceptsGzip(acceptEncoding)) return { rawBody: entry.json, headers };
  entry.gzip ??= gzipSync(entry.json);
  return { binaryBody: entry.gzip, headers: { ...headers, 'content-encoding': 'gzip' } };
}
