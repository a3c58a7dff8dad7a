import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * `npm run test:load`: the long reliability runs kept out of `npm test` —
 * the load run (bounded in requests and time, loopback only) and DynamoDB
 * Local killed and restarted on its data directory.
 */
export default defineConfig({
  test: {
    ...base.test,
    // The load runs are one project of their own, with the global setup (DynamoDB Local, the web build).
    projects: undefined,
    include: ['test/reliability/**/*.slow.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 300_000,
    fileParallelism: false,
  },
});
