import { defineConfig } from 'vitest/config';

/**
 * Three projects, so that what needs no database runs without one:
 * `unit` (pure domain, store builders, bundles; seconds, no DynamoDB Local, no web build; `npm run test:unit`),
 * `infra` (the CDK stack, synthesised offline) and
 * `integration` (integration, reliability and end-to-end suites: one DynamoDB Local and the web build for the run).
 * `npm test` runs all three.
 */
const setup = ['test/support/global-setup.ts'];

export default defineConfig({
  test: {
    // Each file gets its own process, so each has its own configuration and clients.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: {
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'eu-west-2',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts', 'test/reliability/**/*.test.ts', 'test/e2e/**/*.test.ts'], globalSetup: setup },
      },
    ],
  },
});
