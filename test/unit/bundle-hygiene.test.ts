import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('what the Lambda bundles pull in', () => {
  it('imports zod only as the zod/mini namespace, so esbuild can drop what is unused', () => {
    // `import { z } from 'zod'` made esbuild keep the whole library, every locale included: about 440 KB
    // of each minified bundle. `import * as z from 'zod'` (classic) still kept 93–101 KB of zod in every
    // function, since a classic schema carries all its methods: contacts 575,635 bytes, escalations 610,497,
    // pre-token 97,109. With `import * as z from 'zod/mini'` zod is 18–40 KB: contacts 515,583 bytes,
    // escalations 549,158, pre-token 30,106 (esbuild as infra/api-function.ts bundles, zod 4.6.7).
    // zod/mini loads no locale; shared/zod-messages.ts loads the English one alone (`{ en }` from
    // 'zod/locales', 2.7 KB), never `z.locales`, which would pull in every locale (about 260 KB).
    const allowed = [
      /^import \* as z from 'zod\/mini';$/,
      /^import type \* as z from 'zod\/mini';$/,
      /^import \{ en \} from 'zod\/locales';$/,
    ];
    const offenders = [...sources('shared'), ...sources('functions')].flatMap((file) =>
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .filter((line) => /(from|import|require)\s*\(?\s*['"]zod(\/[^'"]*)?['"]/.test(line) && !allowed.some((ok) => ok.test(line.trim())))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
    expect(
      [...sources('shared'), ...sources('functions')].filter((file) => /\bz\.locales\b/.test(readFileSync(join(root, file), 'utf8'))),
    ).toEqual([]);
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

  it('leaves the contact domain out of functions that never touch a contact, and loads the S3, SNS, Secrets Manager and Cognito clients on first use', { timeout: 120_000 }, async () => {
    // shared/config.ts once took two default numbers from domain/contacts.ts, which built the contact schemas,
    // the taxonomies and the personal-data detector into every function: about 20 KB and 7 ms of each import.
    const bundle = async (fn: string) => {
      const result = await build({
        entryPoints: [join(root, `functions/${fn}/handler.ts`)],
        bundle: true, platform: 'node', format: 'esm', target: 'node20', mainFields: ['module', 'main'],
        write: false, metafile: true, outfile: join(root, `.bundle-hygiene/${fn}.mjs`), logLevel: 'silent',
      });
      return result.metafile;
    };
    const built = new Map<string, Awaited<ReturnType<typeof bundle>>>();
    for (const fn of ['health', 'me', 'teams', 'organisations', 'courses']) {
      built.set(fn, await bundle(fn));
      const inputs = Object.keys(built.get(fn)!.inputs);
      expect(inputs.filter((f) => /shared\/domain\/(contacts|personal-data|person-names|taxonomies)\.ts$/.test(f)), fn).toEqual([]);
    }
    const escalations = await bundle('escalations');
    const notifier = Object.entries(escalations.inputs).find(([f]) => f.endsWith('shared/store/notifier.ts'))?.[1];
    expect(notifier?.imports.filter((i) => i.path.includes('sns-client')).map((i) => i.kind)).toEqual(['dynamic-import']);
    expect(notifier?.imports.some((i) => i.path.includes('@aws-sdk/client-sns') && i.kind !== 'dynamic-import')).toBe(false);
    // The origin check's Secrets Manager client: only where the configuration names a secret (AWS), on first use.
    const health = await bundle('health');
    const originCheck = Object.entries(health.inputs).find(([f]) => f.endsWith('shared/http/origin-verify.ts'))?.[1];
    expect(originCheck?.imports.filter((i) => i.path.includes('secrets-client')).map((i) => i.kind)).toEqual(['dynamic-import']);
    const audit = await bundle('audit');
    const digests = Object.entries(audit.inputs).find(([f]) => f.endsWith('shared/store/digest-store.ts'))?.[1];
    expect(digests?.imports.filter((i) => i.path.includes('s3-client')).map((i) => i.kind)).toEqual(['dynamic-import']);
    // The page-link key's Secrets Manager client and the sign-in directory's Cognito client: evaluated on first use only.
    const teams = built.get('teams')!;
    const seal = Object.entries(teams.inputs).find(([f]) => f.endsWith('shared/store/cursor-seal.ts'))?.[1];
    expect(seal?.imports.filter((i) => i.path.includes('secrets-client')).map((i) => i.kind)).toEqual(['dynamic-import']);
    const champions = await bundle('champions');
    const directory = Object.entries(champions.inputs).find(([f]) => f.endsWith('shared/store/sign-in-directory.ts'))?.[1];
    expect(directory?.imports.filter((i) => i.path.includes('cognito-directory')).map((i) => i.kind)).toEqual(['dynamic-import']);
    // Every signed-in function checks the caller's account in the directory on each request: the Cognito adapter is
    // in each bundle, evaluated only where the configuration names a user pool (AWS), on the first request.
    const teamsDirectory = Object.entries(teams.inputs).find(([f]) => f.endsWith('shared/store/sign-in-directory.ts'))?.[1];
    expect(teamsDirectory?.imports.filter((i) => /cognito-directory|directory-file/.test(i.path)).map((i) => i.kind)).toEqual(['dynamic-import', 'dynamic-import']);
  });
});
