import type { Role } from '../../shared/domain/roles';

/** Runtime configuration, from `/config.json` (the local gateway serves it; in AWS it is written at deploy). */
export interface WebConfig {
  /** Base URL of the API, no trailing slash. */
  apiUrl: string;
  clientId: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  scope: string;
  /** Ends the identity provider's own session (Cognito's /logout), if it has one. */
  logoutEndpoint?: string;
  /** Offer the pseudo-locales in the language switch (on one machine only). */
  pseudoLocales?: boolean;
}

export interface Me {
  sub: string;
  username?: string;
  role: Role;
  roleLabel: string;
  team?: string;
}

/**
 * Everything the app knows about who is signed in, held in memory only:
 * never in localStorage, sessionStorage, IndexedDB or a cookie. A reload, a
 * new tab or "Exit this page" starts again from signing in.
 */
export const session: { config?: WebConfig; token?: string; expiresAt: number; me?: Me } = { expiresAt: 0 };

const clearers: (() => void)[] = [];
/** Registers a function that forgets in-memory data when the session is cleared. */
export const onClear = (fn: () => void): void => {
  clearers.push(fn);
};

/** Forgets the token, the user and every in-memory record, and empties any browser storage of this origin. */
export function clearSession(): void {
  delete session.token;
  delete session.me;
  session.expiresAt = 0;
  for (const fn of clearers) {
    try {
      fn();
    } catch {
      /* clearing must never stop an exit */
    }
  }
  try {
    sessionStorage.clear();
    localStorage.clear();
  } catch {
    /* storage may be unavailable */
  }
}

export const signedIn = (): boolean => session.token !== undefined && Date.now() < session.expiresAt;
