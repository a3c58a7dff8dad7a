import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { findDemoUser } from '../../infra/local/demo-users';
import { startLocalEnvironment, type LocalEnvironment } from '../../infra/local/environment';
import { assertMatchesContract } from './contract';

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface TestEnvironment {
  env: LocalEnvironment;
  /** A real token from the development identity provider. */
  tokenFor(username: string, overrides?: Record<string, unknown>): Promise<string>;
  api(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  /** A document client of the test's own, for reading what landed (not the one the handlers use). */
  db: DynamoDBDocumentClient;
}

/**
 * Starts the same local environment `npm start` runs — gateway, identity
 * provider, handlers — in this test file's process, against the run's
 * DynamoDB Local, with tables of this file's own (a random prefix).
 */
export function useTestEnvironment(options: { seed?: boolean; demoHistory?: boolean } = {}): TestEnvironment {
  const holder = {} as TestEnvironment;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'waymark-test-'));
    const dynamoEndpoint = inject('dynamoEndpoint');
    const env = await startLocalEnvironment({
      dataDir,
      dynamoEndpoint,
      tablePrefix: `t${Math.random().toString(36).slice(2, 10)}-`,
      seed: options.seed ?? true,
      demoHistory: options.demoHistory ?? false,
    });
    holder.env = env;
    holder.db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'eu-west-2' }));
    holder.tokenFor = async (username, overrides) => {
      const user = findDemoUser(username);
      if (!user) throw new Error(`no demo user ${username}`);
      return env.idp.issueAccessToken(user, overrides);
    };
    holder.api = async (method, path, opts = {}) => {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
      let body: string | undefined = opts.rawBody;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${env.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      // Every reply of the API is checked against docs/openapi.json: a mismatch fails the test that got it.
      assertMatchesContract(method, path, { status: res.status, headers: res.headers, text });
      return { status: res.status, headers: res.headers, body: parsed, text };
    };
  });
  afterAll(async () => {
    await holder.env?.stop();
    holder.db?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return holder;
}
