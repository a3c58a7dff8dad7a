import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from '../http/logger';
import type { BusinessMetric } from './business-metrics';
import type { OperationalMetric } from './operational';

let metrics: Metrics | undefined;

/**
 * Emits one business metric as embedded metric format (one JSON log line that
 * CloudWatch turns into a metric). Only where the stack sets
 * POWERTOOLS_METRICS_NAMESPACE (in AWS): on one machine and in tests it does
 * nothing. Call it on the success path only. A failure to emit never fails the request.
 */
export function emitBusinessMetric(name: BusinessMetric, value = 1): void {
  const namespace = process.env['POWERTOOLS_METRICS_NAMESPACE'];
  if (!namespace) return;
  try {
    metrics ??= new Metrics({ namespace, serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? 'waymark' });
    metrics.addMetric(name, MetricUnit.Count, value);
    metrics.publishStoredMetrics();
  } catch (error) {
    logger.warn('business metric not emitted', { metric: name, error: error instanceof Error ? error.name : 'unknown' });
  }
}

/**
 * Emits one operational metric (shared/metrics/operational.ts), with its own dimensions, as one EMF line;
 * like business metrics, only where the stack sets the namespace, and never failing the caller.
 */
export function emitOperationalMetric(name: OperationalMetric, value: number, dimensions: Readonly<Record<string, string>> = {}): void {
  const namespace = process.env['POWERTOOLS_METRICS_NAMESPACE'];
  if (!namespace) return;
  try {
    metrics ??= new Metrics({ namespace, serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? 'waymark' });
    const single = metrics.singleMetric();
    for (const [key, v] of Object.entries(dimensions)) single.addDimension(key, v);
    single.addMetric(name, MetricUnit.Count, value);
  } catch (error) {
    logger.warn('operational metric not emitted', { metric: name, error: error instanceof Error ? error.name : 'unknown' });
  }
}
