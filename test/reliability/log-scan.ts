import { afterAll, beforeAll, expect } from 'vitest';
import { captureOutput } from '../support/output-capture';

/**
 * Captures everything written to stdout and stderr while a reliability test
 * file runs (Powertools writes JSON log lines there; the handlers, stream
 * pollers and aggregator run in this process) at the most talkative log
 * level, and fails the file if any value the suite wrote into a free-text or
 * personal field — notes, community words, reasons — or a token appears in a
 * log line.
 */
export function useLogScan() {
  const written = new Set<string>();
  let capture: ReturnType<typeof captureOutput> | undefined;
  beforeAll(() => {
    capture = captureOutput('DEBUG');
  });
  afterAll(() => {
    const everything = capture?.text() ?? '';
    capture?.stop();
    const leaked = [...written].filter((value) => everything.includes(value));
    expect(leaked, 'values the suite wrote that appear in a log line').toEqual([]);
    expect(everything.length, 'the capture saw the request logs').toBeGreaterThan(0);
  });
  return {
    /** A value the suite sends that must never be logged; returns it. Short values are not distinctive enough to scan for. */
    secret<T extends string>(value: T): T {
      if (value.length >= 8) written.add(value);
      return value;
    },
    lines: () => capture?.lines() ?? [],
  };
}
