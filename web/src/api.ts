import { clearSession, session } from './session';

export interface FieldIssue {
  path: string;
  message: string;
}

/** A refused request: the status, the API's message and its field issues (`issues[].path`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** The session ended (no token, or the API said 401): the app goes back to signing in. */
export class SignedOutError extends Error {}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Query = Record<string, string | number | boolean | undefined>;

/**
 * A file from the API (e.g. a report as CSV): fetched with the bearer token in
 * a header (never in a URL), returned as a Blob and its suggested file name.
 */
export async function apiFile(path: string, query: Query, accept: string): Promise<{ blob: Blob; filename: string | undefined; nextCursor: string | undefined }> {
  if (!session.token || !session.config || Date.now() >= session.expiresAt) {
    clearSession();
    throw new SignedOutError('Your session has ended');
  }
  const url = new URL(`${session.config.apiUrl}${path}`, location.origin);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  let res: Response;
  try {
    res = await fetch(url.toString(), { headers: { authorization: `Bearer ${session.token}`, accept }, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch {
    throw new ApiError(0, 'Waymark could not be reached. Check your connection and try again.');
  }
  if (res.status === 401) {
    clearSession();
    throw new SignedOutError('Your session has ended');
  }
  if (!res.ok) {
    // A refusal is JSON like every other: its message and the fields it names.
    const b = (await res.json().catch(() => ({}))) as { error?: string; issues?: FieldIssue[] };
    throw new ApiError(res.status, b.error ?? `The download failed (${res.status})`, Array.isArray(b.issues) ? b.issues : []);
  }
  const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  // A download sent in parts names the next in a Link header (rel="next"); the caller asks for it with its cursor.
  const next = /^<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
  const nextCursor = next ? new URL(next, location.origin).searchParams.get('cursor') ?? undefined : undefined;
  return { blob: await res.blob(), filename, nextCursor };
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options: { query?: Query; body?: unknown; idempotencyKey?: string } = {},
): Promise<T> {
  if (!session.token || !session.config || Date.now() >= session.expiresAt) {
    clearSession();
    throw new SignedOutError('Your session has ended');
  }
  const url = new URL(`${session.config.apiUrl}${path}`, location.origin);
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { authorization: `Bearer ${session.token}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(url.toString(), {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, 'Waymark could not be reached. Check your connection and try again.');
  }
  if (res.status === 401) {
    clearSession();
    throw new SignedOutError('Your session has ended');
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const b = (body ?? {}) as { error?: string; message?: string; issues?: FieldIssue[] };
    throw new ApiError(res.status, b.error ?? b.message ?? `Request failed (${res.status})`, Array.isArray(b.issues) ? b.issues : []);
  }
  return body as T;
}
