/** The built web app: no gov.uk-only font or crown, no server code, and within the page-weight budget. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, type WebBuild } from '../../web/build';
import { pageWeights } from '../../scripts/web-size';

const root = new URL('../../', import.meta.url).pathname;
const sources = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });

let build: WebBuild;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'waymark-web-build-'));
  build = buildWeb(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('web build', () => {
  it('ships only HTML, JavaScript and CSS: no font or image files', () => {
    expect(build.files.every((f) => /^(index\.html|assets\/[\w-]+\.(js|css))$/.test(f))).toBe(true);
  });

  it('uses GOV.UK Frontend without the GDS Transport font or the crown', () => {
    const css = readFileSync(join(dir, build.scripts.css), 'utf8');
    expect(css).toContain('.govuk-exit-this-page');
    expect(css).not.toMatch(/GDS Transport|@font-face|govuk-crest|\/assets\/(fonts|images)\//);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script>|<style|style=|govuk-logo|govuk-header__logo/);
    expect(html).toContain('govuk-exit-this-page');
  });

  it('bundles no server code (store, SDK, config, handlers)', () => {
    const inputs = Object.keys(build.metafile.inputs);
    expect(inputs.filter((i) => /shared\/(store|http|auth|config)|functions\/|infra\/|@aws-sdk|@middy/.test(i))).toEqual([]);
    expect(inputs.filter((i) => i.startsWith('shared/')).every((i) => i.startsWith('shared/domain/'))).toBe(true);
  });

  it('ships no validator: the web app takes types from the API\'s schemas, labels and messages from plain zod-free modules', () => {
    const inputs = Object.keys(build.metafile.inputs);
    expect(inputs.filter((i) => /node_modules\/zod\//.test(i))).toEqual([]);
    // The personal-data detector (zod-free) runs in the browser as the note is typed, as a lazily loaded chunk.
    const detector = ['personal-data', 'person-name-finder', 'person-names', 'name-list-coding', 'public-names'].map((m) => `shared/domain/${m}.ts`);
    // The languages (issue 21) and a service's description in one of them: plain lists and a pure function.
    // The DASH checklist's questions and scoring (issue 23) and the words for people's accounts (issue 22) too;
    // the contact reference's check symbol (issue 25: the rights page catches a mistyped reference before sending it).
    const plain = ['shared/domain/contact-reference.ts', 'shared/domain/messages.ts', 'shared/domain/taxonomy-labels.ts', 'shared/domain/contact-defaults.ts', 'shared/domain/locales.ts', 'shared/domain/service-descriptions.ts', 'shared/domain/dash-checklist.ts', 'shared/domain/user-labels.ts', ...detector];
    expect(inputs.filter((i) => i.startsWith('shared/') && !plain.includes(i))).toEqual([]);
    // Every other import of shared code is `import type` (erased): the types follow the schemas without their code.
    const valueImports = sources('web/src').flatMap((file) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(/^import (?!type )[^;]*?from '((?:\.\.\/)+shared\/[^']+)'/gms)]
        .map((m) => `${file}: ${m[1]}`)
        .filter((line) => !/shared\/domain\/(taxonomy-labels|messages|contact-defaults|locales|service-descriptions|dash-checklist|user-labels|contact-reference)$/.test(line)),
    );
    expect(valueImports).toEqual([]);
  });

  it('keeps every page well under 100 KB of JavaScript, gzipped', () => {
    const weights = pageWeights(build);
    expect(weights.find((w) => w.route === 'log-contact')).toBeDefined();
    for (const w of weights) expect(w.jsGzip, w.route).toBeLessThan(100 * 1024);
  });

  it('loads each page group lazily: champion pages never fetch the metrics or caseload code', () => {
    const weights = pageWeights(build);
    const chunkOf = (group: string) => Object.entries(build.metafile.outputs).find(([, o]) => o.entryPoint?.endsWith(`web/src/pages/${group}.ts`))?.[0];
    const metrics = chunkOf('metrics');
    const caseload = chunkOf('caseload');
    expect(metrics).toBeDefined();
    expect(caseload).toBeDefined();
    for (const route of ['champion-home', 'log-contact', 'contact-saved', 'my-contacts', 'raise-concern', 'my-concerns']) {
      const files = weights.find((w) => w.route === route)?.files ?? [];
      expect(files, route).not.toContain(metrics);
      expect(files, route).not.toContain(caseload);
    }
    expect(weights.find((w) => w.route === 'metrics')?.files).toContain(metrics);
  });
});
