/**
 * Generates the docs that derive from code:
 *   docs/openapi.json — from the route table and the handlers' zod schemas;
 *   docs/ROLES.md     — from the policy module;
 *   docs/METRICS.md   — from the metric definitions (shared/domain/metrics.ts);
 *   docs/DATA-PROTECTION.md — prose with the roles, retention and stores tables from the code.
 * `npm run docs` writes them; `npm run docs -- --check` exits 1 if either is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildOpenApi, serialise } from './openapi';
import { buildRolesDoc } from './roles-doc';
import { buildMetricsDoc } from './metrics-doc';
import { buildDataProtectionDoc } from './data-protection-doc';

const root = new URL('..', import.meta.url).pathname;

export async function generatedDocs(): Promise<Record<string, string>> {
  return {
    [join(root, 'docs', 'openapi.json')]: serialise(await buildOpenApi()),
    [join(root, 'docs', 'ROLES.md')]: buildRolesDoc(),
    [join(root, 'docs', 'METRICS.md')]: buildMetricsDoc(),
    [join(root, 'docs', 'DATA-PROTECTION.md')]: buildDataProtectionDoc(),
  };
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  const check = process.argv.includes('--check');
  let stale = false;
  for (const [path, text] of Object.entries(await generatedDocs())) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (check) {
      if (current !== text) {
        console.error(`${path} is out of date: run npm run docs`);
        stale = true;
      }
    } else if (current !== text) {
      writeFileSync(path, text);
      console.log(`wrote ${path}`);
    }
  }
  process.exit(stale ? 1 : 0);
}
