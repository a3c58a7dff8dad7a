/**
 * The parts of the Secrets Manager client the cursor key uses. Loaded with `import()` from cursor-seal.ts, so that
 * the client is evaluated when a page link is first sealed or opened (in AWS, on a list with more than one page),
 * not on every cold start; naming the parts keeps esbuild's tree shaking.
 */
export { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
