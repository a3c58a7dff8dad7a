import { RemovalPolicy } from 'aws-cdk-lib';

/**
 * The deployment stage, chosen with `-c stage=dev|prod`.
 *
 * The default is `prod`: a council running `npx cdk deploy` without context
 * gets the safe behaviour (tables, key, buckets, log groups, backup vault and
 * user pool retained when the stack is deleted; deletion protection on).
 * `dev` is an explicit choice: everything is destroyed with the stack.
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

export const DEFAULT_STAGE: StageName = 'prod';

/** The stage asked for in context, checked; `prod` when none is given. */
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
