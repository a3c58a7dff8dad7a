/**
 * The message catalogue (issue 21): every language against English, and
 * English against the code. Fails on a key the code uses that English lacks,
 * on a key missing from a language marked complete, on a key a language has
 * that English does not, on placeholders that differ from English's, and on
 * an English key no code uses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { languageCodes, uiLanguages } from '../../shared/domain/locales';
import type { Catalogue, Message } from '../../web/src/i18n';
import { championTaxonomies, en } from '../../web/src/locales/en';
import { accent } from '../../web/src/locales/pseudo';

const webSrc = join(new URL('../../', import.meta.url).pathname, 'web');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'locales' || e.name === 'dist' ? [] : sources(join(dir, e.name))) : /\.(ts|html)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
const code = sources(webSrc).map((f) => readFileSync(f, 'utf8')).join('\n');

/** Keys named literally: t('…'), th('…'), own.t('…'), data-i18n="…", data-i18n-label="…". */
const literalKeys = new Set([...code.matchAll(/\bth?\(\s*'([a-zA-Z0-9_.-]+)'/g), ...code.matchAll(/data-i18n(?:-label)?="([a-zA-Z0-9_.-]+)"/g)].map((m) => m[1] as string));
/** Key families built at run time (`route.${id}`, `state.${s}`, `tax.${name}.${value}`): used when the code builds them. */
/** Keys handed to the catalogue in a variable (a list of keys, as GOV.UK's character count's words are): any quoted key. */
const quotedKeys = new Set([...code.matchAll(/'([a-zA-Z0-9_-]+\.[a-zA-Z0-9_.-]+)'/g)].map((m) => m[1] as string));
const dynamicFamilies = [...code.matchAll(/\bth?\(\s*`([a-zA-Z0-9_.-]+)\.\$\{/g)].map((m) => `${m[1]}.`);
const taxonomyFamily = /`tax\.\$\{name\}\.\$\{value\}`/.test(code);

const placeholders = (m: Message): string[] =>
  [...new Set((typeof m === 'string' ? [m] : Object.values(m)).flatMap((s) => [...(s as string).matchAll(/\{(\w+)\}/g)].map((x) => x[1] as string)))].sort();

const catalogues: Record<string, Catalogue> = {};
for (const code of languageCodes) {
  if (code === 'en') continue;
  catalogues[code] = ((await import(`../../web/src/locales/${code}.ts`)) as Record<string, Catalogue>)[code] as Catalogue;
}
const englishKeys = Object.keys(en) as (keyof typeof en)[];

describe('the English catalogue and the code', () => {
  it('every key the code names is in English', () => {
    expect([...literalKeys].filter((k) => !(k in en))).toEqual([]);
    expect(dynamicFamilies.length).toBeGreaterThan(0);
  });

  it('every English key is used by the code (literally, or by a family the code builds)', () => {
    const unused = englishKeys.filter(
      (k) => !literalKeys.has(k) && !quotedKeys.has(k) && !dynamicFamilies.some((f) => k.startsWith(f)) && !(taxonomyFamily && k.startsWith('tax.')),
    );
    expect(unused).toEqual([]);
  });

  it('the taxonomy keys are the taxonomies\' values, each once', () => {
    const tax = englishKeys.filter((k) => k.startsWith('tax.'));
    expect(tax.length).toBe(Object.values(championTaxonomies).reduce((n, t) => n + t.values.length, 0));
  });

  it('a plural message has an "other" form and counts with {count}', () => {
    for (const k of englishKeys) {
      const m = en[k] as Message;
      if (typeof m !== 'string') expect(m.other, k).toBeDefined();
    }
  });
});

describe.each(Object.keys(catalogues))('the %s catalogue', (lang) => {
  const catalogue = catalogues[lang] as Catalogue;
  const info = uiLanguages.find((l) => l.code === lang);

  it('has no key English lacks', () => {
    expect(Object.keys(catalogue).filter((k) => !(k in en))).toEqual([]);
  });

  it('keeps every message\'s placeholders, and its shape (a plural stays a plural, with an "other" form)', () => {
    const wrong: string[] = [];
    for (const [k, m] of Object.entries(catalogue)) {
      const english = en[k as keyof typeof en] as Message | undefined;
      if (!english || !m) continue;
      if (JSON.stringify(placeholders(m)) !== JSON.stringify(placeholders(english))) wrong.push(`${k}: ${placeholders(m).join(',')} ≠ ${placeholders(english).join(',')}`);
      if (typeof m !== typeof english || (typeof m !== 'string' && m.other === undefined)) wrong.push(`${k}: shape`);
    }
    expect(wrong).toEqual([]);
  });

  it('has every key, if it is marked complete; and says its review status', () => {
    expect(info?.review).toMatch(/^(draft|reviewed)$/);
    const missing = englishKeys.filter((k) => catalogue[k] === undefined);
    if (info?.complete) expect(missing).toEqual([]);
    else expect(missing.length).toBeGreaterThan(0);
  });

  it('leaves no message empty or untranslated markup', () => {
    for (const [k, m] of Object.entries(catalogue)) {
      for (const s of typeof m === 'string' ? [m] : Object.values(m as object)) expect((s as string).trim(), `${lang} ${k}`).not.toBe('');
    }
  });
});

describe('the pseudo-locale', () => {
  it('accents every letter, keeps placeholders and numbers, and is at least 40% longer', () => {
    const out = accent('You can enter up to {count} characters in 24 hours');
    expect(out).toContain('{count}');
    expect(out).toContain('24');
    expect(out.replace('{count}', '')).not.toMatch(/[a-z]/i);
    expect(out.length).toBeGreaterThanOrEqual(Math.ceil('You can enter up to {count} characters in 24 hours'.length * 1.4));
  });
});
