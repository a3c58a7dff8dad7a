import * as z from 'zod/mini';
import { defineOperation, createApiHandler } from '../../shared/http/pipeline';
import { checkTableReachable } from '../../shared/store/health-store';
import { serviceUnavailable } from '../../shared/domain/errors';

const healthSchema = z.object({ status: z.literal('ok'), table: z.literal('reachable'), latencyMs: z.number().check(z.describe('how long the table took to answer')) });

/**
 * GET /health — no auth; proves the function runs and the case table answers. When it does not, the
 * answer names the failing part (the database), so whoever looks (a person, a load balancer, `npm start`'s
 * supervisor) knows what to restart, not only that something is wrong.
 */
const health = defineOperation({
  responses: { 200: { description: 'The function runs and the case table answers', body: healthSchema } },
  async run() {
    const startedAt = Date.now();
    try {
      await checkTableReachable();
    } catch (error) {
      const unreachable = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === undefined;
      throw serviceUnavailable(
        unreachable ? 'The database (DynamoDB) does not answer: the case table cannot be read' : 'The database (DynamoDB) refused to read the case table',
        5,
        { status: 'unavailable', failing: 'database', table: 'unreachable' },
      );
    }
    return { body: { status: 'ok' as const, table: 'reachable' as const, latencyMs: Date.now() - startedAt } };
  },
});

export const handler = createApiHandler({ 'GET /health': health });
