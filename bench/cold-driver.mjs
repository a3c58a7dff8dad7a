// One cold start: import a bundled handler, invoke it once, report time since process start and peak RSS.
// argv: bundle path, event JSON path. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const loadStart = performance.now();
const mod = await import(pathToFileURL(bundle).href);
const loaded = performance.now();
const context = {
  callbackWaitsForEmptyEventLoop: true, functionName: 'bench', functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:bench', memoryLimitInMB: '512',
  awsRequestId: crypto.randomUUID(), logGroupName: '/aws/lambda/bench', logStreamName: 'local',
  getRemainingTimeInMillis: () => 10_000, done() {}, fail() {}, succeed() {},
};
let status;
try {
  const res = await mod.handler(event, context);
  status = res && typeof res === 'object' && 'statusCode' in res ? res.statusCode : 'ok';
} catch (e) {
  status = `error: ${e?.message ?? e}`;
}
const done = performance.now();
process.stdout.write(`${JSON.stringify({ totalMs: done, importMs: loaded - loadStart, invokeMs: done - loaded, status, maxRssKb: process.resourceUsage().maxRSS })}\n`);
process.exit(0);
