import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { functionDefinitions, type DynamoAction, type TableGrant } from '../../shared/api/routes';
import { scheduledFunctions } from '../../shared/api/scheduled-functions';
import { streamConsumers } from '../../shared/api/stream-consumers';
import { tables, type TableId } from '../../shared/store/tables';

/**
 * IAM, emulated. DynamoDB Local checks no permission, so a function that
 * calls an operation, table or index its role does not grant would work here
 * and fail in AWS. On one machine every call a function makes goes through
 * this check against the grants it declares in shared/api/routes.ts (or
 * shared/api/stream-consumers.ts, shared/api/scheduled-functions.ts) — the very grants the CDK stack turns into
 * its role — and is refused as AWS refuses it (AccessDeniedException, nothing
 * sent), naming the grant that is missing.
 */

/** Which function the current invocation belongs to: set by the gateway and the stream poller around each call. */
const invocation = new AsyncLocalStorage<{ functionId: string }>();

/** Runs `work` as an invocation of `functionId`: its DynamoDB calls are checked against that function's grants. */
export const asFunction = <T>(functionId: string, work: () => Promise<T>): Promise<T> => invocation.run({ functionId }, work);

/** The function the current invocation belongs to, if any (for benchmarks that attribute DynamoDB calls to functions). */
export const currentFunctionId = (): string | undefined => invocation.getStore()?.functionId;

const grantsOf = (functionId: string): readonly TableGrant[] | undefined =>
  [...functionDefinitions, ...streamConsumers, ...scheduledFunctions].find((f) => f.id === functionId)?.grants;

/** The SDK names a command after its API operation (`GetItemCommand`), which is the IAM action's name; a transaction needs the action of each of its parts. */
const transactPart: Record<string, DynamoAction> = { Put: 'dynamodb:PutItem', Update: 'dynamodb:UpdateItem', Delete: 'dynamodb:DeleteItem', ConditionCheck: 'dynamodb:ConditionCheckItem', Get: 'dynamodb:GetItem' };

interface Access {
  action: string;
  tableName: string;
  index?: string;
}

/** Every (action, table, index) a command needs, as IAM evaluates it. */
export function accessesOf(commandName: string, input: Record<string, any>): Access[] {
  if (commandName === 'TransactWriteItemsCommand' || commandName === 'TransactGetItemsCommand') {
    return ((input['TransactItems'] ?? []) as Record<string, any>[]).flatMap((item) =>
      Object.entries(item).map(([part, spec]) => ({ action: transactPart[part] ?? `dynamodb:${part}`, tableName: String(spec?.TableName) })),
    );
  }
  const action = `dynamodb:${commandName.replace(/Command$/, '')}`;
  if (commandName === 'BatchGetItemCommand' || commandName === 'BatchWriteItemCommand') {
    return Object.keys(input['RequestItems'] ?? {}).map((tableName) => ({ action, tableName }));
  }
  return [{ action, tableName: String(input['TableName']), ...(input['IndexName'] ? { index: String(input['IndexName']) } : {}) }];
}

/** Why the function may not make this access, naming the missing grant; undefined if its grants allow it. */
export function missingGrant(functionId: string, access: Access, tableIdOf: (name: string) => TableId | undefined): string | undefined {
  const grants = grantsOf(functionId);
  if (!grants) return `${functionId} declares no grants (shared/api/routes.ts)`;
  const table = tableIdOf(access.tableName);
  const on = `${table ?? access.tableName}${access.index ? ` index ${access.index}` : ''}`;
  const grant = grants.find((g) => g.table === table && (g.actions as readonly string[]).includes(access.action));
  if (!grant) return `${functionId} is not granted ${access.action} on the ${on} table: add it to the function's grants in shared/api/routes.ts`;
  if (access.index && !(grant.indexes ?? []).includes(access.index)) {
    return `${functionId} is not granted ${access.action} on the ${on}: add '${access.index}' to the indexes of its ${table} grant in shared/api/routes.ts`;
  }
  return undefined;
}

const MIDDLEWARE = 'waymark-local-iam';

/**
 * Installs the check on the document client the functions use. Calls made
 * outside an invocation (seeding, the tests' own reads) are not a function's
 * and pass, as an administrator's would.
 */
export function enforceGrants(client: DynamoDBDocumentClient): void {
  client.middlewareStack.remove(MIDDLEWARE);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const functionId = invocation.getStore()?.functionId;
      if (!functionId) return next(args);
      const names = new Map(tables.map((t) => [process.env[t.envVar], t.id] as const));
      for (const access of accessesOf(String(context.commandName), args.input as Record<string, any>)) {
        const refusal = missingGrant(functionId, access, (name) => names.get(name));
        if (refusal) {
          // Said out loud: the function's log names only the error, and this is what a developer needs to fix it.
          process.stderr.write(`[local IAM] refused: ${refusal}\n`);
          throw Object.assign(new Error(`User: waymark-${functionId} is not authorized to perform: ${access.action} (${refusal})`), {
            name: 'AccessDeniedException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
          });
        }
      }
      return next(args);
    },
    { step: 'initialize', name: MIDDLEWARE, priority: 'high' },
  );
}
