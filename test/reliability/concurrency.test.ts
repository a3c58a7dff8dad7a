import { describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../support/environment';
import { auditEventsFor } from '../support/training';
import { fixtures } from './fixtures';

const t = useTestEnvironment();
const f = fixtures(t);
const CLIENTS = 8;

/** Audit events of an entity that record a change (not reads, not the create). */
async function changes(entityType: string, id: string, action: string) {
  return (await auditEventsFor(t, entityType, id)).filter((e) => e['action'] === action);
}

/**
 * `clients` writers at once, each reading the record, writing at the version it read, and on 409 reading and trying
 * again (at most `tries` times). Returns how many writes were applied.
 */
async function race(clients: number, tries: number, read: () => Promise<{ version: number }>, write: (version: number, client: number) => Promise<{ status: number; text: string }>) {
  const statuses: number[] = [];
  let applied = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let attempt = 0; attempt < tries; attempt++) {
        const { version } = await read();
        const res = await write(version, client);
        statuses.push(res.status);
        expect([200, 409], res.text).toContain(res.status);
        if (res.status === 200) {
          applied++;
          return;
        }
      }
    }),
  );
  return { applied, statuses };
}

describe('many clients on one record at once: each write applied or 409, no lost update', () => {
  it('a contact: all at the same version, each changing it — exactly one wins, the rest 409 and change nothing', async () => {
    const c = await f.contact('champion-a1');
    const token = await f.tok('champion-a1');
    const results = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => t.api('PATCH', `/contacts/${c.id}`, { token, body: { version: c.version, riskFlags: i % 2 ? [] : ['immediate_danger'] } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200).length, JSON.stringify(statuses)).toBe(1);
    expect(statuses.every((s) => s === 200 || s === 409), JSON.stringify(statuses)).toBe(true);
    const after = await f.ok('GET', `/contacts/${c.id}`, 'champion-a1');
    const applied = statuses.filter((s) => s === 200).length;
    expect(after.version).toBe(c.version + applied);
    expect((await changes('contact', c.id, 'contacts.update')).length).toBe(applied);
  });

  it('a contact: clients that re-read and retry on 409 — every acknowledged write is in the version history and the audit trail', { timeout: 60_000 }, async () => {
    const c = await f.contact('champion-a1');
    const token = await f.tok('champion-a1');
    // At version v the flags differ from those at v - 1 (the contact starts with ['person_is_afraid']): every write is a change.
    const flags = [['person_is_afraid'], []];
    const { applied, statuses } = await race(
      CLIENTS,
      12,
      () => f.ok('GET', `/contacts/${c.id}`, 'champion-a1'),
      // alternate the value so that every write is a change
      async (version) => t.api('PATCH', `/contacts/${c.id}`, { token, body: { version, riskFlags: flags[version % 2] } }),
    );
    const after = await f.ok('GET', `/contacts/${c.id}`, 'champion-a1');
    console.log(`concurrency (contact): ${statuses.length} writes, ${applied} applied, ${statuses.filter((s) => s === 409).length} answered 409`);
    expect(applied).toBeGreaterThan(1);
    expect(after.version).toBe(c.version + applied);
    expect((await changes('contact', c.id, 'contacts.update')).length).toBe(applied);
  });

  it('an escalation: supervisors racing on the same transition — one applied, the rest 409; the history has one step', async () => {
    const e = await f.escalation('champion-a1');
    const token = await f.tok('supervisor-a');
    const results = await Promise.all(
      Array.from({ length: CLIENTS }, () => t.api('POST', `/escalations/${e.id}/transitions`, { token, body: { to: 'triaged', version: e.version, targetServiceKind: 'police' } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length, JSON.stringify(statuses)).toBe(1);
    expect(statuses.filter((s) => s === 409).length).toBe(CLIENTS - 1);
    const after = await f.ok('GET', `/escalations/${e.id}`, 'supervisor-a');
    expect(after.version).toBe(e.version + 1);
    expect(after.state).toBe('triaged');
    expect((await changes('escalation', e.id, 'escalations.transition')).length).toBe(1);
  });

  it('a champion: supervisors and an admin changing the profile, retrying on 409 — no lost update', { timeout: 60_000 }, async () => {
    const c = await f.champion('champion-a1');
    const users = ['supervisor-a', 'admin'];
    const languages = (client: number, version: number) => ['English', `Language${String.fromCharCode(65 + client)}${String.fromCharCode(65 + (version % 26))}`];
    const { applied, statuses } = await race(
      CLIENTS,
      12,
      () => f.ok('GET', `/champions/${c.id}`, 'admin'),
      async (version, client) => t.api('PATCH', `/champions/${c.id}`, { token: await f.tok(users[client % 2]!), body: { version, languages: languages(client, version) } }),
    );
    const after = await f.ok('GET', `/champions/${c.id}`, 'admin');
    console.log(`concurrency (champion): ${statuses.length} writes, ${applied} applied, ${statuses.filter((s) => s === 409).length} answered 409`);
    expect(applied).toBe(CLIENTS);
    expect(after.version).toBe(c.version + applied);
    expect((await changes('champion', c.id, 'champions.update')).length).toBe(applied);
  });
});
