/**
 * Page weight of the web app: the JavaScript and CSS each page loads, in bytes gzipped.
 * A page loads the entry chunk, its page group's chunk, and every chunk those import statically.
 * Usage: npx tsx scripts/web-size.ts   (builds into a temporary folder; prints a table; --json for JSON)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWeb, type WebBuild } from '../web/build';
import { routeTable } from '../web/src/routes';
import { uiLanguages } from '../shared/domain/locales';

export interface PageWeight {
  route: string;
  title: string;
  jsGzip: number;
  cssGzip: number;
  files: string[];
}

export function pageWeights(build: WebBuild): PageWeight[] {
  const outputs = build.metafile.outputs;
  const gz = (file: string) => gzipSync(readFileSync(join(build.outdir, file)), { level: 9 }).length;
  const closure = (start: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(start)) return seen;
    seen.add(start);
    for (const imp of outputs[start]?.imports ?? []) {
      if (imp.kind === 'import-statement') closure(`assets/${imp.path.split('/').pop()}`, seen);
    }
    return seen;
  };
  // Which output holds each page group (pages/<group>.ts is the entry of a dynamic chunk).
  const groupOutput = (group: string) =>
    Object.entries(outputs).find(([, o]) => o.entryPoint?.endsWith(`web/src/pages/${group}.ts`))?.[0];
  const cssGzip = gz(build.scripts.css);
  const groups: Record<string, string> = {};
  for (const route of routeTable) {
    const source = route.load.toString();
    const group = /pages\/([\w-]+)/.exec(source)?.[1] ?? /(champion|supervisor|admin|common)\(\)/.exec(source)?.[1];
    if (group) groups[route.id] = group;
  }
  const main = build.scripts.main;
  const base = [...closure(main)];
  const rows: PageWeight[] = [{ route: 'sign-in', title: 'Sign in', jsGzip: base.reduce((n, f) => n + gz(f), 0), cssGzip, files: base }];
  for (const route of routeTable) {
    const out = groupOutput(groups[route.id] ?? '');
    const files = [...new Set([...base, ...(out ? closure(out) : [])])];
    rows.push({ route: route.id, title: route.title, jsGzip: files.reduce((n, f) => n + gz(f), 0), cssGzip, files });
  }
  return rows;
}

export interface LanguageWeight {
  language: string;
  name: string;
  /** The language's own chunk, gzipped (English: its share of the entry chunk, minified, not gzipped alone). */
  jsGzip: number;
  file: string;
}

/**
 * What each language costs (issue 21): English ships in the entry chunk (it is every language's
 * fallback); every other language is one chunk, fetched only by someone who chooses it.
 */
export function languageWeights(build: WebBuild): LanguageWeight[] {
  const outputs = build.metafile.outputs;
  const gz = (file: string) => gzipSync(readFileSync(join(build.outdir, file)), { level: 9 }).length;
  return uiLanguages.map((l) => {
    if (l.code === 'en') {
      const holder = Object.entries(outputs).find(([, o]) => Object.keys(o.inputs).some((k) => k.endsWith('web/src/locales/en.ts')));
      const bytes = holder ? Object.entries(holder[1].inputs).filter(([k]) => k.endsWith('web/src/locales/en.ts')).reduce((n, [, v]) => n + v.bytesInOutput, 0) : 0;
      return { language: l.code, name: l.englishName, jsGzip: bytes, file: holder?.[0] ?? '' };
    }
    const source = l.pseudo ? 'web/src/locales/pseudo.ts' : `web/src/locales/${l.code}.ts`;
    const file = Object.entries(outputs).find(([, o]) => o.entryPoint === source)?.[0] ?? '';
    return { language: l.code, name: l.englishName, jsGzip: file ? gz(file) : 0, file };
  });
}

const isMain = process.argv[1]?.endsWith('web-size.ts');
if (isMain) {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-web-size-'));
  try {
    const build = buildWeb(dir);
    const rows = pageWeights(build);
    const languages = languageWeights(build);
    if (process.argv.includes('--json')) console.log(JSON.stringify({ pages: rows, languages }, null, 2));
    else {
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      console.log('page'.padEnd(20), 'JS (gzip)'.padStart(10), 'CSS (gzip)'.padStart(11));
      for (const r of rows) console.log(r.route.padEnd(20), kb(r.jsGzip).padStart(10), kb(r.cssGzip).padStart(11));
      console.log('');
      console.log('language'.padEnd(20), 'bytes'.padStart(10), ' chunk');
      for (const l of languages) console.log(`${l.language} ${l.name}`.slice(0, 20).padEnd(20), String(l.jsGzip).padStart(10), ` ${l.language === 'en' ? `in ${l.file} (loaded by every page), minified: every language's fallback` : `${l.file}, gzipped, loaded when chosen`}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
