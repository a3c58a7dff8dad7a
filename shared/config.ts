import * as z from 'zod/mini';
import './zod-messages';
import { DEFAULT_EXPIRING_WITHIN_DAYS } from './domain/training';
import { DEFAULT_CONTACT_RETENTION_DAYS, DEFAULT_LOG_WINDOW_DAYS } from './domain/contact-defaults';
import { DEFAULT_DISCLOSURE, type DisclosureSettings } from './domain/disclosure';
import { DEFAULT_MARAC_CYCLE, type MaracCycle } from './domain/marac-cycle';
import { defaultBankHolidays, defaultServiceLevels, type Priority, type ServiceLevel } from './domain/service-levels';

/**
 * Runtime configuration, read once from the environment on first use.
 * The same variables are set by the CDK stack in AWS and by `npm start` /
 * the test harness on one machine; only their values differ.
 */
const envSchema = z.object({
  CASE_TABLE_NAME: z.string().check(z.minLength(1)),
  AUDIT_TABLE_NAME: z.string().check(z.minLength(1)),
  /** The reporting counters (set for every function; optional so that tools that never touch reports need not set it). */
  AGGREGATES_TABLE_NAME: z.optional(z.string().check(z.minLength(1))),
  /** Only on one machine: DynamoDB Local's URL. Absent in AWS. */
  DYNAMODB_ENDPOINT: z.optional(z.string().check(z.url())),
  AWS_REGION: z._default(z.string(), 'eu-west-2'),
  JWT_ISSUER: z.string().check(z.url()),
  JWT_AUDIENCE: z.string().check(z.minLength(1)),
  JWKS_URL: z.optional(z.string().check(z.url())),
  /** The algorithm the issuer signs with (Cognito: RS256; the development issuer: ES256). */
  JWT_ALGORITHMS: z._default(z.string(), 'RS256'),
  /** How long audit events are kept, in days (default 7 years). */
  AUDIT_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.positive()), 2557),
  /** Where seal digests of the audit trail go: a folder on one machine, an S3 bucket (Object Lock) in AWS. */
  AUDIT_DIGEST_DIR: z.optional(z.string().check(z.minLength(1))),
  AUDIT_DIGEST_BUCKET: z.optional(z.string().check(z.minLength(1))),
  /** An hour of audit events is sealed this long after it is over (late writes still in flight). */
  AUDIT_SEAL_GRACE_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(3600)), 120),
  /** A correction digest may admit an event written at most this long from its own time (default: Lambda's longest run). */
  AUDIT_MAX_LATENESS_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0)), 900),
  /** Training is "expiring" within this many days of its expiry date. */
  TRAINING_EXPIRING_WITHIN_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(365)), DEFAULT_EXPIRING_WITHIN_DAYS),
  /**
   * How long contact logs (with their signposting and references) are kept, in days, before DynamoDB's TTL
   * removes them. Default 6 years (2192 days): the period UK councils commonly keep safeguarding-adjacent
   * case records for (six years, the Limitation Act 1980 period for most claims); the audit trail is kept longer.
   */
  CONTACT_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(3653)), DEFAULT_CONTACT_RETENTION_DAYS),
  /** How far back a champion may date a contact, in days. */
  CONTACT_LOG_WINDOW_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(365)), DEFAULT_LOG_WINDOW_DAYS),
  /** Disclosure control (shared/domain/disclosure.ts): counts from 1 to this are suppressed (HES default 7; never below 1). */
  DISCLOSURE_THRESHOLD: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), DEFAULT_DISCLOSURE.threshold),
  /** Disclosure control: round other published counts to the nearest multiple of this (0 = no rounding; HES option 5). */
  DISCLOSURE_ROUNDING_BASE: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(100)), DEFAULT_DISCLOSURE.roundingBase),
  /** UK bank holidays (YYYY-MM-DD, comma-separated) the triage service levels skip; default England and Wales 2026–2027. */
  BANK_HOLIDAYS: z.optional(z.string().check(z.regex(/^(\d{4}-\d{2}-\d{2})?(,\s*\d{4}-\d{2}-\d{2})*$/))),
  /** Triage service levels: hours for an immediate escalation, working days for high and standard. */
  TRIAGE_IMMEDIATE_HOURS: z.optional(z.coerce.number().check(z.positive(), z.lte(72))),
  TRIAGE_HIGH_WORKING_DAYS: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(30))),
  TRIAGE_STANDARD_WORKING_DAYS: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(30))),
  /** MARAC meets on a cycle: the date of one meeting and the days between meetings (default fortnightly). */
  MARAC_FIRST_MEETING: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))),
  MARAC_CYCLE_DAYS: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(62))),
  /** In AWS: the SNS topic escalation notifications are published to. Absent on one machine: they go to the outbox. */
  NOTIFICATION_TOPIC_ARN: z.optional(z.string().check(z.startsWith('arn:'))),
  /** In AWS: the secret whose value CloudFront adds as the origin header (shared/http/origin-verify.ts); the API requires it. */
  ORIGIN_VERIFY_SECRET_ARN: z.optional(z.string().check(z.startsWith('arn:'))),
  /** On one machine: the value the local gateway adds as the origin header, as CloudFront does in AWS. */
  ORIGIN_VERIFY_SECRET: z.optional(z.string().check(z.minLength(32))),
  /** The key page links are sealed with (shared/store/cursor-seal.ts): a Secrets Manager secret in AWS, a file under the data folder on one machine. */
  CURSOR_KEY_SECRET_ARN: z.optional(z.string().check(z.startsWith('arn:'))),
  CURSOR_KEY_FILE: z.optional(z.string().check(z.minLength(1))),
  /** The sign-in directory (shared/store/sign-in-directory.ts): the Cognito user pool in AWS, the development identity provider's accounts file on one machine. */
  USER_POOL_ID: z.optional(z.string().check(z.regex(/^[\w-]+_[0-9a-zA-Z]+$/))),
  /** Where Cognito answers, when not its regional endpoint: an emulator (cognito-local) in the adapter's tests only. */
  COGNITO_ENDPOINT: z.optional(z.string().check(z.url())),
  SIGN_IN_DIRECTORY_FILE: z.optional(z.string().check(z.minLength(1))),
  /**
   * How long a warm instance may answer from its memory of a caller's account (status, role, team) before asking the
   * directory again, in seconds: at most 60, so that a suspension, a move or a role change reaches every instance
   * within a minute (the schema refuses more; shared/auth/account-check.ts compares the entry's age on every use).
   */
  ACCOUNT_CHECK_SECONDS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(60)), 60),
});

export interface Config {
  caseTableName: string;
  auditTableName: string;
  aggregatesTableName: string | undefined;
  dynamoEndpoint: string | undefined;
  region: string;
  jwt: { issuer: string; audience: string; jwksUrl: string; algorithms: string[] };
  auditRetentionDays: number;
  auditDigests: { dir: string | undefined; bucket: string | undefined };
  auditSealGraceSeconds: number;
  auditMaxLatenessSeconds: number;
  trainingExpiringWithinDays: number;
  contactRetentionDays: number;
  contactLogWindowDays: number;
  disclosure: DisclosureSettings;
  bankHolidays: string[];
  triageServiceLevels: Record<Priority, ServiceLevel>;
  notificationTopicArn: string | undefined;
  /** Requests must carry the origin header: its value given, or read from the secret. Absent: no check. */
  originVerify: { secretArn: string; value?: undefined } | { value: string; secretArn?: undefined } | undefined;
  cursorKey: { secretArn: string | undefined; file: string | undefined };
  signInDirectory: { userPoolId: string | undefined; file: string | undefined };
  cognitoEndpoint: string | undefined;
  maracCycle: MaracCycle;
  accountCheckSeconds: number;
}

let cached: Config | undefined;

export function getConfig(): Config {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`Waymark configuration is incomplete or invalid: ${names}`);
  }
  const env = parsed.data;
  cached = {
    caseTableName: env.CASE_TABLE_NAME,
    auditTableName: env.AUDIT_TABLE_NAME,
    aggregatesTableName: env.AGGREGATES_TABLE_NAME,
    dynamoEndpoint: env.DYNAMODB_ENDPOINT,
    region: env.AWS_REGION,
    jwt: {
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      jwksUrl: env.JWKS_URL ?? `${env.JWT_ISSUER}/.well-known/jwks.json`,
      algorithms: env.JWT_ALGORITHMS.split(',').map((a) => a.trim()).filter(Boolean),
    },
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    auditDigests: { dir: env.AUDIT_DIGEST_DIR, bucket: env.AUDIT_DIGEST_BUCKET },
    auditSealGraceSeconds: env.AUDIT_SEAL_GRACE_SECONDS,
    auditMaxLatenessSeconds: env.AUDIT_MAX_LATENESS_SECONDS,
    trainingExpiringWithinDays: env.TRAINING_EXPIRING_WITHIN_DAYS,
    contactRetentionDays: env.CONTACT_RETENTION_DAYS,
    contactLogWindowDays: env.CONTACT_LOG_WINDOW_DAYS,
    disclosure: { threshold: env.DISCLOSURE_THRESHOLD, roundingBase: env.DISCLOSURE_ROUNDING_BASE },
    bankHolidays:
      env.BANK_HOLIDAYS === undefined ? [...defaultBankHolidays] : env.BANK_HOLIDAYS.split(',').map((d) => d.trim()).filter(Boolean),
    triageServiceLevels: {
      immediate: env.TRIAGE_IMMEDIATE_HOURS !== undefined ? { hours: env.TRIAGE_IMMEDIATE_HOURS } : defaultServiceLevels.immediate,
      high: env.TRIAGE_HIGH_WORKING_DAYS !== undefined ? { workingDays: env.TRIAGE_HIGH_WORKING_DAYS } : defaultServiceLevels.high,
      standard: env.TRIAGE_STANDARD_WORKING_DAYS !== undefined ? { workingDays: env.TRIAGE_STANDARD_WORKING_DAYS } : defaultServiceLevels.standard,
    },
    notificationTopicArn: env.NOTIFICATION_TOPIC_ARN,
    originVerify: env.ORIGIN_VERIFY_SECRET
      ? { value: env.ORIGIN_VERIFY_SECRET }
      : env.ORIGIN_VERIFY_SECRET_ARN
        ? { secretArn: env.ORIGIN_VERIFY_SECRET_ARN }
        : undefined,
    cursorKey: { secretArn: env.CURSOR_KEY_SECRET_ARN, file: env.CURSOR_KEY_FILE },
    signInDirectory: { userPoolId: env.USER_POOL_ID, file: env.SIGN_IN_DIRECTORY_FILE },
    cognitoEndpoint: env.COGNITO_ENDPOINT,
    maracCycle: {
      firstMeeting: env.MARAC_FIRST_MEETING ?? DEFAULT_MARAC_CYCLE.firstMeeting,
      cycleDays: env.MARAC_CYCLE_DAYS ?? DEFAULT_MARAC_CYCLE.cycleDays,
    },
    accountCheckSeconds: env.ACCOUNT_CHECK_SECONDS,
  };
  return cached;
}
