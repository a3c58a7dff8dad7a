/**
 * The one definition of Waymark's DynamoDB tables.
 *
 * The CDK stack (infra/) and the local emulation (infra/local/) both build their
 * tables from this file, so names, keys, indexes, the TTL attribute and the
 * stream view type cannot drift apart between AWS and one machine.
 * Pure data: no AWS SDK, no CDK.
 */

export type AttributeType = 'S' | 'N';
export type StreamViewType = 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** Which access pattern the index serves (documented in docs/DATA-MODEL.md). */
  readonly servesAccessPattern: string;
}

export interface TableDefinition {
  /** Logical id: the construct id in CDK and the suffix of the table name. */
  readonly id: 'Case' | 'Audit' | 'Aggregates';
  /** Environment variable through which every function learns the table's name. */
  readonly envVar: 'CASE_TABLE_NAME' | 'AUDIT_TABLE_NAME' | 'AGGREGATES_TABLE_NAME';
  /** Table name on one machine (in AWS, CloudFormation names the table). */
  readonly localName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
  readonly timeToLiveAttribute: string;
  /** The stream view type; absent for a table without a stream. */
  readonly stream?: StreamViewType;
  readonly purpose: string;
}

const pk: KeyAttribute = { name: 'pk', type: 'S' };
const sk: KeyAttribute = { name: 'sk', type: 'S' };

/** Case-level records: teams, champions, training, contacts, escalations. */
export const caseTable: TableDefinition = {
  id: 'Case',
  envVar: 'CASE_TABLE_NAME',
  localName: 'waymark-case',
  partitionKey: pk,
  sortKey: sk,
  globalSecondaryIndexes: [
    {
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
      servesAccessPattern: 'collections listed in order (all teams by name; a team\'s records by time)',
    },
    {
      indexName: 'gsi2',
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
      servesAccessPattern: 'a second ordering of a collection (a principal\'s own records by time)',
    },
  ],
  timeToLiveAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
  purpose: 'Case-level records; its stream feeds the reporting aggregator.',
};

/** Append-only audit events, one item per event. */
export const auditTable: TableDefinition = {
  id: 'Audit',
  envVar: 'AUDIT_TABLE_NAME',
  localName: 'waymark-audit',
  partitionKey: pk,
  sortKey: sk,
  globalSecondaryIndexes: [
    {
      indexName: 'byActor',
      partitionKey: { name: 'actorKey', type: 'S' },
      sortKey: { name: 'at', type: 'S' },
      servesAccessPattern: 'audit events by actor, in time order',
    },
    {
      indexName: 'byHour',
      partitionKey: { name: 'hourKey', type: 'S' },
      sortKey: { name: 'at', type: 'S' },
      servesAccessPattern: 'audit events by UTC hour (time-range queries and sealing)',
    },
  ],
  timeToLiveAttribute: 'expiresAt',
  stream: 'NEW_IMAGE',
  purpose: 'Audit trail (who did what to which record, including reads and denials); kept longer than case records.',
};

/**
 * Reporting counters maintained by the aggregator from the case table's stream (see docs/METRICS.md),
 * the per-reference counts behind "distinct contact references", and the aggregator's processed-record
 * markers (which expire by TTL after 2 days, longer than a stream's 24-hour retention). No stream: counter
 * writes never feed back into a consumer.
 */
export const aggregatesTable: TableDefinition = {
  id: 'Aggregates',
  envVar: 'AGGREGATES_TABLE_NAME',
  localName: 'waymark-aggregates',
  partitionKey: pk,
  sortKey: sk,
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiresAt',
  purpose: 'Reporting counters, kept up to date from the case stream; read by the report API.',
};

export const tables = [caseTable, auditTable, aggregatesTable] as const;
export type TableId = (typeof tables)[number]['id'];
