// The Probot entry: reads the settings, builds the runtime (store, queue, scheduler, GitHub
// writer services) and wires each webhook to the job it asks for. Handlers only enqueue: Probot
// answers GitHub once they return, and the work runs after the answer.
import type { ApplicationFunctionOptions, Probot } from 'probot';
import { settingsFromEnv, type Settings } from './config/settings.js';
import { registerWebhooks } from './github/register-webhooks.js';
import { healthHandler } from './health-handler.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
import { dashboardRequests } from './surfaces/dashboard-requests.js';
import { VERSION } from './version.js';

/** Set by tests and by the worker entry: another queue, store or engine than the defaults. */
export type RuntimeOverrides = Partial<Omit<RuntimeOptions, 'app' | 'settings' | 'log'>>;

export function driftwatchApp(overrides: RuntimeOverrides = {}, onRuntime?: (runtime: Runtime) => void) {
  return async function driftwatch(app: Probot, options: ApplicationFunctionOptions): Promise<void> {
    // Read once at start: a bad value stops the server with a message naming the variable, instead
    // of failing the first scan.
    const settings = appSettings(process.env);
    const runtime = createRuntime({ app, settings, log: app.log, ...overrides });
    onRuntime?.(runtime);
    options.addHandler(healthHandler(settings, runtime));
    const envAppId = Number(process.env.APP_ID);
    registerWebhooks(app, {
      queue: runtime.queue,
      botLogin: runtime.botLogin,
      appId: Number.isInteger(envAppId) && envAppId > 0 ? envAppId : null,
      dashboardRequests,
      onRepositoriesChanged: () => runtime.resync(),
    });
    await runtime.start();
    app.log.info(
      { version: VERSION, store: runtime.store.dialect, regions: settings.defaultRegion, allowlist: settings.aws.assumeRoleAllowlist?.length ?? 0, slackChannels: settings.slack.channels.length },
      'driftwatch started',
    );
    // The process's signals are the entry's to handle (server.ts stops the HTTP server, then this
    // runtime, then exits): an app function that caught them could only stop the runtime, and the
    // process would go on listening.
  };
}

export default driftwatchApp();

/** The app never runs without a role allowlist: a repository must not make it assume any role
 * it names. No allowlist means no role may be assumed. */
export function appSettings(env: Record<string, string | undefined>): Settings {
  const settings = settingsFromEnv(env);
  return { ...settings, aws: { ...settings.aws, assumeRoleAllowlist: settings.aws.assumeRoleAllowlist ?? [] } };
}
