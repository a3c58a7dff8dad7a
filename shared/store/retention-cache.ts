import { getConfig } from '../config';

/**
 * The audit retention this process last read from the setting (shared/store/retention-store.ts), for the
 * audit events it writes: an event's expiry is computed where it is built, synchronously, inside every audited
 * write. A process that has not read the setting in the last five minutes uses the deployment's
 * AUDIT_RETENTION_DAYS (docs/DATA-PROTECTION.md says so, and why the two should agree).
 */
const FRESH_MS = 5 * 60_000;
let known: { auditDays: number; at: number } | undefined;

export function rememberAuditRetention(auditDays: number, now = Date.now()): void {
  known = { auditDays, at: now };
}

export function auditRetentionDays(now = Date.now()): number {
  return known && now - known.at < FRESH_MS ? known.auditDays : getConfig().auditRetentionDays;
}
