import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cognitoManageActions } from '../../shared/api/routes';
import type { Principal } from '../../shared/domain/roles';
import { accountChangeOf, checkUserChange, planInvitation, statusTransitions, userScope, type User } from '../../shared/domain/users';
import { authorize } from '../../shared/domain/policy';

const BASE_ENV = { CASE_TABLE_NAME: 'c', AUDIT_TABLE_NAME: 'a', JWT_ISSUER: 'http://localhost/idp', JWT_AUDIENCE: 'client' };

async function load<T>(module: string, env: Record<string, string | undefined>): Promise<T> {
  vi.resetModules();
  for (const [k, v] of Object.entries({ ...BASE_ENV, ...env })) vi.stubEnv(k, v);
  return import(module) as Promise<T>;
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.doUnmock('../../shared/store/aws-json');
  vi.resetModules();
});

const admin: Principal = { sub: 'admin-sub', role: 'admin' };
const supervisorA: Principal = { sub: 'sup-a', role: 'supervisor', team: 'team-a' };
const user = (over: Partial<User> = {}): User => ({
  id: 'u-1', role: 'champion', teamId: 'team-a', displayName: 'A', status: 'active', championId: 'champion-x', createdAt: '', updatedAt: '', version: 1, ...over,
});

describe('who manages whom (policy over userScope)', () => {
  it('a supervisor reaches the champions of their own team only; an admin everyone', () => {
    const rows: [User, boolean][] = [
      [user(), true],
      [user({ teamId: 'team-b' }), false],
      [user({ role: 'supervisor', id: 'sup-a' }), false],
      [user({ role: 'supervisor', teamId: 'team-a', id: 'sup-a2' }), false],
      [user({ role: 'admin', teamId: null }), false],
    ];
    for (const [u, allowed] of rows) {
      expect(authorize(supervisorA, 'users.update', { ...userScope(u) }).allowed, JSON.stringify(u)).toBe(allowed);
      expect(authorize(admin, 'users.update', { ...userScope(u) }).allowed).toBe(true);
    }
  });

  it('invitations: a supervisor invites champions of their own team; an admin names the team of team roles', () => {
    expect(planInvitation(supervisorA, { role: 'champion', displayName: 'x', email: 'x@y.org', champion: { organisationId: 'org-a', strands: ['dasv'], languages: [] } })).toEqual({ teamId: 'team-a' });
    expect(() => planInvitation(supervisorA, { role: 'supervisor', displayName: 'x', email: 'x@y.org' })).toThrow(/champions only/);
    expect(planInvitation(admin, { role: 'supervisor', displayName: 'x', email: 'x@y.org' })).toEqual({ problem: { path: 'teamId', message: 'Select a team' } });
    expect(planInvitation(admin, { role: 'commissioner', displayName: 'x', email: 'x@y.org' })).toEqual({ teamId: undefined });
  });
});

describe('changes to a person', () => {
  it('status follows the transitions table; leaving is final', () => {
    for (const [from, allowed] of Object.entries(statusTransitions)) {
      for (const to of ['invited', 'active', 'suspended', 'left'] as const) {
        if (to === from) continue;
        const problem = checkUserChange(admin, user({ status: from as User['status'] }), { version: 1, status: to });
        expect(problem === undefined, `${from} → ${to}`).toBe(allowed.includes(to));
      }
    }
  });

  it('a supervisor may not change role or team; nobody their own status; a champion stays a champion', () => {
    expect(() => checkUserChange(supervisorA, user(), { version: 1, teamId: 'team-b' })).toThrow(/administrator/);
    expect(() => checkUserChange(supervisorA, user(), { version: 1, role: 'supervisor' })).toThrow(/administrator/);
    expect(checkUserChange(admin, user({ id: 'admin-sub', role: 'admin', teamId: null }), { version: 1, status: 'suspended' })?.path).toBe('status');
    expect(checkUserChange(admin, user(), { version: 1, role: 'supervisor' })?.path).toBe('role');
    expect(checkUserChange(admin, user({ role: 'supervisor' }), { version: 1, role: 'commissioner' })?.path).toBe('teamId');
    expect(checkUserChange(admin, user({ role: 'supervisor' }), { version: 1, role: 'commissioner', teamId: null })).toBeUndefined();
  });

  it('what the identity provider must do: suspension and leaving disable and sign out; reinstating enables', () => {
    expect(accountChangeOf(user(), { version: 1, status: 'suspended' })).toEqual({ enabled: false, signOut: true });
    expect(accountChangeOf(user(), { version: 1, status: 'left' })).toEqual({ enabled: false, signOut: true });
    expect(accountChangeOf(user({ status: 'suspended' }), { version: 1, status: 'active' })).toEqual({ enabled: true });
    expect(accountChangeOf(user({ role: 'supervisor' }), { version: 1, teamId: 'team-b' })).toEqual({ teamId: 'team-b' });
    expect(accountChangeOf(user(), { version: 1, status: 'active' })).toEqual({});
  });
});

describe('the per-request account check', () => {
  type AccountCheck = typeof import('../../shared/auth/account-check');
  const setUp = async (seconds: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'waymark-accounts-')), 'accounts.json');
    const write = (enabled: boolean, team = 'team-a', groups = ['supervisor']) =>
      writeFileSync(file, JSON.stringify({ accounts: [{ sub: 's-1', groups, team, enabled }] }));
    write(true);
    const check = await load<AccountCheck>('../../shared/auth/account-check', { SIGN_IN_DIRECTORY_FILE: file, ACCOUNT_CHECK_SECONDS: seconds });
    return { check, write };
  };
  const fromToken: Principal = { sub: 's-1', role: 'supervisor', team: 'team-a' };

  it('remembers an account for less than the bound, never longer: the directory is asked again at 60 s', async () => {
    const { check, write } = await setUp('60');
    const t0 = 1_000_000;
    expect((await check.checkedPrincipal(fromToken, t0)).team).toBe('team-a');
    write(false, 'team-b');
    expect((await check.checkedPrincipal(fromToken, t0 + 59_999)).team).toBe('team-a');
    await expect(check.checkedPrincipal(fromToken, t0 + 60_000)).rejects.toMatchObject({ status: 403, message: check.ACCOUNT_CLOSED });
  });

  it('a change made through this instance is seen on the next request (forgetAccount); role and team come from the directory', async () => {
    const { check, write } = await setUp('60');
    await check.checkedPrincipal(fromToken, 0);
    write(true, 'team-b', ['commissioner']);
    check.forgetAccount('s-1');
    expect(await check.checkedPrincipal(fromToken, 1)).toEqual({ sub: 's-1', role: 'commissioner', team: 'team-b' });
  });

  it('with a bound of 0 every request asks the directory; the configuration refuses a bound above 60 s', async () => {
    const { check, write } = await setUp('0');
    await check.checkedPrincipal(fromToken, 0);
    write(false);
    await expect(check.checkedPrincipal(fromToken, 0)).rejects.toMatchObject({ status: 403 });
    const tooLong = await load<typeof import('../../shared/config')>('../../shared/config', { ACCOUNT_CHECK_SECONDS: '61' });
    expect(() => tooLong.getConfig()).toThrow(/ACCOUNT_CHECK_SECONDS/);
  });
});

describe('the Cognito adapter', () => {
  // Here the calls are seen at their boundaries, answered as Cognito would before anything is sent: the writes by a
  // middleware on the adapter's own SDK client, the reads at the signed path (shared/store/aws-json.ts). The same
  // adapter is driven against the cognito-local emulator in test/integration/cognito-adapter.test.ts.
  type Adapter = typeof import('../../shared/store/cognito-directory');
  async function adapter(answers: Record<string, unknown> = {}) {
    const calls: { command: string; input: Record<string, unknown> }[] = [];
    vi.doMock('../../shared/store/aws-json', () => ({
      awsJsonCall: async (_service: string, action: string, input: Record<string, unknown>) => {
        calls.push({ command: `${action}Command`, input });
        return answers[`${action}Command`] ?? {};
      },
    }));
    const cognito = await load<Adapter>('../../shared/store/cognito-directory', { USER_POOL_ID: 'eu-west-2_Pool1' });
    cognito.cognitoClient().middlewareStack.add(
      (_next, context) => async (args) => {
        calls.push({ command: context.commandName as string, input: args.input as Record<string, unknown> });
        const answer = answers[context.commandName as string];
        if (answer instanceof Error) throw answer;
        return { output: { $metadata: {}, ...((answer as object) ?? {}) }, response: {} } as never;
      },
      { step: 'initialize', name: 'recordCognitoCalls' },
    );
    return { directory: cognito.cognitoDirectory('eu-west-2_Pool1'), calls };
  }

  it('invites: AdminCreateUser with the invitation email, the name and team attributes, then the role group', async () => {
    const { directory, calls } = await adapter({ AdminCreateUserCommand: { User: { Username: 'uuid-1', Attributes: [{ Name: 'sub', Value: 'uuid-1' }] } } });
    await expect(directory.invite({ email: 'new@example.org', displayName: 'New Person', role: 'champion', teamId: 'team-a' })).resolves.toEqual({ sub: 'uuid-1' });
    expect(calls.map((c) => c.command)).toEqual(['AdminCreateUserCommand', 'AdminAddUserToGroupCommand']);
    expect(calls[0]!.input).toMatchObject({
      UserPoolId: 'eu-west-2_Pool1',
      Username: 'new@example.org',
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: expect.arrayContaining([{ Name: 'email', Value: 'new@example.org' }, { Name: 'name', Value: 'New Person' }, { Name: 'custom:team', Value: 'team-a' }]),
    });
    expect(calls[1]!.input).toEqual({ UserPoolId: 'eu-west-2_Pool1', Username: 'uuid-1', GroupName: 'champion' });
  });

  it('an email already in use is a 409', async () => {
    const exists = Object.assign(new Error('User account already exists'), { name: 'UsernameExistsException' });
    const { directory } = await adapter({ AdminCreateUserCommand: exists });
    await expect(directory.invite({ email: 'x@example.org', displayName: 'X', role: 'admin', teamId: undefined })).rejects.toMatchObject({ status: 409 });
  });

  it('suspending or leaving: AdminDisableUser then AdminUserGlobalSignOut; reinstating: AdminEnableUser', async () => {
    const { directory, calls } = await adapter();
    await directory.update('uuid-1', { enabled: false, signOut: true });
    await directory.update('uuid-1', { enabled: true });
    expect(calls.map((c) => c.command)).toEqual(['AdminDisableUserCommand', 'AdminUserGlobalSignOutCommand', 'AdminEnableUserCommand']);
    for (const c of calls) expect(c.input).toEqual({ UserPoolId: 'eu-west-2_Pool1', Username: 'uuid-1' });
  });

  it('a role change moves the account between role groups; a move rewrites custom:team; no team deletes it', async () => {
    const { directory, calls } = await adapter({ AdminListGroupsForUserCommand: { Groups: [{ GroupName: 'supervisor' }, { GroupName: 'unrelated' }] } });
    await directory.update('uuid-1', { role: 'commissioner', teamId: null });
    await directory.update('uuid-1', { teamId: 'team-b', displayName: 'Renamed' });
    expect(calls.map((c) => [c.command, c.input['GroupName'] ?? c.input['UserAttributes'] ?? c.input['UserAttributeNames'] ?? null])).toEqual([
      ['AdminListGroupsForUserCommand', null],
      ['AdminRemoveUserFromGroupCommand', 'supervisor'],
      ['AdminAddUserToGroupCommand', 'commissioner'],
      ['AdminDeleteUserAttributesCommand', ['custom:team']],
      ['AdminUpdateUserAttributesCommand', [{ Name: 'name', Value: 'Renamed' }, { Name: 'custom:team', Value: 'team-b' }]],
    ]);
  });

  it('sign-out, email, lookup, removal; every command it sends is among the IAM actions the users function is granted', async () => {
    const { directory, calls } = await adapter({
      AdminGetUserCommand: { UserAttributes: [{ Name: 'email', Value: 'p@example.org' }] },
      ListUsersCommand: { Users: [{ Username: 'uuid-1', Enabled: false, Attributes: [{ Name: 'custom:team', Value: 'team-a' }] }] },
      AdminListGroupsForUserCommand: { Groups: [{ GroupName: 'champion' }] },
    });
    await directory.signOut('uuid-1');
    expect(await directory.emailOf('uuid-1')).toBe('p@example.org');
    expect(await directory.find('uuid-1')).toEqual({ sub: 'uuid-1', groups: ['champion'], team: 'team-a', enabled: false });
    expect(await directory.find('bad" or sub = "x')).toBeUndefined();
    await directory.remove('uuid-1');
    await directory.invite({ email: 'a@b.org', displayName: 'A', role: 'admin', teamId: undefined }).catch(() => undefined);
    await directory.update('uuid-1', { role: 'admin', teamId: 'team-a', enabled: false, signOut: true });
    await directory.update('uuid-1', { enabled: true, teamId: null });
    const used = new Set(calls.map((c) => `cognito-idp:${c.command.replace(/Command$/, '')}`));
    expect([...used].filter((a) => !(cognitoManageActions as readonly string[]).includes(a))).toEqual([]);
    expect([...cognitoManageActions].filter((a) => !used.has(a)), 'granted but never called').toEqual([]);
  });
});
