import type { VerificationReport } from '../shared/domain/audit-seal';

/**
 * What `npm run audit:verify` prints (issue 27): how many events it checked in
 * how many sealed hours, the hours not sealed yet (the current one cannot be),
 * and, when no hour of the range is sealed, that it checked nothing.
 */
const n = (x: number) => x.toLocaleString('en-GB');

export function summary(report: VerificationReport, digests: string): string {
  const lines = [
    `Audit trail ${report.from} .. ${report.to} (digests: ${digests})`,
    `  checked ${n(report.eventsChecked)} events in ${n(report.periodsChecked)} sealed hours, against ${n(report.digestsChecked)} digests` +
      (report.lateEventsAccepted ? ` (${n(report.lateEventsAccepted)} late events admitted by correction digests)` : ''),
  ];
  if (report.openPeriods.length > 0) {
    const hours = report.openPeriods.length === 1 ? `hour ${report.openPeriods[0]} is` : `${report.openPeriods.length} hours (${report.openPeriods.join(', ')}) are`;
    const their = report.openPeriods.length === 1 ? 'its' : 'their';
    lines.push(`  not sealed yet: ${hours} sealed once over (the current hour cannot be), so ${their} events are not checked yet`);
  }
  if (report.firstBreak) {
    const b = report.firstBreak;
    lines.push(`  BREAK             ${b.kind}: ${b.detail}`);
    if (report.breaks.length > 1) lines.push(`  (${report.breaks.length - 1} more: ${[...new Set(report.breaks.slice(1).map((x) => x.kind))].join(', ')})`);
  } else if (report.periodsChecked === 0) {
    lines.push('  nothing checked: no hour in the range is sealed yet. Run it again after the hour is over (the sealer seals each hour shortly after).');
  } else {
    lines.push(`  verified: no break in the ${n(report.eventsChecked)} events checked`);
  }
  return lines.join('\n');
}

