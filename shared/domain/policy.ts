import type { Principal, Role } from './roles';

/**
 * The one answer to "may this principal do this action on this record?".
 *
 * Each action lists, per role, the scope within which that role may act:
 *   any  — every record;
 *   team — records of the principal's own team;
 *   own  — records the principal owns (a champion's own contacts).
 * A role that is absent may not perform the action at all (403). A role that
 * may perform it, asked about a record outside its scope, is told the record
 * does not exist (404), so that existence is not revealed across teams.
 */
export type Scope = 'any' | 'team' | 'own';

export const policy = {
  'me.read': { champion: 'any', supervisor: 'any', commissioner: 'any', admin: 'any' },
  'teams.list': { admin: 'any', commissioner: 'any', supervisor: 'team', champion: 'team' },
  'teams.create': { admin: 'any' },
  // Reference data (no personal data): every role may read it; only admins change it.
  'organisations.list': { admin: 'any', supervisor: 'any', champion: 'any', commissioner: 'any' },
  'organisations.create': { admin: 'any' },
  'courses.list': { admin: 'any', supervisor: 'any', champion: 'any', commissioner: 'any' },
  'courses.create': { admin: 'any' },
  'courses.update': { admin: 'any' },
  // Champion and training records are personal data of volunteers: never commissioners.
  'champions.list': { admin: 'any', supervisor: 'team' },
  'champions.create': { admin: 'any', supervisor: 'team' },
  'champions.read': { admin: 'any', supervisor: 'team', champion: 'own' },
  'champions.update': { admin: 'any', supervisor: 'team' },
  'champions.readSelf': { champion: 'own' },
  // A champion's own preferences (the language of their pages): only the champion.
  'champions.updateSelf': { champion: 'own' },
  'training.list': { admin: 'any', supervisor: 'team', champion: 'own' },
  'training.create': { admin: 'any', supervisor: 'team' },
  // The service directory is reference data (no personal data): every role reads it; admins add, change and retire.
  'services.list': { admin: 'any', supervisor: 'any', champion: 'any', commissioner: 'any' },
  'services.create': { admin: 'any' },
  'services.update': { admin: 'any' },
  // Contact logs are case-level: a champion their own, a supervisor their team's, an admin any (always audited);
  // commissioners never (aggregates only). Only the champion who logged a contact corrects it (within 24 hours);
  // only a supervisor deletes one (with a reason, kept as deleted).
  'contacts.list': { admin: 'any', supervisor: 'team', champion: 'own' },
  'contacts.create': { champion: 'own' },
  'contacts.read': { admin: 'any', supervisor: 'team', champion: 'own' },
  'contacts.update': { champion: 'own' },
  'contacts.delete': { supervisor: 'team' },
  'contacts.recordOutcome': { supervisor: 'team', champion: 'own' },
  // The audit trail: admins everything; supervisors the history of their own team's records; never champions or commissioners.
  'audit.list': { admin: 'any', supervisor: 'team' },
  'audit.verify': { admin: 'any' },
  // Records of processing: every access to case-level data in a period, for an information governance audit.
  'audit.export': { admin: 'any' },
  // Reporting aggregates: commissioners and admins read reports, always under disclosure control; only an admin may
  // read unsuppressed figures (audited). Supervisors and champions have case-level views instead (their caseload);
  // the metric definitions are documentation, open to every role.
  'reports.definitions': { admin: 'any', commissioner: 'any', supervisor: 'any', champion: 'any' },
  'reports.read': { admin: 'any', commissioner: 'any' },
  'reports.readUnsuppressed': { admin: 'any' },
  // Escalations: a champion raises a concern from their own contact and follows its state (not the supervisor's
  // working); the team's supervisors triage, refer, record the outcome and close; admins may read (audited).
  'escalations.create': { champion: 'own' },
  'escalations.list': { admin: 'any', supervisor: 'team', champion: 'own' },
  'escalations.read': { admin: 'any', supervisor: 'team', champion: 'own' },
  'escalations.transition': { supervisor: 'team' },
  // Support network sessions (anonymous headcounts, references presented): the team's supervisors record and
  // correct their network's sessions, admins any team's. Champions do not record them, even for a session their
  // organisation ran (they tell their supervisor the headcount); commissioners see only the figures.
  'supportSessions.create': { admin: 'any', supervisor: 'team' },
  'supportSessions.list': { admin: 'any', supervisor: 'team' },
  'supportSessions.read': { admin: 'any', supervisor: 'team' },
  'supportSessions.update': { admin: 'any', supervisor: 'team' },
  // Targets for the success criteria: admins set them per year; the outcomes and the quarterly pack are read as
  // reports are (commissioners and admins, always under disclosure control).
  'reports.setTargets': { admin: 'any' },
  // Retention (how long case records and the audit trail are kept): admins read and set it, audited. Supervisors
  // see each contact's deletion date on the contact itself.
  'settings.readRetention': { admin: 'any' },
  'settings.setRetention': { admin: 'any' },
  // Notifications: the on-call address and office hours (admins); each supervisor chooses the priorities they hear of.
  'settings.readOnCall': { admin: 'any' },
  'settings.setOnCall': { admin: 'any' },
  'users.setOwnNotifications': { supervisor: 'own' },
  // The rights of the person holding a contact reference (subject access, erasure): the DASV team of the team that
  // issued it, on the person's request after they show their card; a reference of another team is not found.
  // Admins do not (they hold no relationship with the person); both actions are audited under the request.
  'rights.access': { supervisor: 'team' },
  'rights.erase': { supervisor: 'team' },
  'reports.outcomes': { admin: 'any', commissioner: 'any' },
  'reports.pack': { admin: 'any', commissioner: 'any' },
  // Risk at triage: the DASH checklist is the DASV team's (supervisors of the team); champions are not risk assessors.
  'escalations.assessRisk': { supervisor: 'team' },
  // The supervisor's caseload (escalations, follow-ups, training, activity) and the team's notification outbox.
  'caseload.read': { admin: 'any', supervisor: 'team' },
  'notifications.list': { admin: 'any', supervisor: 'team' },
  // People who sign in: admins manage everyone; supervisors invite and manage the champions of their own team only
  // (a user record's team is its champion's team, and no team for every other role, so only admins reach those).
  'users.list': { admin: 'any', supervisor: 'team' },
  'users.create': { admin: 'any', supervisor: 'team' },
  'users.read': { admin: 'any', supervisor: 'team' },
  'users.update': { admin: 'any', supervisor: 'team' },
  'users.signOut': { admin: 'any', supervisor: 'team' },
} as const satisfies Record<string, Partial<Record<Role, Scope>>>;

export type Action = keyof typeof policy;
export const actions = Object.keys(policy) as Action[];

/** What a record says about who it belongs to, for the scope checks. */
export interface RecordScope {
  teamId?: string | undefined;
  ownerSub?: string | undefined;
}

export type Decision =
  | { allowed: true; scope: Scope }
  | { allowed: false; status: 403 | 404; reason: string };

export function scopeOf(role: Role, action: Action): Scope | undefined {
  const rule: Partial<Record<Role, Scope>> = policy[action];
  return rule[role];
}

export function authorize(principal: Principal, action: Action, record?: RecordScope): Decision {
  const scope = scopeOf(principal.role, action);
  if (!scope) {
    return { allowed: false, status: 403, reason: `role '${principal.role}' may not perform '${action}'` };
  }
  if (!record || scope === 'any') return { allowed: true, scope };
  if (scope === 'team' && principal.team !== undefined && record.teamId === principal.team) {
    return { allowed: true, scope };
  }
  if (scope === 'own' && record.ownerSub === principal.sub) return { allowed: true, scope };
  return { allowed: false, status: 404, reason: 'record is outside the principal\'s scope' };
}
