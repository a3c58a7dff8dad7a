/**
 * The parts of the S3 client the digest store uses. Loaded with `import()` from digest-store.ts, so that the
 * client is evaluated on first use only; naming the parts here keeps esbuild's tree shaking (a dynamic import
 * of the package itself would bundle every S3 command).
 */
export { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
