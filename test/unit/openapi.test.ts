import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedDocs } from '../../scripts/docs';
import { buildOpenApi } from '../../scripts/openapi';
import { routes } from '../../shared/api/routes';
import { actions } from '../../shared/domain/policy';

describe('generated docs', () => {
  it('docs/openapi.json and docs/ROLES.md are what the code generates (run npm run docs if not)', async () => {
    for (const [path, text] of Object.entries(await generatedDocs())) {
      expect(readFileSync(path, 'utf8'), path).toBe(text);
    }
  });

  it('the API document has every route, with body schemas that refuse unknown fields', async () => {
    const doc = (await buildOpenApi()) as { paths: Record<string, Record<string, any>> };
    for (const route of routes) expect(doc.paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
    const body = doc.paths['/teams']?.['post']?.requestBody.content['application/json'].schema;
    expect(body.additionalProperties).toBe(false);
    expect(body.required).toContain('name');
  });

  it('the roles page lists every policy action', async () => {
    const rolesDoc = Object.entries(await generatedDocs()).find(([p]) => p.endsWith('ROLES.md'))?.[1] ?? '';
    for (const action of actions) expect(rolesDoc).toContain(`\`${action}\``);
  });
});
