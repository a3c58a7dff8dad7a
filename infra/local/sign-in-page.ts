import { findDemoUser, type DemoUser } from './demo-users';
import { roleLabels } from '../../shared/domain/roles';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const layout = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} – Waymark (development sign-in)</title>
<link rel="stylesheet" href="/idp/idp.css"></head>
<body><div class="exit"><a href="https://www.bbc.co.uk/weather" rel="nofollow noreferrer">Exit this page</a></div>
<main><p class="tag">Development identity provider — this machine only</p>${body}</main></body></html>`;

/**
 * The sign-in page of the development identity provider: one button per demo user.
 * With `authorization` (the parameters of an OAuth authorization request), each button
 * completes that request (`POST /idp/authorize`) and the browser goes back to the app with a code.
 */
export function signInPage(users: readonly DemoUser[], error?: string, authorization?: Record<string, string>): string {
  const action = authorization ? '/idp/authorize' : '/idp/sign-in';
  const hidden = Object.entries(authorization ?? {})
    .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
    .join('');
  const rows = users
    .map(
      (u) => `<li><form method="post" action="${action}">${hidden}<input type="hidden" name="user" value="${escape(u.username)}">
<button type="submit">Sign in as <strong>${escape(findDemoUser(u.username) ? u.username : u.displayName)}</strong></button>
<span>${escape(roleLabels[u.role])}${u.team ? `, ${escape(u.team)}` : ''}</span></form></li>`,
    )
    .join('\n');
  return layout('Sign in', `<h1>Sign in to Waymark</h1>${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}<ul class="users">${rows}</ul>`);
}

/** Shows the access token issued for a demo user and how to use it with curl. */
export function tokenPage(user: DemoUser, token: string, origin: string): string {
  return layout(
    'Signed in',
    `<h1>Signed in as ${escape(user.username)}</h1>
<p>Access token (valid for one hour):</p><textarea readonly rows="6">${escape(token)}</textarea>
<p>Use it with curl:</p><pre>curl -H "Authorization: Bearer $TOKEN" ${escape(origin)}/me</pre>
<p><a href="/idp/sign-in">Sign in as someone else</a></p>`,
  );
}
