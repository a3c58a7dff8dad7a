import { defineOperation, createApiHandler } from '../../shared/http/pipeline';
import { checkTableReachable } from '../../shared/store/health-store';
import { serviceUnavailable } from '../../shared/domain/errors';

/** GET /health — no auth; proves the function runs and the case table answers. */
const health = defineOperation({
  async run() {
    const startedAt = Date.now();
    try {
      await checkTableReachable();
    } catch {
      throw serviceUnavailable('The case table is not reachable', 5);
    }
    return { body: { status: 'ok', table: 'reachable', latencyMs: Date.now() - startedAt } };
  },
});

export const handler = createApiHandler({ 'GET /health': health });
