import { readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { projectRoot } from './api-function';
import { digestRetentionDays, WaymarkStack } from './waymark-stack';

/** Waymark's data stays in the UK. */
export const REGION = 'eu-west-2';
export const STACK_NAME = 'Waymark';
export const DEFAULT_WEB_ORIGIN = 'http://localhost:3000';

export interface BuildAppOptions {
  /** Extra context (overrides cdk.json's `context`, e.g. `{ webOrigin: 'https://...' }`). */
  readonly context?: Record<string, unknown>;
  /** Where the cloud assembly goes (tests use a temporary directory). */
  readonly outdir?: string;
}

/** cdk.json's context (feature flags, webOrigin), so tests build the very app the CLI builds. */
function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(projectRoot, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/** `scheme://host[:port]` without a trailing slash; https, or http only for localhost. */
export function normaliseWebOrigin(raw: unknown): string {
  const value = typeof raw === 'string' && raw.length > 0 ? raw : DEFAULT_WEB_ORIGIN;
  const url = new URL(value);
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) {
    throw new Error(`webOrigin must be https (or http://localhost): ${value}`);
  }
  if (url.pathname !== '/' || url.search || url.hash) throw new Error(`webOrigin must be an origin, without a path: ${value}`);
  return url.origin;
}

export function buildApp(options: BuildAppOptions = {}): { app: App; stack: WaymarkStack } {
  const app = new App({
    // CLI context (CDK_CONTEXT_JSON, `-c`) still takes precedence over these.
    context: { ...cdkJsonContext(), ...options.context },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const stack = new WaymarkStack(app, STACK_NAME, {
    description: 'Waymark: case-work API, identity and encrypted tables',
    env: { region: REGION, account: process.env.CDK_DEFAULT_ACCOUNT },
    webOrigin: normaliseWebOrigin(app.node.tryGetContext('webOrigin')),
    auditDigestRetentionDays: digestRetentionDays(app.node.tryGetContext('auditDigestRetentionDays')),
  });
  // Acknowledged findings are also written into the template's Metadata (cdk_nag.rules_to_suppress),
  // so every accepted exception and its reason is reviewable in the deployed template.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  return { app, stack };
}

const isMain = (() => {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();

if (isMain) {
  buildApp().app.synth();
}
