import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { bundleFunctions } from '../../infra/local/function-modules';
import { buildWeb } from '../../web/build';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** One in-memory DynamoDB Local on a random free port for the whole run; each test file uses its own tables. */
export default async function setup(project: TestProject) {
  // The web app the local gateway serves (web/dist), built once for the run.
  buildWeb();
  // Every function's bundle, built once for the run (each test file then loads them from the cache).
  await bundleFunctions();
  const dynamo = await startDynamoDbLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}
