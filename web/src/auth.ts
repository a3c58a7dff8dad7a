import { clearSession, session, type WebConfig } from './session';

/**
 * Sign-in: OAuth 2.0 authorization code with PKCE (S256), the same code path
 * against the development identity provider on one machine and Cognito's
 * hosted sign-in in AWS; the endpoints come from `/config.json`.
 *
 * The one thing ever written to browser storage is the PKCE verifier and
 * state, in sessionStorage, for the seconds of the round trip to the
 * identity provider; it is removed the moment the app comes back. The access
 * token is kept in memory only.
 */
const PENDING_KEY = 'waymark.signin';

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const randomString = (bytes = 32): string => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export const redirectUri = (): string => `${location.origin}/`;

export async function loadConfig(): Promise<WebConfig> {
  const res = await fetch('/config.json', { cache: 'no-store', credentials: 'omit' });
  if (!res.ok) throw new Error(`config.json: ${res.status}`);
  return (await res.json()) as WebConfig;
}

/** Leaves for the identity provider's sign-in page. */
export async function startSignIn(config: WebConfig): Promise<void> {
  const verifier = randomString(48);
  const state = randomString(16);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(config.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scope,
    state,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  // Replace, not push: the app's page before sign-in is not kept in history.
  location.replace(url.toString());
}

export class SignInError extends Error {}

/**
 * On return from the identity provider (`/?code=...&state=...`): checks the
 * state, redeems the code with the verifier, keeps the token in memory, and
 * takes the code out of the address bar. Returns false when this is not a return.
 */
export async function completeSignIn(config: WebConfig): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const state = params.get('state');
  const error = params.get('error');
  if (!code && !error) return false;
  const pendingRaw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', '/');
  if (error) throw new SignInError('Sign-in was cancelled or refused. Try again.');
  const pending = pendingRaw ? (JSON.parse(pendingRaw) as { verifier: string; state: string }) : undefined;
  if (!pending || pending.state !== state || !code) throw new SignInError('Sign-in did not complete. Try again.');
  const res = await fetch(config.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: pending.verifier,
      redirect_uri: redirectUri(),
      client_id: config.clientId,
    }).toString(),
    cache: 'no-store',
    credentials: 'omit',
  });
  if (!res.ok) throw new SignInError('Sign-in did not complete. Try again.');
  const body = (await res.json()) as { access_token?: string; expires_in?: number };
  if (!body.access_token) throw new SignInError('Sign-in did not complete. Try again.');
  session.token = body.access_token;
  session.expiresAt = Date.now() + (body.expires_in ?? 900) * 1000 - 10_000;
  return true;
}

const logoutUrl = (config: WebConfig, endpoint: string): string => {
  const url = new URL(endpoint);
  url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri() }).toString();
  return url.toString();
};

/**
 * Ends the identity provider's session in the background, for "Exit this
 * page": a request that outlives the page (`keepalive`), whose answer nobody
 * waits for, so leaving is not slowed by it. It carries the provider's own
 * cookie where the browser sends it (`credentials: include`; opaque, `no-cors`).
 */
export function endProviderSession(config: WebConfig | undefined): void {
  if (!config?.logoutEndpoint) return;
  try {
    void fetch(logoutUrl(config, config.logoutEndpoint), { mode: 'no-cors', credentials: 'include', keepalive: true, cache: 'no-store', referrerPolicy: 'no-referrer' }).catch(() => undefined);
  } catch {
    /* never stop an exit */
  }
}

/** Forgets everything and, where the identity provider keeps a session (Cognito), ends it too. */
export function signOut(): void {
  const config = session.config;
  clearSession();
  if (config?.logoutEndpoint) {
    location.replace(logoutUrl(config, config.logoutEndpoint));
  }
}
