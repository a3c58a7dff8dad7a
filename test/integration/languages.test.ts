/**
 * Issue 21 over HTTP: the champion's language is kept in their profile on the
 * server (never in the browser), and the service directory holds a sentence
 * per language for the signposting card, edited by admins.
 */
import { describe, expect, it } from 'vitest';
import { useTestEnvironment } from '../support/environment';

const t = useTestEnvironment();
const tok = (user: string) => t.tokenFor(user);

describe('a champion\'s language', () => {
  it('is English until chosen, then kept in the profile; another champion\'s is untouched', async () => {
    const before = await t.api('GET', '/champions/me', { token: await tok('champion-a2') });
    expect(before.body.champion.uiLanguage).toBe('en');
    const set = await t.api('PATCH', '/champions/me', { token: await tok('champion-a2'), body: { uiLanguage: 'ar' } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    // A preference, not the profile: its version stays, so a supervisor's edit at the same moment is not refused.
    expect(set.body).toMatchObject({ uiLanguage: 'ar', version: before.body.champion.version });
    const after = await t.api('GET', '/champions/me', { token: await tok('champion-a2') });
    expect(after.body.champion.uiLanguage).toBe('ar');
    const other = await t.api('GET', '/champions/me', { token: await tok('champion-a1') });
    expect(other.body.champion.uiLanguage).toBe('en');
  });

  it('refuses a language Waymark does not have, naming the field, and stores nothing', async () => {
    const before = await t.api('GET', '/champions/me', { token: await tok('champion-b1') });
    const res = await t.api('PATCH', '/champions/me', { token: await tok('champion-b1'), body: { uiLanguage: 'xx' } });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toEqual(['uiLanguage']);
    const extra = await t.api('PATCH', '/champions/me', { token: await tok('champion-b1'), body: { uiLanguage: 'pl', displayName: 'Someone else' } });
    expect(extra.status).toBe(400);
    const after = await t.api('GET', '/champions/me', { token: await tok('champion-b1') });
    expect(after.body.champion).toMatchObject({ uiLanguage: 'en', version: before.body.champion.version, displayName: before.body.champion.displayName });
  });

  it('is the champion\'s own: a supervisor cannot set it', async () => {
    const res = await t.api('PATCH', '/champions/me', { token: await tok('supervisor-a'), body: { uiLanguage: 'pl' } });
    expect(res.status).toBe(403);
  });
});

describe('service descriptions by language', () => {
  it('the seed directory says what each service does in English (and in Polish and Arabic as drafts)', async () => {
    const res = await t.api('GET', '/services?limit=100', { token: await tok('champion-a1') });
    expect(res.status).toBe(200);
    for (const s of res.body.items) expect(s.descriptions.en, s.id).toMatch(/\.$/);
    const helpline = res.body.items.find((s: { id: string }) => s.id === 'service-national-da-helpline');
    expect(helpline.descriptions.pl).toContain('całą dobę');
  });

  it('an admin replaces them; an unknown language or a control character is refused, naming the field', async () => {
    const admin = await tok('admin');
    const created = await t.api('POST', '/services', {
      token: admin,
      body: { name: 'Languages test service', kind: 'advice', strands: ['dasv'], howToRefer: 'Drop in', descriptions: { en: 'Free advice on rights.' } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.descriptions).toEqual({ en: 'Free advice on rights.' });
    const changed = await t.api('PATCH', `/services/${created.body.id}`, {
      token: admin,
      body: { version: created.body.version, descriptions: { en: 'Free advice on rights.', so: 'Talo bilaash ah oo ku saabsan xuquuqdaada.' } },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.descriptions.so).toBe('Talo bilaash ah oo ku saabsan xuquuqdaada.');
    const unknown = await t.api('PATCH', `/services/${created.body.id}`, { token: admin, body: { version: changed.body.version, descriptions: { xx: 'Nope.' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues[0].path).toMatch(/^descriptions/);
    const bidi = await t.api('PATCH', `/services/${created.body.id}`, { token: admin, body: { version: changed.body.version, descriptions: { ar: 'نص\u202eمقلوب' } } });
    expect(bidi.status).toBe(400);
    expect(bidi.body.issues[0].path).toBe('descriptions.ar');
    const champion = await t.api('PATCH', `/services/${created.body.id}`, { token: await tok('champion-a1'), body: { version: changed.body.version, descriptions: {} } });
    expect(champion.status).toBe(403);
  });
});
