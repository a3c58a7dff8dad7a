/** The cold-start floor: a handler that only creates the DynamoDB document client and makes one GetItem. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const endpoint = process.env['DYNAMODB_ENDPOINT'];
const db = DynamoDBDocumentClient.from(new DynamoDBClient(endpoint ? { endpoint } : {}));

export const handler = async () => {
  const res = await db.send(new GetCommand({ TableName: process.env['CASE_TABLE_NAME'], Key: { pk: 'BENCH#floor', sk: 'BENCH#floor' } }));
  return { statusCode: 200, body: JSON.stringify({ found: res.Item !== undefined }) };
};
