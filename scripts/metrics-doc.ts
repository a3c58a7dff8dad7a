import { DEFAULT_DISCLOSURE, DISCLOSURE_SOURCE } from '../shared/domain/disclosure';
import { dimensionLabels, dimensions, FIGURE_REVISIONS, metricDefinitions, successCriteria } from '../shared/domain/metrics';
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

### The method: one linked set per metric and year, audited by an attacker

A commissioner can ask for any metric by month, quarter or year, overall or by any breakdown, and the same figures
appear again in the outcomes route and the quarterly pack. Protecting each table on its own leaked: a month
suppressed in \`period=month\` was recovered exactly by subtracting the published months of its quarter from the
quarter's total (9 cells on the demo data), and two small cells in one column were recovered when the column's
total left exactly 2 (both must be 1). So disclosure control is decided **once for every figure of a metric and
calendar year** — every period level, every breakdown (and the overall figure they share), every series and row
total — as one linked set (\`linkedFigures\` in \`shared/domain/reports.ts\`, \`protectLinked\` in
\`shared/domain/disclosure.ts\`), and every table is cut from that one decision:

1. **Primary suppression:** every figure from 1 to the threshold.
2. **Line rule:** the set's *lines* are the sums that hold, and so the sums an attacker can use — series add up to a
   row's total, breakdown values to the overall figure (not the strands: a contact about both counts in each, so
   those rows overlap), months to their quarter, quarters to their year (not for distinct counts: a reference once
   a period). A line with exactly one suppressed entry gets a second (its smallest published non-zero member, or its
   total), until nothing changes. A sum that does not hold is no help to an attacker; kept as a line, it only made
   the protection hide far more (every quarter of 'women attending the support network' on the demo data).
3. **Audit:** an attacker then works on all lines at once: **linear algebra** (the lines as equations in the
   suppressed figures; a figure whose pivot row in reduced row echelon form has no free column is fixed by the
   published ones) and **intervals** (each suppressed figure is at least 1, since 0 is always published; bounds
   tightened along every equation until they stop moving). For each figure it recovers, one more entry of a line
   through it is suppressed — or, when every line through it is already suppressed or 0 (it was fixed from further
   away: a January recovered as the year less an age band's year, when that band alone fills the other months), a
   published figure of the equations *near it* that fix it (the lines through it, then through their suppressed
   figures, ring by ring until they fix it): of the nearest, the smallest whose suppression stops the recovery — and
   the rule and the audit run again over every line, until the attacker recovers nothing
   (\`shared/domain/disclosure-audit.ts\`). Near, because in a set of hundreds of teams nearly every line is linked to
   every other through suppressed figures: the smallest figures of the whole set are other teams', whose suppression
   stops nothing here.
4. **Release:** the greedy rounds can hide a figure that a later pick made unnecessary. The overall row's figures —
   the year, then its quarters, then its months — that are hidden but not small are published again, one at a time,
   each only if the attacker then recovers nothing, or only figures that are not small: those are published with it,
   since publishing it gives them away anyway (on a sparse year, the fourth quarter once the year and three quarters
   are out).

A figure is therefore suppressed in every table that shows it, or in none. The outcomes route and the pack read the
same protected figures; a change on an earlier period is published only when both figures are, so it is a
difference of published figures and reveals nothing more.

**Why this method, rather than cell-key perturbation.** The ONS protected the 2021 Census with cell-key perturbation
(noise keyed to the records in each cell), which scales to millions of tables. For Waymark it would mean publishing
figures that are deliberately not the counts — commissioners compare them with their own returns and with targets —
and an attacker who knows the noise bound can still pin a small cell when several perturbed figures sit at their
bounds, so it would need suppression as well. The figures here are small tables (a few dozen values × a handful of
series × 17 periods per year), for which exact suppression with an audit is affordable (tens of milliseconds per
metric and year when most figures are large) and keeps every published figure exactly as counted. The cost is more suppression than a
table-by-table rule: a quarter is suppressed when publishing it would give a suppressed month away. A sparse year —
most figures from 1 to 7, as in a new service's first months — takes seconds to protect on one core, so a warm
instance remembers each set's pattern (by its figures) and serves a repeat without protecting it again. The cost grows
faster than the number of teams where a breakdown by team is sparse: escalations by reason and by time to escalation
split 200 teams' escalations into cells of 0–3 a month, nearly all suppressed, and a region's first report protects
those two sets for minutes (\`bench/protection-profile.ts\` measures it; BENCHMARKS.md §4).

**Protection off the request path.** The \`report-protection\` function (hourly in AWS, one vCPU, up to 15 minutes; at
start and hourly under \`npm start\`) protects every metric's current and previous year and stores the hidden figures in
the Aggregates table (\`PROTECTION#<metric>\`, \`<year>#<threshold>\`), gzipped, with the SHA-256 digest of what decided
them: the rule's version (\`PROTECTION_RULE_VERSION\`), the metric, year, threshold, rows and every value. A report
reads the stored patterns of its metrics' years (one BatchGetItem) and publishes a pattern as it is when its set has the
same digest. When contacts were logged since the run, the set differs: protection starts from the stored pattern (its
figures hidden, but for zeros) and the rule runs as ever, until the attacker recovers nothing, so the figures are as
safe as protected from nothing. A region's sparse year takes seconds that way rather than minutes, and a figure hidden
in the last hour's report stays hidden (release still publishes the headline figures again where that gives nothing
small away). The first run of a day protects each changed set from nothing, so hiding that yesterday's counts needed
and today's do not is shed once a day; the later runs start from the stored pattern. A set unchanged since its pattern
is left alone, and a pattern too large to keep (over 350 KB gzipped) is not stored: reports then start from the last
pattern kept for that set, or from nothing.

**What a warm instance remembers.** Each year has a counter token in the Aggregates table (\`COUNTED\`, \`<year>\`): a
fresh random value written after every change to the year's live counters — by the aggregator once a stream batch's
transactions have landed, by the reconciliation and \`npm run reports:rebuild\` once their repair transactions have landed. The champion
records have one too (\`COUNTED\`, \`CHAMPIONS\`), which the aggregator moves when a champion, a training completion or
a course changes. A report reads the tokens first (one consistent BatchGetItem), then the counters with consistent
Queries, so the counters it reads hold every change whose token had moved; a change landing after the token read is
remembered under that token, and its token moves after it, so the next read differs. Between a batch's counters and
its token (a second or two) a warm instance may serve the figures from before the batch, as a moment earlier. A warm reports instance remembers each metric's year
it has built and protected (48, the least recently used dropped first) by its token (a year with none yet: by the
digest of its counter rows; the champion metrics also by the day, as their stocks are counted on the period's last day
or today), and each report it has assembled (8). Asked again while the tokens have not moved (the commissioner's page
by strand and then by team, its outcomes, the pack, a reload), a report reads the tokens and nothing else: no counter,
no champion, no stored pattern, and it is not assembled or serialised again: the JSON kept with it is sent, gzipped when
the client accepts gzip (a region's report by team: some 2.3 MB, about 110 KB gzipped). A change made around the aggregator and the repairs
(nothing in Waymark does; a hand edit of a counter would) is not seen by a warm instance until the year's token moves.

**What the attacker test shows.** \`test/unit/disclosure-attack.test.ts\` generates random contacts, signposting and
support sessions (fast-check), requests every summable metric at every period level with no breakdown and with each
breakdown, builds the equations from the *published JSON alone* and attacks with exact elimination (BigInt, written
independently of the protection's own audit) and intervals. A run prints the tables published, the suppressed cells
attacked and the cells recovered, which must be 0.

**Limits, stated plainly.** Sums that do not hold (distinct counts across periods, overlapping strand rows) are not
lines, and the inequalities they leave (a quarter's distinct count is at most the sum of its months') are not
attacked. Figures of
different metrics are protected separately: a metric defined as a subset of another (women's earlier help within
earlier help) could in principle bound a hidden cell of the other by inequality; no figure of one metric is an exact
copy of another's (criterion 1 *is* the women row of support network attendance, so it is protected as that row).
"Signposted, then attended" counts each reference once, in one month, so its months add up to quarters and years
and the attacker test attacks it with the other summable metrics.
Medians and 90th percentiles of distributions are published only when the row's total is published and above the
threshold.

### Who may turn it off

Commissioners cannot: \`unsuppressed\` is refused (403) and the outcomes and pack routes have no such option. An
admin may ask \`GET /reports/metrics?unsuppressed=true\`; the read is authorised through the policy and audited
(\`reports.readUnsuppressed\`) before any figure is read.

## The three success criteria

The city's integration plan (item 2.6) judges the programme by three figures, per quarter and year, served by
\`GET /reports/outcomes?from=YYYY-MM&to=YYYY-MM\` (value, target, change on the previous quarter and on the same
quarter a year before) and first on the commissioner's page:

${successCriteria.map((c) => `- **\`${c.id}\`** — ${c.title}: the figure of [\`${c.metric}\`](#${c.metric})${c.row ? ` for ${c.row.dimension} = ${c.row.value}` : ''}.`).join('\n')}

"Women" means contacts (or headcounts) whose gender was recorded as woman; a contact without a recorded gender is not
counted, so each figure is a floor (the contact form encourages recording gender and never requires it). Targets
are set per year by an admin (\`PUT /reports/targets/{year}\` at the version read, audited); a quarter's target is a
quarter of the year's.

The **support network** is recorded as sessions (\`/support-sessions\`): date, team, venue kind (the setting
taxonomy, never an address), strands, whether the DASV team or a partner organisation ran it, and anonymous
headcounts by gender and age band. Attendees may show their contact reference card: references presented are kept
only when their check character is right and Waymark issued them; well-formed references that were never issued are
counted (\`unknownReferences\`), not kept. Supervisors record their team's sessions and admins any team's; champions
do not, even for a session their organisation ran (they give the headcount to their supervisor). The network is a
kind of service (\`support_network\`) in the directory, so signposting to it is recorded like any other.

**Distinct women attendees** (the second half of criterion 1) are the row for women of
[\`support_network_attendees\`](#support_network_attendees) by gender. References presented at a session are not
linked to its headcounts, so a presented reference counts under **the gender recorded on the contacts logged under
it**: when every contact under the reference that recorded a gender recorded the same one, that gender; when none did
(or the reference's contacts are deleted, or were logged by a team whose records are not there), or when they recorded
different ones (say one contact "woman" and a later one "prefers not to say"), it counts as **not recorded** — never
in two rows, so the gender rows add up to the distinct attendees. A correction of a contact's gender moves the
reference, in every period it attended, to its new row. Like every "women" figure it is a floor.

**Signposted, then attended** ([\`signposted_then_attended\`](#signposted_then_attended)) follows the plan's aim
(people pointed to the network who then come) without any identity, through the contact reference alone: a reference
with a signposting to a service of kind \`support_network\` (on a contact that is not deleted) that is later shown at
a session that is not cancelled. "Later" means a session dated on a later day than the reference's earliest such
signposting (dates have no time of day, so a session on the same day is not counted). The reference counts once,
ever, in the month of the first such session — a conversion, so months add up to quarters and years like any count —
under that session's team and strands and the reference's gender (as above). Signposting saved before the reference
was kept on it counts once \`npm run contacts:migrate-community -- --apply\` has given it its contact's reference
(below).

## Closed categories, never free text

Ethnic group and religion are the ONS 2021 Census categories (ethnic group: the 19 categories plus "prefers not to
say"; religion: the 8 categories plus "prefers not to say"), so figures can stand beside census denominators. The
earlier free-text \`demographics.community\` is gone: new contacts cannot carry it (the schema refuses the field), and
for records that still hold it, it is never read by any figure — no counter, row label, CSV, chart or pack is built
from it. **\`npm run contacts:migrate-community\`** removes it from the records that still hold it
(\`scripts/community-migrate.ts\`, the rule in \`shared/domain/community-migration.ts\`): a dry run unless
\`--apply\`, resumable (its progress is kept after each page; run again, it carries on) and idempotent (each write is
conditional on the field still being there at the version read). The text is **removed**, always; the contact gains
an ethnic group only when the text *is* one of the ONS categories — its value or its full label, ignoring case and
spacing — and none was recorded; anything else ("Somali", a name) leaves the ethnic group **not recorded** (choosing a
category from a word would be guessing someone's ethnicity), and religion is never inferred. The tool prints counts,
never the text. The same scan gives every signposting item saved without it its contact's reference (the contact's
own, conditional on the item still lacking one), so it enters "signposted, then attended". Every breakdown value is taken from its
closed list (team ids are made by the system), and anything else is counted as "not recorded"; an integration test
writes free text into every field a figure reads and checks that no metric, breakdown, period, CSV, outcome or pack
carries it.

## How the counters are kept

- **Aggregator** (\`functions/aggregator\`, a stream consumer of the case table): for each stream record it applies
  \`contributions(new image) − contributions(old image)\` to counter items in the **Aggregates** table with atomic
  \`ADD\`s. A stream batch is applied in as few \`TransactWriteItems\` as the 100-action limit allows: consecutive
  records are grouped, their deltas summed per item, and each record's processed marker (\`PROCESSED#<eventID>\`, put
  only if absent; expires by TTL after 2 days, longer than the stream's 24 hours) is in the transaction that carries
  its deltas. A redelivered record fails its marker's condition, is taken out of its group (the cancellation reasons
  name it) and changes nothing; a group that fails stops the batch there, and ReportBatchItemFailures redelivers it and
  what follows. A record needing more than 99 actions alone is split into parts in a fixed order, each with its own marker.
  In AWS: ReportBatchItemFailures, bisect on error, 5 retries, then an encrypted SQS on-failure queue; on one machine the
  local stream poller calls the same handler.
- **Counter items:** \`pk = COUNT#<metric>#<dimension|all>#<month|quarter|year>\`, \`sk = <period>#<value>#<series>\`,
  attribute \`n\`. A report reads one Query per metric and dimension over its periods: the cost depends on the periods,
  breakdown values and series, never on the number of contacts.
- **Distinct contact references:** \`REFS#<period kind>#<period>#<reference>\` holds, in one attribute per breakdown
  value (\`n:<dimension>|<value>\`), how many counted contacts carry the reference there, and a version \`v\`. The
  aggregator reads it, writes it back whole conditionally on the version read, and adds 1 to the distinct counter of
  each breakdown value whose count goes 0 → positive (−1 when it returns to 0); a concurrent change fails the condition
  and the group is applied again from a fresh read. Months, quarters and years are kept separately (distinct counts do
  not add up). One item per reference and period (not per breakdown value) keeps a contact's writes to three items.
- **Journeys** (figures that join records of different kinds under one contact reference: "signposted, then
  attended" and distinct attendees by gender): \`JOURNEY#<reference>\` holds one attribute per entry — \`n:g|<gender>\`
  (counted contacts under the reference, by recorded gender), \`n:s|<date>\` (its signposting to the support network,
  by the contact's date), \`n:p|<date>|<dimension>|<value>\` (shown at a session of that date, overall, by team and by
  strand) — and a version \`v\`. Each contact, signposting item and session contributes its entries
  (\`contributions\`); the aggregator reads the item, writes it back conditionally on the version read, and moves by
  ±1 each counter the journey's derived cells (\`journeyCells\` in shared/domain/metrics.ts) enter or leave. So a
  contact logged after the session, a signposting corrected away, a session cancelled, a gender corrected are all
  applied wherever they land in the stream. Signposting items carry their contact's reference for this. A change whose
  derived counters do not fit one transaction (a reference shown in very many periods whose gender changes) writes the
  item, its marker and the first counters together and the remaining counter ADDs just after; were the process to stop
  in between, the scheduled reconciliation finds and repairs the difference. TTL expiry leaves the journey as it is
  and adds what the record contributed to \`RETIRED#JOURNEY#<reference>\`.
- **Expiry:** a REMOVE made by DynamoDB's TTL (\`userIdentity\` \`dynamodb.amazonaws.com\`) does not change the figures
  (past months do not fall); what the record contributed goes to a **retired** ledger (\`RETIRED#...\`). A deletion by
  a person (a contact marked deleted, a signposting removed, an item deleted, an erasure at the person's request) is
  subtracted. ${FIGURE_REVISIONS}
- **Scheduled reconciliation:** the \`reconciler\` function (daily in AWS; at start and daily under \`npm start\`)
  recomputes the counters of the current year and of one older year (walking back a year per run) from the case
  records, read with Queries, repairs each difference and emits \`CountersRepaired\` (alarmed when not 0); see
  [RELIABILITY.md](RELIABILITY.md) §10. A journey spans years (signposted in December, attended in January), so one
  year's records cannot decide it: the scheduled run checks the counters journeys keep against the stored journeys of
  the references shown at the year's sessions (the item and its counters are written in one transaction, so they
  disagree only after a failure), and the full rebuild below checks the journeys themselves against every record.
- **Reconciliation:** \`npm run reports:rebuild\` scans the case table (an operator's tool; product code never scans),
  recomputes every counter (source records + retired ledger), every reference count and every journey entry, reports
  each difference, and with \`--repair\` ADDs the difference.
`;
}
