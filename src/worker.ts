// `npm run worker`: a worker process of the queue on Redis (REDIS_URL). Run as many as you like,
// on as many machines: each takes jobs from the shared queue, one workspace's scan at a time
// across all of them. SIGTERM or SIGINT stops taking jobs and lets the running ones finish; a
// second signal stops at once (the running jobs are then taken up by another worker once their
// lock runs out).
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { TokenBucket } from './aws/token-bucket.js';
import { settingsFromEnv, type Settings } from './config/settings.js';
import { isDriftwatchError } from './errors.js';
import { createRedisTokenBucket, type RedisTokenBucket } from './github/redis-token-bucket.js';
import { startWorker, type StartWorkerOptions } from './jobs/bull-worker.js';
import { createJobRegistry, type JobRegistry } from './jobs/job-registry.js';
import { createJsonLog } from './jobs/json-log.js';
import type { KeyedLock } from './jobs/keyed-lock.js';
import { createRedisLock } from './jobs/redis-lock.js';
import type { JobLogger } from './jobs/types.js';
import { createProbot } from 'probot';
import { appSettings } from './app.js';
import { PacedProbotOctokit } from './github/paced-octokit.js';
import { createRuntime } from './runtime.js';
import { loadParsers } from './scan/load-parsers.js';
import { loadTerraformParser } from './terraform/tree-sitter.js';
import { VERSION } from './version.js';

/** What the job definitions get to work with, besides what they build from the settings. */
export interface WorkerServices {
  settings: Settings;
  log: JobLogger;
  /** One holder per key across every worker (Redis): a scan's workspace, the GitHub writer's
   * repository (GitHubWriterOptions.lock). */
  locks: KeyedLock;
  /** GitHub's write budget in Redis, shared by every worker: createPacer({ writeBucket }). */
  writeBucket: (limits: { ratePerSecond: number; burst: number }) => TokenBucket;
}

/** Registers the job definitions (the same the web process registers); may return what closes
 * the resources they opened (the store, clients), called when the worker stops. */
export type RegisterJobs = (registry: JobRegistry, services: WorkerServices) => void | (() => Promise<void>) | Promise<void | (() => Promise<void>)>;

export interface WorkerProcessOptions {
  env: Record<string, string | undefined>;
  registerJobs: RegisterJobs;
  log?: JobLogger;
  /** Lock and stall timings (bull-worker.ts), over those of the settings
   * (DRIFTWATCH_WORKER_LOCK_SECONDS). */
  tuning?: Pick<StartWorkerOptions, 'lockDurationMs' | 'stalledIntervalMs' | 'maxStalledCount' | 'busyRetryMs'>;
}

export interface WorkerProcess {
  registry: JobRegistry;
  /** Stops taking jobs, waits for the running ones, closes everything. */
  stop(): Promise<void>;
}

export async function runWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const log = options.log ?? createJsonLog();
  const settings = settingsFromEnv(options.env);
  const { redisUrl, prefix, workerConcurrency, workerLockSeconds } = settings.queue;
  if (redisUrl === null) {
    throw new Error('npm run worker needs REDIS_URL (the queue the web processes enqueue to), for example redis://127.0.0.1:6379; without it the app runs its jobs itself and needs no worker');
  }
  // The other workers look for a dead worker's jobs every half of the lock, as BullMQ's defaults do.
  const lockDurationMs = workerLockSeconds * 1000;
  const tuning = { lockDurationMs, stalledIntervalMs: lockDurationMs / 2, ...options.tuning };
  // A dead worker's locks free themselves when its job comes back to the queue, not later.
  const locks = createRedisLock({ connection: redisUrl, prefix, ttlMs: tuning.lockDurationMs, log });
  const buckets: RedisTokenBucket[] = [];
  const writeBucket = (limits: { ratePerSecond: number; burst: number }) => {
    const bucket = createRedisTokenBucket({ connection: redisUrl, prefix, name: 'github-writes', ...limits, log });
    buckets.push(bucket);
    return bucket;
  };
  const closeServices = async () => {
    await locks.close();
    await Promise.all(buckets.map((bucket) => bucket.close()));
  };
  const registry = createJobRegistry();
  const closeJobs = await options.registerJobs(registry, { settings, log, locks, writeBucket });
  const jobs = registry.all().map((definition) => definition.name);
  if (jobs.length === 0) {
    await closeServices();
    throw new Error('The worker has no job definitions: register the app\'s jobs (registerAppJobs in src/worker.ts), the same the web process registers');
  }
  const worker = startWorker({ connection: redisUrl, registry, prefix, concurrency: workerConcurrency, log, ...tuning });
  log.info({ version: VERSION, concurrency: workerConcurrency, lockSeconds: tuning.lockDurationMs / 1000, prefix, jobs }, 'driftwatch worker started');
  let stopping: Promise<void> | null = null;
  return {
    registry,
    stop() {
      stopping ??= (async () => {
        await worker.close();
        if (closeJobs) await closeJobs();
        await closeServices();
        log.info({}, 'driftwatch worker stopped');
      })();
      return stopping;
    },
  };
}

/** Stops the worker on SIGTERM and SIGINT: gracefully on the first, at once on the second. */
export function stopOnSignals(worker: WorkerProcess, log: JobLogger): void {
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      log.warn({ signal }, 'stopping now: running jobs are left to another worker');
      process.exit(1);
    }
    log.info({ signal }, 'stopping: finishing the running jobs (signal again to stop at once)');
    worker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ reason: error instanceof Error ? error.message : String(error) }, 'worker did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** The app's job definitions: the same runtime the web process builds (runtime.ts), with this
 * worker's Redis lock and GitHub write budget, and no scheduler (web processes register the
 * schedules; workers run them). Its GitHub App credentials come from the same environment. */
export const registerAppJobs: RegisterJobs = async (registry, services) => {
  const probot = createProbot({ env: process.env, overrides: { Octokit: PacedProbotOctokit } });
  const settings = appSettings(process.env);
  const runtime = createRuntime({ app: probot, settings, log: services.log, lock: services.locks, writeBucket: services.writeBucket, scheduler: false });
  await runtime.start();
  // Scans on the event loop load every parser on first use, a stall that could outlast the job's
  // lock: load them first. On a scan thread they load there (this thread only reads which
  // workspaces a push touched, with tree-sitter).
  await (settings.scanThreads > 0 ? loadTerraformParser() : loadParsers());
  for (const definition of runtime.registry.all()) registry.register(definition);
  return () => runtime.stop();
};

// Run when executed directly (`npm run worker`).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const log = createJsonLog();
  try {
    stopOnSignals(await runWorkerProcess({ env: process.env, registerJobs: registerAppJobs, log }), log);
  } catch (error) {
    log.error({ reason: error instanceof Error ? error.message : String(error) }, isDriftwatchError(error) ? 'invalid settings' : 'driftwatch worker could not start');
    process.exit(2);
  }
}
