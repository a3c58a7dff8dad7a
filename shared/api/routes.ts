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
  /** Actions on the audit digest bucket (S3, Object Lock), if the function touches it. */
  readonly digestGrants?: readonly DigestAction[];
}

/** What a function may do with the audit digests (never delete: the bucket is write once, read many). */
export type DigestAction = 's3:GetObject' | 's3:PutObject' | 's3:ListBucket';

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
  {
    id: 'organisations',
    description: 'Faith and community organisations champions belong to',
    grants: [{ table: 'Case', actions: ['dynamodb:Query', 'dynamodb:PutItem'], indexes: ['gsi1'] }, appendAudit],
  },
  {
    id: 'courses',
    description: 'The training course catalogue',
    grants: [
      {
        table: 'Case',
        // Query: the catalogue (gsi1) and the count of a course's completions (gsi2);
        // DeleteItem: the old title guard when a course is renamed.
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        indexes: ['gsi1', 'gsi2'],
      },
      appendAudit,
    ],
  },
  {
    id: 'champions',
    description: 'Champions of a team, their profiles and training status',
    grants: [
      {
        table: 'Case',
        // Query: a team's champions (gsi1), all champions (gsi2), the catalogue (gsi1);
        // ConditionCheckItem: the team and organisation exist when a champion is written.
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
        indexes: ['gsi1', 'gsi2'],
      },
      appendAudit,
    ],
  },
  {
    id: 'services',
    description: 'The service directory champions signpost to',
    grants: [{ table: 'Case', actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: ['gsi1'] }, appendAudit],
  },
  {
    id: 'contacts',
    description: 'Anonymised contact logs, their signposting and contact references',
    grants: [
      {
        table: 'Case',
        // GetItem: the champion, services, references, idempotency records; Query: a contact's partition (table),
        // a team's contacts and the course catalogue (gsi1), a champion's own contacts (gsi2); DeleteItem: a
        // signposting removed by a correction; ConditionCheckItem: chosen services are still active, the contact is not deleted.
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
        indexes: ['gsi1', 'gsi2'],
      },
      appendAudit,
    ],
  },
  {
    id: 'training',
    description: 'Training completions of a champion',
    grants: [
      {
        table: 'Case',
        // Query: a champion's completions (table) and the catalogue (gsi1); UpdateItem: the champion's
        // completion summary; ConditionCheckItem: the course is as read when the completion is written.
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
        indexes: ['gsi1'],
      },
      appendAudit,
    ],
  },
  {
    id: 'audit',
    description: 'Audit trail queries and verification (admins; supervisors for their team)',
    grants: [
      {
        table: 'Audit',
        // Query: events by entity (table), actor (byActor), hour (byHour), and the sealer's digest index;
        // PutItem: the audit event of each query. Nothing that updates or deletes.
        actions: ['dynamodb:Query', 'dynamodb:PutItem'],
        indexes: ['byActor', 'byHour'],
      },
    ],
    digestGrants: ['s3:GetObject', 's3:ListBucket'],
  },
];

export const routes: readonly RouteDefinition[] = [
  { method: 'GET', path: '/health', function: 'health', auth: 'none', summary: 'Is the service up and its table reachable?' },
  { method: 'GET', path: '/me', function: 'me', auth: 'jwt', action: 'me.read', summary: 'The signed-in user\'s role and team' },
  { method: 'GET', path: '/teams', function: 'teams', auth: 'jwt', action: 'teams.list', summary: 'Teams visible to the caller' },
  { method: 'POST', path: '/teams', function: 'teams', auth: 'jwt', action: 'teams.create', summary: 'Create a team (admin)' },
  { method: 'GET', path: '/organisations', function: 'organisations', auth: 'jwt', action: 'organisations.list', summary: 'Organisations, by name' },
  { method: 'POST', path: '/organisations', function: 'organisations', auth: 'jwt', action: 'organisations.create', summary: 'Add an organisation (admin)' },
  { method: 'GET', path: '/courses', function: 'courses', auth: 'jwt', action: 'courses.list', summary: 'The course catalogue, by title' },
  { method: 'POST', path: '/courses', function: 'courses', auth: 'jwt', action: 'courses.create', summary: 'Add a course (admin)' },
  { method: 'PATCH', path: '/courses/{id}', function: 'courses', auth: 'jwt', action: 'courses.update', summary: 'Change a course; expiry follows for every completion (admin)' },
  // `/champions/me` comes before `/champions/{id}`: the local gateway takes the first match, as API Gateway prefers the static path.
  { method: 'GET', path: '/champions/me', function: 'champions', auth: 'jwt', action: 'champions.readSelf', summary: 'The signed-in champion\'s profile, training and the strands they may log today' },
  { method: 'GET', path: '/champions', function: 'champions', auth: 'jwt', action: 'champions.list', summary: 'Champions with training status per strand, by name; filterable' },
  { method: 'POST', path: '/champions', function: 'champions', auth: 'jwt', action: 'champions.create', summary: 'Add a champion (to the supervisor\'s team)' },
  { method: 'GET', path: '/champions/{id}', function: 'champions', auth: 'jwt', action: 'champions.read', summary: 'A champion with training status per strand' },
  { method: 'PATCH', path: '/champions/{id}', function: 'champions', auth: 'jwt', action: 'champions.update', summary: 'Change, suspend or reactivate a champion' },
  { method: 'GET', path: '/champions/{id}/training', function: 'training', auth: 'jwt', action: 'training.list', summary: 'A champion\'s training completions, newest first' },
  { method: 'POST', path: '/champions/{id}/training', function: 'training', auth: 'jwt', action: 'training.create', summary: 'Record a training completion' },
  { method: 'GET', path: '/services', function: 'services', auth: 'jwt', action: 'services.list', summary: 'The service directory by name (active services unless asked); filterable by strand and kind' },
  { method: 'POST', path: '/services', function: 'services', auth: 'jwt', action: 'services.create', summary: 'Add a service to the directory (admin)' },
  { method: 'PATCH', path: '/services/{id}', function: 'services', auth: 'jwt', action: 'services.update', summary: 'Change or retire a service (admin)' },
  { method: 'GET', path: '/contacts', function: 'contacts', auth: 'jwt', action: 'contacts.list', summary: 'Contacts newest first: a champion\'s own, a supervisor\'s team; filterable by strand, date, risk flag, escalation' },
  { method: 'POST', path: '/contacts', function: 'contacts', auth: 'jwt', action: 'contacts.create', summary: 'Log an anonymised contact with its signposting (champion; Idempotency-Key honoured)' },
  { method: 'GET', path: '/contacts/{id}', function: 'contacts', auth: 'jwt', action: 'contacts.read', summary: 'One contact with its signposting (audited read)' },
  { method: 'PATCH', path: '/contacts/{id}', function: 'contacts', auth: 'jwt', action: 'contacts.update', summary: 'Correct a contact within 24 hours of logging it, at the version read (the champion who logged it)' },
  { method: 'DELETE', path: '/contacts/{id}', function: 'contacts', auth: 'jwt', action: 'contacts.delete', summary: 'Delete a contact with a reason; it is kept, marked deleted (supervisor)' },
  { method: 'PUT', path: '/contacts/{id}/signposting/{signpostingId}/outcome', function: 'contacts', auth: 'jwt', action: 'contacts.recordOutcome', summary: 'Record the later outcome of a signposting: engaged, did not engage, unknown' },
  { method: 'GET', path: '/audit/events', function: 'audit', auth: 'jwt', action: 'audit.list', summary: 'Audit events by entity, actor or time range, newest first (admin; supervisor: own team\'s)' },
  { method: 'POST', path: '/audit/verify', function: 'audit', auth: 'jwt', action: 'audit.verify', summary: 'Verify the audit trail of a time range against its sealed digests (admin)' },
];

/** `GET /teams`: the route key API Gateway puts in `requestContext.routeKey`. */
export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string => `${route.method} ${route.path}`;

export function findRoute(key: string): RouteDefinition | undefined {
  return routes.find((r) => routeKey(r) === key);
}

/** Source of each function, relative to the project root (CDK entry and local gateway import). */
export const functionEntry = (id: string): string => `functions/${id}/handler.ts`;
