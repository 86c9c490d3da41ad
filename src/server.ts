// `npm start`: Probot's server with the driftwatch app, on Probot's own defaults and environment
// (APP_ID, PRIVATE_KEY(_PATH), WEBHOOK_SECRET, PORT, …). Without a registered app Probot runs its
// setup app instead of ours, and only its handlers: GET /driftwatch/health is added to that server
// here, so uptime checks get an answer in setup mode too.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { run, type Server } from 'probot';
import driftwatch from './app.js';
import { PacedProbotOctokit } from './github/paced-octokit.js';
import { setupHealthHandler } from './health-handler.js';

export interface StartOptions {
  /** Probot's environment (default: process.env, after Probot loads .env). */
  env?: Record<string, string | undefined>;
}

export async function startServer(options: StartOptions = {}): Promise<Server> {
  let appLoaded = false;
  const server = await run(
    (app, appOptions) => {
      appLoaded = true;
      return driftwatch(app, appOptions);
    },
    // Installation clients are paced by driftwatch's own pacer (80 writes a minute, rate limits
    // waited out): Probot's throttling and retry plugins would fight it.
    { Octokit: PacedProbotOctokit, ...(options.env ? { env: options.env } : {}) },
  );
  if (appLoaded) return server;
  // Setup mode: the server is listening with the setup app's handlers, which it fixes when it
  // starts. Probot has no other way in, so it starts again with ours added.
  server.addHandler(setupHealthHandler());
  await server.stop();
  await server.start();
  return server;
}

// Run when executed directly (npm start).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await startServer();
}
