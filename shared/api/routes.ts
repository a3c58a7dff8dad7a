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
  /** Publishes to the stack's notification topic (SNS, `sns:Publish` on that topic only; NOTIFICATION_TOPIC_ARN). */
  readonly publishesNotifications?: true;
  /**
   * Keeps the notification topic's email subscriptions and their filter policies (the actions of
   * `snsSubscriptionActions` on that topic only; NOTIFICATION_TOPIC_ARN): the people and settings that say who is told.
   */
  readonly managesSubscriptions?: true;
  /** Answers lists a page at a time: reads the page-link key (in AWS, `secretsmanager:GetSecretValue` on that one secret). */
  readonly pages?: true;
  /**
   * Changes accounts in the identity provider: invites, role groups, the team attribute, disable and enable, global
   * sign-out (in AWS, exactly the actions of `cognitoManageActions` on the user pool). Every API function reads the
   * directory for the per-request account check (`ListUsers` and `AdminListGroupsForUser`; USER_POOL_ID).
   */
  readonly managesAccounts?: true;
  /** Reads accounts' email addresses (in AWS `cognito-idp:AdminGetUser` on the user pool, and nothing else of it): the subscription reconciliation. */
  readonly readsAccountEmails?: true;
  /** Memory in MB, and with it CPU (1,769 MB is one vCPU); 512 when not said. For CPU-bound work only. */
  readonly memoryMb?: number;
}

/**
 * The identity provider actions the Cognito adapter (shared/store/cognito-directory.ts) calls to manage accounts: the
 * function that `managesAccounts` is granted exactly these on the user pool, and nothing else of Cognito.
 */
export const cognitoManageActions = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminDeleteUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminDeleteUserAttributes',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminUserGlobalSignOut',
  'cognito-idp:AdminGetUser',
  'cognito-idp:ListUsers',
] as const;

/** What keeping the notification subscriptions takes (shared/store/subscriptions.ts), on the topic only. */
export const snsSubscriptionActions = ['sns:ListSubscriptionsByTopic', 'sns:Subscribe', 'sns:Unsubscribe', 'sns:SetSubscriptionAttributes'] as const;

/** The per-request account check's actions (every function behind the JWT authorizer): find by `sub`, read the groups. */
export const cognitoReadActions = ['cognito-idp:ListUsers', 'cognito-idp:AdminListGroupsForUser'] as const;

/** Does the function serve a signed-in route (and so check the caller's account on every request)? */
export const checksAccounts = (functionId: string): boolean => routes.some((r) => r.function === functionId && r.auth === 'jwt');

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
    pages: true,
    description: 'Teams of champions',
    grants: [
      { table: 'Case', actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'], indexes: ['gsi1'] },
      appendAudit,
    ],
  },
  {
    id: 'organisations',
    pages: true,
    description: 'Faith and community organisations champions belong to',
    grants: [{ table: 'Case', actions: ['dynamodb:Query', 'dynamodb:PutItem'], indexes: ['gsi1'] }, appendAudit],
  },
  {
    id: 'courses',
    pages: true,
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
    pages: true,
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
    pages: true,
    description: 'The service directory champions signpost to',
    grants: [{ table: 'Case', actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: ['gsi1'] }, appendAudit],
  },
  {
    id: 'contacts',
    pages: true,
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
    pages: true,
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
    id: 'reports',
    description: 'Reporting aggregates under disclosure control: metric definitions, figures as JSON or CSV, the success criteria against their targets',
    // Disclosure control is CPU-bound: a region's sparse year, started from its stored pattern after an hour's contacts,
    // takes 1–2 s a metric on one vCPU (BENCHMARKS.md §4), three times that at 512 MB, past the function's 10 s.
    memoryMb: 1769,
    grants: [
      // Query: a metric's counter partition for a range of periods (never per contact); BatchGetItem: the years' and the
      // champion records' tokens (read first), and the protections the scheduled report protection stored.
      { table: 'Aggregates', actions: ['dynamodb:Query', 'dynamodb:BatchGetItem'] },
      // Query: every champion (gsi2) and the course catalogue (gsi1), for the champion metrics (training status on a date);
      // GetItem/PutItem: the targets of a year (one item per year; the put is conditional on the version read).
      { table: 'Case', actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'], indexes: ['gsi1', 'gsi2'] },
      appendAudit,
    ],
  },
  {
    // Apart from the reports function so that exceljs (over 1 MB) is in this bundle only: the commissioner's page
    // and its outcomes start without it.
    id: 'report-pack',
    description: 'The quarterly pack: every metric of a quarter under disclosure control, written as an XLSX workbook',
    // Every metric under disclosure control, as the reports function: one vCPU.
    memoryMb: 1769,
    grants: [
      // Query: the counters; BatchGetItem: the tokens and the stored protections (as the reports function).
      { table: 'Aggregates', actions: ['dynamodb:Query', 'dynamodb:BatchGetItem'] },
      // Query: every champion (gsi2) and the course catalogue (gsi1), for the champion metrics; GetItem: the year's targets.
      { table: 'Case', actions: ['dynamodb:Query', 'dynamodb:GetItem'], indexes: ['gsi1', 'gsi2'] },
      appendAudit,
    ],
  },
  {
    id: 'support-sessions',
    description: 'Sessions of the peer support network: anonymous headcounts by gender and age band, references presented',
    grants: [
      {
        table: 'Case',
        // GetItem: a session; BatchGetItem: the contact references presented (were they issued?); Query: a team's
        // sessions (gsi1), every team's (gsi2); PutItem: a new session; UpdateItem: a correction at the version read.
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        indexes: ['gsi1', 'gsi2'],
      },
      appendAudit,
    ],
  },
  {
    id: 'audit',
    pages: true,
    description: 'Audit trail queries, the records-of-processing export and verification (admins; supervisors for their team)',
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
  {
    id: 'escalations',
    pages: true,
    description: 'Escalations raised from contacts, their triage state machine, the supervisor caseload and notifications',
    grants: [
      {
        table: 'Case',
        // GetItem: escalations, references, services, champions, idempotency records; Query: a contact's partition
        // (table), the notification outbox (table), a team's open/closed escalations, follow-ups, contacts, champions
        // and the catalogue (gsi1), a champion's own escalations (gsi2); PutItem: escalations, idempotency records,
        // outbox items; UpdateItem: the contact's hasEscalation flag, transitions; ConditionCheckItem: the referred
        // service is still active.
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
        indexes: ['gsi1', 'gsi2'],
      },
      appendAudit,
    ],
    publishesNotifications: true,
  },
  {
    id: 'risk-assessment',
    description: 'The DASH risk checklist at triage (supervisors of the team)',
    grants: [
      {
        table: 'Case',
        // GetItem: the escalation and its contact reference (earlier MARAC referrals); UpdateItem: the escalation's assessment.
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      },
      appendAudit,
    ],
  },
  {
    id: 'users',
    pages: true,
    managesAccounts: true,
    managesSubscriptions: true,
    description: 'People who sign in: invitations, role, team, suspension and leaving, sign-out (the email lives in the identity provider only)',
    grants: [
      {
        table: 'Case',
        // GetItem: a user, a team; Query: a team's people (gsi1), everyone (gsi2); PutItem: the user record and, for a
        // champion, the champion record and its identity guard; UpdateItem: changes at the version read;
        // ConditionCheckItem: the team and organisation exist when a champion is invited.
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
        indexes: ['gsi1', 'gsi2'],
      },
      appendAudit,
    ],
  },
  {
    id: 'settings',
    managesSubscriptions: true,
    description: 'Settings an admin keeps: retention of case records and of the audit trail; the on-call address and office hours',
    // GetItem/PutItem: the retention item and the on-call item (each put is conditional on the version read).
    grants: [{ table: 'Case', actions: ['dynamodb:GetItem', 'dynamodb:PutItem'] }, appendAudit],
  },
  {
    id: 'rights',
    description: 'The rights of the person holding a contact reference: subject access and erasure (supervisors of the issuing team)',
    grants: [
      {
        table: 'Case',
        // GetItem: the reference, contacts' escalation ids, escalations; Query: the team's contacts by date (gsi1, filtered
        // by reference) and each contact's partition (table); DeleteItem: what an erasure removes.
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DeleteItem'],
        indexes: ['gsi1'],
      },
      appendAudit,
    ],
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
  { method: 'PATCH', path: '/champions/me', function: 'champions', auth: 'jwt', action: 'champions.updateSelf', summary: 'The signed-in champion changes their own preferences: the language of their pages' },
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
  { method: 'GET', path: '/reports/definitions', function: 'reports', auth: 'jwt', action: 'reports.definitions', summary: 'The metric definitions: what each figure counts, its dimensions and periods' },
  { method: 'GET', path: '/reports/metrics', function: 'reports', auth: 'jwt', action: 'reports.read', summary: 'Figures for a range of periods, optionally broken down, under disclosure control; JSON, or CSV with Accept: text/csv or format=csv (commissioner, admin)' },
  { method: 'GET', path: '/reports/outcomes', function: 'reports', auth: 'jwt', action: 'reports.outcomes', summary: 'The three success criteria per quarter and year: value, target, change on the previous quarter and on the same quarter a year before, under disclosure control (commissioner, admin)' },
  { method: 'PUT', path: '/reports/targets/{year}', function: 'reports', auth: 'jwt', action: 'reports.setTargets', summary: 'Set the targets of the success criteria for a year (admin)' },
  { method: 'GET', path: '/reports/targets/{year}', function: 'reports', auth: 'jwt', action: 'reports.outcomes', summary: 'The targets of the success criteria for a year (commissioner, admin)' },
  { method: 'GET', path: '/reports/pack', function: 'report-pack', auth: 'jwt', action: 'reports.pack', summary: 'The quarterly pack as XLSX: a sheet per metric, definitions, how suppression works (commissioner, admin)' },
  { method: 'POST', path: '/support-sessions', function: 'support-sessions', auth: 'jwt', action: 'supportSessions.create', summary: 'Record a session of the support network: headcounts by gender and age band, references presented (supervisor for their team, admin)' },
  { method: 'GET', path: '/support-sessions', function: 'support-sessions', auth: 'jwt', action: 'supportSessions.list', summary: 'Support network sessions, newest first: a supervisor\'s team, an admin every team or one' },
  { method: 'GET', path: '/support-sessions/{id}', function: 'support-sessions', auth: 'jwt', action: 'supportSessions.read', summary: 'One support session (audited read)' },
  { method: 'PATCH', path: '/support-sessions/{id}', function: 'support-sessions', auth: 'jwt', action: 'supportSessions.update', summary: 'Correct or cancel a support session at the version read' },
  { method: 'GET', path: '/audit/export', function: 'audit', auth: 'jwt', action: 'audit.export', summary: 'Records of processing: every access to case-level data in a period of up to 31 days, as CSV in parts of at most 5,000 rows, each part linking the next (admin; audited)' },
  { method: 'POST', path: '/audit/verify', function: 'audit', auth: 'jwt', action: 'audit.verify', summary: 'Verify the audit trail of a time range against its sealed digests (admin)' },
  { method: 'POST', path: '/contacts/{id}/escalations', function: 'escalations', auth: 'jwt', action: 'escalations.create', summary: 'Raise a concern from one\'s own contact to the DASV team (champion; Idempotency-Key honoured)' },
  { method: 'GET', path: '/escalations', function: 'escalations', auth: 'jwt', action: 'escalations.list', summary: 'Escalations: a champion\'s own, newest first; a team\'s open (by priority, then age) or closed' },
  { method: 'GET', path: '/escalations/{id}', function: 'escalations', auth: 'jwt', action: 'escalations.read', summary: 'One escalation (audited read): the champion\'s view or the supervisor\'s' },
  { method: 'POST', path: '/escalations/{id}/transitions', function: 'escalations', auth: 'jwt', action: 'escalations.transition', summary: 'Move an escalation to its next state at the version read: triage, refer, record the outcome, close, withdraw' },
  { method: 'PUT', path: '/escalations/{id}/risk-assessment', function: 'risk-assessment', auth: 'jwt', action: 'escalations.assessRisk', summary: 'Record the DASH risk checklist at triage: score, risk level and the recommended step (supervisor of the team; DASV concerns)' },
  { method: 'GET', path: '/caseload', function: 'escalations', auth: 'jwt', action: 'caseload.read', summary: 'A supervisor\'s caseload: open escalations overdue first, follow-ups, training to renew, contacts per champion' },
  { method: 'GET', path: '/users', function: 'users', auth: 'jwt', action: 'users.list', summary: 'People who sign in, by name: an admin everyone (or a team), a supervisor their team\'s champions; filterable by role and status' },
  { method: 'POST', path: '/users', function: 'users', auth: 'jwt', action: 'users.create', summary: 'Invite a person: the sign-in account (the invitation goes to their email) and, for a champion, the champion record in one step' },
  { method: 'GET', path: '/users/{id}', function: 'users', auth: 'jwt', action: 'users.read', summary: 'One person, with the email the identity provider holds' },
  { method: 'PATCH', path: '/users/{id}', function: 'users', auth: 'jwt', action: 'users.update', summary: 'Rename, move, change the role of, suspend, reinstate or record the leaving of a person, at the version read; effective on their next request' },
  { method: 'POST', path: '/users/{id}/sign-out', function: 'users', auth: 'jwt', action: 'users.signOut', summary: 'Sign a person out everywhere: their refresh tokens are revoked' },
  { method: 'POST', path: '/rights/access', function: 'rights', auth: 'jwt', action: 'rights.access', summary: 'Subject access: everything held under a contact reference, in plain language, with no staff identities (supervisor of the issuing team; audited under the request)' },
  { method: 'POST', path: '/rights/erasure', function: 'rights', auth: 'jwt', action: 'rights.erase', summary: 'Erasure: every record held under a contact reference is deleted and reports subtract it; the audit trail keeps the request, not the content (supervisor of the issuing team)' },
  { method: 'GET', path: '/settings/retention', function: 'settings', auth: 'jwt', action: 'settings.readRetention', summary: 'How long case records and the audit trail are kept, and the bounds of a change (admin; audited)' },
  { method: 'PUT', path: '/settings/retention', function: 'settings', auth: 'jwt', action: 'settings.setRetention', summary: 'Set retention at the version read: contacts 1–10 years, audit at least a year longer; applies to new records at once and to existing ones by the backfill (admin; audited)' },
  { method: 'GET', path: '/settings/on-call', function: 'settings', auth: 'jwt', action: 'settings.readOnCall', summary: 'The on-call address and the office hours outside which it is told of immediate concerns (admin; audited)' },
  { method: 'PUT', path: '/settings/on-call', function: 'settings', auth: 'jwt', action: 'settings.setOnCall', summary: 'Set the on-call address (a shared mailbox) and office hours at the version read (admin; audited)' },
  // Before `/users/{id}`-shaped routes: the static path wins, as API Gateway prefers it.
  { method: 'GET', path: '/users/me/notifications', function: 'users', auth: 'jwt', action: 'users.setOwnNotifications', summary: 'The priorities of their team\'s concerns the signed-in supervisor is emailed about' },
  { method: 'PUT', path: '/users/me/notifications', function: 'users', auth: 'jwt', action: 'users.setOwnNotifications', summary: 'The signed-in supervisor chooses the priorities of their team\'s concerns they are emailed about' },
  { method: 'GET', path: '/notifications', function: 'escalations', auth: 'jwt', action: 'notifications.list', summary: 'The team\'s notification outbox (one machine; in AWS notifications go to SNS), newest first' },
];

/** `GET /teams`: the route key API Gateway puts in `requestContext.routeKey`. */
export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string => `${route.method} ${route.path}`;

export function findRoute(key: string): RouteDefinition | undefined {
  return routes.find((r) => routeKey(r) === key);
}

/** Source of each function, relative to the project root (CDK entry and local gateway import). */
export const functionEntry = (id: string): string => `functions/${id}/handler.ts`;
