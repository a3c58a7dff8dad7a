import { z } from 'zod';
import { DEFAULT_EXPIRING_WITHIN_DAYS } from './domain/training';
import { auditTable, caseTable } from './store/tables';

/**
 * Runtime configuration, read once from the environment on first use.
 * The same variables are set by the CDK stack in AWS and by `npm start` /
 * the test harness on one machine; only their values differ.
 */
const envSchema = z.object({
  CASE_TABLE_NAME: z.string().min(1),
  AUDIT_TABLE_NAME: z.string().min(1),
  /** Only on one machine: DynamoDB Local's URL. Absent in AWS. */
  DYNAMODB_ENDPOINT: z.string().url().optional(),
  AWS_REGION: z.string().default('eu-west-2'),
  JWT_ISSUER: z.string().url(),
  JWT_AUDIENCE: z.string().min(1),
  JWKS_URL: z.string().url().optional(),
  /** The algorithm the issuer signs with (Cognito: RS256; the development issuer: ES256). */
  JWT_ALGORITHMS: z.string().default('RS256'),
  /** How long audit events are kept, in days (default 7 years). */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().positive().default(2557),
  /** Training is "expiring" within this many days of its expiry date. */
  TRAINING_EXPIRING_WITHIN_DAYS: z.coerce.number().int().min(0).max(365).default(DEFAULT_EXPIRING_WITHIN_DAYS),
});

export interface Config {
  caseTableName: string;
  auditTableName: string;
  dynamoEndpoint: string | undefined;
  region: string;
  jwt: { issuer: string; audience: string; jwksUrl: string; algorithms: string[] };
  auditRetentionDays: number;
  trainingExpiringWithinDays: number;
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
    caseTableName: env[caseTable.envVar],
    auditTableName: env[auditTable.envVar],
    dynamoEndpoint: env.DYNAMODB_ENDPOINT,
    region: env.AWS_REGION,
    jwt: {
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      jwksUrl: env.JWKS_URL ?? `${env.JWT_ISSUER}/.well-known/jwks.json`,
      algorithms: env.JWT_ALGORITHMS.split(',').map((a) => a.trim()).filter(Boolean),
    },
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    trainingExpiringWithinDays: env.TRAINING_EXPIRING_WITHIN_DAYS,
  };
  return cached;
}
