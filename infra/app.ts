import { readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { projectRoot } from './api-function';
import { backupRetentionDays } from './backups';
import { deploymentOptions } from './deployment-options';
import { EdgeStack, wafRateLimit } from './edge';
import { stackNameFor, stageFromContext } from './stage';
import { digestRetentionDays, WaymarkStack } from './waymark-stack';

/** Waymark's data stays in the UK. */
export const REGION = 'eu-west-2';
/** Where AWS requires a CloudFront web ACL to be: the edge stack (rules only, no data) lives there. */
export const EDGE_REGION = 'us-east-1';
/** The prod stack's name; dev's is `Waymark-dev` (infra/stage.ts). */
export const STACK_NAME = 'Waymark';
export const DEFAULT_WEB_ORIGIN = 'http://localhost:3000';

export interface BuildAppOptions {
  /** Extra context (overrides cdk.json's `context`, e.g. `{ webOrigin: 'https://...' }`). */
  readonly context?: Record<string, unknown>;
  /** Where the cloud assembly goes (tests use a temporary directory). */
  readonly outdir?: string;
  /** The account to synthesize for (default: CDK_DEFAULT_ACCOUNT, which the CLI sets from the credentials it finds). */
  readonly account?: string;
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

/** Where ACM certificates for CloudFront must be. */
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[A-Za-z0-9-]+$/;

/**
 * What prod refuses to synthesize without: a real origin (https, not localhost) for the OAuth callback and
 * CORS, and an ACM certificate (us-east-1) for its host, so that CloudFront serves it with TLS 1.2 at least.
 */
export function productionSettings(webOrigin: unknown, certificateArn: unknown): { webOrigin: string; certificateArn: string } {
  const how = 'deploy prod with -c stage=prod -c webOrigin=https://<host> -c webCertificateArn=<ACM certificate in us-east-1 for that host> (docs/DEPLOY.md)';
  if (typeof webOrigin !== 'string' || webOrigin.length === 0) throw new Error(`prod needs the address users reach Waymark at: ${how}`);
  const origin = normaliseWebOrigin(webOrigin);
  const host = new URL(origin).hostname;
  if (origin.startsWith('http:') || host === 'localhost' || host === '127.0.0.1' || host.endsWith('.cloudfront.net')) {
    throw new Error(`prod needs a custom domain of its own, not ${origin}: ${how}`);
  }
  if (typeof certificateArn !== 'string' || !CERTIFICATE_ARN.test(certificateArn)) {
    throw new Error(`prod needs webCertificateArn, an ACM certificate in us-east-1 for ${host} (CloudFront then requires TLS 1.2): ${how}`);
  }
  return { webOrigin: origin, certificateArn };
}

export function buildApp(options: BuildAppOptions = {}): { app: App; stack: WaymarkStack; edge: EdgeStack } {
  const app = new App({
    // CLI context (CDK_CONTEXT_JSON, `-c`) still takes precedence over these.
    context: { ...cdkJsonContext(), ...options.context },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  // `-c stage=dev|prod`; without it, prod (retain on deletion, deletion protection): the safe default.
  const stage = stageFromContext(app.node.tryGetContext('stage'));
  const stackName = stackNameFor(stage);
  const account = options.account ?? process.env.CDK_DEFAULT_ACCOUNT;
  const webOrigin =
    stage.name === 'prod'
      ? productionSettings(app.node.tryGetContext('webOrigin'), app.node.tryGetContext('webCertificateArn')).webOrigin
      : normaliseWebOrigin(app.node.tryGetContext('webOrigin'));
  const edge = new EdgeStack(app, `${stackName}-Edge`, {
    description: `Waymark (${stage.name}): the CloudFront WAF web ACL (us-east-1 by AWS's rule for CloudFront; rules only, no data)`,
    env: { region: EDGE_REGION, account },
    crossRegionReferences: true,
    rateLimit: wafRateLimit(app.node.tryGetContext('wafRateLimit')),
  });
  const stack = new WaymarkStack(app, stackName, {
    description: `Waymark (${stage.name}): case-work API, identity and encrypted tables`,
    env: { region: REGION, account },
    crossRegionReferences: true,
    stage,
    webAclArn: edge.webAcl.attrArn,
    webOrigin,
    auditDigestRetentionDays: digestRetentionDays(app.node.tryGetContext('auditDigestRetentionDays')),
    backupRetentionDays: backupRetentionDays(app.node.tryGetContext('backupRetentionDays')),
    options: deploymentOptions((key) => app.node.tryGetContext(key), account),
  });
  for (const s of [stack, edge]) for (const [key, value] of Object.entries(stage.tags)) Tags.of(s).add(key, value);
  // Acknowledged findings are also written into the template's Metadata (cdk_nag.rules_to_suppress),
  // so every accepted exception and its reason is reviewable in the deployed template.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  Validations.of(app).addPlugins(new NIST80053R5Checks(app, { writeSuppressionsToCloudFormation: true }));
  return { app, stack, edge };
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
