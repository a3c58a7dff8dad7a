import createHttpError from 'http-errors';
import { badRequest } from '../domain/errors';

/** Largest JSON body any route accepts. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Deepest nesting any route's schema needs, with room to spare. */
export const MAX_BODY_DEPTH = 16;

const jsonType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/**
 * Reads a JSON request body: the content type must be JSON, the bytes must be
 * valid UTF-8 within the size limit, the text valid JSON within the depth
 * limit. Each failure is a 4xx that says which.
 */
export function parseJsonBody(
  body: string | undefined,
  isBase64Encoded: boolean,
  contentType: string | undefined,
): unknown {
  if (body === undefined || body === '') {
    throw badRequest('A JSON request body is required', [{ path: '', message: 'Send the answers with the request, as JSON' }]);
  }
  if (!contentType || !jsonType.test(contentType)) {
    throw createHttpError(415, 'Content-Type must be application/json');
  }
  const bytes = isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw createHttpError(413, `Request body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badRequest('Request body is not valid UTF-8', [{ path: '', message: 'Send the request as UTF-8 text' }]);
  }
  // A JSON body reaches the function as text: bytes that were not UTF-8 arrive as U+FFFD (the replacement
  // character), which no field needs. Refuse rather than store the damage.
  if (text.includes('\uFFFD')) {
    throw badRequest('Request body is not valid UTF-8 (it holds U+FFFD, the replacement character)', [{ path: '', message: 'Send the request as UTF-8 text' }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('Request body is not valid JSON', [{ path: '', message: 'Send the answers as JSON' }]);
  }
  if (depthOf(value) > MAX_BODY_DEPTH) {
    throw badRequest(`Request body is nested deeper than ${MAX_BODY_DEPTH} levels`, [{ path: '', message: 'Send answers nested less deeply' }]);
  }
  return value;
}

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_BODY_DEPTH || value === null || typeof value !== 'object') return depth;
  let deepest = depth + 1;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, depth + 1));
  return deepest;
}
