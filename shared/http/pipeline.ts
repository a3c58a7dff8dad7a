import middy from '@middy/core';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { findRoute, type RouteDefinition } from '../api/routes';
import { checkedPrincipal } from '../auth/account-check';
import { authenticate } from '../auth/access-token';
import { getConfig } from '../config';
import { championWriteRefusal } from '../domain/active-champion';
import type { Champion } from '../domain/champions';
import { badRequest, forbidden, isHttpError, notFound, type HttpError } from '../domain/errors';
import { authorize, scopeOf, type Action, type RecordScope } from '../domain/policy';
import type { Principal } from '../domain/roles';
import { auditDenied, auditRead, type RequestScope } from '../store/audit';
import { getChampionByIdentity } from '../store/champion-store';
import { mapDynamoError } from '../store/dynamo-errors';
import { findReply, idempotencyClaim, ReplayInstead, type IdempotencyClaim, type Once, type StoredReply } from '../store/idempotency';
import { openPageLink, sealPageLink, type CursorBinding } from '../store/pagination';
import { allInOrder } from '../store/parallel';
import { parseJsonBody } from './body';
import { describeErrorForLog, logger } from './logger';
import { verifyOrigin } from './origin-verify';
import { jsonResponse } from './responses';
import { parseOrThrow } from './validation';

type Infer<S> = S extends z.core.$ZodType ? z.output<S> : undefined;

/** What an operation knows about the request it serves. */
export interface RequestInfo {
  readonly requestId: string;
  readonly route: RouteDefinition;
  /** The verified principal; reading it on a public route is a programming error. */
  readonly principal: Principal;
  /** Principal and request id together, as the store wants them. */
  readonly scope: RequestScope;
  /** The request's headers, names in lower case (e.g. `idempotency-key`). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /**
   * Record-level check through the policy: returns if allowed; otherwise
   * audits the denied attempt and throws 403 (role may never) or 404
   * (record outside the principal's team or ownership).
   */
  authorize(action: Action, record: RecordScope & { entityType: string; entityId: string }): Promise<void>;
  /**
   * The team a team-scoped read is about: a supervisor's own (or the one asked, checked), an admin's asked for
   * (400 naming `field` if none); authorised through the policy, so another team's is a 404.
   */
  teamFor(action: Action, asked: string | undefined, field?: string): Promise<string>;
  /** As `teamFor`, except that a role the policy lets read any team (an admin) may ask for none: every team (`undefined`). */
  teamOrAll(action: Action, asked: string | undefined): Promise<string | undefined>;
  /**
   * The record an action is on, once read: 404 if there is none; otherwise checked through the policy against
   * the record's team and owner (`authorize`).
   */
  recordFor<T>(action: Action, entityType: string, entityId: string, read: Promise<T | undefined>, scope: (record: T) => RecordScope): Promise<T>;
  /**
   * Whose records a list is about: the caller's own (where the policy scopes the action to them) or a team's
   * (`teamFor`), with the entity its audit event names.
   */
  listScope(action: Action, asked: string | undefined): Promise<ListScope>;
  /** On an `idempotent` operation sent with an Idempotency-Key: the claim and the reply to store with the record. */
  once(reply: StoredReply): Once | undefined;
  /** On an `activeChampion` operation called by a champion: their champion record, checked active. */
  readonly champion: Champion;
}

export type ListScope =
  | { own: true; sub: string; entity: { entityType: 'champion'; entityId: string; teamId: string | undefined } }
  | { own: false; teamId: string; entity: { entityType: 'team'; entityId: string; teamId: string } };

/**
 * A reply an operation may give: 200 unless it says otherwise. Its body is
 * typed by the operation's response schema for that status; a body sent as
 * it is (e.g. CSV) goes in `rawBody` with its content-type in `headers`.
 */
export interface Reply<S = number, Body = unknown> {
  status?: S;
  body?: Body;
  rawBody?: string;
  /** A binary body (e.g. an XLSX workbook), sent base64-encoded as API Gateway expects; set its content-type in `headers`. */
  binaryBody?: Uint8Array;
  headers?: Record<string, string>;
  /**
   * A raw body sent in parts (the records-of-processing CSV): the store's cursor of the next part. The pipeline
   * seals it as it seals a page's `nextCursor` and sends it as `Link: <…&cursor=…>; rel="next"` (RFC 8288).
   */
  nextCursor?: string | null;
}

/** How a create is made idempotent; `true` for the defaults. */
export interface IdempotentOption<B, P> {
  /** The read a replay audits (a replay shows case data again): its action and entity type; the entity is the replayed body's id. */
  replayRead?: { action: string; entityType: string };
  /** What the key is bound to (the same key with another one is a 409); the body by default. */
  requestOf?: (input: { body: Infer<B>; params: Infer<P> }) => unknown;
}

/**
 * One success status of an operation, as the API document shows it and the
 * test client checks it: what it means, its body's schema (every 2xx has one
 * but 204), and the headers it carries besides the request id of every reply.
 */
export interface ResponseDefinition<S extends z.core.$ZodType | undefined = z.core.$ZodType | undefined> {
  description: string;
  body?: S;
  /** Another representation the client may ask for (Accept or a query): media type → what it holds. */
  alternatives?: Readonly<Record<string, string>>;
  /** The route key of the GET that reads what was created (e.g. `GET /contacts/{id}`): the reply's Location header. Only where such a GET exists. */
  location?: string;
  /** A retry with the same Idempotency-Key replays this reply, marked by the header `idempotent-replayed: true`. */
  replayable?: true;
}

export type SuccessStatus = 200 | 201 | 204;
export type Responses = Partial<Record<SuccessStatus, ResponseDefinition>>;

/**
 * Refusals particular to an operation, each with what it means. Those every
 * operation of a kind can answer are documented without being listed: 400
 * (bad input, when it takes any), 413 and 415 (when it takes a body), 401 (a
 * protected route), 403 (a role the policy refuses), 404 (a record named in
 * the path), 503 (busy or unreachable table) and 500.
 */
export type Refusals = Partial<Record<400 | 403 | 404 | 409, string>>;

type BodyOf<D> = D extends { body: infer S } ? (S extends z.core.$ZodType ? z.output<S> : undefined) : undefined;
type ReplyOfStatus<K, D> = K extends 200 ? Reply<200, BodyOf<D>> : Reply<K, BodyOf<D>> & { status: K };
/** The replies an operation may give: one per declared status, each body typed by its schema. */
export type ReplyOf<R> = { [K in keyof R]: ReplyOfStatus<K, R[K]> }[keyof R];

/** A 201 reply: what was created, with its Location where a GET reads it. */
export const created = <Body>(body: Body, headers?: Record<string, string>) => ({ status: 201 as const, body, ...(headers ? { headers } : {}) });

export interface OperationDefinition<B, Q, P, R extends Responses = Responses> {
  /** One line for the API document; defaults to the route's summary. */
  description?: string;
  body?: B;
  query?: Q;
  params?: P;
  /** Every success status the operation answers, with its body's schema. */
  responses: R;
  refusals?: Refusals;
  /**
   * A create a retry stores once. With an `Idempotency-Key` header the pipeline looks the key up before `run`
   * and replays the stored reply (header `idempotent-replayed: true`); `run` stores its reply with
   * `request.once(reply)`, and a write that loses the race for the key is replayed the same way.
   */
  idempotent?: true | IdempotentOption<B, P>;
  /**
   * A champion's write: their champion record must exist and be active (a suspended champion's token may still be
   * valid), checked before `run` (403 otherwise); `request.champion` is the record. Other roles pass unchecked.
   */
  activeChampion?: true;
  run(input: { body: Infer<B>; query: Infer<Q>; params: Infer<P>; request: RequestInfo }): Promise<NoInfer<ReplyOf<R>>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- erased at the route-group boundary; each definition is checked where it is declared
export type Operation = OperationDefinition<any, any, any, Responses>;

/** Declares one route's operation: its schemas and what it does. Types flow from the schemas, the reply's too. */
export function defineOperation<
  R extends Responses,
  B extends z.core.$ZodType | undefined = undefined,
  Q extends z.core.$ZodType | undefined = undefined,
  P extends z.core.$ZodType | undefined = undefined,
>(definition: OperationDefinition<B, Q, P, R>): Operation {
  return definition as unknown as Operation;
}

interface PipelineState {
  requestId: string;
  startedAt: number;
  route?: RouteDefinition;
  principal?: Principal;
}

/** Per-invocation state, keyed by the invocation's Lambda context. */
const states = new WeakMap<Context, PipelineState>();
const state = (request: { context: Context }): PipelineState | undefined => states.get(request.context);

/** Correlation id, access log line, and the mapping of every error to a safe JSON response. */
function observe(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    before: async (request) => {
      const requestId = request.event.requestContext?.requestId || request.context.awsRequestId || 'unknown';
      states.set(request.context, { requestId, startedAt: Date.now() });
      logger.resetKeys();
      logger.appendKeys({ correlationId: requestId, route: request.event.routeKey });
    },
    after: async (request) => {
      const s = state(request) as PipelineState;
      const response = request.response as APIGatewayProxyStructuredResultV2;
      logger.info('request completed', {
        status: response.statusCode,
        latencyMs: Date.now() - s.startedAt,
        ...(s.principal ? { role: s.principal.role } : {}),
      });
    },
    onError: async (request) => {
      const s = state(request) ?? { requestId: request.context.awsRequestId ?? 'unknown', startedAt: Date.now() };
      // A DynamoDB failure nobody handled (a throttled or unreachable read, say) is a 503 with Retry-After, as a write's is.
      const raw = request.error;
      const error = isHttpError(raw) ? raw : mapDynamoError(raw);
      if (error !== raw) logger.warn('table busy or unreachable; answered 503', describeErrorForLog(raw));
      let response: APIGatewayProxyStructuredResultV2;
      if (isHttpError(error) && error.status < 500) {
        response = jsonResponse(error.status, clientErrorBody(error, s.requestId), s.requestId);
      } else if (isHttpError(error) && error.status === 503) {
        const details = (error as HttpError & { details?: Record<string, unknown> }).details ?? {};
        response = jsonResponse(503, { error: error.message, ...details, requestId: s.requestId }, s.requestId, {
          'retry-after': String((error as HttpError & { retryAfterSeconds?: number }).retryAfterSeconds ?? 1),
        });
      } else {
        logger.error('request failed', describeErrorForLog(error));
        response = jsonResponse(500, { error: 'Internal error', requestId: s.requestId }, s.requestId);
      }
      logger.info('request completed', {
        status: response.statusCode,
        latencyMs: Date.now() - s.startedAt,
        ...(s.principal ? { role: s.principal.role } : {}),
      });
      request.response = response;
    },
  };
}

function clientErrorBody(error: HttpError, requestId: string): Record<string, unknown> {
  const extra = error as HttpError & { issues?: unknown; details?: Record<string, unknown> };
  return {
    error: error.message,
    ...(Array.isArray(extra.issues) && extra.issues.length > 0 ? { issues: extra.issues } : {}),
    ...(extra.details ?? {}),
    requestId,
  };
}

/**
 * Finds the route; refuses a request that did not come through CloudFront (the origin header, where configured);
 * for protected routes, verifies the token and the role (defence in depth behind the authorizer).
 */
function authenticateAndAuthorize(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    before: async (request) => {
      const s = state(request) as PipelineState;
      const route = findRoute(request.event.routeKey);
      if (!route) throw notFound('Route');
      s.route = route;
      await verifyOrigin(request.event.headers);
      if (route.auth === 'none') return;
      const fromToken = await authenticate(request.event.headers?.['authorization'], getConfig().jwt);
      // The directory, not the token, says whether the caller may still act, and in which role and team.
      try {
        s.principal = await checkedPrincipal(fromToken);
      } catch (error) {
        s.principal = fromToken;
        if (isHttpError(error) && error.status === 403) {
          await auditDenial({ principal: fromToken, requestId: s.requestId }, route.action ?? 'route', 'account', fromToken.sub, undefined, error.message);
        }
        throw error;
      }
      if (route.action) {
        const decision = authorize(s.principal, route.action);
        if (!decision.allowed) {
          await auditDenial({ principal: s.principal, requestId: s.requestId }, route.action, 'route', request.event.routeKey, undefined, decision.reason);
          throw forbidden(`Your role may not do this (${route.action})`);
        }
      }
    },
  };
}

async function auditDenial(
  scope: RequestScope,
  action: string,
  entityType: string,
  entityId: string,
  teamId: string | undefined,
  reason: string,
): Promise<void> {
  try {
    await auditDenied(scope, { action, entityType, entityId, teamId, reason });
  } catch (error) {
    // The attempt is refused whether or not its audit event landed; say so loudly.
    logger.error('denied attempt could not be audited', describeErrorForLog(error));
  }
}

interface Extras {
  claim?: IdempotencyClaim | undefined;
  champion?: Champion | undefined;
}

function requestInfo(s: PipelineState, headers: Readonly<Record<string, string | undefined>> = {}, extras: Extras = {}): RequestInfo {
  const route = s.route as RouteDefinition;
  const principalOrThrow = (): Principal => {
    if (!s.principal) throw new Error(`Route ${route.method} ${route.path} is public and has no principal`);
    return s.principal;
  };
  return {
    requestId: s.requestId,
    route,
    headers,
    get principal() {
      return principalOrThrow();
    },
    get scope() {
      return { principal: principalOrThrow(), requestId: s.requestId };
    },
    async authorize(action, record) {
      const principal = principalOrThrow();
      const decision = authorize(principal, action, record);
      if (decision.allowed) return;
      await auditDenial({ principal, requestId: s.requestId }, action, record.entityType, record.entityId, record.teamId, decision.reason);
      throw decision.status === 404 ? notFound(capitalise(record.entityType)) : forbidden(`Your role may not do this (${action})`);
    },
    async recordFor(action, entityType, entityId, read, scope) {
      const record = await read;
      if (record === undefined) throw notFound(capitalise(entityType));
      await this.authorize(action, { entityType, entityId, ...scope(record) });
      return record;
    },
    async teamFor(action, asked, field = 'query.teamId') {
      const principal = principalOrThrow();
      const teamId = scopeOf(principal.role, action) === 'team' ? (asked ?? principal.team) : asked;
      if (!teamId) throw badRequest('Which team?', [{ path: field, message: 'Select a team' }]);
      await this.authorize(action, { entityType: 'team', entityId: teamId, teamId });
      return teamId;
    },
    async teamOrAll(action, asked) {
      return asked === undefined && scopeOf(principalOrThrow().role, action) === 'any' ? undefined : this.teamFor(action, asked);
    },
    async listScope(action, asked) {
      const principal = principalOrThrow();
      if (scopeOf(principal.role, action) === 'own') {
        return { own: true, sub: principal.sub, entity: { entityType: 'champion', entityId: principal.sub, teamId: principal.team } };
      }
      const teamId = await this.teamFor(action, asked);
      return { own: false, teamId, entity: { entityType: 'team', entityId: teamId, teamId } };
    },
    once(reply) {
      return extras.claim ? { claim: extras.claim, reply } : undefined;
    },
    get champion() {
      if (!extras.champion) throw new Error(`Route ${route.method} ${route.path} did not ask for the active champion`);
      return extras.champion;
    },
  };
}

/** A stored reply sent again, marked as a replay; a replay shows case data again, so it is audited as a read. */
async function replay(operation: Operation, scope: RequestScope, reply: StoredReply): Promise<Reply> {
  const read = typeof operation.idempotent === 'object' ? operation.idempotent.replayRead : undefined;
  if (read) {
    const body = reply.body as { id?: string; teamId?: string } | undefined;
    await auditRead(scope, { ...read, entityId: body?.id ?? 'unknown', teamId: body?.teamId ?? scope.principal.team, reason: 'idempotent replay of a create' });
  }
  return { status: reply.status, body: reply.body, headers: { ...(reply.headers ?? {}), 'idempotent-replayed': 'true' } };
}

/**
 * The request steps an operation asks for, before `run`: its idempotency claim and any reply already stored
 * for it, and the caller's champion record (read together). A replay answers before any check.
 */
async function prepare(
  operation: Operation,
  s: PipelineState,
  headers: Readonly<Record<string, string | undefined>>,
  body: unknown,
  params: unknown,
): Promise<{ replay: StoredReply } | { extras: Extras }> {
  const principal = s.principal as Principal;
  const idempotent = operation.idempotent;
  const claim = idempotent
    ? idempotencyClaim(headers, principal.sub, typeof idempotent === 'object' && idempotent.requestOf ? idempotent.requestOf({ body, params }) : body)
    : undefined;
  const needsChampion = operation.activeChampion === true && principal.role === 'champion';
  const [seen, champion] = await allInOrder([
    claim ? findReply(claim) : Promise.resolve(undefined),
    needsChampion ? getChampionByIdentity(principal.sub) : Promise.resolve(undefined),
  ]);
  if (seen) return { replay: seen as StoredReply };
  if (needsChampion) {
    const refusal = championWriteRefusal(champion);
    if (refusal) throw forbidden(refusal);
  }
  return { extras: { claim, champion } as Extras };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** API Gateway lower-cases header names; a direct invocation might not. */
const lowerCaseKeys = (headers: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/**
 * Page links are sealed here, for every list alike: the `cursor` a client
 * sends is opened (bound to this caller, route, path and filters) before the
 * operation runs, and the `nextCursor` it returns is sealed, so that neither
 * handlers nor stores ever see or issue a cursor a client could read or forge.
 */
function cursorBinding(s: PipelineState, event: APIGatewayProxyEventV2, query: Record<string, unknown> | undefined): CursorBinding | undefined {
  if (!s.principal || !query || !('limit' in query)) return undefined;
  return { caller: s.principal.sub, routeKey: event.routeKey, pathParameters: event.pathParameters ?? {}, query };
}

async function sealNextCursor(body: unknown, binding: CursorBinding): Promise<unknown> {
  if (!body || typeof body !== 'object' || typeof (body as { nextCursor?: unknown }).nextCursor !== 'string') return body;
  return { ...body, nextCursor: await sealPageLink((body as { nextCursor: string }).nextCursor, binding) };
}

/** The next part of a raw body: the same request with the sealed cursor. */
async function nextPartLink(event: APIGatewayProxyEventV2, cursor: string, binding: CursorBinding): Promise<string> {
  const params = new URLSearchParams(Object.entries(event.queryStringParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'cursor'));
  params.set('cursor', await sealPageLink(cursor, binding));
  return `<${event.rawPath}?${params.toString()}>; rel="next"`;
}

/** Runs the operation with the request steps it asks for; a create that loses the race for its key is replayed. */
async function perform(operation: Operation, s: PipelineState, headers: Readonly<Record<string, string | undefined>>, input: { body: unknown; query: unknown; params: unknown }): Promise<Reply> {
  if (!operation.idempotent && !operation.activeChampion) return (await operation.run({ ...input, request: requestInfo(s, headers) })) as Reply;
  const scope = { principal: s.principal as Principal, requestId: s.requestId };
  const prepared = await prepare(operation, s, headers, input.body, input.params);
  if ('replay' in prepared) return replay(operation, scope, prepared.replay);
  try {
    return (await operation.run({ ...input, request: requestInfo(s, headers, prepared.extras) })) as Reply;
  } catch (error) {
    if (error instanceof ReplayInstead) return replay(operation, scope, error.reply);
    // A conflict found by a check before the write (one concern per contact) may be this key's own first
    // request, committed meanwhile: then this is its retry, and gets its reply.
    const claim = prepared.extras.claim;
    const seen = claim && isHttpError(error) && error.status === 409 ? await findReply(claim) : undefined;
    if (seen) return replay(operation, scope, seen);
    throw error;
  }
}

/**
 * Builds a Lambda handler for one route group: the same module runs in AWS
 * and behind the local gateway. `operations` is keyed by route key, e.g.
 * `'POST /teams'`, and every key must be a route in the shared route table.
 */
export function createApiHandler(operations: Record<string, Operation>) {
  for (const key of Object.keys(operations)) {
    if (!findRoute(key)) throw new Error(`Operation '${key}' is not in the route table`);
  }
  const core = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const s = states.get(context) as PipelineState;
    const route = s.route as RouteDefinition;
    const operation = operations[event.routeKey];
    if (!operation) throw notFound('Route');
    const headers = event.headers ?? {};
    const body = operation.body
      ? parseOrThrow(operation.body as z.core.$ZodType, parseJsonBody(event.body, event.isBase64Encoded, headers['content-type']))
      : undefined;
    let query: Record<string, unknown> | undefined = operation.query
      ? (parseOrThrow(operation.query as z.core.$ZodType, event.queryStringParameters ?? {}, ['query']) as Record<string, unknown>)
      : undefined;
    const params = operation.params
      ? parseOrThrow(operation.params as z.core.$ZodType, event.pathParameters ?? {}, ['path'])
      : undefined;
    const binding = cursorBinding(s, event, query);
    if (binding && typeof query?.cursor === 'string') query = { ...query, cursor: await openPageLink(query.cursor, binding) };
    const reply = await perform(operation, { ...s, route }, lowerCaseKeys(headers), { body, query, params });
    const replyBody = binding ? await sealNextCursor(reply.body, binding) : reply.body;
    const next: Record<string, string> = binding && reply.nextCursor ? { link: await nextPartLink(event, reply.nextCursor, binding) } : {};
    const response = jsonResponse(reply.status ?? 200, replyBody, s.requestId, { ...reply.headers, ...next });
    if (reply.binaryBody !== undefined) return { ...response, body: Buffer.from(reply.binaryBody).toString('base64'), isBase64Encoded: true };
    return reply.rawBody !== undefined ? { ...response, body: reply.rawBody } : response;
  };

  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(observe())
    .use(authenticateAndAuthorize())
    .handler(core);
  // The operations stay readable so that the OpenAPI document is generated from the very schemas that validate.
  return Object.assign(handler, { operations });
}
