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

export interface Service {
  id: string;
  name: string;
  kind: string;
  kindLabel: string;
  strands: Strand[];
  languages: string[];
  howToRefer: string;
  phone?: string;
  website?: string;
  status: 'active' | 'retired';
  version: number;
}

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
