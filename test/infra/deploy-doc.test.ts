import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';
import { projectRoot } from '../../infra/api-function';
import { PROD_CONTEXT } from '../support/cdk-context';

/**
 * docs/DEPLOY.md rehearsed against what exists: every output it names is in the prod template, every context
 * option in its table is read by infra/, every npm script and file it runs is there, its JSON policies parse,
 * and the operator policy's iam:PassRole names the role restores really pass.
 */
type Json = Record<string, any>;
const doc = readFileSync(path.join(projectRoot, 'docs/DEPLOY.md'), 'utf8');
let outdir: string;
let outputs: Record<string, Json>;
let resources: Record<string, Json>;
let stackName: string;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'waymark-doc-'));
  const built = buildApp({ outdir, account: '123456789012', context: { 'aws:cdk:bundling-stacks': [], ...PROD_CONTEXT } });
  const template = Template.fromStack(built.stack).toJSON() as Json;
  outputs = template.Outputs;
  resources = template.Resources;
  stackName = built.stack.stackName;
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const section = (heading: string) => {
  const start = doc.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const next = doc.indexOf('\n## ', start + heading.length);
  return doc.slice(start, next < 0 ? undefined : next);
};
const jsonBlocks = () => [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/DEPLOY.md', () => {
  it('names only outputs the prod stack has, and lists every one of them', () => {
    const named = new Set([...doc.matchAll(/OutputKey=='(\w+)'/g)].map((m) => m[1]!));
    const listed = section('## Deploy').match(/Outputs of `Waymark`:[\s\S]*?\n\n/)![0];
    for (const m of listed.matchAll(/`(\w+)`/g)) if (m[1] !== 'Waymark') named.add(m[1]!);
    for (const m of doc.matchAll(/\$\(out (\w+)\)/g)) named.add(m[1]!);
    expect([...named].filter((n) => !(n in outputs))).toEqual([]);
    expect(Object.keys(outputs).filter((n) => !n.startsWith('Export') && !listed.includes(`\`${n}\``))).toEqual([]);
  });

  it('lists context options that infra/ reads, and every option infra/ reads', () => {
    const table = section('### All context options');
    const documented = new Set([...table.matchAll(/^\| `([@\w:/-]+)` \|/gm)].map((m) => m[1]!));
    const sources = readdirSync(path.join(projectRoot, 'infra')).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(path.join(projectRoot, 'infra', f), 'utf8')).join('\n');
    const read = new Set([...sources.matchAll(/(?:tryGetContext|context)\('([\w@:/-]+)'\)/g)].map((m) => m[1]!));
    read.add('@aws-cdk/core:bootstrapQualifier'); // read by CDK's synthesizer
    expect([...documented].filter((o) => !read.has(o)).sort()).toEqual([]);
    expect([...read].filter((o) => !documented.has(o)).sort()).toEqual([]);
  });

  it('runs only npm scripts and files the repository has', () => {
    const scripts = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const [, name] of doc.matchAll(/npm run ([\w:-]+)/g)) expect(scripts, name).toHaveProperty(name!);
    for (const [, file] of doc.matchAll(/(?:npx tsx |`)((?:scripts|infra|test\/infra)\/[\w/.-]+\.ts)/g)) expect(existsSync(path.join(projectRoot, file!)), file).toBe(true);
  });

  it('gives an SCP that leaves bootstrapping and the edge stack their actions in us-east-1, and an operator policy that parses', () => {
    const [scp, operator] = jsonBlocks().map((b) => JSON.parse(b.replaceAll('<account>', '123456789012')) as { Statement: Json[] });
    const denies = scp!.Statement.filter((st) => st.Effect === 'Deny');
    // Each deny that applies in us-east-1 must leave out what `cdk bootstrap` and the edge stack call there.
    const appliesInUsEast1 = (st: Json) =>
      (st.Condition.StringEquals?.['aws:RequestedRegion'] ?? []).includes('us-east-1') || !(st.Condition.StringNotEquals?.['aws:RequestedRegion'] ?? []).includes('us-east-1');
    for (const st of denies.filter(appliesInUsEast1)) {
      for (const action of ['cloudformation:*', 's3:*', 'ecr:*', 'iam:*', 'wafv2:*', 'ssm:PutParameter']) expect(st.NotAction, `${st.Sid} ${action}`).toContain(action);
    }
    const passRole = operator!.Statement.find((st) => st.Action === 'iam:PassRole')!;
    expect(passRole.Condition.StringEquals['iam:PassedToService']).toBe('backup.amazonaws.com');
    // CloudFormation names a role without RoleName `<stack>-<logical id>-<suffix>`: the pattern must match the restore role's.
    const roleId = outputs['BackupRoleArn']!.Value['Fn::GetAtt'][0] as string;
    expect(resources[roleId]!.Type).toBe('AWS::IAM::Role');
    const pattern = String(passRole.Resource).replace(/^arn:aws:iam::\d+:role\//, '');
    expect(`${stackName}-${roleId}-ABC123`.startsWith(pattern.replace(/\*$/, ''))).toBe(true);
  });
});
