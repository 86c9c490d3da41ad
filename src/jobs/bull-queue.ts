// The job queue on Redis (REDIS_URL): web processes only enqueue, `npm run worker` processes run
// the jobs (bull-worker.ts), as many as you like on as many machines. The same semantics as the
// embedded queue (in-process-queue.ts), across processes:
//
// - Coalescing per job id. At most one request per id waits: a request while one waits is merged
//   into it (the definition's merge, under a short Redis lock per id so two replicas never lose
//   each other's merge, written only while the job is still unclaimed: pending-requests.ts);
//   while one runs, the next request becomes the one waiting behind it, and workers never run
//   two jobs of one id at once (a run lock per id; bull-worker.ts). "Waits" ends when a worker
//   claims the job to run it, not when BullMQ hands it out.
// - Idempotency. A request with a revision (the commit) whose id and revision were seen in the
//   last `idempotencyWindowMs` is dropped: a redelivered webhook, or one event reaching two
//   replicas, never scans twice. The BullMQ job id names the id, the revision and the window:
//   `<id>@<revision>@<window number>` (without a revision, `<id>@<time>-<random>`), with `:`
//   written `%3A` (BullMQ refuses ids with colons).
// - Retries with exponential backoff (`backoffMs`, doubled per attempt, `attempts` in all); a job
//   that fails while another request waits under its id is merged into that one instead of being
//   retried on its own (as the embedded queue does).
//
// Differences from the embedded queue: a request merged into a job that waits out a retry does
// not reset its attempt count; a request without a delay promotes a delayed job it merges into,
// and a delayed request merged into a job that is due keeps it due.
//
// Redis must keep every key (maxmemory-policy noeviction, which BullMQ requires too).
import { randomBytes } from 'node:crypto';
import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobRegistry } from './job-registry.js';
import { pendingRequests, type MergeOutcome } from './pending-requests.js';
import { closeRedis, openRedis, quietErrors, whenReady } from './redis-client.js';
import { createRedisLock, type RedisLock } from './redis-lock.js';
import type { EnqueueOptions, JobDefinition, JobLogger, JobQueue } from './types.js';

export const QUEUE_NAME = 'jobs';
export const DEFAULT_PREFIX = 'driftwatch';

/** What a BullMQ job holds: the request's id (null: no coalescing) and the definition's data. */
export interface JobEnvelope {
  id: string | null;
  data: unknown;
}

export interface BullQueueOptions {
  /** REDIS_URL. */
  connection: string;
  registry: JobRegistry;
  /** Namespace of every key (BullMQ's prefix): several driftwatch deployments can share a Redis. */
  prefix?: string;
  log: JobLogger;
  /** Attempts per job, the first included. */
  attempts?: number;
  /** First retry delay; doubles each attempt. */
  backoffMs?: number;
  /** How long an id and revision, once seen, make a request with the same ones a duplicate. */
  idempotencyWindowMs?: number;
}

export interface BullQueue extends JobQueue {
  /** The BullMQ queue (the scheduler registers its job schedulers on it). */
  readonly queue: Queue;
}

export const DEFAULT_IDEMPOTENCY_WINDOW_MS = 10 * 60_000;

/** Finished jobs kept for inspection (BullMQ evicts beyond these when jobs finish). */
export const KEEP_COMPLETED = { age: 24 * 3600, count: 1_000 };
export const KEEP_FAILED = { age: 7 * 24 * 3600, count: 5_000 };

/** Redis keys and lock names of the queue's own bookkeeping, shared with the worker. */
export function queueKeys(prefix: string) {
  const base = `${prefix}:${QUEUE_NAME}:dw`;
  return {
    /** The BullMQ job id of the request that waits under `id`, until a worker claims it. */
    pending: (id: string) => `${base}:pending:${id}`,
    seen: (id: string, revision: string) => `${base}:seen:${id}@${revision}`,
    /** Serializes the requests of an id (the claim needs none: pending-requests.ts). */
    enqueueLock: (id: string) => `queue:enqueue:${id}`,
    /** Held while a job of `id` runs. */
    runLock: (id: string) => `queue:run:${id}`,
  };
}

/** BullMQ job ids may not hold a colon; `%` is escaped first so distinct ids stay distinct. */
export function bullJobId(id: string, revision: string | undefined, now: number, windowMs: number): string {
  const escape = (text: string) => text.replace(/%/g, '%25').replace(/:/g, '%3A');
  if (revision !== undefined) return `${escape(id)}@${escape(revision)}@${Math.floor(now / windowMs)}`;
  return `${escape(id)}@${now.toString(36)}-${randomBytes(3).toString('hex')}`;
}

export function mergeData(definition: JobDefinition<unknown>, waiting: unknown, incoming: unknown): unknown {
  return definition.merge ? definition.merge(waiting, incoming) : incoming;
}

export function createBullQueue(options: BullQueueOptions): BullQueue {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const attempts = Math.max(1, options.attempts ?? 3);
  const backoffMs = options.backoffMs ?? 5_000;
  const windowMs = options.idempotencyWindowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS;
  const keys = queueKeys(prefix);
  // Web processes enqueue while GitHub waits for the answer: fail rather than hang on a dead Redis.
  const redis: Redis = openRedis(options.connection, options.log, 'fail-fast');
  const queue = new Queue(QUEUE_NAME, {
    connection: redis,
    prefix,
    defaultJobOptions: { attempts, backoff: { type: 'exponential', delay: backoffMs }, removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED },
  });
  queue.on('error', quietErrors(options.log, 'job queue: Redis error'));
  const pending = pendingRequests(redis, queue, keys.pending);
  const locks: RedisLock = createRedisLock({ connection: options.connection, prefix, ttlMs: 10_000, pollMs: { min: 5, max: 100 }, failFast: true, log: options.log });
  let closed = false;

  function definitionOf(name: string): JobDefinition<unknown> {
    const definition = options.registry.get(name);
    if (!definition) throw new Error(`No job named "${name}" is registered: register its JobDefinition in the registry the queue is given.`);
    return definition;
  }

  async function enqueueWithId(name: string, data: unknown, id: string, enqueueOptions: EnqueueOptions): Promise<void> {
    const definition = definitionOf(name);
    const delay = Math.max(0, enqueueOptions.delayMs ?? 0);
    const { revision } = enqueueOptions;
    await locks.withLock(keys.enqueueLock(id), async () => {
      if (revision !== undefined && (await redis.exists(keys.seen(id, revision))) === 1) {
        options.log.info({ job: name, id, revision }, 'duplicate request dropped: this id and revision were queued moments ago');
        return;
      }
      const waiting = await pending.waiting(id);
      let outcome: MergeOutcome = 'gone';
      if (waiting) {
        const envelope = JSON.parse(waiting.raw) as JobEnvelope;
        outcome = await pending.replace(id, waiting.jobId, waiting.raw, JSON.stringify({ id, data: mergeData(definition, envelope.data, data) } satisfies JobEnvelope));
        if (outcome === 'merged-delayed' && delay === 0) await (await Job.fromId(queue, waiting.jobId))?.promote().catch(() => undefined);
      }
      if (outcome === 'gone') {
        const jobId = bullJobId(id, revision, Date.now(), windowMs);
        await queue.add(name, { id, data } satisfies JobEnvelope, { jobId, delay });
        await pending.point(id, jobId);
      }
      if (revision !== undefined) await redis.set(keys.seen(id, revision), '1', 'PX', windowMs);
    });
  }

  return {
    queue,
    async enqueue(name, data, enqueueOptions = {}) {
      if (closed) throw new Error('The job queue is closed: the process is shutting down.');
      definitionOf(name);
      try {
        await whenReady(redis, 3_000);
        if (enqueueOptions.id === undefined) await queue.add(name, { id: null, data } satisfies JobEnvelope, { delay: Math.max(0, enqueueOptions.delayMs ?? 0) });
        else await enqueueWithId(name, data, enqueueOptions.id, enqueueOptions);
      } catch (error) {
        if (redis.status === 'ready') throw error;
        // Not connected: BullMQ would wait for Redis as long as it takes, and GitHub would not.
        throw new Error(`Could not queue the job "${name}": Redis did not answer (${error instanceof Error ? error.message : String(error)}); check that Redis is up and REDIS_URL points at it`, { cause: error });
      }
    },
    async idle() {
      const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
      const working = async () => {
        const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children', 'delayed');
        return { busy: (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0) > 0, delayed: counts.delayed ?? 0 };
      };
      for (;; await pause()) {
        const { busy, delayed } = await working();
        if (busy) continue;
        if (delayed === 0) return;
        // A job scheduler always holds its next run as a delayed job: that one is not work to
        // wait for. A job of ours may turn active between the two reads: read the counts again.
        if ((await queue.getDelayed(0, -1)).some((job) => !job.repeatJobKey)) continue;
        if (!(await working()).busy) return;
      }
    },
    async close() {
      closed = true;
      await queue.close();
      await locks.close();
      await closeRedis(redis);
    },
  };
}
