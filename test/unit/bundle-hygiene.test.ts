import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('what the Lambda bundles pull in', () => {
  it('imports zod as a namespace, so esbuild can drop what is unused', () => {
    // `import { z } from 'zod'` makes esbuild keep the whole library, every locale included:
    // about 440 KB of each minified bundle, against about 70 KB with `import * as z from 'zod'`.
    const offenders = [...sources('shared'), ...sources('functions')].filter((file) =>
      /import\s*\{\s*z\s*\}\s*from\s*['"]zod['"]/.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});

describe('what the functions load on a cold start', () => {
  it('never use the global fetch, Headers, Request or Response: their first use loads undici, about 30 ms of a cold start', () => {
    // The AWS SDK talks over node:http, which is loaded anyway; see shared/auth/key-set.ts and BENCHMARKS.md.
    const offenders = [...sources('shared'), ...sources('functions')].filter((file) =>
      /(?<![.\w])(fetch\(|new (Headers|Request|Response)\()/.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
