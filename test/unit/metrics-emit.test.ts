import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUSINESS_METRICS } from '../../shared/metrics/business-metrics';

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
