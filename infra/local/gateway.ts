import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routes } from '../../shared/api/routes';
import { verifyJwt, type TokenSettings } from '../../shared/auth/access-token';
import { securityHeaders } from '../../shared/http/responses';
import { fromResult, lambdaContext, matchRoute, toEvent, type HttpResult } from './api-gateway-event';
import { findDemoUser, demoUsers, type DemoUser } from './demo-users';
import { roleSchema } from '../../shared/domain/roles';
import { readDirectoryFile } from '../../shared/store/directory-file';
import { importFunction } from './function-modules';
import { asFunction } from './grants';
import { ACCESS_TOKEN_TTL_SECONDS, type IdentityProvider } from './identity-provider';
import { signInPage, tokenPage } from './sign-in-page';
import { ORIGIN_VERIFY_HEADER } from '../../shared/http/origin-verify';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The development identity provider's stylesheet (its pages only; the web app has its own). */
const IDP_STYLESHEET = fileURLToPath(new URL('./idp.css', import.meta.url));

/** The built web app (`npm start` and the tests build it: web/build.ts). */
export const webBuildDir = join(projectRoot, 'web', 'dist');

/** API Gateway's payload limit for HTTP APIs. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const FUNCTION_TIMEOUT_MS = 10_000;

export interface GatewayOptions {
  idp: IdentityProvider;
  tokenSettings: TokenSettings;
  port?: number;
  host?: string;
  /** Folder of static web files served for paths no route claims. */
  webDir?: string;
  /** The web app's origin, the only one CORS allows. */
  webOrigin?: string;
  /** Prints one access line per request (method, path, status, time; never bodies). */
  accessLog?: (line: string) => void;
  /** The origin header CloudFront adds in AWS (shared/http/origin-verify.ts): added to every API request, replacing a caller's. */
  originVerifyValue?: string;
}

export interface RunningGateway {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

const handlerCache = new Map<string, Promise<Handler>>();

/** Loads the very code Lambda runs (`functions/<id>/handler.ts`, bundled as the stack bundles it), each function in its own module graph, once per process. */
export function loadHandler(functionId: string): Promise<Handler> {
  let loaded = handlerCache.get(functionId);
  if (!loaded) {
    loaded = importFunction(functionId).then((m) => m['handler'] as Handler);
    handlerCache.set(functionId, loaded);
  }
  return loaded;
}

const webHeaders: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function send(res: ServerResponse, result: HttpResult): void {
  res.writeHead(result.statusCode, result.headers);
  res.end(result.body);
}

/** A response the gateway writes itself (401, 404, 413, 400…): the handlers' headers (no-store, the security headers), as API Gateway's own answers carry the stage's. */
const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { ...securityHeaders, ...headers },
  body: Buffer.from(JSON.stringify(body)),
});

/** The request's URL, or why it cannot be one: a malformed Host or target, or a path whose percent-escapes do not decode. */
function requestUrl(req: IncomingMessage): URL | string {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  } catch {
    return 'The request URL or Host header is malformed';
  }
  try {
    decodeURIComponent(url.pathname);
  } catch {
    return 'The request path has a malformed percent-escape';
  }
  return url;
}

const html = (statusCode: number, page: string): HttpResult => ({
  statusCode,
  headers: { ...webHeaders, 'content-type': 'text/html; charset=utf-8' },
  body: Buffer.from(page),
});

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function invoke(functionId: string, event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const handler = await loadHandler(functionId);
  const context = lambdaContext(`waymark-${functionId}`, FUNCTION_TIMEOUT_MS);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), FUNCTION_TIMEOUT_MS)));
  try {
    const result = await Promise.race([asFunction(functionId, () => handler(event, context)), timeout]);
    if (result === 'timeout') return json(503, { message: 'Service Unavailable' });
    return fromResult(result);
  } catch {
    // What API Gateway answers when the function itself throws.
    return json(500, { message: 'Internal Server Error' });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The local HTTP gateway: API Gateway's HTTP API (routes from the shared
 * route table, the JWT authorizer, payload 2.0) in front of the same handler
 * modules Lambda runs, plus the development identity provider and the web app.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { idp, tokenSettings } = options;
  const log = options.accessLog ?? (() => undefined);

  /**
   * Who may sign in here: the enabled accounts of the identity provider's directory (the demo users first, by
   * username; anyone invited since, by name) — a suspended or departed account is not offered. Cognito's hosted
   * sign-in refuses a disabled user the same way.
   */
  const signInUsers = (): DemoUser[] => {
    const file = process.env['SIGN_IN_DIRECTORY_FILE'];
    const accounts = file ? readDirectoryFile(file) : [];
    const enabled = new Map(accounts.filter((a) => a.enabled).map((a) => [a.sub, a]));
    const demo = demoUsers.filter((u) => (file ? enabled.has(u.sub) : true));
    const invited = [...enabled.values()].flatMap((a): DemoUser[] => {
      const role = a.groups.length === 1 ? roleSchema.options.find((r) => r === a.groups[0]) : undefined;
      if (!role || !a.email || demoUsers.some((u) => u.sub === a.sub) || a.email.endsWith('@waymark.invalid')) return [];
      // The token's username is the sub, as Cognito's is in a pool that signs in by email: no email in a token.
      return [{ username: a.sub, sub: a.sub, role, ...(a.team ? { team: a.team } : {}), displayName: a.displayName ?? 'Invited person' }];
    });
    return [...demo, ...invited];
  };
  const findSignInUser = (username: string): DemoUser | undefined => signInUsers().find((u) => u.username === username);

  /** `/idp/authorize`: checks the request, shows the demo users, then sends the browser back with a code. */
  async function authorize(params: URLSearchParams, submitted: boolean): Promise<HttpResult> {
    const p = (name: string) => params.get(name) ?? '';
    const redirectUri = p('redirect_uri');
    // A wrong client or redirect URI is never redirected to (RFC 6749 4.1.2.1): it is shown here.
    if (p('client_id') !== idp.clientId || !options.webOrigin || redirectUri !== `${options.webOrigin}/`) {
      return html(400, signInPage([], 'This sign-in request is not from the Waymark web app (unknown client or redirect URI).'));
    }
    const back = (query: Record<string, string>): HttpResult => {
      const target = new URL(redirectUri);
      for (const [k, v] of Object.entries(query)) target.searchParams.set(k, v);
      return { statusCode: 302, headers: { ...webHeaders, location: target.toString() }, body: Buffer.alloc(0) };
    };
    const state = p('state');
    if (p('response_type') !== 'code') return back({ error: 'unsupported_response_type', ...(state ? { state } : {}) });
    if (p('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(p('code_challenge')) || !state || state.length > 512) {
      return back({ error: 'invalid_request', ...(state ? { state } : {}) });
    }
    const request = {
      response_type: 'code',
      client_id: p('client_id'),
      redirect_uri: redirectUri,
      scope: p('scope'),
      state,
      code_challenge: p('code_challenge'),
      code_challenge_method: 'S256',
    };
    if (!submitted) return html(200, signInPage(signInUsers(), undefined, request));
    const user = findSignInUser(p('user'));
    if (!user) return html(400, signInPage(signInUsers(), 'Choose one of the users.', request));
    const code = idp.issueAuthorizationCode({ clientId: request.client_id, redirectUri, codeChallenge: request.code_challenge }, user);
    return back({ code, state });
  }

  /** `/idp/token`: redeems an authorization code with its PKCE verifier for an access token. */
  async function token(req: IncomingMessage, body: Buffer): Promise<HttpResult> {
    const cors: Record<string, string> =
      req.headers.origin && req.headers.origin === options.webOrigin ? { 'access-control-allow-origin': req.headers.origin } : {};
    const headers = { 'cache-control': 'no-store', pragma: 'no-cache', ...cors };
    const params = new URLSearchParams(body.toString('utf8'));
    const refuse = (error: string) => json(400, { error }, headers);
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return refuse('invalid_request');
    if (params.get('grant_type') !== 'authorization_code') return refuse('unsupported_grant_type');
    const [code, clientId, redirectUri, codeVerifier] = ['code', 'client_id', 'redirect_uri', 'code_verifier'].map((k) => params.get(k) ?? '');
    if (!code || !clientId || !redirectUri || !codeVerifier) return refuse('invalid_request');
    if (clientId !== idp.clientId) return json(401, { error: 'invalid_client' }, headers);
    const redeemed = idp.redeemAuthorizationCode({ code: code as string, clientId: clientId as string, redirectUri: redirectUri as string, codeVerifier: codeVerifier as string });
    if ('error' in redeemed) return refuse(redeemed.error);
    return json(200, { access_token: await idp.issueAccessToken(redeemed.user), token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS }, headers);
  }

  async function route(req: IncomingMessage, url: URL, body: Buffer): Promise<HttpResult> {
    const method = req.method ?? 'GET';
    const path = url.pathname;

    // Development identity provider (one machine only; Cognito in AWS).
    if (method === 'GET' && path === '/idp/.well-known/openid-configuration') return json(200, idp.discovery());
    if (method === 'GET' && path === '/idp/.well-known/jwks.json') return json(200, idp.jwks(), { 'cache-control': 'max-age=300' });
    if (method === 'GET' && path === '/idp/sign-in') return html(200, signInPage(signInUsers()));
    if (method === 'POST' && path === '/idp/sign-in') {
      const user = findSignInUser(new URLSearchParams(body.toString('utf8')).get('user') ?? '');
      if (!user) return html(400, signInPage(signInUsers(), 'Choose one of the users.'));
      return html(200, tokenPage(user, await idp.issueAccessToken(user), url.origin));
    }
    if (method === 'GET' && path === '/idp/idp.css') {
      return { statusCode: 200, headers: { ...webHeaders, 'content-type': contentTypes['.css'] as string }, body: readFileSync(IDP_STYLESHEET) };
    }
    // OAuth 2.0 authorization code + PKCE, as Cognito's hosted sign-in does it (the web app's sign-in).
    if ((method === 'GET' || method === 'POST') && path === '/idp/authorize') {
      const form = method === 'POST' ? new URLSearchParams(body.toString('utf8')) : url.searchParams;
      return authorize(form, method === 'POST');
    }
    if (method === 'POST' && path === '/idp/token') return token(req, body);
    // Sign-out, as Cognito's /logout: the provider keeps no session here, so it only sends the browser back.
    if (method === 'GET' && path === '/idp/logout') {
      const back = url.searchParams.get('logout_uri') ?? '';
      const home = options.webOrigin ? `${options.webOrigin}/` : undefined;
      return back === home
        ? { statusCode: 302, headers: { ...webHeaders, location: back, 'cache-control': 'no-store' }, body: Buffer.alloc(0) }
        : { statusCode: 204, headers: { ...webHeaders, 'cache-control': 'no-store' }, body: Buffer.alloc(0) };
    }
    // The web app's runtime configuration (in AWS the deployment writes it into the bucket).
    if (method === 'GET' && path === '/config.json' && options.webOrigin) {
      return json(
        200,
        {
          apiUrl: options.webOrigin,
          clientId: idp.clientId,
          authorizationEndpoint: `${idp.issuer}/authorize`,
          tokenEndpoint: `${idp.issuer}/token`,
          logoutEndpoint: `${idp.issuer}/logout`,
          scope: 'openid',
          // On one machine the language switch also offers the pseudo-locales (layout checks); never in AWS.
          pseudoLocales: true,
        },
        { ...webHeaders, 'cache-control': 'no-store' },
      );
    }
    if (method === 'POST' && path === '/local/token') {
      let username: unknown;
      try {
        username = (JSON.parse(body.toString('utf8') || '{}') as { user?: unknown }).user;
      } catch {
        return json(400, { error: 'Body must be JSON: {"user": "<demo user>"}' });
      }
      const user = typeof username === 'string' ? findDemoUser(username) : undefined;
      if (!user) {
        return json(400, { error: 'Unknown demo user', issues: [{ path: 'user', message: `must be one of ${demoUsers.map((u) => u.username).join(', ')}` }] });
      }
      return json(200, { access_token: await idp.issueAccessToken(user), token_type: 'Bearer', expires_in: 3600 }, { 'cache-control': 'no-store' });
    }

    // CORS preflight, as the HTTP API's CORS configuration answers it.
    if (method === 'OPTIONS') {
      const origin = req.headers.origin;
      const allowed = origin !== undefined && origin === options.webOrigin;
      return {
        statusCode: 204,
        headers: allowed
          ? {
              'access-control-allow-origin': origin,
              'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE',
              'access-control-allow-headers': 'authorization,content-type,idempotency-key',
              'access-control-max-age': '600',
            }
          : {},
        body: Buffer.alloc(0),
      };
    }

    const match = matchRoute(routes, method, path);
    if (match) {
      let claims: Record<string, unknown> | undefined;
      if (match.route.auth === 'jwt') {
        // The JWT authorizer: no valid token, no invocation.
        const header = req.headers.authorization ?? '';
        const token = /^Bearer (.+)$/i.exec(header)?.[1];
        if (!token) return json(401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
        try {
          claims = await verifyJwt(token.trim(), tokenSettings);
        } catch {
          return json(401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
        }
      }
      const event = toEvent(req, url, body, match, claims);
      // CloudFront's part: the origin header, whatever the caller sent under that name.
      if (options.originVerifyValue) event.headers[ORIGIN_VERIFY_HEADER] = options.originVerifyValue;
      const result = await invoke(match.route.function, event);
      const origin = req.headers.origin;
      if (origin && origin === options.webOrigin) result.headers['access-control-allow-origin'] = origin;
      return result;
    }

    if (method === 'GET' && options.webDir) {
      const file = staticFile(options.webDir, path);
      if (file) {
        return {
          statusCode: 200,
          headers: { ...webHeaders, 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' },
          body: readFileSync(file),
        };
      }
    }
    return json(404, { message: 'Not Found' });
  }

  // No request may end the process: whatever a request holds, it gets an answer and the gateway carries on.
  const server = createServer((req, res) => {
    const startedAt = Date.now();
    const url = requestUrl(req);
    readBody(req)
      .then((body) => {
        if (typeof url === 'string') return json(400, { message: url });
        return body === 'too-large' ? json(413, { message: 'Request Entity Too Large' }) : route(req, url, body);
      })
      .catch(() => json(500, { message: 'Internal Server Error' }))
      .then((result) => {
        if (!res.headersSent && !res.destroyed) send(res, result);
        log(`${req.method} ${typeof url === 'string' ? '(malformed)' : url.pathname} ${result.statusCode} ${Date.now() - startedAt}ms`);
      })
      .catch(() => res.destroy());
  });
  // What Node's HTTP parser refuses (a header it cannot parse, say) is answered 400 with the same headers, then closed.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
    // Headers too large is 431, as API Gateway answers; anything else Node's parser refuses is a 400.
    const [status, text] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
    const body = JSON.stringify({ message: text });
    const headers = Object.entries({ ...securityHeaders, 'content-length': String(Buffer.byteLength(body)), connection: 'close' })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.end(`HTTP/1.1 ${status} ${text}\r\n${headers}\r\n${body}`);
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((r) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function staticFile(webDir: string, path: string): string | undefined {
  const root = resolve(webDir);
  const relative = path === '/' ? 'index.html' : decodeURIComponent(path).replace(/^\/+/, '');
  const candidate = normalize(join(root, relative));
  if (!candidate.startsWith(root)) return undefined;
  if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return undefined;
}
