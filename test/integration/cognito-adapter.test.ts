import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { roles } from '../../shared/domain/roles';

/**
 * The Cognito adapter (shared/store/cognito-directory.ts: its writes through the SDK client, its reads through the
 * small signed path of shared/store/cognito-accounts.ts, which the account check of every function uses) driven
 * against the cognito-local emulator (npm `cognito-local`, a devDependency), with a pool made as the stack makes it:
 * sign-in by email (so each username is the user's sub) and the `custom:team` attribute.
 *
 * cognito-local 5.3.0 answers every call the adapter makes except AdminUserGlobalSignOut ("Unsupported x-amz-target
 * header"): sign-out is tested at the SDK boundary in test/unit/users.test.ts (the command, its input, and that it is
 * among the users function's IAM actions), and the last test here fails when an emulator version gains it.
 */
let emulator: ChildProcess | undefined;
let dataDir: string;
let endpoint: string;
let userPoolId: string;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startEmulator(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(dirname(createRequire(import.meta.url).resolve('cognito-local/package.json')), 'lib/bin/start.js')], {
    cwd: dataDir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DEBUG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`cognito-local did not start:\n${output}`)), 60_000);
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Cognito Local running')) {
        clearTimeout(deadline);
        resolve();
      }
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => {
      clearTimeout(deadline);
      reject(new Error(`cognito-local exited (${code}):\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return child;
}

const sdk = () => new CognitoIdentityProviderClient({ region: 'eu-west-2', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

/** The adapter and the reads as the functions load them: configured by USER_POOL_ID and COGNITO_ENDPOINT alone. */
async function adapter() {
  vi.resetModules();
  const env = { CASE_TABLE_NAME: 'c', AUDIT_TABLE_NAME: 'a', JWT_ISSUER: 'http://localhost/idp', JWT_AUDIENCE: 'client', USER_POOL_ID: userPoolId, COGNITO_ENDPOINT: endpoint, SIGN_IN_DIRECTORY_FILE: undefined };
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const { identityDirectory } = await import('../../shared/store/identity-directory');
  const { findSignInAccount, signInEmailOf } = await import('../../shared/store/sign-in-directory');
  return { directory: identityDirectory(), findSignInAccount, signInEmailOf };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'waymark-cognito-local-'));
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  emulator = await startEmulator(port);
  const pool = await sdk().send(
    new CreateUserPoolCommand({ PoolName: 'waymark', UsernameAttributes: ['email'], Schema: [{ Name: 'team', AttributeDataType: 'String', Mutable: true }] }),
  );
  userPoolId = pool.UserPool!.Id!;
  for (const role of roles) await sdk().send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: role }));
}, 90_000);

afterAll(() => {
  vi.unstubAllEnvs();
  emulator?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the Cognito adapter against cognito-local', () => {
  it('invites (AdminCreateUser, AdminAddUserToGroup); the account check finds the account by sub (ListUsers, AdminListGroupsForUser) and its address (AdminGetUser)', async () => {
    const { directory, findSignInAccount, signInEmailOf } = await adapter();
    const { sub } = await directory.invite({ email: 'amira@example.org', displayName: 'Amira', role: 'champion', teamId: 'team-a' });
    expect(sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(await findSignInAccount(sub)).toEqual({ sub, groups: ['champion'], team: 'team-a', enabled: true });
    expect(await directory.find(sub)).toEqual(await findSignInAccount(sub));
    expect(await signInEmailOf(sub)).toBe('amira@example.org');
    expect(await findSignInAccount('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await findSignInAccount('x" or sub = "y')).toBeUndefined();
  });

  it('an address already in use is a 409', async () => {
    const { directory } = await adapter();
    await directory.invite({ email: 'twice@example.org', displayName: 'Twice', role: 'commissioner', teamId: undefined });
    await expect(directory.invite({ email: 'twice@example.org', displayName: 'Twice', role: 'commissioner', teamId: undefined })).rejects.toMatchObject({ status: 409 });
  });

  it('a role change moves the account between groups (AdminRemoveUserFromGroup, AdminAddUserToGroup); a move rewrites custom:team (AdminUpdateUserAttributes); no team deletes it (AdminDeleteUserAttributes)', async () => {
    const { directory, findSignInAccount } = await adapter();
    const { sub } = await directory.invite({ email: 'sam@example.org', displayName: 'Sam', role: 'supervisor', teamId: 'team-a' });
    await directory.update(sub, { teamId: 'team-b', displayName: 'Sam S' });
    expect(await findSignInAccount(sub)).toEqual({ sub, groups: ['supervisor'], team: 'team-b', enabled: true });
    await directory.update(sub, { role: 'commissioner', teamId: null });
    expect(await findSignInAccount(sub)).toEqual({ sub, groups: ['commissioner'], team: undefined, enabled: true });
  });

  it('suspending disables the account (AdminDisableUser), reinstating enables it (AdminEnableUser); an invitation that could not be completed is removed (AdminDeleteUser)', async () => {
    const { directory, findSignInAccount } = await adapter();
    const { sub } = await directory.invite({ email: 'arjun@example.org', displayName: 'Arjun', role: 'champion', teamId: 'team-a' });
    await directory.update(sub, { enabled: false });
    expect((await findSignInAccount(sub))?.enabled).toBe(false);
    await directory.update(sub, { enabled: true });
    expect((await findSignInAccount(sub))?.enabled).toBe(true);
    await directory.remove(sub);
    expect(await findSignInAccount(sub)).toBeUndefined();
  });

  it('AdminUserGlobalSignOut is the one call cognito-local 5.3.0 lacks (tested at the SDK boundary instead: test/unit/users.test.ts)', async () => {
    const { directory } = await adapter();
    const { sub } = await directory.invite({ email: 'bola@example.org', displayName: 'Bola', role: 'champion', teamId: 'team-b' });
    await expect(sdk().send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: sub }))).rejects.toThrow(/Unsupported x-amz-target header "AdminUserGlobalSignOut"/);
  });
});
