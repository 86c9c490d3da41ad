// What the app runs on, built once per process from the settings: the store, the job registry and
// queue, the scheduler and its schedule providers, the GitHub pacer and repository reader, and the
// services scanRepository uses. The Probot entry (app.ts) wires webhooks to it; a BullMQ worker
// (worker.ts) builds the same registry. Everything it starts, stop() closes.
import type { Probot } from 'probot';
import type { Settings } from './config/settings.js';
import { commandJob } from './github/command-job.js';
import { dashboardJob } from './github/dashboard-job.js';
import type { GitHubClient } from './github/octokit.js';
import { createPacer, type Pacer, type PacerOptions } from './github/pacer.js';
import { createRedisTokenBucket, type RedisTokenBucket } from './github/redis-token-bucket.js';
import { createBullQueue } from './jobs/bull-queue.js';
import { createBullScheduler } from './jobs/bull-scheduler.js';
import { createRedisLock } from './jobs/redis-lock.js';
import { createRepoReader } from './github/repo-reader.js';
import { mergeScanRequests, SCAN_JOB, scanJobId } from './github/webhook-jobs.js';
import { createEmbeddedScheduler, scheduledRunJob, type Scheduler } from './jobs/embedded-scheduler.js';
import { createInProcessQueue } from './jobs/in-process-queue.js';
import { createJobRegistry, type JobRegistry } from './jobs/job-registry.js';
import { createKeyedLock, type KeyedLock } from './jobs/keyed-lock.js';
import type { JobDefinition, JobLogger, JobQueue, ScheduledJob, ScheduleProvider } from './jobs/types.js';
import { slackBriefingJob } from './notify/briefing-job.js';
import { briefingScheduleProvider } from './notify/briefing-schedules.js';
import { notifyScan } from './notify/notify-scan.js';
import { createRepositoryCatalog, type RepositoryCatalog } from './repository/repository-catalog.js';
import { scanRepository, type RepositoryServices } from './repository/scan-repository.js';
import type { ScanRepositoryRequest } from './repository/types.js';
import type { scan } from './scan.js';
import { createScanPool } from './scan/scan-pool.js';
import { createStore } from './store/create-store.js';
import type { Store } from './store/types.js';
import { parseMarker } from './surfaces/marker.js';
import { surfacePlanners } from './surfaces/planners.js';

export const HOUSEKEEPING_JOB = 'housekeeping';
/** Writes that failed (GitHub down, a limit beyond the pacer's patience) are retried this often. */
const WRITE_RETRIES = 5;

export interface RuntimeOptions {
  app: Probot;
  settings: Settings;
  log: JobLogger;
  now?: () => Date;
  /** The engine (tests wrap it): it then runs in this thread, whatever DRIFTWATCH_SCAN_THREADS
   * says, since a function cannot cross to a scan thread. */
  scan?: typeof scan;
  /** Another queue (BullMQ); default: the in-process one. Built from the registry. */
  createQueue?: (registry: JobRegistry) => JobQueue;
  /** Another store (tests); default: from the settings (SQLite, or PostgreSQL with DATABASE_URL). */
  store?: Store;
  /** Another lock (Redis, across workers); default: in process. */
  lock?: KeyedLock;
  /** Scheduling off (a web process of a scaled-out deployment; tests). */
  scheduler?: boolean;
  /** Queue concurrency (scans are CPU-bound). */
  concurrency?: number;
  /** Minutes between schedule syncs (they also follow installation events). */
  syncEveryMinutes?: number;
  /** GitHub's write budget shared across processes (a worker's, in Redis); default: this
   * process's own, or one in Redis with REDIS_URL. */
  writeBucket?: PacerOptions['writeBucket'];
  /** GitHub's pacing (writes a minute, waits after a limit); default: GitHub's documented limits.
   * Tests and benchmarks lift them so they are not slowed to 80 writes a minute. */
  pacer?: Omit<PacerOptions, 'writeBucket' | 'log'>;
}

export interface Runtime {
  store: Store;
  queue: JobQueue;
  registry: JobRegistry;
  scheduler: Scheduler | null;
  services: RepositoryServices;
  pacer: Pacer;
  /** `<slug>[bot]`, once the app asked GitHub who it is. */
  botLogin(): string | null;
  appId(): number | null;
  /** Re-reads every repository's schedules soon (debounced): repositories were added or removed. */
  resync(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

type ScanJobData = ScanRepositoryRequest & { writeRetries?: number };

/** The open Drift Dashboard among the app's open issues (by its marker), for a briefing's link. */
async function findDashboardUrl(octokit: GitHubClient, repo: { owner: string; name: string }, botLogin: string | null): Promise<string | null> {
  const listing = botLogin ? { creator: botLogin } : { labels: 'drift' };
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: repo.owner, repo: repo.name, state: 'open', per_page: 100, ...listing });
  return issues.find((issue) => parseMarker(issue.body)?.kind === 'dashboard')?.html_url ?? null;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const { app, settings, log } = options;
  const now = options.now ?? (() => new Date());
  const store = options.store ?? createStore(settings.store, { log });
  // With REDIS_URL the jobs, schedules, per-workspace locks and GitHub's write budget live in
  // Redis, shared by every web process and worker; without it, in this process.
  const { redisUrl, prefix } = settings.queue;
  const closers: (() => Promise<void>)[] = [];
  const redisBuckets: RedisTokenBucket[] = [];
  const writeBucket: PacerOptions['writeBucket'] =
    options.writeBucket ??
    (redisUrl === null
      ? undefined
      : (limits) => {
          const bucket = createRedisTokenBucket({ connection: redisUrl, prefix, name: 'github-writes', ...limits, log });
          redisBuckets.push(bucket);
          return bucket;
        });
  closers.push(async () => void (await Promise.all(redisBuckets.map((bucket) => bucket.close()))));
  const pacer = createPacer({ ...options.pacer, log, ...(writeBucket ? { writeBucket } : {}) });
  const reader = createRepoReader();
  let lock: KeyedLock;
  if (options.lock) lock = options.lock;
  else if (redisUrl !== null) {
    const redisLock = createRedisLock({ connection: redisUrl, prefix, log });
    closers.push(() => redisLock.close());
    lock = redisLock;
  } else lock = createKeyedLock();
  const registry = createJobRegistry();
  let botLogin: string | null = null;
  let appId: number | null = null;

  // Scans run on their own threads (DRIFTWATCH_SCAN_THREADS), so this one stays free to answer
  // webhooks and renew job locks while they parse and collect.
  const pool = settings.scanThreads > 0 && !options.scan ? createScanPool({ threads: settings.scanThreads, log }) : null;
  if (pool) closers.push(() => pool.close());

  const octokit = async (installationId: number): Promise<GitHubClient> => pacer.attach((await app.auth(installationId)) as unknown as GitHubClient, installationId);
  const catalog: RepositoryCatalog = createRepositoryCatalog({ appOctokit: async () => (await app.auth()) as unknown as GitHubClient, octokit, reader, slackChannels: settings.slack.channels, log });

  const services: RepositoryServices = {
    octokit,
    reader,
    store,
    lock,
    settings,
    botLogin: () => botLogin,
    planners: surfacePlanners,
    log,
    now,
    ...(options.scan ? { scan: options.scan } : {}),
    ...(pool ? { scanWorkspace: pool.scanWorkspace } : {}),
    async notify(input) {
      const workspace = input.config.workspaces.find((candidate) => candidate.name === input.report.workspace);
      await notifyScan(
        {
          result: input.recorded,
          slack: input.config.notify.slack,
          webhooks: settings.slack,
          links: { issues: input.issueUrls, dashboard: input.dashboardUrl },
          timezone: workspace?.timezone ?? 'UTC',
          secrets: input.report.secrets,
        },
        { store, log },
      );
    },
  };

  // Jobs, by name: what the queue and the scheduler run, here or on a worker.
  const scanJob: JobDefinition<ScanJobData> = {
    name: SCAN_JOB,
    merge: (waiting, incoming) => ({ ...mergeScanRequests(waiting, incoming), writeRetries: Math.min(waiting.writeRetries ?? 0, incoming.writeRetries ?? 0) }),
    async run(data) {
      const result = await scanRepository(data, services);
      const retryable = result.writes.failures.filter((failure) => failure.retryable);
      const retries = data.writeRetries ?? 0;
      if (retryable.length === 0) return;
      if (retries >= WRITE_RETRIES) {
        log.error({ repo: `${data.repo.owner}/${data.repo.name}`, failures: retryable.map((failure) => `${failure.kind} ${failure.identity}: ${failure.message}`) }, 'GitHub writes still failing after retries; the next scan tries again');
        return;
      }
      // The whole reconcile again: it converges, and writes what is still missing.
      const retryAt = Math.max(...retryable.map((failure) => (failure.retryAt ? Date.parse(failure.retryAt) : 0)));
      const delayMs = Math.max(30_000 * 2 ** retries, retryAt - Date.now());
      await queue.enqueue(SCAN_JOB, { ...data, writeRetries: retries + 1 }, { id: scanJobId(data.repo, data.target), delayMs });
    },
  };
  registry.register(scanJob);
  registry.register(commandJob(services));
  registry.register(dashboardJob(services));
  registry.register(
    slackBriefingJob({
      store,
      webhooks: settings.slack,
      async loadTarget(data) {
        const [owner = '', name = ''] = data.repo.split('/');
        if (data.installationId === undefined) return null;
        const entry = await catalog.find(data.installationId, { owner, name });
        const workspace = entry?.workspaces.find((candidate) => candidate.name === data.workspace);
        if (!entry || !workspace || !entry.config.notify.slack) return null;
        const dashboardUrl = await findDashboardUrl(await octokit(data.installationId), entry.repo, botLogin).catch(() => null);
        return { slack: entry.config.notify.slack, timezone: workspace.timezone, dashboardUrl, repoUrl: entry.htmlUrl };
      },
    }),
  );
  registry.register<{ retentionDays: number }>({
    name: HOUSEKEEPING_JOB,
    async run(data) {
      const before = new Date(now().getTime() - data.retentionDays * 24 * 60 * 60 * 1000).toISOString();
      const pruned = await store.prune(before);
      log.info({ ...pruned, before }, 'housekeeping: old scans and notifications pruned');
    },
  });
  registry.register(scheduledRunJob(registry, store, now));
  // Jobs above enqueue retries on it: they run only once it exists.
  const bullQueue = !options.createQueue && redisUrl !== null ? createBullQueue({ connection: redisUrl, registry, prefix, log }) : null;
  const queue: JobQueue = options.createQueue ? options.createQueue(registry) : (bullQueue ?? createInProcessQueue({ definitions: registry.all(), log, concurrency: options.concurrency ?? 2 }));

  // Schedules, offered by the features that own them.
  const scanProvider: ScheduleProvider = {
    name: 'scan',
    async jobs() {
      const jobs: ScheduledJob[] = [];
      for (const entry of await catalog.list()) {
        for (const workspace of entry.workspaces) {
          if (!workspace.enabled) continue;
          const request: ScanRepositoryRequest = {
            installationId: entry.installationId,
            repo: entry.repo,
            workspaces: [workspace.name],
            reason: { trigger: 'schedule', actor: null, detail: `schedule ${workspace.schedule} (${workspace.timezone})` },
            target: { kind: 'default-branch' },
          };
          jobs.push({ name: `scan:${entry.repo.owner}/${entry.repo.name}:${workspace.name}`, cron: workspace.schedule, timezone: workspace.timezone, job: SCAN_JOB, data: request });
        }
      }
      return jobs;
    },
  };
  const briefingProvider = briefingScheduleProvider(async () =>
    (await catalog.list()).map((entry) => ({
      installationId: entry.installationId,
      repo: `${entry.repo.owner}/${entry.repo.name}`,
      slack: entry.config.notify.slack,
      workspaces: entry.workspaces.map((workspace) => ({ name: workspace.name, timezone: workspace.timezone, enabled: workspace.enabled })),
    })),
  );
  const housekeepingProvider: ScheduleProvider = {
    name: 'housekeeping',
    jobs: async () => [{ name: 'housekeeping:prune', cron: '17 3 * * *', timezone: 'UTC', job: HOUSEKEEPING_JOB, data: { retentionDays: settings.store.retentionDays } }],
  };
  const providers = [scanProvider, briefingProvider, housekeepingProvider];
  // On Redis, BullMQ's job schedulers: registered once however many web processes sync them.
  const scheduler =
    options.scheduler === false ? null : bullQueue ? createBullScheduler({ queue: bullQueue, providers, log, state: store }) : createEmbeddedScheduler({ providers, queue, state: store, log, now });

  let identifyTimer: NodeJS.Timeout | null = null;
  /** Who the app is (its `<slug>[bot]` login and id), asked once; retried every minute until
   * GitHub answers. Until then the writer lists issues by label and the app's own events are told
   * by sender type alone; both still work. */
  const identify = async (): Promise<void> => {
    try {
      const client = await app.auth();
      const { data } = await client.rest.apps.getAuthenticated();
      if (data) {
        botLogin = `${data.slug}[bot]`;
        appId = data.id;
      }
    } catch (error) {
      log.warn({ err: error }, 'could not ask GitHub who the app is; asking again in a minute');
      identifyTimer = setTimeout(() => void identify(), 60_000);
      identifyTimer.unref();
    }
  };
  let syncTimer: NodeJS.Timeout | null = null;
  let resyncTimer: NodeJS.Timeout | null = null;
  const sync = async () => {
    if (!scheduler) return;
    try {
      const { scheduled, dropped } = await scheduler.sync();
      log.info({ scheduled, dropped: dropped.length }, 'schedules synced');
    } catch (error) {
      log.error({ err: error }, 'schedule sync failed; the schedules stay as they were');
    }
  };

  return {
    store,
    queue,
    registry,
    scheduler,
    services,
    pacer,
    botLogin: () => botLogin,
    appId: () => appId,
    resync() {
      if (!scheduler || resyncTimer) return;
      resyncTimer = setTimeout(() => {
        resyncTimer = null;
        void sync();
      }, 10_000);
      resyncTimer.unref();
    },
    async start() {
      await store.migrate();
      await identify();
      if (!scheduler) return;
      await sync();
      await scheduler.start();
      syncTimer = setInterval(() => void sync(), (options.syncEveryMinutes ?? 60) * 60_000);
      syncTimer.unref();
    },
    async stop() {
      if (syncTimer) clearInterval(syncTimer);
      if (identifyTimer) clearTimeout(identifyTimer);
      if (resyncTimer) clearTimeout(resyncTimer);
      scheduler?.stop();
      await queue.close();
      for (const close of closers) await close();
      await store.close();
    },
  };
}
