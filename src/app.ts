// The Probot entry: wires the server's environment and HTTP endpoints. Events are wired to
// use-cases here as the GitHub surfaces land (check runs, issues, dashboard, fix PRs, /drift
// commands); the scan engine they call is src/scan.ts.
import type { ApplicationFunctionOptions, Probot } from 'probot';
import { settingsFromEnv, type Settings } from './config/settings.js';
import { healthHandler } from './health-handler.js';
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
