import { build, type Plugin } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { functionDefinitions, functionEntry } from '../../shared/api/routes';
import { scheduledFunctions } from '../../shared/api/scheduled-functions';
import { streamConsumers } from '../../shared/api/stream-consumers';
import * as logger from '../../shared/http/logger';
import * as documentClient from '../../shared/store/client';
import * as notifier from '../../shared/store/notifier';
import { FUNCTION_BUNDLE } from '../function-bundle';

/**
 * Each function in its own module graph, as Lambda runs it. Every function is bundled with the settings the
 * CDK stack bundles it with for Lambda (infra/function-bundle.ts) and imported from its own file: its module
 * state — the verified-token memory, the account check's and the key set's caches, its configuration — is its
 * own, and one function's warm state cannot make another pass or fail.
 *
 * Three modules are the emulation's and are shared on purpose (each function's bundle reads the one this
 * process loaded): the DynamoDB document client, which carries the local IAM check (grants.ts) and the tests'
 * fault injection; the logger, whose output the tests read at the level they choose; and the notifier, whose
 * outbox `npm start` prints. None of them holds a product rule.
 */
const EMULATION_MODULES: Readonly<Record<string, Record<string, unknown>>> = {
  'shared/store/client.ts': documentClient,
  'shared/http/logger.ts': logger,
  'shared/store/notifier.ts': notifier,
};

const HOST_MODULES = Symbol.for('waymark.local.emulationModules');
(globalThis as Record<symbol, unknown>)[HOST_MODULES] = EMULATION_MODULES;

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Resolves a relative import the way esbuild would, to a project path (`shared/store/client.ts`). */
function projectPath(resolveDir: string, specifier: string): string | undefined {
  const base = resolve(resolveDir, specifier);
  const file = [base, `${base}.ts`, join(base, 'index.ts')].find((f) => existsSync(f) && !f.endsWith(sep));
  return file ? relative(projectRoot, file).split(sep).join('/') : undefined;
}

/** Replaces each emulation module with one that re-exports this process's instance of it. */
const shareEmulationModules: Plugin = {
  name: 'waymark-emulation-modules',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const path = projectPath(args.resolveDir, args.path);
      return path && path in EMULATION_MODULES ? { path, namespace: 'waymark-emulation' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'waymark-emulation' }, (args) => {
      const names = Object.keys(EMULATION_MODULES[args.path] ?? {}).filter((n) => n !== 'default');
      const shared = `globalThis[Symbol.for(${JSON.stringify(HOST_MODULES.description)})][${JSON.stringify(args.path)}]`;
      return { contents: [`const shared = ${shared};`, ...names.map((n) => `export const ${n} = shared.${n};`)].join('\n'), loader: 'js' };
    });
  },
};

const functionIds = () => [...new Set([...functionDefinitions, ...streamConsumers, ...scheduledFunctions].map((f) => f.id))];

/**
 * The bundles, built once and kept in node_modules/.cache: a process that finds them built from the very files
 * they were built from (each input's size and modification time, as esbuild's metafile lists them) loads them
 * as they are, so a test file's start does not pay the bundling; any change to an input builds them again.
 */
const cacheDir = join(projectRoot, 'node_modules', '.cache', 'waymark-functions');
const settings = JSON.stringify({ FUNCTION_BUNDLE, ids: functionIds(), shared: Object.fromEntries(Object.entries(EMULATION_MODULES).map(([p, m]) => [p, Object.keys(m)])) });
const INPUTS = 'inputs.json';

interface Fingerprint {
  settings: string;
  inputs: Record<string, [size: number, mtimeMs: number]>;
}

function stillCurrent(dir: string): boolean {
  try {
    const saved = JSON.parse(readFileSync(join(dir, INPUTS), 'utf8')) as Fingerprint;
    if (saved.settings !== settings) return false;
    return Object.entries(saved.inputs).every(([file, [size, mtimeMs]]) => {
      const now = statSync(join(projectRoot, file));
      return now.size === size && now.mtimeMs === mtimeMs;
    });
  } catch {
    return false;
  }
}

async function buildInto(outdir: string): Promise<void> {
  const result = await build({
    entryPoints: Object.fromEntries(functionIds().map((id) => [id, join(projectRoot, functionEntry(id))])),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: FUNCTION_BUNDLE.format,
    target: FUNCTION_BUNDLE.target,
    mainFields: [...FUNCTION_BUNDLE.mainFields],
    banner: { js: FUNCTION_BUNDLE.banner },
    sourcemap: 'inline',
    metafile: true,
    absWorkingDir: projectRoot,
    logLevel: 'error',
    plugins: [shareEmulationModules],
  });
  const inputs: Fingerprint['inputs'] = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    if (file.includes(':')) continue; // the emulation modules' namespace, not a file
    const { size, mtimeMs } = statSync(join(projectRoot, file));
    inputs[file] = [size, mtimeMs];
  }
  writeFileSync(join(outdir, INPUTS), JSON.stringify({ settings, inputs } satisfies Fingerprint));
}

let bundles: Promise<string> | undefined;

/**
 * The folder of every function's bundle: the one the cache's pointer names, if still current, else built afresh
 * (once per process). A built folder is never changed, so test files starting in parallel never load a
 * half-written bundle; folders a day old that the pointer no longer names are removed.
 */
export function bundleFunctions(): Promise<string> {
  bundles ??= (async () => {
    const pointer = join(cacheDir, 'current');
    const named = existsSync(pointer) ? join(cacheDir, readFileSync(pointer, 'utf8').trim()) : undefined;
    if (named && stillCurrent(named)) return named;
    mkdirSync(cacheDir, { recursive: true });
    const fresh = mkdtempSync(join(cacheDir, 'build-'));
    await buildInto(fresh);
    const next = `${pointer}.${process.pid}`;
    writeFileSync(next, basename(fresh));
    renameSync(next, pointer);
    for (const old of readdirSync(cacheDir)) {
      const dir = join(cacheDir, old);
      if (old.startsWith('build-') && dir !== fresh && Date.now() - statSync(dir).mtimeMs > 86_400_000) rmSync(dir, { recursive: true, force: true });
    }
    return fresh;
  })();
  return bundles;
}

/** The module of one function, in its own graph: the bundle of `functions/<id>/handler.ts`. */
export async function importFunction(functionId: string): Promise<Record<string, unknown>> {
  const outdir = await bundleFunctions();
  // A file under node_modules: the test runner hands it to Node's own loader as it is (as Lambda's runtime loads it).
  return import(/* @vite-ignore */ pathToFileURL(join(outdir, `${functionId}.mjs`)).href) as Promise<Record<string, unknown>>;
}
