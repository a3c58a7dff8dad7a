import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { functionDefinitions, functionEntry } from '../../shared/api/routes';
import { scheduledFunctions } from '../../shared/api/scheduled-functions';
import { streamConsumers } from '../../shared/api/stream-consumers';

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

  it('leaves the contact domain out of functions that never touch a contact, and loads the S3 and SNS clients on first use', { timeout: 120_000 }, async () => {
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
    const audit = await bundle('audit');
    const digests = Object.entries(audit.inputs).find(([f]) => f.endsWith('shared/store/digest-store.ts'))?.[1];
    expect(digests?.imports.filter((i) => i.path.includes('s3-client')).map((i) => i.kind)).toEqual(['dynamic-import']);
  });
});

describe('which functions carry the Cognito and Secrets Manager clients', () => {
  it('only the users function bundles the Cognito SDK client; none bundles Secrets Manager\'s', { timeout: 300_000 }, async () => {
    // Every API function reads the caller's account (the account check on each request) and, in AWS, two secrets (the
    // origin header's value, the page-link key). Through the SDK clients that was 104 KB (Cognito) and 25 KB (Secrets
    // Manager) of every bundle, `import()` or not: a Lambda bundle is one file. Those reads now go over the small signed
    // path (shared/store/aws-json.ts); only the users function, which writes accounts, carries the Cognito client
    // (shared/store/identity-directory.ts). Contacts went from 730 KB to 599 KB (esbuild as infra/api-function.ts bundles).
    const carriers: Record<string, string[]> = {};
    for (const fn of [...functionDefinitions.map((f) => f.id), ...streamConsumers.map((c) => c.id), ...scheduledFunctions.map((f) => f.id), 'pre-token']) {
      const result = await build({
        entryPoints: [join(root, functionEntry(fn))],
        bundle: true, platform: 'node', format: 'esm', target: 'node20', mainFields: ['module', 'main'],
        write: false, metafile: true, outfile: join(root, `.bundle-hygiene/${fn}.mjs`), logLevel: 'silent',
      });
      const inputs = Object.keys(result.metafile.inputs);
      for (const client of ['@aws-sdk/client-cognito-identity-provider', '@aws-sdk/client-secrets-manager']) {
        if (inputs.some((f) => f.includes(`node_modules/${client}/`))) (carriers[client] ??= []).push(fn);
      }
    }
    expect(carriers).toEqual({ '@aws-sdk/client-cognito-identity-provider': ['users'] });
  });
});
