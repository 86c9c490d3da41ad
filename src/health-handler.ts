// GET /driftwatch/health: for load balancers and uptime checks, with the app running and while
// Probot runs its setup app instead (no APP_ID yet).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Settings } from './config/settings.js';
import type { Runtime } from './runtime.js';
import { VERSION } from './version.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The running app: ok, which AWS services use a custom endpoint (not the URLs), the store's
 * dialect and the next scheduled runs. */
export function healthHandler(settings: Settings, runtime?: Pick<Runtime, 'store' | 'scheduler'>): Handler {
  return answer(() => ({
    status: 'ok',
    version: VERSION,
    customEndpoints: Object.keys(settings.aws.endpoints).sort(),
    ...(runtime ? { store: runtime.store.dialect, schedules: runtime.scheduler?.upcoming().length ?? 0 } : {}),
  }));
}

/** Setup mode answers 200 too: the process is up and serving the setup pages, and a platform that
 * restarted it on a failing check would never let anyone finish the registration. */
export function setupHealthHandler(): Handler {
  return answer(() => ({
    status: 'setup',
    version: VERSION,
    message: 'driftwatch is not registered as a GitHub App yet: open this server in a browser to register it (APP_ID, PRIVATE_KEY_PATH and WEBHOOK_SECRET are then written to .env), and restart it',
  }));
}

function answer(body: () => Record<string, unknown>): Handler {
  return (req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/driftwatch/health') return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body()));
    return true;
  };
}
