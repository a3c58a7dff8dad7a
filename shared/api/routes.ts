import type { Action } from '../domain/policy';
import type { TableDefinition } from '../store/tables';

/**
 * The one route table. The CDK stack builds the HTTP API's routes, their
 * authorizer and each function's grants from it; the local gateway routes
 * requests with it. A route added here exists in both places or in neither.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type DynamoAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:ConditionCheckItem';

export interface TableGrant {
  table: TableDefinition['id'];
  actions: readonly DynamoAction[];
  /** Indexes the function queries; each is granted by name, never `index/*`. */
  indexes?: readonly string[];
}

export interface FunctionDefinition {
  /** Folder under functions/ holding `handler.ts`. */
  readonly id: string;
  readonly description: string;
  /** Exactly the table actions the function performs. */
  readonly grants: readonly TableGrant[];
}

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax, e.g. `/champions/{id}`. */
  readonly path: string;
  readonly function: FunctionDefinition['id'];
  /** `none` only for `/health`; everything else needs a verified access token. */
  readonly auth: 'none' | 'jwt';
  /** The policy action the route performs; the pipeline checks the role before running. */
  readonly action?: Action;
  readonly summary: string;
}

/** Every audited function appends audit events, and may do nothing else to the audit table. */
const appendAudit: TableGrant = { table: 'Audit', actions: ['dynamodb:PutItem'] };

export const functionDefinitions: readonly FunctionDefinition[] = [
  {
    id: 'health',
    description: 'Liveness and table reachability',
    grants: [{ table: 'Case', actions: ['dynamodb:GetItem'] }],
  },
  {
    id: 'me',
    description: 'The signed-in principal',
    grants: [appendAudit],
  },
  {
    id: 'teams',
    description: 'Teams of champions',
    grants: [
      { table: 'Case', actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'], indexes: ['gsi1'] },
      appendAudit,
    ],
  },
];

export const routes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', function: 'health', auth: 'none', summary: 'Is the service up and its table reachable?' },
  { method: 'GET', path: '/me', function: 'me', auth: 'jwt', action: 'me.read', summary: 'The signed-in user\'s role and team' },
  { method: 'GET', path: '/teams', function: 'teams', auth: 'jwt', action: 'teams.list', summary: 'Teams visible to the caller' },
  { method: 'POST', path: '/teams', function: 'teams', auth: 'jwt', action: 'teams.create', summary: 'Create a team (admin)' },
];

/** `GET /teams`: the route key API Gateway puts in `requestContext.routeKey`. */
export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string => `${route.method} ${route.path}`;

export function findRoute(key: string): RouteDefinition | undefined {
  return routes.find((r) => routeKey(r) === key);
}

/** Source of each function, relative to the project root (CDK entry and local gateway import). */
export const functionEntry = (id: string): string => `functions/${id}/handler.ts`;
