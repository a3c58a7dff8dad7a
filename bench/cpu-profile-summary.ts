/**
 * A V8 CPU profile in a few numbers, for a process that runs many things at once (the gateway process of item 3):
 * the milliseconds it was idle (waiting: DynamoDB Local, the stream poller's interval), in the garbage collector and
 * in V8 outside JavaScript (the in-process inspector's own frame left out), and the functions with the most self time (name, and the file it is in: a handler's
 * bundle, a package, node's own).
 */
import type { CpuProfile } from './cold-profile';

export interface ProfileSummary {
  ms: number;
  idleMs: number;
  gcMs: number;
  programMs: number;
  top: { fn: string; ms: number }[];
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export function summariseProfile(profile: CpuProfile, topN = 8): ProfileSummary {
  const nameOf = new Map<number, string>();
  for (const n of profile.nodes) {
    const { functionName, url, lineNumber } = n.callFrame;
    const file = url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
    nameOf.set(n.id, url === '' ? functionName || '(native)' : `${functionName || '(anonymous)'} (${file}:${lineNumber + 1})`);
  }
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const name = nameOf.get(id) ?? '(unknown)';
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const take = (name: string) => round(self.get(name) ?? 0);
  // `dispatch` (native): the in-process inspector session's own frame, which the profiler charges while it waits.
  const special = new Set(['(idle)', '(garbage collector)', '(program)', '(root)', 'dispatch']);
  return {
    ms: round((profile.endTime - profile.startTime) / 1000),
    idleMs: take('(idle)'),
    gcMs: take('(garbage collector)'),
    programMs: take('(program)'),
    top: [...self].filter(([name]) => !special.has(name)).sort((a, b) => b[1] - a[1]).slice(0, topN).map(([fn, ms]) => ({ fn, ms: round(ms) })),
  };
}
