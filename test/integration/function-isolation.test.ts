import { describe, expect, it } from 'vitest';
import { findDemoUser } from '../../infra/local/demo-users';
import { readDirectoryFile, writeDirectoryFile } from '../../shared/store/directory-file';
import { useTestEnvironment } from '../support/environment';

const t = useTestEnvironment();

describe('each function runs in its own module graph, as in Lambda', () => {
  it("one function's warm memory is its own: an account one function remembers, another looks up afresh", async () => {
    const champion = findDemoUser('champion-a1');
    const token = await t.tokenFor('champion-a1');
    // The champions function checks the account and remembers it (for at most ACCOUNT_CHECK_SECONDS, as a warm instance does).
    expect((await t.api('GET', '/champions/me', { token })).status).toBe(200);

    // The account is disabled in the directory behind the functions' backs (not through the users function, which would forget it).
    const file = process.env['SIGN_IN_DIRECTORY_FILE'] as string;
    writeDirectoryFile(file, readDirectoryFile(file).map((a) => (a.sub === champion?.sub ? { ...a, enabled: false } : a)));

    // The champions function still has its memory of the account; the contacts function never saw it, so it asks
    // the directory and refuses. Were the two one module graph, contacts would have used champions' memory (200).
    expect((await t.api('GET', '/champions/me', { token })).status).toBe(200);
    expect((await t.api('GET', '/contacts', { token })).status).toBe(403);
  });
});
