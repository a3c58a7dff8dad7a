import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import { getConfig } from '../config';
import { getDocumentClient } from './client';

/**
 * One signed call to an AWS service that speaks the JSON 1.1 protocol (Cognito user pools, Secrets Manager), for the
 * few reads every API function makes in its request pipeline: the caller's account (ListUsers by sub, and its groups)
 * and a secret (GetSecretValue: the origin header's value, the page-link key). A service's SDK client weighs 25 KB
 * (Secrets Manager) to 104 KB (Cognito) minified in every bundle, and a Lambda bundle is one file, so `import()` on
 * first use did not keep it out; this path reuses what every function already carries — the DynamoDB client's
 * credentials and @smithy/signature-v4 — and node's own http(s). The users function, which manages accounts, keeps
 * the Cognito SDK client for its writes (cognito-directory.ts); reads go through here in every function alike.
 *
 * Like the SDK: three attempts at most for a dropped connection, a 5xx or a throttling error, with full-jitter
 * backoff; two seconds per attempt. An error the service answers is thrown with the service's error name
 * (`ResourceNotFoundException`, `UserNotFoundException`...), as the SDK names its exceptions.
 */
export type JsonService = 'cognito-idp' | 'secretsmanager';

const TARGET_PREFIX: Record<JsonService, string> = {
  'cognito-idp': 'AWSCognitoIdentityProviderService',
  secretsmanager: 'secretsmanager',
};

export const AWS_JSON_MAX_ATTEMPTS = 3;
export const AWS_JSON_REQUEST_TIMEOUT_MS = 2_000;
const RETRYABLE = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'InternalErrorException', 'InternalServiceError', 'ServiceUnavailable']);

export class AwsServiceError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly statusCode: number | undefined,
  ) {
    super(message);
  }
}

/** SHA-256 and HMAC-SHA-256 over node:crypto, as SignatureV4 wants them. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

const signers = new Map<JsonService, SignatureV4>();

function signer(service: JsonService): SignatureV4 {
  let found = signers.get(service);
  if (!found) {
    // The DynamoDB client's credential provider: the function's role in Lambda, resolved and refreshed by the SDK.
    const credentials = getDocumentClient().config.credentials;
    found = new SignatureV4({ service, region: getConfig().region, credentials, sha256: Sha256, applyChecksum: false });
    signers.set(service, found);
  }
  return found;
}

/** Where the service is: its regional endpoint, or the configured one (an emulator on one machine, for tests). */
function endpointOf(service: JsonService): URL {
  const configured = service === 'cognito-idp' ? getConfig().cognitoEndpoint : undefined;
  return new URL(configured ?? `https://${service}.${getConfig().region}.amazonaws.com/`);
}

interface Answer {
  status: number;
  body: string;
  errorType: string | undefined;
}

function send(url: URL, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'http:' ? httpRequest : httpsRequest)(
      { method: 'POST', hostname: url.hostname, port: url.port || undefined, path: url.pathname, headers, timeout: AWS_JSON_REQUEST_TIMEOUT_MS },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          const type = response.headers['x-amzn-errortype'];
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), errorType: Array.isArray(type) ? type[0] : type });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(Object.assign(new Error('AWS request timed out'), { name: 'TimeoutError' })));
    request.on('error', reject);
    request.end(body);
  });
}

/** `Namespace#Name:detail` → `Name`. */
const errorName = (raw: string): string => raw.split(':')[0]!.split('#').pop()!;

function errorOf(answer: Answer): AwsServiceError {
  let parsed: { __type?: string; message?: string; Message?: string } = {};
  try {
    parsed = JSON.parse(answer.body) as typeof parsed;
  } catch {
    // not JSON: a proxy's or load balancer's page
  }
  const name = errorName(answer.errorType ?? parsed.__type ?? `HTTP${answer.status}`);
  return new AwsServiceError(name, parsed.message ?? parsed.Message ?? name, answer.status);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `action` of `service` with `input`; the answer's JSON, or the service's error as an `AwsServiceError`. */
export async function awsJsonCall<T>(service: JsonService, action: string, input: Record<string, unknown>): Promise<T> {
  const url = endpointOf(service);
  const body = JSON.stringify(input);
  let lastError: unknown;
  for (let attempt = 0; attempt < AWS_JSON_MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) await pause(Math.random() * Math.min(1_000, 100 * 2 ** attempt));
    const signed = await signer(service).sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${TARGET_PREFIX[service]}.${action}`,
        'content-length': String(Buffer.byteLength(body)),
      },
      body,
    });
    let answer: Answer;
    try {
      answer = await send(url, signed.headers, body);
    } catch (error) {
      lastError = error; // a dropped connection or a timeout: retried
      continue;
    }
    if (answer.status >= 200 && answer.status < 300) return (answer.body ? JSON.parse(answer.body) : {}) as T;
    const error = errorOf(answer);
    if (answer.status < 500 && !RETRYABLE.has(error.name)) throw error;
    lastError = error;
  }
  throw lastError;
}
