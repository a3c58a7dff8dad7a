/**
 * How a function's code is bundled: one ESM file per function, everything it imports inside it (the AWS SDK
 * too, so the version is the one in package-lock.json). The CDK stack bundles with these settings for Lambda
 * (infra/api-function.ts) and the local gateway with the same ones for one machine (infra/local/function-modules.ts).
 */
export const FUNCTION_BUNDLE = {
  format: 'esm',
  // Handlers must also run on Node 20 (this machine and its tests), so no newer syntax.
  target: 'node20',
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
} as const;
