/**
 * Creates Waymark's first administrator in the deployed user pool (self
 * sign-up is off: every user is created by an administrator, and this is how
 * the first one is). Cognito e-mails the person a temporary password; at first
 * sign-in they choose their own and set up an authenticator app (MFA is required).
 *
 *   npx tsx scripts/create-first-admin.ts --user-pool-id eu-west-2_XXXX --email name@council.gov.uk [--team <team id>] [--region eu-west-2]
 *
 * The user pool id is the stack's `UserPoolId` output (docs/DEPLOY.md). Uses the
 * caller's AWS credentials (needs cognito-idp:AdminCreateUser, AdminAddUserToGroup
 * and AdminGetUser on that pool). Safe to re-run: an existing user is only added to the admin group.
 */
import { parseArgs } from 'node:util';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { TEAM_CLAIM } from '../shared/auth/access-token';

const ADMIN_GROUP = 'admin';

export interface FirstAdminOptions {
  userPoolId: string;
  email: string;
  team?: string;
  region: string;
}

export function parseOptions(argv: string[]): FirstAdminOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'user-pool-id': { type: 'string' },
      email: { type: 'string' },
      team: { type: 'string' },
      region: { type: 'string', default: 'eu-west-2' },
    },
  });
  const userPoolId = values['user-pool-id'];
  const email = values.email?.trim().toLowerCase();
  if (!userPoolId || !/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId)) throw new Error('--user-pool-id <the stack\'s UserPoolId output> is required');
  if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new Error('--email <the administrator\'s work e-mail address> is required');
  if (values.region !== 'eu-west-2') console.warn(`warning: Waymark's data is meant to stay in eu-west-2, not ${values.region}`);
  return { userPoolId, email, region: values.region!, ...(values.team ? { team: values.team } : {}) };
}

export async function createFirstAdmin(options: FirstAdminOptions, client = new CognitoIdentityProviderClient({ region: options.region })): Promise<'created' | 'existing'> {
  let outcome: 'created' | 'existing' = 'existing';
  try {
    await client.send(new AdminGetUserCommand({ UserPoolId: options.userPoolId, Username: options.email }));
  } catch (error) {
    if (!(error instanceof UserNotFoundException)) throw error;
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: options.userPoolId,
        Username: options.email,
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [
          { Name: 'email', Value: options.email },
          { Name: 'email_verified', Value: 'true' },
          ...(options.team ? [{ Name: TEAM_CLAIM, Value: options.team }] : []),
        ],
      }),
    );
    outcome = 'created';
  }
  await client.send(new AdminAddUserToGroupCommand({ UserPoolId: options.userPoolId, Username: options.email, GroupName: ADMIN_GROUP }));
  return outcome;
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isMain) {
  try {
    const options = parseOptions(process.argv.slice(2));
    const outcome = await createFirstAdmin(options);
    console.log(
      outcome === 'created'
        ? `Created ${options.email} in the ${ADMIN_GROUP} group. Cognito has e-mailed a temporary password; at first sign-in they set a password and an authenticator app.`
        : `${options.email} already existed; made sure they are in the ${ADMIN_GROUP} group.`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
