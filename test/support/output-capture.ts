import { vi } from 'vitest';
import { logger } from '../../shared/http/logger';

type LogLevel = Parameters<typeof logger.setLogLevel>[0];

/**
 * Captures everything written to stdout and stderr (Powertools writes its JSON
 * log lines there; handlers run in the test's process) at a chosen log level,
 * still passing it through. `stop()` restores the streams and the quiet level.
 */
export function captureOutput(level: LogLevel) {
  const captured: string[] = [];
  logger.setLogLevel(level);
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  return {
    text: () => captured.join(''),
    lines: () => captured.join('').split('\n').filter((l) => l.startsWith('{')),
    stop() {
      vi.restoreAllMocks();
      logger.setLogLevel('ERROR');
    },
  };
}
