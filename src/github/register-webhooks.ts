// The webhook handlers: each parses its event into jobs and enqueues them, nothing else — Probot
// answers GitHub only once the handlers have returned, so the work runs after the answer. Events
// the app caused itself are dropped here, so nothing loops.
import type { Probot } from 'probot';
import type { JobQueue } from '../jobs/types.js';
import type { DashboardRequest } from '../surfaces/types.js';
import {
  checkRunJobs,
  dashboardJobs,
  installationJobs,
  installationRepositoriesJobs,
  isFromBot,
  issueCommentJobs,
  pullRequestJobs,
  pushJobs,
  type JobRequest,
} from './webhook-jobs.js';

/** Every event the app handles: app.yml subscribes to each (GitHub sends the installation ones to
 * every app). */
export const HANDLED_EVENTS = ['installation', 'installation_repositories', 'push', 'pull_request', 'check_run', 'issue_comment', 'issues'] as const;

export interface WebhookDependencies {
  queue: JobQueue;
  /** The app's own login (`<slug>[bot]`), once known. */
  botLogin: () => string | null;
  /** The app's id: check runs of other apps named "driftwatch" are not ours. */
  appId: number | null;
  dashboardRequests: (before: string, after: string) => DashboardRequest[];
  /** Repositories were added to or removed from an installation, or it was deleted: schedules
   * follow. */
  onRepositoriesChanged?: () => void;
}

export function registerWebhooks(app: Probot, deps: WebhookDependencies): void {
  const enqueue = async (jobs: JobRequest[]) => {
    // The revision (a commit) lets the Redis queue drop a redelivered event; the in-process one
    // coalesces by id alone.
    for (const job of jobs) await deps.queue.enqueue(job.name, job.data, job.id === undefined ? {} : { id: job.id, ...(job.revision === undefined ? {} : { revision: job.revision }) });
  };
  const fromApp = (sender: { type?: string; login?: string } | undefined) => isFromBot(sender, deps.botLogin());

  app.on('installation', async (context) => {
    await enqueue(installationJobs(context.payload));
    deps.onRepositoriesChanged?.();
  });
  app.on('installation_repositories', async (context) => {
    await enqueue(installationRepositoriesJobs(context.payload));
    deps.onRepositoriesChanged?.();
  });
  app.on('push', async (context) => {
    if (fromApp(context.payload.sender)) return;
    await enqueue(pushJobs(context.payload));
  });
  app.on('pull_request', async (context) => {
    if (fromApp(context.payload.sender)) return;
    await enqueue(pullRequestJobs(context.payload));
  });
  app.on('check_run', async (context) => {
    if (fromApp(context.payload.sender)) return;
    await enqueue(checkRunJobs(context.payload, deps.appId));
  });
  app.on('issue_comment', async (context) => {
    if (fromApp(context.payload.sender)) return;
    await enqueue(issueCommentJobs(context.payload));
  });
  app.on('issues', async (context) => {
    if (fromApp(context.payload.sender)) return;
    await enqueue(dashboardJobs(context.payload, deps.dashboardRequests));
  });
}
