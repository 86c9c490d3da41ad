// A JobLogger that keeps its lines, for tests that assert what a job logged.
import type { JobLogger } from '../../src/jobs/types.js';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  meta: Record<string, unknown>;
}

export function recordingLog(): JobLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (meta, message) => lines.push({ level: 'info', message, meta }),
    warn: (meta, message) => lines.push({ level: 'warn', message, meta }),
    error: (meta, message) => lines.push({ level: 'error', message, meta }),
  };
}
