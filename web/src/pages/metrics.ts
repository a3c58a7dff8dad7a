/**
 * The commissioner's metrics dashboard: aggregate figures only, under
 * disclosure control. Each metric has its definition beside it, a bar chart
 * (inline SVG, hidden from assistive technology) and a visible table that
 * carries the same figures; suppressed figures are marked and explained.
 * CSV is fetched with the bearer token in a header and saved from a Blob.
 */
import { api, apiFile, ApiError } from '../api';
import { $, fieldValue, html, ukToday, type Html } from '../dom';
import { button, details, select, showErrors, tag } from '../govuk';
import type { PageContext } from '../router';
import type { Figure, MetricDefinitionView, ReportDefinitions, ReportRowView, ReportView } from '../types';

/** The main figures the dashboard shows (the CSV holds every metric). */
const MAIN_METRICS = [
  'contacts',
  'contact_references',
  'earlier_help_contacts',
  'signposted',
  'escalations_raised',
  'escalations_before_emergency',
  'champions_current',
  'contacts_per_active_champion',
  'support_network_attendees',
  'signposted_then_attended',
];
const BREAKDOWNS = ['none', 'strand', 'team', 'gender', 'ageBand', 'ethnicGroup', 'religion'] as const;

interface Query {
  from: string;
  to: string;
  period: string;
  breakdown: string;
}

const monthsBefore = (month: string, n: number): string => {
  const i = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 - n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "2026-03" → "Mar 2026"; "2026-Q1" and "2026" as they are. */
const periodLabel = (p: string): string => (/^\d{4}-\d{2}$/.test(p) ? `${MONTHS[Number(p.slice(5, 7)) - 1]} ${p.slice(0, 4)}` : p.replace('-', ' '));
const periodShort = (p: string): string => (/^\d{4}-\d{2}$/.test(p) ? `${MONTHS[Number(p.slice(5, 7)) - 1]} ${p.slice(2, 4)}` : p.replace(/^\d\d(\d\d)-/, '$1 '));

const isSuppressed = (f: Figure | null | undefined): f is { suppressed: true } => typeof f === 'object' && f !== null && f.suppressed === true;

/** The one figure of a row: its total, its single series, or the ratio. */
function figureOf(row: ReportRowView | undefined, seriesIds: readonly string[]): Figure | null {
  if (!row) return null;
  if (row.total !== undefined) return row.total;
  if (seriesIds.length === 1) return row.cells[seriesIds[0] as string] ?? null;
  return row.cells['ratio'] ?? null;
}

const SUPPRESSED_NOTE_ID = 'suppressed-note';
const cell = (f: Figure | null): Html =>
  isSuppressed(f) ? html`${tag('Suppressed', 'grey')}` : f === null ? html`<span aria-hidden="true">–</span><span class="govuk-visually-hidden">not applicable</span>` : html`${f.toLocaleString('en-GB')}`;

// ---- The chart: grouped bars, inline SVG, decorative (the table beside it is the alternative) ------

let chartIds = 0;
function barChart(periods: readonly string[], series: readonly { label: string; values: (Figure | null)[] }[]): Html {
  const id = ++chartIds;
  // Drawn at about the width of a phone's column (360), so its 14-unit labels are about 14 px where they are read most.
  const W = 360;
  const H = 200;
  const left = 44;
  const bottom = 26;
  const top = 10;
  const plotH = H - bottom - top;
  const nums = series.flatMap((s) => s.values.filter((v): v is number => typeof v === 'number'));
  const rawMax = Math.max(1, ...nums);
  const step = Math.pow(10, Math.floor(Math.log10(rawMax)));
  const max = Math.ceil(rawMax / step) * step;
  const slot = (W - left) / Math.max(1, periods.length);
  const barW = Math.max(2, Math.min(28, (slot * 0.8) / Math.max(1, series.length)));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  // A period label is about 50 units wide at 14 units high: label every period there is room for.
  const labelEvery = Math.max(1, Math.ceil(52 / slot));
  const bars = periods.map((p, i) => {
    const x0 = left + i * slot + (slot - barW * series.length) / 2;
    return html`${series.map((s, j) => {
      const v = s.values[i];
      const x = (x0 + j * barW).toFixed(1);
      if (isSuppressed(v)) return html`<rect class="wm-bar-suppressed" x="${x}" y="${top + plotH - 12}" width="${(barW - 1).toFixed(1)}" height="12" fill="url(#wm-hatch-${id})"></rect>`;
      if (typeof v !== 'number' || v === 0) return html``;
      return html`<rect class="wm-bar-${j % 4}" x="${x}" y="${y(v).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${(top + plotH - y(v)).toFixed(1)}"></rect>`;
    })}${i % labelEvery === 0 ? html`<text class="wm-chart-label" x="${(left + i * slot + slot / 2).toFixed(1)}" y="${H - 8}" text-anchor="middle">${periodShort(p)}</text>` : ''}`;
  });
  const ticks = [0, max / 2, max].map(
    (t) => html`<line class="wm-chart-grid" x1="${left}" x2="${W}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"></line><text class="wm-chart-label" x="${left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${Number.isInteger(t) ? t : t.toFixed(1)}</text>`,
  );
  return html`<div class="wm-chart"><svg viewBox="0 0 ${W} ${H}" aria-hidden="true" focusable="false" role="presentation">
<defs><pattern id="wm-hatch-${id}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#505a5f" stroke-width="3"></line></pattern></defs>
${ticks}${bars}</svg>
<ul class="wm-legend" aria-hidden="true">${series.length > 1 ? series.map((s, j) => html`<li><span class="wm-swatch wm-swatch-${j % 4}"></span>${s.label}</li>`) : ''}<li><span class="wm-swatch wm-swatch-suppressed"></span>Suppressed</li></ul></div>`;
}

// ---- One metric: definition, chart, table -------------------------------------------------------

function metricSection(m: ReportView['metrics'][number], def: MetricDefinitionView | undefined): Html {
  const seriesIds = m.series.map((s) => s.id);
  const periods = m.periods.map((p) => p.period);
  const first = m.periods[0];
  const breakdownRows = first && first.total ? first.rows.map((r) => ({ value: r.value, label: r.label })) : [];
  const columns = breakdownRows.length ? [...breakdownRows, { value: '*', label: 'All' }] : [{ value: '*', label: m.title }];
  const valueAt = (pi: number, value: string): Figure | null => {
    const p = m.periods[pi];
    if (!p) return null;
    const row = value === '*' ? (p.total ?? p.rows[0]) : p.rows.find((r) => r.value === value);
    return figureOf(row, seriesIds);
  };
  const charted = breakdownRows.length ? breakdownRows : columns;
  const headingId = `metric-${m.id}`;
  return html`<section class="wm-metric" aria-labelledby="${headingId}">
<h2 class="govuk-heading-m" id="${headingId}">${m.title}</h2>
${def ? html`<p class="govuk-body">${def.definition}</p>${details('How it is counted', html`<p class="govuk-body-s">${def.counts}</p>${def.notes ? html`<p class="govuk-body-s">${def.notes}</p>` : ''}`)}` : ''}
${barChart(periods, charted.map((c) => ({ label: c.label, values: periods.map((_, i) => valueAt(i, c.value)) })))}
${details(`${m.title}: the figures`, html`<div class="wm-table-wrap" tabindex="0" role="region" aria-label="${m.title}, by ${m.periods.length > 1 ? 'period' : 'value'}"><table class="govuk-table wm-table--small">
<caption class="govuk-table__caption govuk-table__caption--s">${m.title}: the figures in the chart</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Period</th>${columns.map((c) => html`<th scope="col" class="govuk-table__header govuk-table__header--numeric">${c.label}</th>`)}</tr></thead>
<tbody class="govuk-table__body">${periods.map(
    (p, i) =>
      html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${periodLabel(p)}</th>${columns.map((c) => {
        const f = valueAt(i, c.value);
        return html`<td class="govuk-table__cell govuk-table__cell--numeric"${isSuppressed(f) ? html` aria-describedby="${SUPPRESSED_NOTE_ID}"` : ''}>${cell(f)}</td>`;
      })}</tr>`,
  )}</tbody></table></div>`)}
</section>`;
}

// ---- The three headline figures: the plan's success criteria, with trend and target ------------------

interface OutcomePoint {
  period: string;
  value: Figure;
  target: number | null;
  changeOnPrevious: number | null;
  changeOnYearBefore: number | null;
}
interface OutcomesView {
  criteria: Array<{ id: string; title: string; metric: string; quarters: OutcomePoint[]; years: OutcomePoint[]; people: { title: string; quarters: { period: string; value: Figure }[] } | null }>;
}

const signed = (n: number | null, what: string): Html =>
  n === null ? html`<span class="wm-secondary">No change shown on ${what} (a figure is suppressed)</span>` : html`${n > 0 ? '+' : n < 0 ? '−' : '±'}${Math.abs(n).toLocaleString('en-GB')} on ${what}`;

function headline(c: OutcomesView['criteria'][number]): Html {
  const latest = c.quarters.at(-1);
  const people = c.people?.quarters.at(-1);
  const headingId = `headline-${c.id}`;
  const progress = latest && typeof latest.value === 'number' && latest.target ? Math.round((latest.value / latest.target) * 100) : null;
  return html`<div class="wm-headline" role="group" aria-labelledby="${headingId}">
<h2 class="govuk-heading-s wm-headline__title" id="${headingId}">${c.title}</h2>
<p class="wm-headline__figure">${latest ? cell(latest.value) : '–'}</p>
<p class="govuk-body-s wm-headline__period">${latest ? periodLabel(latest.period) : ''}${latest?.target !== null && latest?.target !== undefined ? html` · target ${latest.target.toLocaleString('en-GB')}${progress !== null ? html` (${progress}%)` : ''}` : html` · no target set`}</p>
<p class="govuk-body-s">${latest ? html`${signed(latest.changeOnPrevious, 'the previous quarter')}<br>${signed(latest.changeOnYearBefore, 'the same quarter a year before')}` : ''}</p>
${people ? html`<p class="govuk-body-s">${c.people?.title}: <strong>${cell(people.value)}</strong> in ${periodLabel(people.period)}</p>` : ''}
${barChart(c.quarters.map((q) => q.period), [{ label: c.title, values: c.quarters.map((q) => q.value) }])}
${details('Each quarter', html`<div class="wm-table-wrap" tabindex="0" role="region" aria-label="${c.title}, by quarter"><table class="govuk-table wm-table--small">
<caption class="govuk-table__caption govuk-table__caption--s">${c.title}: by quarter</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Quarter</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Value</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Target</th></tr></thead>
<tbody class="govuk-table__body">${c.quarters.map((q) => html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${periodLabel(q.period)}</th><td class="govuk-table__cell govuk-table__cell--numeric"${isSuppressed(q.value) ? html` aria-describedby="${SUPPRESSED_NOTE_ID}"` : ''}>${cell(q.value)}</td><td class="govuk-table__cell govuk-table__cell--numeric">${q.target === null ? '–' : q.target.toLocaleString('en-GB')}</td></tr>`)}</tbody></table></div>`)}
</div>`;
}

// ---- The page -----------------------------------------------------------------------------------

// The tables of figures wait behind "details" on screen (the page stays a phone's length); printed, every one is open.
let printing: HTMLDetailsElement[] = [];
window.addEventListener('beforeprint', () => {
  printing = [...document.querySelectorAll<HTMLDetailsElement>('#app details:not([open])')];
  for (const d of printing) d.open = true;
});
window.addEventListener('afterprint', () => {
  for (const d of printing) d.open = false;
  printing = [];
});

export async function metricsPage(ctx: PageContext): Promise<void> {
  const thisMonth = ukToday().slice(0, 7);
  const query: Query = (ctx.params['query'] as Query | undefined) ?? { from: monthsBefore(thisMonth, 11), to: thisMonth, period: 'month', breakdown: 'strand' };
  const [definitions, outcomes] = await Promise.all([
    api<ReportDefinitions>('GET', '/reports/definitions'),
    // The last six quarters (this one included), so each headline has a trend and a year-before comparison.
    api<OutcomesView>('GET', '/reports/outcomes', { query: { from: monthsBefore(thisMonth, 17), to: thisMonth } }),
  ]);
  let report: ReportView | undefined;
  let problem: ApiError | undefined;
  try {
    report = await api<ReportView>('GET', '/reports/metrics', { query: { ...query, metrics: MAIN_METRICS.join(',') } });
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) problem = error;
    else throw error;
  }
  const defs = new Map(definitions.metrics.map((d) => [d.id, d]));
  const threshold = report?.disclosure.threshold ?? definitions.disclosure.threshold;
  const dimensionLabel = (d: string) => (d === 'none' ? 'No breakdown' : d === 'strand' ? 'Strand' : d === 'team' ? 'Team' : (definitions.dimensions[d] ?? d));

  ctx.render(html`<h1 class="govuk-heading-l">Outcome figures</h1>
<p class="govuk-body">Aggregate figures from the champion network. No single contact is ever shown.</p>
<section class="wm-headlines" aria-labelledby="headlines-heading">
<h2 class="govuk-heading-m" id="headlines-heading">The plan's three success criteria</h2>
<p class="govuk-body-s wm-secondary">Each quarter, against the target set for the year (a quarter of it). "Women" means contacts or headcounts whose gender was recorded as woman.</p>
<div class="wm-headline-grid">${outcomes.criteria.map(headline)}</div>
</section>
<div class="govuk-inset-text" id="${SUPPRESSED_NOTE_ID}">${tag('Suppressed', 'grey')} <strong>Small numbers are not shown.</strong> Counts from 1 to ${threshold} are suppressed so that no one can be identified, and some other figures are suppressed too where they would let a hidden count be worked out from a total. Zero is shown as 0.</div>
<form id="report-form" class="wm-filters" novalidate>
  <h2 class="govuk-heading-s">Figures for</h2>
  <div class="govuk-form-group" data-field="from" data-label="From" data-target="field-from"><label class="govuk-label" for="field-from">From (month)</label><input class="govuk-input govuk-input--width-10" id="field-from" name="from" type="month" value="${query.from}"></div>
  <div class="govuk-form-group" data-field="to" data-label="To" data-target="field-to"><label class="govuk-label" for="field-to">To (month)</label><input class="govuk-input govuk-input--width-10" id="field-to" name="to" type="month" value="${query.to}"></div>
  ${select({ name: 'period', label: 'By', value: query.period, options: definitions.periods.map((p) => ({ value: p, label: p === 'month' ? 'Month' : p === 'quarter' ? 'Quarter' : 'Year' })) })}
  ${select({ name: 'breakdown', label: 'Broken down by', value: query.breakdown, options: BREAKDOWNS.map((b) => ({ value: b, label: dimensionLabel(b) })) })}
  <div class="govuk-button-group">${button('Show figures', { secondary: true })}${button('Download CSV', { type: 'button', secondary: true, attrs: html` id="download-csv"` })}${button('Download the quarterly pack (XLSX)', { type: 'button', secondary: true, attrs: html` id="download-pack"` })}${button('Print', { type: 'button', secondary: true, attrs: html` id="print-page"` })}</div>
  <p class="govuk-body-s" id="download-status" aria-live="polite"></p>
</form>
${report
    ? html`<p class="govuk-body-s">Showing ${periodLabel(report.from)} to ${periodLabel(report.to)}, by ${report.period}${report.breakdown !== 'none' ? html`, broken down by ${dimensionLabel(report.breakdown).toLowerCase()}` : ''}. The CSV holds every metric, with its definition on each line.</p>
${report.metrics.map((m) => metricSection(m, defs.get(m.id)))}
${report.omitted.length ? html`<p class="govuk-body-s">Not available with this breakdown: ${report.omitted.map((o) => defs.get(o.id)?.title ?? o.id).join(', ')}.</p>` : ''}`
    : ''}`);
  if (problem) showErrors(ctx.root, problem.issues, problem.message);

  const form = $<HTMLFormElement>('#report-form', ctx.root);
  const read = (): Query => ({
    from: fieldValue(form, 'from') ?? '',
    to: fieldValue(form, 'to') ?? '',
    period: fieldValue(form, 'period') ?? 'month',
    breakdown: fieldValue(form, 'breakdown') ?? 'none',
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate('metrics', { query: read() });
  });
  $('#print-page', form).addEventListener('click', () => window.print());
  $('#download-pack', form).addEventListener('click', () => {
    const status = $('#download-status', form);
    const quarter = `${thisMonth.slice(0, 4)}-Q${Math.floor((Number(thisMonth.slice(5, 7)) - 1) / 3) + 1}`;
    status.textContent = 'Preparing the pack…';
    apiFile('/reports/pack', { quarter }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .then(({ blob, filename }) => {
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = filename ?? `waymark-pack-${quarter}.xlsx`;
        a.hidden = true;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        status.textContent = 'The pack has been downloaded.';
      })
      .catch((error: unknown) => {
        status.textContent = '';
        if (!(error instanceof ApiError)) throw error;
        showErrors(ctx.root, [], error.message);
      });
  });
  $('#download-csv', form).addEventListener('click', () => {
    const status = $('#download-status', form);
    const q = read();
    status.textContent = 'Preparing the CSV…';
    apiFile('/reports/metrics', { ...q }, 'text/csv')
      .then(({ blob, filename }) => {
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = filename ?? `waymark-${q.from}-${q.to}.csv`;
        a.hidden = true;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        status.textContent = 'The CSV has been downloaded.';
      })
      .catch((error: unknown) => {
        status.textContent = '';
        if (!(error instanceof ApiError)) throw error;
        showErrors(ctx.root, [], error.message);
      });
  });
}
