// One holder per key across every process that shares a Redis: one scan per repository and
// workspace at a time, whichever worker on whichever machine runs it. The KeyedLock of the
// embedded default (keyed-lock.ts), for REDIS_URL.
//
// A key is taken with SET NX PX and a random token, renewed while its holder runs, and released
// only by the token that holds it (a Lua check-and-delete), so a holder whose lease ran out never
// frees a key someone else took since. A holder that dies stops renewing: its key frees itself
// after `ttlMs`, and the next holder goes on.
//
// A caller that finds the key held waits, polling with backoff (withLock). The queue's workers do
// not wait inside a job: they use tryAcquire and move the job back to delayed (bull-worker.ts), so
// a waiting job holds no worker slot.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { KeyedLock } from './keyed-lock.js';
import { closeRedis, openRedis } from './redis-client.js';
import type { JobLogger } from './types.js';

export interface RedisLockOptions {
  /** REDIS_URL. */
  connection: string;
  /** Keys are `<prefix>:lock:<key>`. */
  prefix: string;
  /** How long a key outlives a holder that stopped renewing it (a killed process). Renewed every
   * third of it while held. */
  ttlMs?: number;
  /** First and longest wait between two tries of a held key. */
  pollMs?: { min: number; max: number };
  /** Fail instead of waiting while Redis is unreachable (openRedis 'fail-fast'). */
  failFast?: boolean;
  log?: JobLogger;
}

export interface LockLease {
  readonly key: string;
  /** False once a renewal found the key gone or taken: the lease ran out (the event loop was
   * blocked longer than the TTL, or Redis lost the key) and another holder may run. */
  readonly held: boolean;
  release(): Promise<void>;
}

export interface RedisLock extends KeyedLock {
  /** Takes `key` if it is free: a lease, renewed until released; null when another holds it. */
  tryAcquire(key: string): Promise<LockLease | null>;
  close(): Promise<void>;
}

export const DEFAULT_LOCK_TTL_MS = 30_000;

// Renew only our own key: after a lease ran out, another holder's key must stay as it is.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export function createRedisLock(options: RedisLockOptions): RedisLock {
  const ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
  if (!(Number.isInteger(ttlMs) && ttlMs >= 100)) throw new RangeError(`redis lock: ttlMs must be a whole number of milliseconds of at least 100, got ${ttlMs}`);
  const poll = options.pollMs ?? { min: 25, max: 1_000 };
  const redis: Redis = openRedis(options.connection, options.log, options.failFast ? 'fail-fast' : 'wait');
  const leases = new Set<{ release(): Promise<void> }>();

  const keyOf = (key: string) => `${options.prefix}:lock:${key}`;

  async function tryAcquire(key: string): Promise<LockLease | null> {
    const redisKey = keyOf(key);
    const token = randomUUID();
    const taken = await redis.set(redisKey, token, 'PX', ttlMs, 'NX');
    if (taken !== 'OK') return null;
    let held = true;
    let released = false;
    const renew = async () => {
      try {
        const renewed = await redis.eval(RENEW, 1, redisKey, token, String(ttlMs));
        if (renewed === 1 || released) return;
        held = false;
        clearInterval(timer);
        options.log?.error({ key }, 'lock lost while held: another holder may run at the same time (an event loop blocked longer than the lock TTL?)');
      } catch (error) {
        // Redis unreachable: the next renewal tries again; the TTL still covers two misses.
        options.log?.warn({ key, reason: error instanceof Error ? error.message : String(error) }, 'could not renew a lock; retrying');
      }
    };
    const timer = setInterval(() => void renew(), Math.floor(ttlMs / 3));
    // A lease never keeps a process alive on its own.
    timer.unref();
    const lease = {
      key,
      get held() {
        return held;
      },
      async release() {
        if (released) return;
        released = true;
        clearInterval(timer);
        leases.delete(lease);
        if (held) await redis.eval(RELEASE, 1, redisKey, token);
      },
    };
    leases.add(lease);
    return lease;
  }

  return {
    tryAcquire,
    async withLock(key, work) {
      let wait = poll.min;
      let lease = await tryAcquire(key);
      while (!lease) {
        // Jitter: holders that wait for one key do not all try again in the same millisecond.
        await new Promise((resolve) => setTimeout(resolve, wait / 2 + Math.random() * (wait / 2)));
        wait = Math.min(poll.max, wait * 2);
        lease = await tryAcquire(key);
      }
      try {
        return await work();
      } finally {
        await lease.release();
      }
    },
    async close() {
      await Promise.all([...leases].map((lease) => lease.release().catch(() => undefined)));
      await closeRedis(redis);
    },
  };
}
