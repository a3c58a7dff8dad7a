import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUSINESS_METRICS } from '../../shared/metrics/business-metrics';
import { OPERATIONAL_METRICS } from '../../shared/metrics/operational';
import { unsealedAgeMinutes } from '../../shared/store/audit-sealer';

/** Lines written to stdout while `run` runs (Powertools Metrics writes EMF there). */
async function captureStdout(run: () => void | Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
    log.mockRestore();
  }
  return lines;
}

describe('business metrics', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('emit nothing where no namespace is configured (one machine, tests)', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', '');
    const { emitBusinessMetric } = await import('../../shared/metrics/emit');
    const lines = await captureStdout(() => emitBusinessMetric(BUSINESS_METRICS.contactsLogged));
    expect(lines.filter((l) => l.includes('_aws'))).toEqual([]);
  });

  it('emit embedded metric format with the service as the only dimension', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Waymark');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'waymark');
    const { emitBusinessMetric } = await import('../../shared/metrics/emit');
    const lines = await captureStdout(() => emitBusinessMetric(BUSINESS_METRICS.escalationsOverdue, 3));
    const emf = lines.map((l) => { try { return JSON.parse(l); } catch { return undefined; } }).find((j) => j?._aws);
    expect(emf).toBeDefined();
    const directive = emf._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe('Waymark');
    expect(directive.Dimensions).toEqual([['service']]);
    expect(directive.Metrics).toEqual([{ Name: 'EscalationsOverdue', Unit: 'Count' }]);
    expect(emf.EscalationsOverdue).toBe(3);
    expect(emf.service).toBe('waymark');
  });
});

describe('operational metrics', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('emit one EMF line with the service and their own dimension (the consumer whose records failed)', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'Waymark');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'waymark');
    const { emitOperationalMetric } = await import('../../shared/metrics/emit');
    const lines = await captureStdout(() => emitOperationalMetric(OPERATIONAL_METRICS.streamRecordsFailed, 4, { consumer: 'aggregator' }));
    const emf = lines.map((l) => { try { return JSON.parse(l); } catch { return undefined; } }).filter((j) => j?._aws);
    expect(emf).toHaveLength(1);
    const directive = emf[0]._aws.CloudWatchMetrics[0];
    expect(directive.Namespace).toBe('Waymark');
    expect(directive.Dimensions[0]).toEqual(expect.arrayContaining(['service', 'consumer']));
    expect(emf[0].StreamRecordsFailed).toBe(4);
    expect(emf[0].consumer).toBe('aggregator');
  });

  it('the age of the oldest unsealed due hour is measured from the end of that hour, 0 when none', () => {
    const now = new Date('2026-11-23T12:07:30Z');
    expect(unsealedAgeMinutes([], now)).toBe(0);
    expect(unsealedAgeMinutes(['2026-11-23T11'], now)).toBe(7);
    expect(unsealedAgeMinutes(['2026-11-23T09', '2026-11-23T11'], now)).toBe(127);
  });
});
