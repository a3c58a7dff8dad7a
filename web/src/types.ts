/** The API's response shapes the web app reads (see docs/openapi.json). */
import type { Strand } from '../../shared/domain/strands';

export type TrainingState = 'current' | 'expiring' | 'lapsed' | 'none';

export interface ChampionView {
  id: string;
  teamId: string;
  displayName: string;
  organisationId?: string;
  strands: Strand[];
  languages: string[];
  status: 'active' | 'suspended' | string;
  trainingStatus: { strand: Strand; status: TrainingState; expiresOn?: string; courseId?: string }[];
  qualifiedStrands: Strand[];
  version: number;
}

export interface Completion {
  id: string;
  courseId: string;
  courseTitle?: string;
  completedOn: string;
  deliveredBy: string;
  strands?: Strand[];
  expiresOn?: string;
  status?: TrainingState;
}

export interface ChampionMe {
  champion: ChampionView;
  training: { items: Completion[]; nextCursor: string | null };
  mayLogContactsFor: { strand: Strand; label: string; until: string }[];
  asOf: string;
}

/** A service of the directory, as the API returns it (the type comes from the domain; no runtime code). */
export type { Service } from '../../shared/domain/services';

export interface Signposting {
  id: string;
  serviceId: string;
  serviceName: string;
  serviceKind: string;
  mode: 'information_given' | 'referral_with_consent';
  outcome?: string;
}

export interface ContactView {
  id: string;
  teamId: string;
  championId: string;
  contactDate: string;
  setting: string;
  strands: Strand[];
  dasvForms: string[];
  hateMotivations: string[];
  hateIncidentKinds: string[];
  riskFlags: string[];
  priorHelp: string[];
  beforePoliceOrEmergency: boolean;
  contactReference: string;
  repeatContact: boolean;
  hasEscalation: boolean;
  status: 'active' | 'deleted';
  signposting?: Signposting[];
  createdAt: string;
}

export interface Team {
  id: string;
  name: string;
  supervisors: string[];
}

export interface Course {
  id: string;
  title: string;
  strands: Strand[];
  validityMonths: number;
  version: number;
}

export interface AuditEvent {
  eventId: string;
  at: string;
  actor: { sub: string; role: string; team?: string };
  action: string;
  entityType: string;
  entityId: string;
  teamId?: string;
  outcome: string;
  changedFields?: string[];
}

export type Priority = 'immediate' | 'high' | 'standard';
export type EscalationStateName = 'raised' | 'triaged' | 'referred' | 'outcome_recorded' | 'closed' | 'withdrawn';

/** The champion's view of their own concern (and the reply to raising one). */
export interface ChampionEscalation {
  emergencyGuidance?: string;
  id: string;
  contactId: string;
  contactReference: string | null;
  reason: string;
  reasonLabel: string;
  consent: 'yes' | 'no' | 'not_asked';
  note?: string;
  priority: Priority;
  state: EscalationStateName;
  raisedAt: string;
  triageDueAt: string;
  overdue: boolean;
  stateChangedAt: string;
  version: number;
}

/** The supervisor's (and admin's) view: the whole record, with what it means now. */
export interface SupervisorEscalation extends Omit<ChampionEscalation, 'stateChangedAt' | 'emergencyGuidance'> {
  teamId: string;
  raisedBy: string;
  championId: string;
  strands: Strand[];
  contactDate: string;
  firstContactDate: string;
  beforePoliceOrEmergency: boolean;
  triagedAt?: string;
  targetServiceKind?: string;
  dashScore?: number;
  referredAt?: string;
  serviceId?: string;
  referredOn?: string;
  referralMode?: string;
  sharedWithoutConsent?: boolean;
  sharedWithoutConsentJustification?: string;
  outcome?: string;
  outcomeAt?: string;
  closedAt?: string;
  withdrawnAt?: string;
  withdrawnReason?: string;
  history: { to: EscalationStateName; at: string; by: string; role: string }[];
  allowedNext: EscalationStateName[];
  pointsTowardsMarac: boolean;
}

export interface Caseload {
  teamId: string;
  asOf: string;
  escalations: { items: SupervisorEscalation[]; total: number; overdue: number };
  followUps: { items: { contactId: string; signpostingId: string; contactDate: string; serviceId: string; serviceKind: string; serviceName: string; mode: string }[]; more: boolean };
  training: { championId: string; displayName: string; trainingStatus: { strand: Strand; status: TrainingState; expiresOn?: string }[] }[];
  contactCounts: { championId: string; displayName: string; status: string; last30Days: number; last90Days: number }[];
}

export interface TeamNotification {
  id: string;
  kind: string;
  teamId: string;
  priority: Priority;
  triageDueAt: string;
  link: string;
  createdAt: string;
}

/** A published figure: a number, or suppressed by disclosure control. */
export type Figure = number | { suppressed: true };

export interface MetricDefinitionView {
  id: string;
  title: string;
  definition: string;
  counts: string;
  kind: 'count' | 'distinct' | 'distribution' | 'ratio';
  dimensions: string[];
  series: { id: string; label: string }[];
  unit?: string;
  notes?: string;
}

export interface ReportDefinitions {
  metrics: MetricDefinitionView[];
  dimensions: Record<string, string>;
  periods: string[];
  maxMonths: number;
  disclosure: { threshold: number; roundingBase: number; source: string };
}

export interface ReportRowView {
  value: string;
  label: string;
  cells: Record<string, Figure | null>;
  total?: Figure;
  median?: { value: number } | number | null;
}

export interface ReportView {
  from: string;
  to: string;
  period: string;
  breakdown: string;
  disclosure: { applied: boolean; threshold: number; roundingBase: number; source: string };
  metrics: { id: string; title: string; kind: string; unit?: string; series: { id: string; label: string }[]; periods: { period: string; rows: ReportRowView[]; total?: ReportRowView }[] }[];
  omitted: { id: string; reason: string }[];
}
