import { DEFAULT_BREAK_GLASS_ROLE_NAME, DEFAULT_KEY_ADMIN_ROLE_NAMES, roleNames } from './data-key';

/** What a council sets per deployment (context, `-c name=value` or cdk.json), checked; docs/DEPLOY.md lists each. */
export interface DeploymentOptions {
  /** Reserve concurrency for the sealer (one at a time). Needs an account concurrency quota above 100 (new accounts may have 10). */
  readonly reserveConcurrency: boolean;
  /** Cognito e-mail through SES (eu-west-2) from this verified address; absent: Cognito's default sender (low daily quota). */
  readonly sesFromAddress?: string;
  /** Who alone may schedule deletion of the data key. */
  readonly breakGlassRoleName: string;
  /** Who administers the data key, besides the deployment and the break-glass role. */
  readonly keyAdminRoleNames: readonly string[];
  /** prod: copy each daily recovery point to this vault in another account, in eu-west-2. */
  readonly backupCopyVaultArn?: string;
  /** prod: vault lock mode; compliance cannot be undone once its 3-day grace period is over. */
  readonly backupVaultLock: 'governance' | 'compliance';
  /** After rotating the origin secret: its new version, so that the deployment updates CloudFront's origin header. */
  readonly originSecretVersionId?: string;
}

type Context = (key: string) => unknown;

const flag = (raw: unknown, fallback: boolean, name: string): boolean => {
  if (raw === undefined || raw === null || raw === '') return fallback;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new Error(`${name} must be true or false: ${String(raw)}`);
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A backup vault in eu-west-2 (the data stays in the UK), in any account. */
const UK_VAULT_ARN = /^arn:aws:backup:eu-west-2:(\d{12}):backup-vault:[A-Za-z0-9_.-]{2,50}$/;

export function deploymentOptions(context: Context, account: string | undefined): DeploymentOptions {
  const ses = context('sesFromAddress');
  if (ses !== undefined && ses !== '' && (typeof ses !== 'string' || !EMAIL.test(ses))) throw new Error(`sesFromAddress must be an e-mail address verified in SES (eu-west-2): ${String(ses)}`);
  const copy = context('backupCopyVaultArn');
  if (copy !== undefined && copy !== '') {
    const match = typeof copy === 'string' ? UK_VAULT_ARN.exec(copy) : null;
    if (!match) throw new Error(`backupCopyVaultArn must be a backup vault in eu-west-2 (arn:aws:backup:eu-west-2:<account>:backup-vault:<name>): ${String(copy)}`);
    if (account && match[1] === account) throw new Error('backupCopyVaultArn must be in another account: a copy in the same account falls with it');
  }
  const lock = context('backupVaultLock') ?? 'governance';
  if (lock !== 'governance' && lock !== 'compliance') throw new Error(`backupVaultLock must be governance or compliance: ${String(lock)}`);
  const breakGlass = roleNames(context('breakGlassRoleName'), [DEFAULT_BREAK_GLASS_ROLE_NAME]);
  if (breakGlass.length !== 1) throw new Error('breakGlassRoleName names one role');
  const version = context('originSecretVersionId');
  if (version !== undefined && version !== '' && (typeof version !== 'string' || !/^[A-Za-z0-9-]{32,64}$/.test(version))) {
    throw new Error(`originSecretVersionId must be a Secrets Manager version id (put-secret-value prints it): ${String(version)}`);
  }
  return {
    ...(typeof version === 'string' && version !== '' ? { originSecretVersionId: version } : {}),
    reserveConcurrency: flag(context('reserveConcurrency'), true, 'reserveConcurrency'),
    ...(typeof ses === 'string' && ses !== '' ? { sesFromAddress: ses } : {}),
    breakGlassRoleName: breakGlass[0]!,
    keyAdminRoleNames: roleNames(context('keyAdminRoleNames'), DEFAULT_KEY_ADMIN_ROLE_NAMES),
    ...(typeof copy === 'string' && copy !== '' ? { backupCopyVaultArn: copy } : {}),
    backupVaultLock: lock,
  };
}
