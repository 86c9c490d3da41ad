// The GitHub App as `npm start` runs it — the built dist/server.js in a process of its own — or a
// queue worker as `npm run worker` runs it (dist/worker.js), with the environment a bench gives it, its JSON log lines collected as they come, and a stop that
// waits for the process to be gone (SIGTERM, then SIGKILL after a grace period).
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');
export const WORKER = path.join(ROOT, 'dist', 'worker.js');

export interface LogLine {
  level: number;
  time: number;
  msg: string;
  [field: string]: unknown;
}

export interface AppProcess {
  /** http://127.0.0.1:<port> (a worker listens on none: nothing answers there). */
  url: string;
  /** Where GitHub delivers: Probot's default webhook path. */
  webhookUrl: string;
  pid: number;
  /** Every JSON log line so far, in order. */
  logs: LogLine[];
  /** Resolves with the first line (from index `from` of logs) that matches; rejects on timeout or
   * when the process exits. */
  waitForLog(match: (line: LogLine) => boolean, options?: { from?: number; timeoutMs?: number }): Promise<LogLine>;
  /** SIGTERM (the app finishes its running jobs); after `graceMs` a second SIGTERM (the app exits
   * at once), and SIGKILL 5 s later if it is still there. Resolves once it exited, with how. */
  stop(graceMs?: number): Promise<{ signal: NodeJS.Signals | null; code: number | null; signals: number; killed: boolean }>;
}

/** An RSA key as GitHub issues them for an app (PKCS#1 PEM). */
export function generatePrivateKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

/** A port nothing listens on now (Probot's server takes no port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export interface StartAppOptions {
  /** The app's own variables (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST, AWS_…). */
  env: Record<string, string>;
  /** Working directory: where Probot looks for a .env (none here) and ./data would go. */
  cwd: string;
  /** `worker`: dist/worker.js (`npm run worker`, REDIS_URL in env), started once it logs so;
   * default: the web process. */
  entry?: 'server' | 'worker';
  /** Extra node flags (--cpu-prof, say). */
  nodeOptions?: string[];
  /** Lines the bench does not parse (Probot's pretty output, a crash) go here. */
  onOtherOutput?: (text: string) => void;
  /** Every JSON log line, as it comes. */
  onLog?: (line: LogLine) => void;
}

export async function startAppProcess(options: StartAppOptions): Promise<AppProcess> {
  const port = await freePort();
  const worker = options.entry === 'worker';
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeOptions ?? []), worker ? WORKER : SERVER], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: options.cwd,
      NODE_ENV: 'production',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      PORT: String(port),
      HOST: '127.0.0.1',
      NO_SMEE_SETUP: 'true',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  let exited: { signal: NodeJS.Signals | null; code: number | null } | null = null;
  const exit = new Promise<{ signal: NodeJS.Signals | null; code: number | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      for (const wake of waiters) wake();
      resolve(exited);
    }),
  );
  const lines = (onLine: (line: string) => void) => {
    let rest = '';
    return (chunk: string) => {
      rest += chunk;
      let newline = rest.indexOf('\n');
      while (newline >= 0) {
        onLine(rest.slice(0, newline));
        rest = rest.slice(newline + 1);
        newline = rest.indexOf('\n');
      }
    };
  };
  const onLine = (text: string) => {
    if (text.startsWith('{')) {
      try {
        const line = JSON.parse(text) as LogLine;
        logs.push(line);
        options.onLog?.(line);
        for (const wake of waiters) wake();
        return;
      } catch {
        // not JSON after all: shown below
      }
    }
    if (text.trim() !== '') options.onOtherOutput?.(text);
  };
  child.stdout!.setEncoding('utf8').on('data', lines(onLine));
  child.stderr!.setEncoding('utf8').on('data', lines(onLine));

  const waitForLog: AppProcess['waitForLog'] = (match, { from = 0, timeoutMs = 60_000 } = {}) =>
    new Promise((resolve, reject) => {
      let checked = from;
      const timer = setTimeout(() => finish(new Error(`no matching log line from the app within ${timeoutMs} ms`)), timeoutMs);
      const finish = (error: Error | null, line?: LogLine) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve(line!);
      };
      function check() {
        for (; checked < logs.length; checked++) {
          const line = logs[checked]!;
          if (match(line)) return finish(null, line);
        }
        if (exited) finish(new Error(`the app exited (code ${exited.code}, signal ${exited.signal}) before logging what was awaited`));
      }
      waiters.add(check);
      check();
    });

  const app: AppProcess = {
    url: `http://127.0.0.1:${port}`,
    webhookUrl: `http://127.0.0.1:${port}/api/github/webhooks`,
    pid: child.pid!,
    logs,
    waitForLog,
    async stop(graceMs = 10_000) {
      if (exited) return { ...exited, signals: 0, killed: false };
      child.kill('SIGTERM');
      let signals = 1;
      let killed = false;
      const again = setTimeout(() => {
        signals += 1;
        child.kill('SIGTERM');
      }, graceMs);
      const kill = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, graceMs + 5_000);
      const how = await exit;
      clearTimeout(again);
      clearTimeout(kill);
      return { ...how, signals, killed };
    },
  };
  try {
    await waitForLog((line) => line.msg === (worker ? 'driftwatch worker started' : 'driftwatch started'), { timeoutMs: 60_000 });
    if (!worker) await waitUntilListening(app.url, 10_000);
  } catch (error) {
    await app.stop(2_000);
    throw error;
  }
  return app;
}

/** The health endpoint answers once Probot's server listens. */
async function waitUntilListening(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/driftwatch/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the app did not answer ${url}/driftwatch/health within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
