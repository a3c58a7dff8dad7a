/**
 * The parts of the Secrets Manager client the origin check uses. Loaded with `import()` from origin-verify.ts,
 * so that it is evaluated only where the configuration names a secret (in AWS), never on one machine; naming
 * the parts keeps esbuild's tree shaking.
 */
export { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
