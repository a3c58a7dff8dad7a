/**
 * The API's reply shapes the web app reads: types only, each inferred from
 * the schema the API replies by (and docs/openapi.json shows), so the web app
 * cannot drift from the API. `import type` only: no schema code ships to the
 * browser (test/unit/bundle-hygiene.test.ts holds the web to that).
 */
import type { AuditEvent } from '../../shared/domain/audit';
import type { Caseload, FollowUp } from '../../shared/domain/caseload-view';
import type { ChampionSelf, ChampionView, CompletionView } from '../../shared/domain/champions';
import type { ContactSummary, ContactView as FullContactView, Signposting } from '../../shared/domain/contacts';
import type { Course } from '../../shared/domain/courses';
import type { ChampionEscalationView, EscalationNotification, SupervisorEscalationView } from '../../shared/domain/escalation-views';
import type { EscalationState } from '../../shared/domain/escalations';
import type { Figure, MetricDefinitionView, ReportDefinitions, ReportRowView, ReportView } from '../../shared/domain/report-views';
import type { Me } from '../../shared/domain/roles';
import type { Service } from '../../shared/domain/services';
import type { Team } from '../../shared/domain/teams';
import type { TrainingStatus } from '../../shared/domain/training';
import type { UserView } from '../../shared/domain/users';

export type { AuditEvent, Caseload, ChampionView, Course, Figure, FollowUp, Me, MetricDefinitionView, ReportDefinitions, ReportRowView, ReportView, Service, Signposting, Team };

/** A person who signs in: `GET /users` (no email) and `GET /users/{id}` (with it). */
export type Person = UserView;

export type TrainingState = TrainingStatus;
/** A champion's training completion, with its expiry and status. */
export type Completion = CompletionView;
/** `GET /champions/me`. */
export type ChampionMe = ChampionSelf;
/** A contact: with its signposting when read one at a time, without in a list. */
export type { Retention } from '../../shared/domain/retention';
export type { OnCall } from '../../shared/domain/on-call';
export type ContactView = ContactSummary & Partial<Pick<FullContactView, 'signposting'>>;
export type Priority = ChampionEscalationView['priority'];
export type EscalationStateName = EscalationState;
/** The champion's view of their own concern, and the reply to raising one (led by the 999 guidance when life may be at risk). */
export type ChampionEscalation = ChampionEscalationView & { emergencyGuidance?: string };
/** The supervisor's (and admin's) view: the whole record, with what it means now. */
export type SupervisorEscalation = SupervisorEscalationView;
export type TeamNotification = EscalationNotification;
