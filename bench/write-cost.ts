/**
 * Issue 24, write cost: DynamoDB write capacity units per contact logged, per escalation transition and per
 * aggregated contact, beside a floor, measured with ReturnConsumedCapacity (INDEXES: the table and each index) as
 * DynamoDB Local reports it. `npm run bench -- --only=writes` runs it alone.
 *
 * Every write the functions send (through the one document client of shared/store/client.ts, in this process) is
 * recorded with the function that sent it (infra/local/grants.ts runs each invocation as its function), and each item it
 * wrote is measured alone (see writeCostMarkdown for how, and why not DynamoDB Local's figure for a transaction).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTables } from '../infra/local/create-tables';
import { findDemoUser } from '../infra/local/demo-users';
import { startLocalEnvironment } from '../infra/local/environment';
import { currentFunctionId } from '../infra/local/grants';
import { getDocumentClient } from '../shared/store/client';
import { keys } from '../shared/store/keys';
import { tables, type TableDefinition } from '../shared/store/tables';
import { ukToday, validContact } from '../test/support/contacts';
import { r2 } from './stats';

type Category = 'record' | 'audit' | 'idempotency';
export interface OperationCost {
  name: string;
  count: number;
  /** Units charged per operation: each item's units (table and indexes) measured alone, twice where written in a transaction. */
  perOperation: number;
  /** The same items written alone, without a transaction, by category; the transaction is the rest. */
  alone: Record<Category, number>;
  transaction: number;
}
/** What the aggregator's writes were, per contact (or per session): each item measured alone, once, by the kind of item. */
export interface AggregateParts { counters: number; referenceCounts: number; journeys: number; markers: number; transaction: number; /** The years' counter tokens (`COUNTED`: one per year a transaction moves). Absent from runs before them. */ yearTokens?: number }
export interface AggregationCost {
  /** What was aggregated (contacts logged, or support sessions recorded after them). */
  what?: string;
  /** Contacts in each delivery to the aggregator, and in all. */
  perDelivery: number;
  contacts: number;
  transactions: number;
  perContact: number;
  /** The counter and reference-count items written, each measured alone, once, without transaction or marker, per contact. */
  floorPerContact: number;
  /** The processed markers, charged twice (they are in transactions), per contact. */
  markersPerContact: number;
  /** The same, by kind (alone, once), and what the transactions' doubling adds. */
  parts?: AggregateParts;
}
export interface WriteCostResults { mode: string; operations: OperationCost[]; aggregation: AggregationCost[]; durationSeconds: number }


const MARK = '@@writes ';
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs in a child process of its own (as bench/report-cost.ts does): a local environment keeps its configuration,
 * identity provider and handler modules per process, so a second one beside bench/run.ts's would not verify its tokens.
 */
export async function writeCostBenchmark(opts: { quick: boolean; dynamoEndpoint: string; log: (...a: unknown[]) => void }): Promise<WriteCostResults> {
  const dir = mkdtempSync(join(os.tmpdir(), 'waymark-bench-wc-out-'));
  const out = join(dir, 'results.json');
  try {
    const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', '--endpoint', opts.dynamoEndpoint, '--out', out, ...(opts.quick ? ['--quick'] : [])];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' } });
    const tail: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => (line.startsWith(MARK) ? opts.log(line.slice(MARK.length)) : tail.push(line) > 40 && tail.shift()));
    }
    const code = await new Promise<number | null>((done) => child.on('close', done));
    if (code !== 0) throw new Error(`write-cost benchmark failed (exit ${code}):\n${tail.join('\n')}`);
    return JSON.parse(readFileSync(out, 'utf8')) as WriteCostResults;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(opts: { quick: boolean; dynamoEndpoint: string; log: (...a: unknown[]) => void }): Promise<WriteCostResults> {
  const started = performance.now();
  const dataDir = mkdtempSync(join(os.tmpdir(), 'waymark-bench-wc-'));
  const env = await startLocalEnvironment({ dataDir, dynamoEndpoint: opts.dynamoEndpoint, tablePrefix: 'bench-wc-', seed: true, onBackgroundError: () => {} });
  const low = new DynamoDBClient({ endpoint: opts.dynamoEndpoint, region: 'eu-west-2' });
  const scratch = DynamoDBDocumentClient.from(low, { marshallOptions: { removeUndefinedValues: true } });
  const scratchName = (t: TableDefinition) => `bench-wc-scratch-${t.localName}`;
  await ensureTables(low, scratchName);
  const tableIdOf = new Map(tables.map((t) => [env.tableNames[t.id], t] as const));

  // Every write a function sends: its consumed capacity and, for transactions, its actions.
  interface Captured { fn: string; command: string; input: Record<string, any> }
  const captured: Captured[] = [];
  const client = getDocumentClient();
  const NAME = 'benchWriteCost';
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      const fn = currentFunctionId();
      if (!fn || !/TransactWrite|PutItem|UpdateItem|DeleteItem|BatchWrite/.test(command)) return next(args);
      captured.push({ fn, command, input: structuredClone(args.input as Record<string, any>) });
      return next(args);
    },
    { step: 'initialize', name: NAME, priority: 'low' },
  );

  const token = async (u: string) => `Bearer ${await env.idp.issueAccessToken(findDemoUser(u)!)}`;
  const api = async (method: string, path: string, user: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${env.url}${path}`, { method, headers: { authorization: await token(user), 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as Record<string, any>;
  };

  type Kind = Category | 'marker' | 'counter' | 'referenceCounts' | 'journey' | 'yearToken';
  /** Which kind of aggregates item a key is (shared/store/keys.ts): a processed marker, a year's counter token, a journey, a reference count or a counter. */
  const aggregateKind = (pk: string): Kind => {
    const body = pk.replace(/^RETIRED#/, '');
    return pk.startsWith('PROCESSED#') ? 'marker' : pk === keys.countedYear('').pk ? 'yearToken' : body.startsWith('JOURNEY#') ? 'journey' : body.startsWith('REFS#') ? 'referenceCounts' : 'counter';
  };
  /**
   * The units of each item the captured writes wrote, measured alone: written again as a plain PutItem to the scratch
   * copy of its table (same keys and indexes); an update as the item it left, read back; a delete as 1 unit (the
   * items deleted here are reference counts, under 1 KB). Transactional writes count twice, as DynamoDB charges them.
   */
  const measure = async (writes: Captured[]): Promise<{ alone: Record<Kind, number>; charged: number }> => {
    const out: Record<Kind, number> = { record: 0, audit: 0, idempotency: 0, marker: 0, counter: 0, referenceCounts: 0, journey: 0, yearToken: 0 };
    let charged = 0;
    for (const w of writes) {
      const transactional = w.command.startsWith('TransactWrite');
      const actions: Array<Record<string, any>> = transactional ? w.input['TransactItems'] : [{ [w.command.startsWith('Update') ? 'Update' : w.command.startsWith('Delete') ? 'Delete' : 'Put']: w.input }];
      for (const a of actions) {
        const op = a['Put'] ?? a['Update'] ?? a['Delete'];
        const definition = op ? tableIdOf.get(op.TableName) : undefined;
        if (!op || !definition) continue;
        const item = a['Put'] ? op.Item : a['Update'] ? (await scratch.send(new GetCommand({ TableName: op.TableName, Key: op.Key, ConsistentRead: true }))).Item : undefined;
        const kind: Kind =
          definition.id === 'Audit' ? 'audit' : definition.id === 'Aggregates' ? aggregateKind(String(item?.['pk'] ?? op.Key?.pk)) : item?.['type'] === 'idempotency' ? 'idempotency' : 'record';
        const units = item ? ((await scratch.send(new PutCommand({ TableName: scratchName(definition), Item: item, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity?.CapacityUnits ?? 0) : 1;
        out[kind] += units;
        charged += transactional ? 2 * units : units;
      }
    }
    return { alone: out, charged };
  };

  const cost = async (name: string, count: number, fn: string, run: () => Promise<void>): Promise<OperationCost> => {
    await env.drainStreams();
    const from = captured.length;
    await run();
    const writes = captured.slice(from).filter((c) => c.fn === fn);
    const { alone, charged } = await measure(writes);
    const per = (n: number) => r2(n / count);
    const result: OperationCost = {
      name, count, perOperation: per(charged),
      alone: { record: per(alone.record), audit: per(alone.audit), idempotency: per(alone.idempotency) },
      transaction: per(charged - alone.record - alone.audit - alone.idempotency),
    };
    opts.log(`writes: ${name}: ${result.perOperation} WCU each (records alone ${result.alone.record}, audit ${result.alone.audit}, idempotency ${result.alone.idempotency}, transaction ${result.transaction})`);
    return result;
  };

  try {
    await env.drainStreams();
    const n = opts.quick ? 10 : 40;
    const ids: string[] = [];
    const operations: OperationCost[] = [];
    operations.push(await cost('log a contact (POST /contacts, with an Idempotency-Key)', n, 'contacts', async () => {
      for (let i = 0; i < n; i += 1) ids.push(String((await api('POST', '/contacts', 'champion-a1', validContact(), { 'idempotency-key': randomUUID() }))['id']));
    }));
    const escalations: string[] = [];
    operations.push(await cost('raise a concern (POST /contacts/{id}/escalations)', n, 'escalations', async () => {
      for (const id of ids) escalations.push(String((await api('POST', `/contacts/${id}/escalations`, 'champion-a1', { reason: 'asks_for_specialist_support', consent: 'yes' }, { 'idempotency-key': randomUUID() }))['id']));
    }));
    operations.push(await cost('escalation transition: triage (POST /escalations/{id}/transitions)', n, 'escalations', async () => {
      for (const id of escalations) await api('POST', `/escalations/${id}/transitions`, 'supervisor-a', { to: 'triaged', version: 1, targetServiceKind: 'idva' });
    }));

    // Aggregation: contacts logged with the stream held back, then delivered in the poller's batches of up to 100.
    const aggregation: AggregationCost[] = [];
    /** What the aggregator wrote while `run` ran, measured and broken down per contact (or per reference presented). */
    const aggregated = async (what: string, batch: number, contacts: number, run: () => Promise<void>) => {
      await env.drainStreams();
      const from = captured.length;
      await run();
      const writes = captured.slice(from).filter((c) => c.fn === 'aggregator');
      const { alone, charged } = await measure(writes);
      const per = (n: number) => r2(n / contacts);
      const parts: AggregateParts = {
        counters: per(alone.counter), referenceCounts: per(alone.referenceCounts), journeys: per(alone.journey), markers: per(alone.marker), yearTokens: per(alone.yearToken),
        transaction: per(charged - alone.counter - alone.referenceCounts - alone.journey - alone.marker - alone.yearToken),
      };
      const result: AggregationCost = {
        what, perDelivery: batch, contacts, transactions: writes.length, perContact: per(charged),
        floorPerContact: per(alone.counter + alone.referenceCounts), markersPerContact: per(alone.marker * 2), parts,
      };
      opts.log(`writes: aggregation, ${what}, ${batch} a delivery: ${result.perContact} WCU each (${result.transactions} transactions; counters ${parts.counters}, reference counts ${parts.referenceCounts}, journeys ${parts.journeys}, markers ${parts.markers}, year tokens ${parts.yearTokens}, transaction ${parts.transaction})`);
      aggregation.push(result);
    };
    /** Logs `contacts` contacts, `batch` to each delivery to the aggregator (stream delivery held back meanwhile); their references. */
    const logContacts = async (batch: number, contacts: number, body: (i: number) => Record<string, unknown>) => {
      const references: string[] = [];
      for (let done = 0; done < contacts; ) {
        await env.pauseStreams();
        for (let i = 0; i < batch && done < contacts; i += 1, done += 1) references.push(String((await api('POST', '/contacts', 'champion-a1', body(done)))['contactReference']));
        env.resumeStreams();
        await env.drainStreams();
      }
      return references;
    };
    const contacts = opts.quick ? 20 : 100;
    for (const batch of opts.quick ? [1, 20] : [1, 10, 100]) {
      await aggregated('contacts (one IDVA signposting each)', batch, contacts, async () => void (await logContacts(batch, contacts, () => validContact())));
    }
    // The journey path (issue 18's "signposted, then attended"): two contacts in three pointed to the support network, as in
    // the demo, then one session of the network at which the people of half of them show their reference.
    const network = { serviceId: 'service-support-network', mode: 'information_given' };
    let references: string[] = [];
    await aggregated('contacts, two in three also signposted to the support network', contacts, contacts, async () => {
      references = await logContacts(contacts, contacts, (i) => validContact(i % 3 === 2 ? {} : { signposting: [{ serviceId: 'service-idva', mode: 'information_given' }, network] }));
    });
    const presented = references.filter((_, i) => i % 3 !== 2).filter((_, i) => i % 2 === 0);
    await aggregated(`a support session at which ${presented.length} of them show their reference (per reference shown)`, 1, presented.length, async () => {
      await api('POST', '/support-sessions', 'supervisor-a', { sessionDate: ukToday(), venueKind: 'community_centre', strands: ['dasv'], runBy: 'dasv_team', attendance: [{ gender: 'woman', count: presented.length + 2 }], referencesPresented: presented });
      await env.drainStreams();
    });
    return { mode: opts.quick ? 'quick' : 'full', operations, aggregation, durationSeconds: (performance.now() - started) / 1000 };
  } finally {
    client.middlewareStack.remove(NAME);
    await env.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function writeCostMarkdown(r: WriteCostResults): string[] {
  const L = ['## 8. Write cost: DynamoDB write units per operation', ''];
  L.push(`bench/write-cost.ts (${r.mode} run), in a process of its own with its own local environment. Every write the functions send is recorded (through the one document client, attributed to the function by infra/local/grants.ts), and each item it wrote is measured alone with ReturnConsumedCapacity: written again as a plain PutItem to a scratch copy of its table (same keys and indexes, no stream), an update as the item it left (read back), a delete as 1 unit. A transactional write is charged twice those units, as DynamoDB charges it (DynamoDB Local's own ReturnConsumedCapacity for TransactWriteItems is a flat 2 units per table whatever the transaction holds, so it cannot be used directly). Floor: the operation's records alone (the case-table items it writes, without the audit event and the idempotency record, no transaction); each extra is its items alone, and the transaction is what the doubling adds.`, '');
  L.push('| operation | runs | WCU each | records alone (floor) | + audit event | + idempotency record | + transaction (×2) | × floor |');
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const o of r.operations) {
    L.push(`| ${o.name} | ${o.count} | ${o.perOperation} | ${o.alone.record} | ${o.alone.audit} | ${o.alone.idempotency} | ${o.transaction} | ${o.alone.record ? r2(o.perOperation / o.alone.record) : '–'} |`);
  }
  L.push('', 'Aggregation: contacts logged while stream delivery is held back, then released, so that each delivery to the aggregator holds the given number of contacts (the poller hands over up to 100 records a batch; a contact is two or more stream records: the contact and its signposting). Every item the aggregator wrote is measured alone, as above, by kind: counters (`COUNT#`), reference counts (`REFS#`: one item per reference and period, behind the distinct-reference figures), journey items (`JOURNEY#`: one item per reference, behind "signposted, then attended" and attendees by gender, issue 18) processed markers (`PROCESSED#`, one per stream record part) and the years\' counter tokens (`COUNTED`: one per year whose counters a transaction moves, which tell a warm reports instance its remembered figures still hold; docs/METRICS.md); all are written in transactions, so the charge is twice each. Floor: the counters and reference counts alone, once (the figures themselves); each extra is its items alone, and the transaction is what the doubling adds. The last two rows are the journey path: contacts of which two in three are also signposted to the support network (as in the demo), then one support session at which half of those people show their reference (its cost per reference shown).', '');
  L.push('| aggregated | a delivery | contacts (references) | transactions | WCU each | floor: counters + reference counts | + journey items | + markers | + year tokens | + transaction (×2) | × floor |');
  L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const a of r.aggregation) {
    const p = a.parts;
    L.push(`| ${a.what ?? 'contacts'} | ${a.perDelivery} | ${a.contacts} | ${a.transactions} | ${a.perContact} | ${p ? `${p.counters} + ${p.referenceCounts}` : a.floorPerContact} | ${p ? p.journeys : '–'} | ${p ? p.markers : r2(a.markersPerContact / 2)} | ${p?.yearTokens ?? '–'} | ${p ? p.transaction : '–'} | ${a.floorPerContact ? r2(a.perContact / a.floorPerContact) : '–'} |`);
  }
  L.push('');
  return L;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, child: { type: 'boolean', default: false }, endpoint: { type: 'string' }, out: { type: 'string' } } });
  const main = async () => {
    if (!values.child) throw new Error('run it through npm run bench -- --only=writes');
    const results = await run({ quick: values.quick, dynamoEndpoint: values.endpoint!, log: (...m) => console.log(`${MARK}${m.join(' ')}`) });
    writeFileSync(values.out!, JSON.stringify(results));
  };
  main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
}
