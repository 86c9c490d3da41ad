// A JobLogger writing one JSON object a line, in the shape Probot's logger (pino) writes, so the
// web process and the workers log alike (and pino-pretty reads both).
import type { JobLogger } from './types.js';

const LEVELS = { info: 30, warn: 40, error: 50 } as const;

export function createJsonLog(write: (line: string) => void = (line) => void process.stdout.write(line), base: Record<string, unknown> = {}): JobLogger {
  const log = (level: keyof typeof LEVELS) => (meta: Record<string, unknown>, message: string) =>
    write(`${JSON.stringify({ level: LEVELS[level], time: Date.now(), ...base, ...meta, msg: message })}\n`);
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
