import type { Role } from '../../shared/domain/roles';
import type { PageContext } from './router';
import { t, type MessageKey } from './i18n';

/** A page: renders into `ctx.root`; may throw ApiError (the router shows the right message). */
export type PageRender = (ctx: PageContext) => Promise<void> | void;

export interface RouteDef {
  /** In-memory route id (never shown in the address bar). */
  id: string;
  /** The page title (document.title gets " – Waymark"); never anything about a case. */
  title: string;
  roles: readonly Role[];
  /** Shown in the service navigation for these roles, in this order. */
  nav?: { label: string; order: number };
  /** Loads the page's code: each group of pages is its own chunk, fetched when first needed. */
  load: () => Promise<PageRender>;
}

const champion = () => import('./pages/champion');
const supervisor = () => import('./pages/supervisor');
const admin = () => import('./pages/admin');
const people = () => import('./pages/people');

/**
 * The routing table. Which pages each role has, and the service navigation
 * of each role, come from here alone.
 *
 * Page groups (each its own chunk): champion, concerns (the champion's
 * escalations), supervisor, caseload (escalations, caseload, notifications),
 * admin, metrics (the commissioner's dashboard; also the admin's).
 */
export const routeTable: readonly RouteDef[] = [
  // Champion
  { id: 'champion-home', title: 'Home', roles: ['champion'], nav: { label: 'Home', order: 10 }, load: () => champion().then((m) => m.homePage) },
  { id: 'log-contact', title: 'Log a contact', roles: ['champion'], nav: { label: 'Log a contact', order: 20 }, load: () => champion().then((m) => m.logContactPage) },
  { id: 'check-contact', title: 'Check your answers', roles: ['champion'], load: () => champion().then((m) => m.checkContactPage) },
  { id: 'contact-saved', title: 'Contact saved', roles: ['champion'], load: () => champion().then((m) => m.contactSavedPage) },
  { id: 'correct-contact', title: 'Change a contact', roles: ['champion'], load: () => champion().then((m) => m.logContactPage) },
  { id: 'my-contacts', title: 'My contacts', roles: ['champion'], nav: { label: 'My contacts', order: 30 }, load: () => champion().then((m) => m.myContactsPage) },
  { id: 'my-concerns', title: 'My concerns', roles: ['champion'], nav: { label: 'My concerns', order: 35 }, load: () => import('./pages/concerns').then((m) => m.myConcernsPage) },
  { id: 'raise-concern', title: 'Raise a concern', roles: ['champion'], load: () => import('./pages/concerns').then((m) => m.raiseConcernPage) },
  { id: 'concern-raised', title: 'Concern raised', roles: ['champion'], load: () => import('./pages/concerns').then((m) => m.concernRaisedPage) },
  { id: 'signposting-card', title: 'Information for the person', roles: ['champion'], load: () => import('./pages/signposting-card').then((m) => m.signpostingCardPage) },
  { id: 'my-training', title: 'My training', roles: ['champion'], nav: { label: 'My training', order: 40 }, load: () => champion().then((m) => m.myTrainingPage) },
  // Supervisor
  { id: 'caseload', title: 'Caseload', roles: ['supervisor'], nav: { label: 'Caseload', order: 5 }, load: () => import('./pages/caseload').then((m) => m.caseloadPage) },
  { id: 'escalation', title: 'Concern', roles: ['supervisor'], load: () => import('./pages/caseload').then((m) => m.escalationPage) },
  { id: 'confirm-close', title: 'Confirm', roles: ['supervisor'], load: () => import('./pages/caseload').then((m) => m.confirmClosePage) },
  { id: 'delete-contact', title: 'Confirm', roles: ['supervisor'], load: () => supervisor().then((m) => m.deleteContactPage) },
  { id: 'risk-assessment', title: 'Risk checklist', roles: ['supervisor'], load: () => import('./pages/risk-assessment').then((m) => m.riskAssessmentPage) },
  { id: 'notifications', title: 'Notifications', roles: ['supervisor'], load: () => import('./pages/caseload').then((m) => m.notificationsPage) },
  { id: 'notification-settings', title: 'Email notifications', roles: ['supervisor'], nav: { label: 'Email notifications', order: 40 }, load: () => import('./pages/notification-settings').then((m) => m.notificationSettingsPage) },
  { id: 'rights', title: 'Rights requests', roles: ['supervisor'], nav: { label: 'Rights requests', order: 30 }, load: () => import('./pages/rights').then((m) => m.rightsPage) },
  { id: 'subject-access', title: 'What is held', roles: ['supervisor'], load: () => import('./pages/rights').then((m) => m.subjectAccessPage) },
  { id: 'confirm-erasure', title: 'Confirm', roles: ['supervisor'], load: () => import('./pages/rights').then((m) => m.confirmErasurePage) },
  { id: 'erasure-done', title: 'Records erased', roles: ['supervisor'], load: () => import('./pages/rights').then((m) => m.erasureDonePage) },
  { id: 'team-contacts', title: 'Team contacts', roles: ['supervisor'], nav: { label: 'Team contacts', order: 10 }, load: () => supervisor().then((m) => m.teamContactsPage) },
  { id: 'champions', title: 'Champions', roles: ['supervisor'], nav: { label: 'Champions', order: 20 }, load: () => supervisor().then((m) => m.championsPage) },
  { id: 'record-training', title: 'Record training', roles: ['supervisor'], load: () => supervisor().then((m) => m.recordTrainingPage) },
  // Admin
  { id: 'teams', title: 'Teams', roles: ['admin'], nav: { label: 'Teams', order: 10 }, load: () => admin().then((m) => m.teamsPage) },
  { id: 'courses', title: 'Courses', roles: ['admin'], nav: { label: 'Courses', order: 20 }, load: () => admin().then((m) => m.coursesPage) },
  { id: 'services', title: 'Service directory', roles: ['admin'], nav: { label: 'Service directory', order: 30 }, load: () => admin().then((m) => m.servicesPage) },
  { id: 'confirm-retire', title: 'Confirm', roles: ['admin'], load: () => admin().then((m) => m.confirmRetirePage) },
  { id: 'languages', title: 'Languages', roles: ['admin'], nav: { label: 'Languages', order: 47 }, load: () => import('./pages/languages').then((m) => m.languagesPage) },
  { id: 'service-descriptions', title: 'Service descriptions', roles: ['admin'], load: () => import('./pages/languages').then((m) => m.serviceDescriptionsPage) },
  { id: 'audit', title: 'Audit trail', roles: ['admin'], nav: { label: 'Audit trail', order: 40 }, load: () => admin().then((m) => m.auditPage) },
  // People (admins: everyone; supervisors: their team's champions)
  { id: 'people', title: 'People', roles: ['admin', 'supervisor'], nav: { label: 'People', order: 45 }, load: () => people().then((m) => m.peoplePage) },
  { id: 'invite-person', title: 'Invite', roles: ['admin', 'supervisor'], load: () => people().then((m) => m.invitePersonPage) },
  { id: 'person', title: 'Person', roles: ['admin', 'supervisor'], load: () => people().then((m) => m.personPage) },
  { id: 'confirm-status', title: 'Confirm', roles: ['admin', 'supervisor'], load: () => people().then((m) => m.confirmStatusPage) },
  { id: 'retention', title: 'Retention', roles: ['admin'], nav: { label: 'Retention', order: 47 }, load: () => admin().then((m) => m.retentionPage) },
  { id: 'on-call', title: 'On call', roles: ['admin'], nav: { label: 'On call', order: 48 }, load: () => admin().then((m) => m.onCallPage) },
  // Commissioner (and the admin's view of the same reports, under the same disclosure control)
  { id: 'metrics', title: 'Outcome figures', roles: ['commissioner', 'admin'], nav: { label: 'Outcome figures', order: 50 }, load: () => import('./pages/metrics').then((m) => m.metricsPage) },
];

/** Where each role lands after signing in. */
export const homeRoute: Record<Role, string> = {
  champion: 'champion-home',
  supervisor: 'caseload',
  admin: 'teams',
  commissioner: 'metrics',
};

/**
 * A page's title (or its navigation label) in the page's language: the
 * champion's pages are translated (the catalogue's `route.<id>`); the other
 * roles' pages are in English only.
 */
export const routeTitle = (route: RouteDef, as: 'title' | 'nav' = 'title'): string =>
  route.roles.includes('champion') ? t(`route.${route.id}` as MessageKey) : as === 'nav' ? (route.nav?.label ?? route.title) : route.title;

export const findRoute = (id: string): RouteDef | undefined => routeTable.find((r) => r.id === id);

export const navFor = (role: Role): RouteDef[] =>
  routeTable.filter((r) => r.nav && r.roles.includes(role)).sort((a, b) => (a.nav?.order ?? 0) - (b.nav?.order ?? 0));
