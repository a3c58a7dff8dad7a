import * as z from 'zod/mini';
import { defineOperation, createApiHandler } from '../../shared/http/pipeline';
import { checkTableReachable } from '../../shared/store/health-store';
import { serviceUnavailable } from '../../shared/domain/errors';

/** GET /health — no auth; proves the function runs and the case table answers. */
const healthSchema = z.object({ status: z.literal('ok'), table: z.literal('reachable'), latencyMs: z.number().check(z.describe('how long the table took to answer')) });

const health = defineOperation({
  responses: { 200: { description: 'The function runs and the case table answers', body: healthSchema } },
  async run() {
    const startedAt = Date.now();
    try {
      await checkTableReachable();
    } catch {
      throw serviceUnavailable('The case table is not reachable', 5);
    }
    return { body: { status: 'ok' as const, table: 'reachable' as const, latencyMs: Date.now() - startedAt } };
  },
});

export const handler = createApiHandler({ 'GET /health': health });
