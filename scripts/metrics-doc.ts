import { DEFAULT_DISCLOSURE, DISCLOSURE_SOURCE } from '../shared/domain/disclosure';
import { dimensionLabels, dimensions, metricDefinitions } from '../shared/domain/metrics';
import { MAX_REPORT_MONTHS } from '../shared/domain/reports';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/METRICS.md, generated from the one file of metric definitions (shared/domain/metrics.ts). */
export function buildMetricsDoc(): string {
  const summary = metricDefinitions.map(
    (m) => `| [\`${m.id}\`](#${m.id}) | ${cell(m.title)} | ${m.briefFigure} | ${m.kind} | ${m.source === 'counters' ? 'counters (stream)' : 'at report time'} | ${m.dimensions.join(', ') || '—'} |`,
  );
  const sections = metricDefinitions.map((m) => {
    const series =
      m.series.length > 1 || m.series[0]?.id !== 'count'
        ? `\n- **Split into:** ${m.series.map((s) => `\`${s.id}\` (${s.label}${s.from !== undefined ? `: ${s.from}${s.to !== undefined ? `–<${s.to}` : '+'} ${m.unit ?? ''}` : ''})`).join(', ')}`
        : '';
    return `### ${m.id}

**${m.title}.** ${m.definition}

- **Counts:** ${m.counts}
- **Breakdowns:** ${m.dimensions.map((d) => `\`${d}\``).join(', ') || 'none'}; periods: month, quarter, year
- **Kept:** ${m.source === 'counters' ? 'as counters, by the aggregator, from the case table\'s stream' : 'computed when the report is read'}${series}${m.notes ? `\n- **Notes:** ${m.notes}` : ''}
`;
  });
  return `# Reporting metrics

Generated from \`shared/domain/metrics.ts\` by \`npm run docs\`; a test fails when it is stale. The same definitions are
served by \`GET /reports/definitions\`, and every figure of \`GET /reports/metrics\` (JSON or CSV) names its metric.

Figures answer "The figures commissioners ask for" in the brief (column "brief"). A report covers up to
${MAX_REPORT_MONTHS} months, by month, quarter or year (a range is widened to whole quarters or years), with at most one
breakdown:

${dimensions.map((d) => `- \`${d}\` — ${dimensionLabels[d]}`).join('\n')}

| metric | title | brief | kind | kept as | breakdowns |
|---|---|---|---|---|---|
${summary.join('\n')}

## Disclosure control

Every published figure goes through \`shared/domain/disclosure.ts\`. Default: ${DISCLOSURE_SOURCE} Threshold
${DEFAULT_DISCLOSURE.threshold} (\`DISCLOSURE_THRESHOLD\`), rounding ${DEFAULT_DISCLOSURE.roundingBase === 0 ? 'off' : `to ${DEFAULT_DISCLOSURE.roundingBase}`} by default
(\`DISCLOSURE_ROUNDING_BASE=5\` for the HES option). A suppressed figure is \`{"suppressed": true}\` in JSON and
\`suppressed\` in CSV. Commissioners cannot turn it off; an admin may ask for \`unsuppressed=true\`, and that read is
audited (\`reports.readUnsuppressed\`) before any figure is read.

Each figure table is the breakdown values (rows) × the metric's series (columns), with row totals (when the series
add up), column totals (the figure over every value) and a grand total. Counts from 1 to the threshold are
suppressed; then, until nothing changes, any row or column whose total is published and that has exactly one
suppressed entry gets a second one suppressed — the smallest published non-zero entry, or the total if there is
none. Zero is published as zero.

## How the counters are kept

- **Aggregator** (\`functions/aggregator\`, a stream consumer of the case table): for each stream record it applies
  \`contributions(new image) − contributions(old image)\` to counter items in the **Aggregates** table with atomic
  \`ADD\`s, in one \`TransactWriteItems\` with a processed marker for the record (\`PROCESSED#<eventID>\`, put only if
  absent; expires by TTL after 2 days, longer than the stream's 24 hours). A redelivered record finds its marker and
  changes nothing. A record needing more than 99 actions is split into parts in a fixed order, each with its own marker.
  In AWS: ReportBatchItemFailures, bisect on error, 5 retries, then an encrypted SQS on-failure queue; on one machine the
  local stream poller calls the same handler.
- **Counter items:** \`pk = COUNT#<metric>#<dimension|all>#<month|quarter|year>\`, \`sk = <period>#<value>#<series>\`,
  attribute \`n\`. A report reads one Query per metric and dimension over its periods: the cost depends on the periods,
  breakdown values and series, never on the number of contacts.
- **Distinct contact references:** \`REFCOUNT#<dimension>#<value>#<period kind>#<period>#<reference>\` holds how many
  counted contacts carry the reference there. The aggregator reads it, writes it back conditionally on the value read,
  and adds 1 to the distinct counter when it goes 0 → 1 (−1 when it returns to 0); a concurrent change fails the
  condition and the record is applied again. Months, quarters and years are kept separately (distinct counts do not add
  up).
- **Expiry:** a REMOVE made by DynamoDB's TTL (\`userIdentity\` \`dynamodb.amazonaws.com\`) does not change the figures
  (past months do not fall); what the record contributed goes to a **retired** ledger (\`RETIRED#...\`). A deletion by
  a person (a contact marked deleted, a signposting removed, an item deleted) is subtracted.
- **Scheduled reconciliation:** the \`reconciler\` function (daily in AWS; at start and daily under \`npm start\`)
  recomputes the counters of the current year and of one older year (walking back a year per run) from the case
  records, read with Queries, repairs each difference and emits \`CountersRepaired\` (alarmed when not 0); see
  [RELIABILITY.md](RELIABILITY.md) §10.
- **Reconciliation:** \`npm run reports:rebuild\` scans the case table (an operator's tool; product code never scans),
  recomputes every counter (source records + retired ledger), reports each difference, and with \`--repair\` ADDs the
  difference.
`;
}
