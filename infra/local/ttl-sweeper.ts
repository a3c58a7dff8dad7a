import { DynamoDBClient, ScanCommand, DeleteItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * The keys the sweeper deleted, so the stream poller can mark their REMOVE
 * records as TTL's (userIdentity `dynamodb.amazonaws.com`), as AWS does.
 */
export class TtlDeletions {
  private readonly keys = new Map<string, number>();

  static keyOf(key: Record<string, AttributeValue | { S?: string; N?: string }>): string {
    return JSON.stringify(Object.keys(key).sort().map((k) => [k, key[k]]));
  }

  add(key: Record<string, AttributeValue>): void {
    const k = TtlDeletions.keyOf(key);
    this.keys.set(k, (this.keys.get(k) ?? 0) + 1);
  }

  /** True (once per deletion) if the sweeper deleted an item with this key. */
  take(key: Record<string, unknown>): boolean {
    const k = TtlDeletions.keyOf(key as Record<string, AttributeValue>);
    const n = this.keys.get(k) ?? 0;
    if (n === 0) return false;
    if (n === 1) this.keys.delete(k);
    else this.keys.set(k, n - 1);
    return true;
  }
}

export interface TtlSweeperOptions {
  endpoint: string;
  tableName: string;
  /** The table's TTL attribute (epoch seconds), from the shared table definition. */
  ttlAttribute: string;
  keyAttributes: readonly string[];
  deletions: TtlDeletions;
  intervalMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

export interface TtlSweeper {
  /** Deletes every item whose TTL has passed; returns how many. */
  sweep(): Promise<number>;
  stop(): void;
}

/**
 * DynamoDB Local never expires items. This does what DynamoDB's TTL process
 * does in AWS: deletes items whose TTL attribute is in the past (only if it
 * still is, at the moment of deletion). A background service's full-table
 * read is what AWS does too; product code never scans.
 */
export function startTtlSweeper(options: TtlSweeperOptions): TtlSweeper {
  const client = new DynamoDBClient({ endpoint: options.endpoint, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const now = options.now ?? (() => Date.now());

  async function sweep(): Promise<number> {
    const nowSeconds = Math.floor(now() / 1000);
    let deleted = 0;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: options.tableName,
          FilterExpression: '#ttl < :now',
          ExpressionAttributeNames: { '#ttl': options.ttlAttribute },
          ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const key = Object.fromEntries(options.keyAttributes.map((k) => [k, item[k] as AttributeValue]));
        try {
          // Recorded before the delete so the poller cannot see the REMOVE first.
          options.deletions.add(key);
          await client.send(
            new DeleteItemCommand({
              TableName: options.tableName,
              Key: key,
              ConditionExpression: '#ttl < :now',
              ExpressionAttributeNames: { '#ttl': options.ttlAttribute },
              ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
            }),
          );
          deleted += 1;
        } catch (error) {
          options.deletions.take(key);
          if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        }
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return deleted;
  }

  const timer = options.intervalMs
    ? setInterval(() => void sweep().catch((e: unknown) => options.onError?.(e)), options.intervalMs)
    : undefined;
  timer?.unref();
  return {
    sweep,
    stop() {
      if (timer) clearInterval(timer);
      client.destroy();
    },
  };
}
