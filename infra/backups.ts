import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Daily backups are kept this many days unless `-c backupRetentionDays=<days>` says otherwise. */
export const DEFAULT_BACKUP_RETENTION_DAYS = 35;

/** The backup retention asked for in context, checked. */
export function backupRetentionDays(raw: unknown): number {
  if (raw === undefined || raw === null || raw === '') return DEFAULT_BACKUP_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 7 || days > 36_500) throw new Error(`backupRetentionDays must be a whole number of days from 7 to 36500: ${String(raw)}`);
  return days;
}

/** The shortest retention the vault lock enforces on every recovery point in the vault. */
export const VAULT_LOCK_MIN_RETENTION_DAYS = 7;
/** Compliance mode: the days in which the lock can still be removed; after them nobody can (AWS Backup's grace period). */
export const VAULT_LOCK_COMPLIANCE_GRACE_DAYS = 3;

export interface BackupsProps {
  readonly key: kms.IKey;
  readonly tables: readonly dynamodb.Table[];
  readonly retentionDays: number;
  readonly removalPolicy: RemovalPolicy;
  /** Vault lock mode (governance: removable by a privileged principal; compliance: by nobody after the grace period). */
  readonly lock: 'governance' | 'compliance';
  /** A vault in another account in eu-west-2 that receives a copy of each recovery point. */
  readonly copyVaultArn?: string;
}

/**
 * AWS Backup for the tables, on top of their point-in-time recovery (35 days,
 * to the second): a daily backup at 02:00 UTC into a vault in eu-west-2
 * encrypted with the stack's key, kept `retentionDays`, under a vault lock (no
 * recovery point deleted before 7 days, by anyone). Optionally a copy of each
 * into a vault of another account, in eu-west-2 too (`backupCopyVaultArn`):
 * the data stays in the UK, and a compromise of this account cannot reach it.
 */
export class Backups extends Construct {
  readonly vault: backup.BackupVault;
  readonly plan: backup.BackupPlan;
  /** The role AWS Backup uses for this plan's backups and restores (pass it to start-restore-job). */
  readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: BackupsProps) {
    super(scope, id);
    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: props.key,
      removalPolicy: props.removalPolicy,
      lockConfiguration: {
        minRetention: Duration.days(Math.min(VAULT_LOCK_MIN_RETENTION_DAYS, props.retentionDays)),
        ...(props.lock === 'compliance' ? { changeableFor: Duration.days(VAULT_LOCK_COMPLIANCE_GRACE_DAYS) } : {}),
      },
    });
    const copyVault = props.copyVaultArn ? backup.BackupVault.fromBackupVaultArn(this, 'CopyVault', props.copyVaultArn) : undefined;
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: `${Stack.of(this).stackName}-daily`,
      backupVault: this.vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: events.Schedule.cron({ minute: '0', hour: '2' }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(4),
          deleteAfter: Duration.days(props.retentionDays),
          ...(copyVault ? { copyActions: [{ destinationBackupVault: copyVault, deleteAfter: Duration.days(props.retentionDays) }] } : {}),
        }),
      ],
    });
    const selection = this.plan.addSelection('Tables', {
      resources: props.tables.map((t) => backup.BackupResource.fromDynamoDbTable(t)),
      allowRestores: true,
    });
    this.role = selection.grantPrincipal as iam.IRole;
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason: 'The role AWS Backup assumes to back up the tables: AWS\'s own service-role policy for AWS Backup, kept up to date by AWS as the service changes; the plan\'s selection limits it to this stack\'s tables.',
    });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]',
      reason: 'The role AWS Backup assumes to restore a table from a recovery point (docs/DEPLOY.md, restore): AWS\'s own service-role policy for restores, kept up to date by AWS.',
    });
  }
}
