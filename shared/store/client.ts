import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getConfig } from '../config';

let documentClient: DynamoDBDocumentClient | undefined;

/**
 * The process's one DynamoDB document client, created on first use.
 * On one machine the endpoint points at DynamoDB Local; in AWS it is absent.
 * Tests reach the same instance to inject faults through its middleware stack.
 */
export function getDocumentClient(): DynamoDBDocumentClient {
  if (documentClient) return documentClient;
  const config = getConfig();
  const client = new DynamoDBClient({
    region: config.region,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {}),
    maxAttempts: 3,
  });
  documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return documentClient;
}
