// The Probot entry: wires the server's environment and HTTP endpoints. Events are wired to
// use-cases here as the GitHub surfaces land (check runs, issues, dashboard, fix PRs, /drift
// commands); the scan engine they call is src/scan.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApplicationFunctionOptions, Probot } from 'probot';
import { settingsFromEnv, type Settings } from './config/settings.js';
import { VERSION } from './version.js';

export default function driftwatch(app: Probot, options: ApplicationFunctionOptions): void {
  // Read once at start: a bad value stops the server with a message naming the variable, instead
  // of failing the first scan.
  const settings = appSettings(process.env);
  app.log.info({ version: VERSION, regions: settings.defaultRegion, allowlist: settings.aws.assumeRoleAllowlist?.length ?? 0 }, 'driftwatch started');
  options.addHandler(healthHandler(settings));
}

/** The app never runs without a role allowlist: a repository must not make it assume any role
 * it names. No allowlist means no role may be assumed. */
export function appSettings(env: Record<string, string | undefined>): Settings {
  const settings = settingsFromEnv(env);
  return { ...settings, aws: { ...settings.aws, assumeRoleAllowlist: settings.aws.assumeRoleAllowlist ?? [] } };
}

/** GET /driftwatch/health: for load balancers and uptime checks. */
export function healthHandler(settings: Settings): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/driftwatch/health') return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', version: VERSION, customEndpoints: Object.keys(settings.aws.endpoints).sort() }));
    return true;
  };
}
