import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getConfig } from '../config';

let documentClient: DynamoDBDocumentClient | undefined;

/**
 * How long one DynamoDB request may take before it is abandoned as a
 * TimeoutError (then retried, then answered 503 with Retry-After). Three
 * attempts of this fit well inside an API function's 10-second timeout, so a
 * hung connection is a 503 the client may retry, not a gateway timeout.
 */
export const DYNAMO_REQUEST_TIMEOUT_MS = 2_000;
export const DYNAMO_CONNECTION_TIMEOUT_MS = 1_000;
export const DYNAMO_MAX_ATTEMPTS = 3;
export const dynamoClientOptions = () => ({
  maxAttempts: DYNAMO_MAX_ATTEMPTS,
  // throwOnRequestTimeout: without it the handler only logs a warning when requestTimeout passes, and waits on.
  requestHandler: { requestTimeout: DYNAMO_REQUEST_TIMEOUT_MS, connectionTimeout: DYNAMO_CONNECTION_TIMEOUT_MS, throwOnRequestTimeout: true },
});

/**
 * The process's one DynamoDB document client, created on first use.
 * On one machine the endpoint points at DynamoDB Local; in AWS it is absent.
 * Tests reach the same instance to inject faults through its middleware stack: on one machine every
 * function's bundle uses this process's instance (infra/local/function-modules.ts), as does the local IAM check.
 */
export function getDocumentClient(): DynamoDBDocumentClient {
  if (documentClient) return documentClient;
  const config = getConfig();
  const client = new DynamoDBClient({
    region: config.region,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {}),
    ...dynamoClientOptions(),
  });
  documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return documentClient;
}
