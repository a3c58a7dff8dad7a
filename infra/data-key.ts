import { Annotations, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** The role that alone may schedule the key's deletion, unless `-c breakGlassRoleName=<name>` says otherwise. */
export const DEFAULT_BREAK_GLASS_ROLE_NAME = 'WaymarkBreakGlass';
/** The roles that administer the key (besides the deployment's own), unless `-c keyAdminRoleNames=<a,b>` says otherwise. */
export const DEFAULT_KEY_ADMIN_ROLE_NAMES = ['WaymarkKeyAdmin'] as const;

/** Key management: never encryption or decryption. */
export const KEY_ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
] as const;

/** Using the key: only ever through the AWS services that hold Waymark's data (below). */
export const KEY_USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'] as const;

/** The services through which principals of the account may use the key (kms:ViaService). */
export const KEY_USING_SERVICES = ['dynamodb', 's3', 'sqs', 'sns', 'secretsmanager', 'backup'] as const;

/** Role names from context: a name, a comma-separated list or a JSON array; IAM role names without a path. */
export function roleNames(raw: unknown, fallback: readonly string[]): string[] {
  if (raw === undefined || raw === null || raw === '') return [...fallback];
  const names = Array.isArray(raw) ? raw.map(String) : String(raw).split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of names) if (!/^[\w+=,.@-]{1,64}$/.test(name)) throw new Error(`not an IAM role name (without a path): ${name}`);
  return names;
}

export interface DataKeyPolicyProps {
  /** May schedule the key's deletion (nobody else may, whatever their IAM policies say). */
  readonly breakGlassRoleName: string;
  /** Administer the key (policy, rotation, tags, enable/disable), with the deployment's CloudFormation role and the break-glass role. */
  readonly adminRoleNames: readonly string[];
  /** dev: the deployment may schedule deletion too, so that `cdk destroy` removes the key. */
  readonly deploymentMayDelete: boolean;
}

export interface DataKeyPolicy {
  readonly document: iam.PolicyDocument;
  /** The role ARNs the administration statement names. */
  readonly adminRoleArns: string[];
  readonly breakGlassRoleArn: string;
}

/**
 * The key policy of the stack's customer-managed key, with administration split from use. It names no
 * principal that must exist: it delegates to the account with conditions, so that
 * - administration (never encryption) is for the deployment's CloudFormation execution role (from the
 *   bootstrap qualifier of this synthesis), the named key administrators and the break-glass role;
 * - use (encrypt, decrypt, data keys) is for the account's principals only through DynamoDB, S3, SQS, SNS,
 *   Secrets Manager and AWS Backup (kms:ViaService), each still needing its own IAM grant (one role per function);
 * - scheduling deletion is denied to everyone but the break-glass role (and, in dev, the deployment).
 * Service principals (CloudWatch Logs, CloudWatch alarms) get statements of their own where they are needed.
 */
export function dataKeyPolicy(scope: Construct, props: DataKeyPolicyProps): DataKeyPolicy {
  const stack = Stack.of(scope);
  const roleArn = (name: string) => `arn:${stack.partition}:iam::${stack.account}:role/${name}`;
  const synthesizer = stack.synthesizer;
  const qualifier = synthesizer instanceof DefaultStackSynthesizer ? synthesizer.bootstrapQualifier : undefined;
  const deploymentRole = qualifier ? roleArn(`cdk-${qualifier}-cfn-exec-role-${stack.account}-${stack.region}`) : undefined;
  if (!deploymentRole) {
    Annotations.of(scope).addWarning('The stack does not use the default synthesizer: name the deployment role among keyAdminRoleNames, or it cannot update the key policy.');
  }
  const breakGlassRoleArn = roleArn(props.breakGlassRoleName);
  const adminRoleArns = [...(deploymentRole ? [deploymentRole] : []), ...props.adminRoleNames.map(roleArn), breakGlassRoleArn];
  const mayDelete = [breakGlassRoleArn, ...(props.deploymentMayDelete && deploymentRole ? [deploymentRole] : [])];
  const account = new iam.AccountRootPrincipal();
  const document = new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'KeyAdministrationByNamedRoles',
        principals: [account],
        actions: [...KEY_ADMIN_ACTIONS],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': adminRoleArns } },
      }),
      new iam.PolicyStatement({
        sid: 'KeyUseOnlyThroughWaymarksServices',
        principals: [account],
        actions: [...KEY_USE_ACTIONS],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'kms:CallerAccount': stack.account,
            'kms:ViaService': KEY_USING_SERVICES.map((s) => `${s}.${stack.region}.amazonaws.com`),
          },
        },
      }),
      new iam.PolicyStatement({
        sid: 'GrantsOnlyForAwsResources',
        principals: [account],
        actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
        resources: ['*'],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' }, StringEquals: { 'kms:CallerAccount': stack.account } },
      }),
      // Operators find the key by alias (docs/DEPLOY.md, restores) without being able to use it directly.
      new iam.PolicyStatement({ sid: 'DescribeKeyInAccount', principals: [account], actions: ['kms:DescribeKey'], resources: ['*'] }),
      new iam.PolicyStatement({
        sid: 'BreakGlassMayScheduleDeletion',
        principals: [account],
        actions: ['kms:ScheduleKeyDeletion'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': mayDelete } },
      }),
      new iam.PolicyStatement({
        sid: 'DenyKeyDeletionExceptBreakGlass',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:ScheduleKeyDeletion'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': mayDelete } },
      }),
    ],
  });
  return { document, adminRoleArns, breakGlassRoleArn };
}
