import type { Champion } from './champions';
import {
  contactConsistency,
  contactDateProblem,
  correctable,
  CORRECTION_WINDOW_HOURS,
  type Contact,
  type ContactFields,
  type CreateContact,
  type Signposting,
  type SignpostingInput,
  type UpdateContact,
} from './contacts';
import type { Course } from './courses';
import type { IsoDate } from './dates';
import { badRequest, conflict, forbidden, validationFailed, type HttpError } from './errors';
import { unusableService, type Service } from './services';
import { strandLabels, type Strand } from './strands';
import { courseLookup, trainingGate } from './training';

/**
 * The decisions about a contact, apart from saving it: what a new contact is,
 * whether a champion may log or correct it, and what a correction changes.
 * Pure: the store reads the facts, these decide, the store writes what they
 * return. Each refusal is the error the API answers with.
 */

export const unknownReference = (): HttpError =>
  badRequest('Unknown contact reference', [
    { path: 'contactReference', message: 'Check the reference with the person: your team has not given this reference (or leave it blank to issue a new one)' },
  ]);

export const staleContact = (currentVersion: number): HttpError =>
  conflict('This contact was changed by someone else; reload it and try again. Nothing was stored.', { field: 'version', currentVersion });

const gateReasons = {
  suspended: () => 'your champion record is suspended',
  strand_not_served: (label: string) => `you do not serve the ${label} strand`,
  never_trained: (label: string) => `you hold no training for ${label} on that date`,
  lapsed: (label: string) => `your training for ${label} had lapsed by that date`,
} as const;

/** The training gate for every strand of the contact, on the contact's date: 403 with the reason otherwise. */
export function requireQualified(champion: Champion, courses: readonly Course[], strands: readonly Strand[], on: IsoDate): void {
  const lookup = courseLookup(courses);
  for (const strand of strands) {
    const decision = trainingGate(champion, lookup, strand, on);
    if (decision.qualified) continue;
    const label = strandLabels[strand];
    throw forbidden(`You may not log a ${label} contact dated ${on}: ${gateReasons[decision.reason](label)}.`, { field: 'strands', strand, reason: decision.reason });
  }
}

/** A champion may date a contact neither in the future nor before the logging window. */
export function requireDateInWindow(date: IsoDate, now: Date, windowDays: number): void {
  const problem = contactDateProblem(date, now, windowDays);
  if (problem) throw validationFailed([{ path: 'contactDate', message: problem }]);
}

/** The services named, each in the directory, active and serving one of the strands; 400 naming each that is not (at its position in the request). */
export function requireUsableServices(
  list: readonly { input: SignpostingInput; position: number }[],
  services: ReadonlyMap<string, Service>,
  strands: readonly Strand[],
): void {
  const issues = list.flatMap(({ input, position }) => {
    const problem = unusableService(services.get(input.serviceId), strands);
    return problem ? [{ path: `signposting.${position}.serviceId`, message: problem }] : [];
  });
  if (issues.length > 0) throw validationFailed(issues);
}

const positioned = (list: readonly SignpostingInput[]) => list.map((input, position) => ({ input, position }));

/** What a new contact is checked against: the stored facts the store read, and the clock. */
export interface NewContactFacts {
  champion: Champion;
  courses: readonly Course[];
  /** The services the input names, as read. */
  services: ReadonlyMap<string, Service>;
  /** Whether the reference the person quoted exists (undefined when none was quoted). */
  referenceExists: boolean | undefined;
  now: Date;
  logWindowDays: number;
}

/** May this champion log this contact? Throws the first refusal, in the order the API has always checked them. */
export function checkNewContact(input: CreateContact, facts: NewContactFacts): void {
  requireDateInWindow(input.contactDate, facts.now, facts.logWindowDays);
  requireQualified(facts.champion, facts.courses, input.strands, input.contactDate);
  requireUsableServices(positioned(input.signposting), facts.services, input.strands);
  if (input.contactReference !== undefined && !facts.referenceExists) throw unknownReference();
}

/** A signposting as first chosen: the service's kind and name as they are now. */
export const newSignposting = (id: string, contactId: string, input: SignpostingInput, service: Service): Signposting => ({
  id,
  contactId,
  serviceId: service.id,
  serviceKind: service.kind,
  serviceName: service.name,
  mode: input.mode,
});

export interface NewContact {
  id: string;
  champion: Pick<Champion, 'id' | 'teamId'>;
  /** The sign-in identity of the champion logging it. */
  sub: string;
  input: CreateContact;
  /** The reference: the one quoted, or a new one drawn by the caller. */
  reference: string;
  services: ReadonlyMap<string, Service>;
  now: Date;
  /** When it expires (epoch seconds): the retention after it was logged. */
  expiresAt: number;
  /** A new signposting id, one per service chosen. */
  signpostingId: () => string;
}

/** A contact as first logged, with its signposting: active, version 1, a repeat contact when a reference was quoted. */
export function newContact(nc: NewContact): { contact: Contact; signposting: Signposting[] } {
  const at = nc.now.toISOString();
  const { contactReference: quoted, signposting: chosen, note, ...fields } = nc.input;
  const contact: Contact = {
    id: nc.id,
    teamId: nc.champion.teamId,
    championId: nc.champion.id,
    championSub: nc.sub,
    ...fields,
    ...(note !== undefined ? { note } : {}),
    contactReference: nc.reference,
    repeatContact: quoted !== undefined,
    hasEscalation: false,
    status: 'active',
    createdAt: at,
    createdBy: nc.sub,
    updatedAt: at,
    version: 1,
    expiresAt: nc.expiresAt,
  };
  const signposting = chosen.map((s) => newSignposting(nc.signpostingId(), nc.id, s, nc.services.get(s.serviceId) as Service));
  return { contact, signposting };
}

/** The fields a create names, for its audit event. */
export const namedFields = (input: object): string[] =>
  Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => field);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const signpostingKey = (list: readonly Pick<SignpostingInput, 'serviceId' | 'mode'>[]) => JSON.stringify([...list].map((s) => `${s.serviceId}:${s.mode}`).sort());

/** What a correction changes, once checked against the record as read. */
export interface CorrectionPlan {
  /** The fields that differ from the record (null: the note is removed). */
  fields: Partial<Omit<ContactFields, 'note'>> & { note?: string | null };
  /** The full signposting list after the correction, when it changes. */
  signposting?: SignpostingInput[];
  /** The fields the audit event names. */
  changedFields: string[];
  /** The contact's fields as they will be. */
  merged: ContactFields;
  /** Services newly chosen, with their position in the request (the caller reads them, then `checkCorrection`). */
  added: { input: SignpostingInput; position: number }[];
}

/**
 * Plans a correction by the champion who logged the contact: within the
 * correction window, at the version read, consistent across fields. Undefined
 * when nothing would change (the caller answers with the record as it is).
 */
export function planCorrection(before: { contact: Contact; signposting: Signposting[] }, body: UpdateContact, now: Date): CorrectionPlan | undefined {
  const { contact } = before;
  if (!correctable(contact, now)) {
    throw forbidden(`A contact can be corrected only within ${CORRECTION_WINDOW_HOURS} hours of being logged; ask your supervisor.`);
  }
  if (body.version !== contact.version) throw staleContact(contact.version);
  const { version: _version, signposting, ...patch } = body;
  const fields: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = contact[field as keyof Contact];
    if (value === null ? current !== undefined : !same(value, current)) fields[field] = value;
  }
  const signpostingChanged = signposting !== undefined && signpostingKey(signposting) !== signpostingKey(before.signposting);
  const changedFields = [...Object.keys(fields), ...(signpostingChanged ? ['signposting'] : [])];
  if (changedFields.length === 0) return undefined;
  const merged = { ...contact, ...fields } as ContactFields & Record<string, unknown>;
  if (fields['note'] === null) delete merged['note'];
  const issues = contactConsistency(merged);
  if (issues.length > 0) throw validationFailed(issues);
  const kept = new Set(before.signposting.map((s) => s.serviceId));
  return {
    fields: fields as CorrectionPlan['fields'],
    ...(signpostingChanged ? { signposting } : {}),
    changedFields,
    merged,
    added: signpostingChanged ? positioned(signposting).filter(({ input }) => !kept.has(input.serviceId)) : [],
  };
}

/** Does the correction move the contact to a date or strands the training gate must pass again? */
export const correctionNeedsGate = (plan: CorrectionPlan): boolean => 'contactDate' in plan.fields || 'strands' in plan.fields;

/** The facts a correction is checked against, read by the caller as the plan asks (the champion and courses only if `correctionNeedsGate`). */
export interface CorrectionFacts {
  champion?: Champion | undefined;
  courses?: readonly Course[];
  services: ReadonlyMap<string, Service>;
  now: Date;
  logWindowDays: number;
}

/** May the champion make this correction: the new date within the window, trained for it, the new services usable? */
export function checkCorrection(plan: CorrectionPlan, facts: CorrectionFacts): void {
  const { merged } = plan;
  if (correctionNeedsGate(plan)) {
    if ('contactDate' in plan.fields) requireDateInWindow(merged.contactDate, facts.now, facts.logWindowDays);
    requireQualified(facts.champion as Champion, facts.courses ?? [], merged.strands, merged.contactDate);
  }
  requireUsableServices(plan.added, facts.services, merged.strands);
}

/** The contact after a correction: the changed fields set (a null note removed), the version moved on. */
export function correctedContact(contact: Contact, plan: CorrectionPlan, now: Date): Contact {
  const after: Record<string, unknown> = { ...contact, updatedAt: now.toISOString(), version: contact.version + 1 };
  for (const [field, value] of Object.entries(plan.fields)) {
    if (value === null) delete after[field];
    else if (value !== undefined) after[field] = value;
  }
  return after as Contact;
}

/** One service of the corrected list, in the order asked: kept (its id and outcome kept; the mode may change) or added. */
export type SignpostingStep = { kept: Signposting; modeChanged: boolean } | { added: Signposting; position: number };

/** How a correction changes the signposting: the list after it, each service's step, and those removed. */
export interface SignpostingChanges {
  after: Signposting[];
  steps: SignpostingStep[];
  removed: Signposting[];
}

export function reconcileSignposting(
  contactId: string,
  before: readonly Signposting[],
  wanted: readonly SignpostingInput[],
  services: ReadonlyMap<string, Service>,
  signpostingId: () => string,
): SignpostingChanges {
  const byService = new Map(before.map((s) => [s.serviceId, s]));
  const steps = wanted.map((w, position): SignpostingStep => {
    const kept = byService.get(w.serviceId);
    if (kept) return { kept: { ...kept, mode: w.mode }, modeChanged: w.mode !== kept.mode };
    return { added: newSignposting(signpostingId(), contactId, w, services.get(w.serviceId) as Service), position };
  });
  const keptIds = new Set(wanted.map((w) => w.serviceId));
  return {
    after: steps.map((step) => ('kept' in step ? step.kept : step.added)),
    steps,
    removed: before.filter((s) => !keptIds.has(s.serviceId)),
  };
}
