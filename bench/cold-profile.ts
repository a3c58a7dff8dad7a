/**
 * Where a cold start's time goes, from the V8 CPU profiles `npm run bench -- --only=cold --cpu-prof=<dir>` writes
 * (one folder per function: its profiles, and the bundle's source map beside them). Each sample's time is charged to
 * the frame it was taken in, mapped back through the source map to the package or Waymark folder it came from, or to
 * V8 itself: `(program)` (parsing, compiling, the runtime), `(garbage collector)`, `(idle)` (waiting: DynamoDB Local,
 * the JWKS). The floor's profiles are the baseline, so a function's extra time is shown part by part.
 * `npx tsx bench/cold-profile.ts <dir>` prints every function; bench/run.ts uses `profileParts` for item 1.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The part a source file belongs to: its npm package, or its Waymark folder (shared/domain, functions/…). */
export function partOfSource(source: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (pkg) return pkg[1] as string;
  const own = /(?:^|\/)(shared\/[^/]+|functions\/[^/]+|bench)\//.exec(source);
  return own ? (own[1] as string) : 'waymark (other)';
}

/** Milliseconds of one profile by part. */
function partsOfProfile(profile: CpuProfile, map: SourceMap | undefined): Map<string, number> {
  const partOfNode = new Map<number, string>();
  for (const n of profile.nodes) {
    const { url, functionName, lineNumber, columnNumber } = n.callFrame;
    let part: string;
    if (url === '') part = functionName.startsWith('(') ? functionName : '(native)';
    else if (url.startsWith('node:internal/source_map')) part = 'node: source maps';
    else if (url.startsWith('node:')) part = `node: ${url.replace(/^node:(internal\/)?/, '').split('/').slice(0, 2).join('/')}`;
    else if (url.endsWith('index.mjs') && lineNumber === 0 && columnNumber === 0) part = 'bundle top level';
    else if (url.endsWith('index.mjs') && map) {
      const entry = map.findEntry(lineNumber, columnNumber) as { originalSource?: string };
      part = entry.originalSource ? partOfSource(entry.originalSource) : 'bundle (unmapped)';
    } else part = url.endsWith('cold-driver.mjs') ? 'benchmark driver' : 'other';
    partOfNode.set(n.id, part);
  }
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const part = partOfNode.get(id) ?? 'other';
    out.set(part, (out.get(part) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return out;
}

const LABELS: Record<string, string> = {
  'node: modules/esm': 'loading the bundle (node:internal/modules/esm: reading, compiling, linking)',
  'node: source maps': 'source maps (NODE_OPTIONS=--enable-source-maps: the map read at load, parsed whole at the first stack trace)',
  zod: 'zod (schemas built at import, then parsing)',
  '(garbage collector)': 'garbage collection',
  '(program)': 'V8 outside JavaScript (parsing, compiling)',
  '(idle)': 'waiting (DynamoDB Local, the JWKS)',
  '(native)': 'native code',
  'bundle top level': 'the bundle\'s top-level code',
  'bundle (unmapped)': 'bundle code without a source mapping (esbuild\'s module wrappers)',
  '@smithy/core': '@smithy/core (AWS SDK: each operation\'s first use)',
};

/** A part's name as BENCHMARKS.md says it. */
export const partLabel = (part: string): string => LABELS[part] ?? part;

/** A function's profiles summarised: the median milliseconds of each part across its cold starts. */
export function profileParts(dir: string): Map<string, number> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  let map: SourceMap | undefined;
  try {
    map = new SourceMap(JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8')));
  } catch {
    map = undefined; // the floor's bundle is profiled like the rest; without a map its frames stay unmapped
  }
  const runs = files.map((f) => partsOfProfile(JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile, map));
  const parts = new Set(runs.flatMap((r) => [...r.keys()]));
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length === 0 ? 0 : s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
  };
  return new Map([...parts].map((p) => [p, Math.round(median(runs.map((r) => r.get(p) ?? 0)) * 10) / 10] as const).sort((a, b) => b[1] - a[1]));
}

/** A function's parts against the floor's: the largest differences first (positive: more than the floor spends). */
export function partsOverFloor(fn: Map<string, number>, floor: Map<string, number>, top = 6): Array<{ part: string; ms: number; overFloorMs: number }> {
  const parts = new Set([...fn.keys(), ...floor.keys()]);
  return [...parts]
    .map((part) => ({ part, ms: fn.get(part) ?? 0, overFloorMs: Math.round(((fn.get(part) ?? 0) - (floor.get(part) ?? 0)) * 10) / 10 }))
    .sort((a, b) => b.overFloorMs - a.overFloorMs)
    .slice(0, top);
}

if (process.argv[1]?.endsWith('cold-profile.ts')) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: npx tsx bench/cold-profile.ts <dir written by --cpu-prof>');
  const floor = profileParts(join(dir, 'floor'));
  console.log(`floor: ${[...floor].slice(0, 8).map(([p, ms]) => `${p} ${ms}`).join(', ')}`);
  for (const fn of readdirSync(dir).filter((d) => d !== 'floor').sort()) {
    console.log(`${fn}: ${partsOverFloor(profileParts(join(dir, fn)), floor).map((p) => `${p.part} ${p.overFloorMs >= 0 ? '+' : ''}${p.overFloorMs}`).join(', ')}`);
  }
}
