/**
 * The configurable contact rules' defaults, in a module of their own: shared/config.ts reads them, and every
 * function reads its configuration, so importing them from contacts.ts built the contact schemas, the
 * taxonomies and the personal-data detector into functions that never touch a contact (BENCHMARKS.md, item 1).
 */

/** Default for how far back a champion may date a contact (configurable: CONTACT_LOG_WINDOW_DAYS). */
export const DEFAULT_LOG_WINDOW_DAYS = 30;
/**
 * Default retention of contact logs, in days (configurable: CONTACT_RETENTION_DAYS): six years, the period UK
 * councils commonly keep safeguarding-adjacent case records for (the Limitation Act 1980's six years for most
 * claims). The audit trail (seven years) outlives the records it describes.
 */
export const DEFAULT_CONTACT_RETENTION_DAYS = 2192;

/** A champion may correct their contact for this long after logging it. */
export const CORRECTION_WINDOW_HOURS = 24;
