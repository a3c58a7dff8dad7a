import { awsJsonCall } from './aws-json';

/**
 * A secret's value (Secrets Manager GetSecretValue) over the small signed path (aws-json.ts): the origin header's
 * value and the page-link key are read once per container by every API function, and the Secrets Manager SDK client
 * would add 25 KB to each bundle for this one call. `undefined` when the secret has no version at that stage (a secret
 * never rotated has no AWSPREVIOUS) or no string value.
 */
export async function secretValue(secretId: string, versionStage?: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> {
  try {
    const answer = await awsJsonCall<{ SecretString?: string }>('secretsmanager', 'GetSecretValue', { SecretId: secretId, ...(versionStage ? { VersionStage: versionStage } : {}) });
    return answer.SecretString;
  } catch (error) {
    if (versionStage === 'AWSPREVIOUS' && (error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}
