import { afterEach, describe, expect, it } from 'vitest';
import { functionDefinitions, type TableGrant } from '../../shared/api/routes';
import { accessesOf, missingGrant } from '../../infra/local/grants';
import { useTestEnvironment } from '../support/environment';
import { captureOutput } from '../support/output-capture';

const t = useTestEnvironment();

/** The teams function's definition, whose grants the test takes away and gives back. */
const teams = functionDefinitions.find((f) => f.id === 'teams') as { grants: readonly TableGrant[] };
const granted = teams.grants;
afterEach(() => {
  teams.grants = granted;
});

describe('IAM on one machine: each function may do only what its grants allow', () => {
  it('names the missing action, table or index, as AWS would refuse it', () => {
    const tableIdOf = (name: string) => (name === 'case' ? 'Case' : name === 'audit' ? 'Audit' : undefined);
    expect(missingGrant('teams', { action: 'dynamodb:Query', tableName: 'case', index: 'gsi1' }, tableIdOf)).toBeUndefined();
    expect(missingGrant('teams', { action: 'dynamodb:Query', tableName: 'case', index: 'gsi2' }, tableIdOf)).toMatch(/not granted dynamodb:Query on the Case index gsi2: add 'gsi2'/);
    expect(missingGrant('teams', { action: 'dynamodb:DeleteItem', tableName: 'case' }, tableIdOf)).toMatch(/teams is not granted dynamodb:DeleteItem on the Case table/);
    expect(missingGrant('teams', { action: 'dynamodb:UpdateItem', tableName: 'audit' }, tableIdOf)).toMatch(/not granted dynamodb:UpdateItem on the Audit table/);
    expect(accessesOf('TransactWriteItemsCommand', { TransactItems: [{ Put: { TableName: 'case' } }, { ConditionCheck: { TableName: 'case' } }] })).toEqual([
      { action: 'dynamodb:PutItem', tableName: 'case' },
      { action: 'dynamodb:ConditionCheckItem', tableName: 'case' },
    ]);
  });

  it('a function whose grant is taken away fails here, naming the grant, as it would in AWS; given back, it works', async () => {
    const token = await t.tokenFor('admin');
    expect((await t.api('GET', '/teams', { token })).status).toBe(200);
    // The list reads the teams through gsi1: without that index in its grant, the Query is refused.
    teams.grants = granted.map((g) => (g.table === 'Case' ? { ...g, indexes: [] } : g));
    const output = captureOutput('ERROR');
    try {
      const refused = await t.api('GET', '/teams', { token });
      expect(refused.status).toBe(500);
      expect(refused.body).toMatchObject({ error: 'Internal error' });
    } finally {
      output.stop();
    }
    expect(output.text()).toContain('AccessDeniedException');
    expect(output.text()).toContain("[local IAM] refused: teams is not granted dynamodb:Query on the Case index gsi1: add 'gsi1' to the indexes of its Case grant in shared/api/routes.ts");
    teams.grants = granted;
    expect((await t.api('GET', '/teams', { token })).status).toBe(200);
  });
});
