import { referenceForTeam, type IssuedReference } from '../../shared/domain/contact-reference';
import { addDays, addMonths, todayUtc, type IsoDate } from '../../shared/domain/dates';
import { seedCourses, type Course } from '../../shared/domain/courses';
import { isHttpError } from '../../shared/domain/errors';
import type { Principal } from '../../shared/domain/roles';
import type { RequestScope } from '../../shared/store/audit';
import { createChampion, updateChampion } from '../../shared/store/champion-store';
import { createCourse, getCourse } from '../../shared/store/course-store';
import { createOrganisation } from '../../shared/store/organisation-store';
import { createTeam } from '../../shared/store/team-store';
import { createUser } from '../../shared/store/user-store';
import { recordCompletion } from '../../shared/store/training-store';
import { seedServices } from '../../shared/domain/services';
import { seedServiceDescriptions } from '../../shared/domain/seed-service-descriptions';
import { createService, getServices } from '../../shared/store/service-store';
import { createContact } from '../../shared/store/contact-store';
import { getChampionByIdentity } from '../../shared/store/champion-store';
import { demoContacts } from './demo-contacts';
import { demoHistoryContacts, demoSessions } from './demo-support';
import { createSupportSession } from '../../shared/store/support-session-store';
import { demoEscalations } from './demo-escalations';
import { getConfig } from '../../shared/config';
import { getContact } from '../../shared/store/contact-store';
import { createEscalation } from '../../shared/store/escalation-store';
import { getNotifier } from '../../shared/store/notifier';
import { getItem } from '../../shared/store/items';
import { keys } from '../../shared/store/keys';
import { demoChampions, demoOrganisations, type DemoTraining } from './demo-champions';
import { demoTeams, demoUsers, findDemoUser } from './demo-users';

/** Runs a create; an item that already exists (409) was seeded by an earlier start. Returns whether it was created. */
async function once(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (error) {
    if (isHttpError(error) && error.status === 409) return false;
    throw error;
  }
}

function scopeOf(username: string): RequestScope {
  const user = findDemoUser(username);
  if (!user) throw new Error(`demo user ${username} missing`);
  const principal: Principal = { sub: user.sub, role: user.role, username: user.username, ...(user.team ? { team: user.team } : {}) };
  return { principal, requestId: 'seed' };
}

/** A completion date that makes a course's completion stand as asked on `today`. */
function completedOnFor(standing: DemoTraining['standing'], course: Course, today: IsoDate): IsoDate {
  if (standing === 'current') return addMonths(today, -3);
  if (standing === 'expiring') return addMonths(addDays(today, 12), -course.validityMonths);
  return addMonths(today, -(course.validityMonths + 2));
}

/**
 * Demo data for `npm start`, written through the same store functions (and
 * so with the same audit events) as the API. Safe to run on every start:
 * whatever exists is left alone, and a champion's training is recorded only
 * when the champion is first created (training dates are relative to that day).
 */
export async function seedDemoData(now = new Date(), options: { history?: boolean } = {}): Promise<{ created: string[] }> {
  const history = options.history ?? true;
  const admin = scopeOf('admin');
  const created: string[] = [];
  for (const team of demoTeams) {
    const supervisors = demoUsers.filter((u) => u.role === 'supervisor' && u.team === team.id).map((u) => u.sub);
    if (await once(() => createTeam(admin, team.id, { name: team.name, supervisors }))) created.push(team.id);
  }
  for (const { id, ...course } of seedCourses) {
    if (await once(() => createCourse(admin, id, course))) created.push(id);
  }
  for (const { id, ...organisation } of demoOrganisations) {
    if (await once(() => createOrganisation(admin, id, organisation))) created.push(id);
  }
  const courses = new Map<string, Course>();
  for (const { id } of seedCourses) {
    const course = await getCourse(id);
    if (course) courses.set(id, course);
  }
  const today = todayUtc(now);
  for (const demo of demoChampions) {
    const supervisor = scopeOf(demo.teamId === 'team-a' ? 'supervisor-a' : 'supervisor-b');
    const identity = demo.username ? findDemoUser(demo.username)?.sub : demo.identity;
    if (!identity) throw new Error(`demo champion ${demo.id} has no identity`);
    let champion: Awaited<ReturnType<typeof createChampion>> | undefined;
    const input = { displayName: demo.displayName, organisationId: demo.organisationId, strands: demo.strands, languages: demo.languages, identity };
    if (!(await once(async () => (champion = await createChampion(supervisor, demo.id, demo.teamId, input, now))))) continue;
    if (!champion) continue;
    created.push(demo.id);
    for (const t of demo.training) {
      const course = courses.get(t.courseId);
      if (!course) throw new Error(`demo course ${t.courseId} missing`);
      const completedOn = completedOnFor(t.standing, course, today);
      await recordCompletion(supervisor, champion, course, { courseId: course.id, completedOn, deliveredBy: 'City DASV training team' }, now);
    }
    if (demo.suspended) await updateChampion(supervisor, champion, { version: champion.version, status: 'suspended' }, now);
  }
  // Waymark's records of the demo accounts (the development identity provider's directory holds their emails).
  for (const user of demoUsers) {
    const championId = demoChampions.find((c) => c.username === user.username)?.id ?? null;
    const record = { id: user.sub, role: user.role, teamId: user.team ?? null, displayName: user.displayName, status: 'active' as const, championId };
    if (await once(() => createUser(admin, record, undefined, now))) created.push(user.sub);
  }
  for (const demo of demoChampions) {
    if (!demo.identity) continue;
    const record = { id: demo.identity, role: 'champion' as const, teamId: demo.teamId, displayName: demo.displayName, status: 'active' as const, championId: demo.id };
    if (await once(() => createUser(admin, record, undefined, now))) created.push(demo.identity);
  }
  for (const { id, languages, ...service } of seedServices) {
    if (await once(() => createService(admin, id, { ...service, languages: languages ?? [], descriptions: seedServiceDescriptions[id] ?? {} }, undefined, now))) created.push(id);
  }
  const references = new Map<string, string>();
  /** References issued to each team's contacts, with how long ago: some attendees of the support network show theirs. */
  const issued: { teamId: string; reference: string; daysAgo: number }[] = [];
  for (const demo of [...demoContacts, ...(history ? demoHistoryContacts : [])]) {
    const scope = scopeOf(demo.username);
    const champion = await getChampionByIdentity(scope.principal.sub);
    if (!champion) continue;
    const reference = demo.repeatOf ? references.get(demo.repeatOf) : undefined;
    if (demo.repeatOf && !reference) continue; // the first contact was seeded by an earlier start
    const input = { ...demo.input, contactDate: addDays(today, -demo.daysAgo), ...(reference ? { contactReference: reference } : {}) };
    const services = await getServices(input.signposting.map((s) => s.serviceId));
    await once(async () => {
      const view = await createContact(scope, { id: demo.id, champion, input, services }, now);
      references.set(demo.id, view.contactReference);
      if (!reference) issued.push({ teamId: champion.teamId, reference: view.contactReference, daysAgo: demo.daysAgo });
      created.push(demo.id);
    });
  }
  for (const [i, demo] of (history ? demoSessions : demoSessions.slice(0, 2)).entries()) {
    const scope = scopeOf(demo.supervisor);
    const teamId = demo.supervisor === 'supervisor-a' ? 'team-a' : 'team-b';
    const input = { ...demo.input, sessionDate: addDays(today, -demo.daysAgo) };
    // Most people given a card by the team in the five weeks before the session show it (about three a session), so
    // distinct attendees, women among them, and "signposted, then attended" (team a's demo contacts are signposted to
    // the network) have publishable figures per quarter on first start.
    const shown = issued
      .filter((r) => r.teamId === teamId && r.daysAgo > demo.daysAgo && r.daysAgo <= demo.daysAgo + 35)
      .filter((_, k) => (k + i) % 4 !== 3)
      .map((r) => r.reference);
    const presented = { issued: shown, unknown: 0 };
    if (await once(() => createSupportSession(scope, demo.id, teamId, input, presented, now))) created.push(demo.id);
  }
  for (const demo of demoEscalations) {
    const scope = scopeOf(demo.username);
    const champion = await getChampionByIdentity(scope.principal.sub);
    const found = await getContact(demo.contactId);
    if (!champion || !found || found.contact.hasEscalation) continue;
    const reference = referenceForTeam(await getItem<IssuedReference>(getConfig().caseTableName, keys.contactReference(found.contact.contactReference)), found.contact.teamId);
    const raisedAt = new Date(now.getTime() - demo.hoursAgo * 3_600_000);
    const firstContactDate = reference?.firstContactDate ?? found.contact.contactDate;
    const raise = async () => {
      const result = await createEscalation(scope, { id: demo.id, contact: found.contact, champion, firstContactDate, input: demo.input }, raisedAt);
      await getNotifier().afterCommit(result.notification);
    };
    if (await once(raise)) created.push(demo.id);
  }
  return { created };
}
