import type { S3Client } from '@aws-sdk/client-s3';
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConfig } from '../config';

/**
 * Where audit digests are kept: write once, read many. Two adapters, chosen
 * by configuration — a folder on one machine (AUDIT_DIGEST_DIR, under the
 * data folder) and an S3 bucket with Object Lock in compliance mode in AWS
 * (AUDIT_DIGEST_BUCKET). A name can be written once; a second write of the
 * same name answers `exists` and changes nothing, which is what keeps the
 * chain of digests linear when two sealers race for the next seq.
 */
export interface DigestStore {
  /** Writes `body` under `name` unless the name exists. */
  putOnce(name: string, body: string): Promise<'created' | 'exists'>;
  get(name: string): Promise<string | undefined>;
  /** Every name, sorted. */
  list(): Promise<string[]>;
  /** Where the digests are, for messages. */
  readonly location: string;
}

export class FileDigestStore implements DigestStore {
  constructor(private readonly dir: string) {}

  get location(): string {
    return this.dir;
  }

  async putOnce(name: string, body: string): Promise<'created' | 'exists'> {
    mkdirSync(this.dir, { recursive: true });
    const final = join(this.dir, name);
    const temp = join(this.dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    writeFileSync(temp, body, { flag: 'wx' });
    try {
      // link() fails if the name exists: an atomic create-if-absent of a fully written file.
      linkSync(temp, final);
      return 'created';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
      throw error;
    } finally {
      rmSync(temp, { force: true });
    }
  }

  async get(name: string): Promise<string | undefined> {
    try {
      return readFileSync(join(this.dir, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(): Promise<string[]> {
    try {
      return readdirSync(this.dir).filter((n) => !n.startsWith('.')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

/**
 * The S3 client is loaded on first use, not with the module: the audit function reads digests only to verify
 * a range, and evaluating the S3 client on every cold start cost its other routes about 10 ms (BENCHMARKS.md).
 */
const loadS3 = () => import('./s3-client');

/**
 * The bucket has Object Lock (compliance mode, default retention) and is
 * encrypted with the stack's key by default, so a put names neither.
 * `If-None-Match: *` makes the put create-only.
 */
export class S3DigestStore implements DigestStore {
  private readonly prefix = 'digests/';

  private client: S3Client | undefined;

  constructor(
    private readonly bucket: string,
    client?: S3Client,
  ) {
    this.client = client;
  }

  private async s3() {
    const s3 = await loadS3();
    this.client ??= new s3.S3Client({ region: getConfig().region });
    return { ...s3, client: this.client };
  }

  get location(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  async putOnce(name: string, body: string): Promise<'created' | 'exists'> {
    const { client, PutObjectCommand } = await this.s3();
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: `${this.prefix}${name}`,
          Body: body,
          ContentType: 'application/json',
          IfNoneMatch: '*',
          // Object Lock requires an integrity checksum on every put.
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      return 'created';
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412 || (error as Error).name === 'PreconditionFailed') return 'exists';
      throw error;
    }
  }

  async get(name: string): Promise<string | undefined> {
    const { client, GetObjectCommand } = await this.s3();
    try {
      const result = await client.send(new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${name}` }));
      return await result.Body?.transformToString('utf8');
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async list(): Promise<string[]> {
    const { client, ListObjectsV2Command } = await this.s3();
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const o of page.Contents ?? []) if (o.Key) names.push(o.Key.slice(this.prefix.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return names.sort();
  }
}

let store: DigestStore | undefined;

/** The configured digest store: exactly one of AUDIT_DIGEST_DIR and AUDIT_DIGEST_BUCKET must be set. */
export function getDigestStore(): DigestStore {
  if (store) return store;
  const { dir, bucket } = getConfig().auditDigests;
  if ((dir === undefined) === (bucket === undefined)) {
    throw new Error('Set exactly one of AUDIT_DIGEST_DIR (one machine) and AUDIT_DIGEST_BUCKET (AWS)');
  }
  store = dir !== undefined ? new FileDigestStore(dir) : new S3DigestStore(bucket as string);
  return store;
}
