import { RemovalPolicy } from 'aws-cdk-lib';

/**
 * The deployment stage, chosen with `-c stage=dev|prod`.
 *
 * `prod` must be asked for, with what a real deployment needs (infra/app.ts,
 * `productionSettings`): the origin users reach it at and a certificate for that
 * host, so a production stack can never be synthesized, let alone deployed, with a
 * `localhost` OAuth callback or CloudFront's TLS 1.0 default. Without context the
 * app is `dev`, so that `npx cdk synth` works on a fresh checkout. prod retains
 * tables, key, buckets, log groups, backup vault and user pool when the stack is
 * deleted, with deletion protection on; dev destroys everything with the stack.
 */
export type StageName = 'dev' | 'prod';

export interface Stage {
  readonly name: StageName;
  /** RETAIN in prod, DESTROY in dev. */
  readonly removalPolicy: RemovalPolicy;
  /** Table and user pool deletion protection (prod only). */
  readonly deletionProtection: boolean;
  /** Tags every resource carries (CDK propagates stack tags). */
  readonly tags: Readonly<Record<string, string>>;
}

export const DEFAULT_STAGE: StageName = 'dev';

/** The stage asked for in context, checked; `dev` when none is given. */
export function stageFromContext(raw: unknown): Stage {
  const value = raw === undefined || raw === null || raw === '' ? DEFAULT_STAGE : String(raw);
  if (value !== 'dev' && value !== 'prod') throw new Error(`stage must be dev or prod: ${value}`);
  const prod = value === 'prod';
  return {
    name: value,
    removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    deletionProtection: prod,
    tags: { Application: 'Waymark', Stage: value, DataClassification: 'OFFICIAL-SENSITIVE' },
  };
}

/** The main stack's name: `Waymark` in prod (the name existing deployments have), `Waymark-dev` in dev. */
export const stackNameFor = (stage: Stage): string => (stage.name === 'prod' ? 'Waymark' : 'Waymark-dev');
