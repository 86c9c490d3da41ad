// Settings of the queue on Redis: REDIS_URL switches the jobs, the schedules, the per-workspace
// locks and GitHub's shared write budget from in-process to Redis.
import { DriftwatchError } from '../errors.js';
import { integerFromEnv } from './integer-from-env.js';

export interface QueueSettings {
  /** REDIS_URL: BullMQ jobs and job schedulers, `npm run worker` processes, Redis locks and the
   * shared GitHub write budget. Null: the embedded queue and scheduler in the app's process.
   * May hold a password: never log it or put it in a message. */
  redisUrl: string | null;
  /** DRIFTWATCH_QUEUE_PREFIX (default driftwatch): the namespace of every Redis key, so several
   * deployments (staging, production) can share one Redis. */
  prefix: string;
  /** DRIFTWATCH_WORKER_CONCURRENCY (default 1): jobs one worker process runs at once. */
  workerConcurrency: number;
  /** DRIFTWATCH_WORKER_LOCK_SECONDS (default 30): how long a worker's hold on a running job (and
   * on its workspace) outlives the worker. A killed worker's job runs again elsewhere about one
   * and a half times this later (the other workers look every half of it); a job that keeps the
   * event loop busy this long loses its lock while it runs. */
  workerLockSeconds: number;
}

export const DEFAULT_QUEUE_PREFIX = 'driftwatch';

const CONCURRENCY = { name: 'DRIFTWATCH_WORKER_CONCURRENCY', min: 1, max: 64 } as const;
const LOCK_SECONDS = { name: 'DRIFTWATCH_WORKER_LOCK_SECONDS', min: 2, max: 3600 } as const;
export const DEFAULT_WORKER_LOCK_SECONDS = 30;

export function queueSettingsFromEnv(env: Record<string, string | undefined>): QueueSettings {
  return {
    redisUrl: redisUrlFromEnv(env.REDIS_URL),
    prefix: prefixFromEnv(env.DRIFTWATCH_QUEUE_PREFIX),
    workerConcurrency: integerFromEnv(env, CONCURRENCY, 1),
    workerLockSeconds: integerFromEnv(env, LOCK_SECONDS, DEFAULT_WORKER_LOCK_SECONDS),
  };
}

function redisUrlFromEnv(raw: string | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  // The value never goes into the message: it may carry the Redis password.
  const example = 'redis://:PASSWORD@redis.internal:6379/0 (rediss:// for TLS)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DriftwatchError('config', `REDIS_URL is not a URL: write it as ${example}, or unset it to run jobs in the app's process`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new DriftwatchError('config', `REDIS_URL must start with redis:// or rediss://, for example ${example}; unset it to run jobs in the app's process`);
  }
  return value;
}

function prefixFromEnv(raw: string | undefined): string {
  const value = raw?.trim();
  if (!value) return DEFAULT_QUEUE_PREFIX;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value)) {
    throw new DriftwatchError('config', 'DRIFTWATCH_QUEUE_PREFIX may hold only letters, digits, "_", "." and "-" (at most 64): set it to, for example, driftwatch-staging');
  }
  return value;
}
