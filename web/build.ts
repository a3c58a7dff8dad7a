/**
 * Builds the web app into a folder of static files (default `web/dist/`):
 * `index.html`, `assets/*` (hashed JavaScript chunks and one stylesheet).
 * Synchronous, so that the CDK app can build it while it synthesizes.
 *
 * GOV.UK Frontend's precompiled stylesheet is used without the GDS Transport
 * font (its @font-face rules are dropped and a system font stack takes its
 * place) and without the crown (the footer's crest rules are dropped): those
 * are for gov.uk only. No font or image file is shipped.
 */
import { buildSync, transformSync, type Metafile } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const webRoot = here;
export const defaultWebOutDir = join(here, 'dist');

/** The system font stack used in place of GDS Transport. */
export const SYSTEM_FONT_STACK = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif';

/** GOV.UK Frontend's stylesheet, with the gov.uk-only font and crown taken out. */
export function govukStylesheet(): string {
  const file = join(here, '..', 'node_modules', 'govuk-frontend', 'dist', 'govuk', 'govuk-frontend.min.css');
  let css = readFileSync(file, 'utf8');
  css = css.replace(/\/\*# sourceMappingURL=[^*]*\*\//g, '');
  css = css.replace(/@font-face\{[^}]*\}/g, '');
  css = css.replace(/font-family:"?GDS Transport"?,arial,sans-serif/g, `font-family:${SYSTEM_FONT_STACK}`);
  css = css.replace(/font-family:"?GDS Transport"?/g, `font-family:${SYSTEM_FONT_STACK}`);
  // The crest of the footer's Crown copyright logo (a plain rule, and one inside @supports).
  css = css.replace(/@supports \(\(-webkit-mask-position:initial\) or \(mask-position:initial\)\)\{\.govuk-footer__copyright-logo:before\{[^}]*\}\}/g, '');
  css = css.replace(/\.govuk-footer__copyright-logo:before\{[^}]*\}/g, '');
  if (/GDS Transport|govuk-crest|\/assets\/fonts\//.test(css)) throw new Error('govuk-frontend stylesheet: font or crest reference left after filtering');
  return css;
}

export interface WebBuild {
  outdir: string;
  /** Files written, relative to outdir. */
  files: string[];
  metafile: Metafile;
  /** Entry (and lazily loaded page chunk) files, relative to outdir, by source entry. */
  scripts: { main: string; css: string };
}

const ENTRY = join(here, 'src', 'main.ts');

/** Builds the app into `outdir`, replacing each file atomically (a running gateway never serves half a file). */
export function buildWeb(outdir: string = defaultWebOutDir): WebBuild {
  const out = resolve(outdir);
  mkdirSync(dirname(out), { recursive: true });
  const staging = mkdtempSync(join(dirname(out), '.web-build-'));
  try {
    const result = buildSync({
      entryPoints: { main: ENTRY },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      outdir: join(staging, 'assets'),
      entryNames: '[name]-[hash]',
      chunkNames: '[name]-[hash]',
      metafile: true,
      write: true,
      logLevel: 'silent',
      absWorkingDir: join(here, '..'),
    });
    const css = transformSync(`${govukStylesheet()}\n${readFileSync(join(here, 'src', 'app.css'), 'utf8')}`, {
      loader: 'css',
      minify: true,
      legalComments: 'none',
    }).code;
    const cssName = `app-${createHash('sha256').update(css).digest('hex').slice(0, 8).toUpperCase()}.css`;
    writeFileSync(join(staging, 'assets', cssName), css);

    // Lazily imported pages are entry points of their own in the metafile: the app's is the one built from main.ts.
    const entry = relative(join(here, '..'), ENTRY).split(sep).join('/');
    const mainOut = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === entry)?.[0];
    if (!mainOut) throw new Error('web build: no entry output');
    const mainName = relative(join(here, '..'), mainOut).split('/').pop() as string;
    const template = readFileSync(join(here, 'index.html'), 'utf8');
    writeFileSync(
      join(staging, 'index.html'),
      template.replace('%CSS%', `/assets/${cssName}`).replace('%JS%', `/assets/${mainName}`),
    );

    const files = listFiles(staging);
    // Move into place file by file: rename is atomic, and identical rebuilds change nothing a reader sees.
    for (const file of files) {
      mkdirSync(dirname(join(out, file)), { recursive: true });
      renameSync(join(staging, file), join(out, file));
    }
    // Remove files of earlier builds (old hashed chunks).
    const keep = new Set(files);
    if (existsSync(out)) for (const file of listFiles(out)) if (!keep.has(file)) rmSync(join(out, file), { force: true });
    const metafile: Metafile = {
      inputs: result.metafile.inputs,
      outputs: Object.fromEntries(Object.entries(result.metafile.outputs).map(([k, v]) => [`assets/${k.split('/').pop()}`, v])),
    };
    return { outdir: out, files, metafile, scripts: { main: `assets/${mainName}`, css: `assets/${cssName}` } };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const started = Date.now();
  const build = buildWeb(process.argv[2] ?? defaultWebOutDir);
  console.log(`web app built into ${relative(process.cwd(), build.outdir) || '.'} in ${Date.now() - started} ms (${build.files.length} files)`);
}
