// A worker of the Redis queue (bull-queue.ts): runs jobs by name from the registry, as many at once
// as `concurrency`, in as many processes and on as many machines as you like.
// - One job of an id runs at a time across every worker: a run lock per id. A job whose id runs
//   elsewhere goes back to delayed for `busyRetryMs` (it holds no worker slot while it waits, and
//   requests keep merging into it).
// - A job is claimed before it runs: from then on requests queue behind it instead of merging
//   into it, and it runs with everything merged so far (pending-requests.ts).
// - A killed worker's job is taken up by another: the worker holds a BullMQ lock on each job,
//   renewed every `lockDurationMs / 2`; every `stalledIntervalMs` the workers look for active
//   jobs whose lock ran out and put them back to wait (at most `maxStalledCount` times, then the
//   job fails as stalled). Its run lock frees itself after `lockDurationMs` too. So a job comes
//   back within about lockDuration + stalledInterval (45 s by default). A job must not block the
//   event loop for `lockDurationMs`: its lock would run out while it still runs.
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_PREFIX, QUEUE_NAME, mergeData, queueKeys, type JobEnvelope } from './bull-queue.js';
import { withSlot } from './bull-scheduler.js';
import type { JobRegistry } from './job-registry.js';
import { pendingRequests } from './pending-requests.js';
import { closeRedis, openRedis, quietErrors } from './redis-client.js';
import { createRedisLock } from './redis-lock.js';
import type { JobDefinition, JobLogger } from './types.js';

export interface StartWorkerOptions {
  /** REDIS_URL. */
  connection: string;
  registry: JobRegistry;
  /** The queue's prefix (bull-queue.ts). */
  prefix?: string;
  /** Jobs run at once by this process (scans are CPU-bound: one per core, one process per core). */
  concurrency?: number;
  log: JobLogger;
  /** BullMQ's lock on a running job, renewed at half of it. */
  lockDurationMs?: number;
  /** How often this worker looks for jobs whose worker died. */
  stalledIntervalMs?: number;
  /** Times a job may be taken back from a dead worker before it fails. */
  maxStalledCount?: number;
  /** How long a job whose id runs elsewhere waits before it tries again. */
  busyRetryMs?: number;
}

export interface RunningWorker {
  /** Stops taking jobs and waits for the running ones to finish. (A process that exits without
   * it abandons its jobs: another worker takes them up once their lock runs out.) */
  close(): Promise<void>;
}

export const WORKER_DEFAULTS = { concurrency: 1, lockDurationMs: 30_000, stalledIntervalMs: 15_000, maxStalledCount: 2, busyRetryMs: 2_000 } as const;

export function startWorker(options: StartWorkerOptions): RunningWorker {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const settings = { ...WORKER_DEFAULTS, ...definedOnly(options) };
  const keys = queueKeys(prefix);
  const log = options.log;
  const redis: Redis = openRedis(options.connection, log);
  const queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
  const pending = pendingRequests(redis, queue, keys.pending);
  // Enqueue locks (a failed job joining the request behind it) are short; run locks last as long
  // as BullMQ's lock on the job they guard.
  const enqueueLocks = createRedisLock({ connection: options.connection, prefix, ttlMs: 10_000, pollMs: { min: 5, max: 100 }, log });
  const runLocks = createRedisLock({ connection: options.connection, prefix, ttlMs: settings.lockDurationMs, log });

  async function claim(job: Job<JobEnvelope>, id: string): Promise<unknown> {
    // Read from Redis: requests merged into the job after BullMQ handed it out are there only.
    const raw = await pending.claim(id, job.id!);
    return raw === null ? job.data.data : (JSON.parse(raw) as JobEnvelope).data;
  }

  /** A failed job with attempts left: merged into the request waiting under its id if there is
   * one (that one runs anyway, with newer data), else it waits out its backoff as the id's
   * waiting request, so requests meanwhile merge into its retry. */
  async function requeue(job: Job<JobEnvelope>, id: string, definition: JobDefinition<unknown>, data: unknown): Promise<'merged' | 'retry'> {
    return enqueueLocks.withLock(keys.enqueueLock(id), async () => {
      const waiting = await pending.waiting(id);
      if (waiting && waiting.jobId !== job.id) {
        const envelope = JSON.parse(waiting.raw) as JobEnvelope;
        const outcome = await pending.replace(id, waiting.jobId, waiting.raw, JSON.stringify({ id, data: mergeData(definition, data, envelope.data) } satisfies JobEnvelope));
        if (outcome !== 'gone') return 'merged';
      }
      await pending.point(id, job.id!);
      return 'retry';
    });
  }

  /** A schedule's job that finds the previous run still running: it waits behind it as the
   * schedule's one waiting run, unless another slot's job already does (then this slot is
   * coalesced into that one, as the embedded queue coalesces by the schedule's id). Without
   * it, a run longer than the schedule's interval would pile up a job per slot. */
  async function waitBehind(job: Job<JobEnvelope>, id: string): Promise<'waits' | 'coalesced'> {
    return enqueueLocks.withLock(keys.enqueueLock(id), async () => {
      const waiting = await pending.waiting(id);
      if (waiting && waiting.jobId !== job.id) return 'coalesced';
      await pending.point(id, job.id!);
      return 'waits';
    });
  }

  async function processJob(job: Job<JobEnvelope>, token?: string): Promise<void> {
    const definition = options.registry.get(job.name);
    if (!definition) throw new UnrecoverableError(`No job named "${job.name}" is registered in this worker: build the worker's registry with the same job definitions as the web process.`);
    const envelope = job.data;
    const context = { attempt: job.attemptsMade + 1, log };
    if (envelope.id === null) {
      await definition.run(withSlot(job, envelope.data), context);
      return;
    }
    const id = envelope.id;
    const lease = await runLocks.tryAcquire(keys.runLock(id));
    if (!lease) {
      if (job.repeatJobKey && (await waitBehind(job, id)) === 'coalesced') {
        log.info({ job: job.name, id, jobId: job.id }, 'scheduled run skipped: the previous run still runs and the next one already waits');
        return;
      }
      // Jitter: jobs that wait for one id do not all come back at once.
      await job.moveToDelayed(Date.now() + settings.busyRetryMs * (0.75 + Math.random() / 2), token);
      throw new DelayedError();
    }
    try {
      const data = withSlot(job, await claim(job, id));
      try {
        await definition.run(data, context);
      } catch (error) {
        if (context.attempt >= (job.opts.attempts ?? 1)) throw error;
        if ((await requeue(job, id, definition, data)) === 'retry') throw error;
        log.warn({ job: job.name, id, attempt: context.attempt, reason: reasonOf(error) }, 'job failed; merged into the request waiting behind it');
      }
    } finally {
      await lease.release();
    }
  }

  const workerRedis: Redis = openRedis(options.connection, log);
  const worker = new Worker<JobEnvelope>(QUEUE_NAME, processJob, {
    connection: workerRedis,
    prefix,
    concurrency: settings.concurrency,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
    maxStalledCount: settings.maxStalledCount,
  });
  worker.on('failed', (job, error) => {
    if (!job || error instanceof DelayedError || error.name === 'DelayedError') return;
    const attempts = job.opts.attempts ?? 1;
    const meta = { job: job.name, id: job.data.id, jobId: job.id, attempt: job.attemptsMade, reason: error.message };
    if (job.attemptsMade < attempts && !(error instanceof UnrecoverableError)) {
      const backoff = job.opts.backoff;
      const delay = typeof backoff === 'object' && backoff.delay !== undefined ? backoff.delay * 2 ** (job.attemptsMade - 1) : undefined;
      log.warn({ ...meta, retryInMs: delay }, 'job failed; retrying');
    } else {
      log.error(meta, 'job failed; giving up');
    }
  });
  worker.on('stalled', (jobId) => log.warn({ jobId }, 'job taken back from a worker that stopped answering; it runs again'));
  worker.on('error', quietErrors(log, 'worker error'));
  queue.on('error', quietErrors(log, 'worker: Redis error'));

  return {
    async close() {
      await worker.close();
      await Promise.all([enqueueLocks.close(), runLocks.close()]);
      await queue.close();
      await Promise.all([closeRedis(workerRedis), closeRedis(redis)]);
    },
  };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function definedOnly(options: StartWorkerOptions): Partial<typeof WORKER_DEFAULTS> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(WORKER_DEFAULTS) as (keyof typeof WORKER_DEFAULTS)[]) {
    const value = options[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
