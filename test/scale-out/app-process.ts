// The app's own entry points as real processes: the web process (`npm start`: src/server.ts) and
// a worker (`npm run worker`: src/worker.ts), run from source with tsx as the scripts run the
// built files. Their JSON log lines (pino's shape, both of them) are kept and can be waited on.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface LogLine {
  level: number;
  time: number;
  msg: string;
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class AppProcess {
  readonly process: ChildProcessWithoutNullStreams;
  readonly lines: LogLine[] = [];
  /** Everything that was not a JSON log line (stderr, stray output): shown when a wait fails. */
  other = '';
  readonly exited: Promise<Exit>;
  private readonly waiters: { test: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];

  constructor(
    readonly name: string,
    entry: 'src/server.ts' | 'src/worker.ts',
    env: Record<string, string>,
  ) {
    this.process = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], { cwd: ROOT, env, stdio: 'pipe' });
    let pending = '';
    this.process.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const line of complete) this.line(line);
    });
    this.process.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.other += chunk));
    this.exited = new Promise((resolve) => this.process.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Lines whose message is `msg`. */
  logged(msg: string): LogLine[] {
    return this.lines.filter((line) => line.msg === msg);
  }

  /** The first line (already logged or to come) that passes the test; fails if the process exits
   * or `timeoutMs` passes first. */
  waitFor(test: (line: LogLine) => boolean, what: string, timeoutMs = 30_000): Promise<LogLine> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: timed out waiting for ${what}\n${this.transcript()}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void this.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code ?? signal}) before ${what}\n${this.transcript()}`));
      });
    });
  }

  /** Stops it at once (and waits), if it still runs. */
  async kill(): Promise<void> {
    if (this.running) this.process.kill('SIGKILL');
    await this.exited;
  }

  transcript(): string {
    return [...this.lines.map((line) => JSON.stringify(line)), this.other].join('\n').slice(-6_000);
  }

  private line(text: string): void {
    let parsed: LogLine;
    try {
      parsed = JSON.parse(text) as LogLine;
    } catch {
      this.other += `${text}\n`;
      return;
    }
    this.lines.push(parsed);
    for (const waiter of this.waiters.splice(0)) {
      if (waiter.test(parsed)) waiter.resolve(parsed);
      else this.waiters.push(waiter);
    }
  }
}

/** A port nothing listens on (Probot's server takes no port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
