// `npm start`: Probot's server with the driftwatch app, on Probot's own defaults and environment
// (APP_ID, PRIVATE_KEY(_PATH), WEBHOOK_SECRET, PORT, …). Without a registered app Probot runs its
// setup app instead of ours, and only its handlers: GET /driftwatch/health is added to that server
// here, so uptime checks get an answer in setup mode too.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { run, type Server } from 'probot';
import { driftwatchApp } from './app.js';
import { PacedProbotOctokit } from './github/paced-octokit.js';
import { setupHealthHandler } from './health-handler.js';
import type { JobLogger } from './jobs/types.js';
import type { Runtime } from './runtime.js';

export interface StartOptions {
  /** Probot's environment (default: process.env, after Probot loads .env). */
  env?: Record<string, string | undefined>;
}

export interface StartedServer {
  server: Server;
  /** The app's runtime; null in setup mode. */
  runtime: Runtime | null;
  log: JobLogger | null;
}

export async function startServer(options: StartOptions = {}): Promise<Server> {
  return (await startApp(options)).server;
}

async function startApp(options: StartOptions): Promise<StartedServer> {
  // Set by the app function, when Probot loads it (not in setup mode).
  const loaded: { runtime: Runtime | null; log: JobLogger | null } = { runtime: null, log: null };
  const server = await run(
    (app, appOptions) => {
      loaded.log = app.log;
      return driftwatchApp({}, (runtime) => (loaded.runtime = runtime))(app, appOptions);
    },
    // Installation clients are paced by driftwatch's own pacer (80 writes a minute, rate limits
    // waited out): Probot's throttling and retry plugins would fight it.
    { Octokit: PacedProbotOctokit, ...(options.env ? { env: options.env } : {}) },
  );
  if (loaded.log) return { server, ...loaded };
  // Setup mode: the server is listening with the setup app's handlers, which it fixes when it
  // starts. Probot has no other way in, so it starts again with ours added.
  server.addHandler(setupHealthHandler());
  await server.stop();
  await server.start();
  return { server, runtime: null, log: null };
}

/** SIGTERM or SIGINT (a deploy, `docker stop`, Ctrl-C): no new deliveries, the running jobs
 * finished, the store closed, then exit. A second signal exits at once. */
export function stopOnSignals(started: StartedServer): void {
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      started.log?.warn({ signal }, 'stopping now: running jobs are dropped');
      process.exit(1);
    }
    started.log?.info({ signal }, 'stopping: finishing the running jobs (signal again to stop at once)');
    (async () => {
      await started.server.stop();
      await started.runtime?.stop();
    })().then(
      () => process.exit(0),
      (error: unknown) => {
        started.log?.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

// Run when executed directly (npm start).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  stopOnSignals(await startApp({}));
}
