import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedisLock, type RedisLock } from '../../src/jobs/redis-lock.js';
import { deleteKeys, recordingLog, REDIS_URL, testPrefix } from './redis-test-support.js';

const prefix = testPrefix();
const opened: RedisLock[] = [];
const redis = new Redis(REDIS_URL);

/** A lock as one process would hold it: its own connection. */
function processLock(ttlMs = 30_000, log = recordingLog()): RedisLock {
  const lock = createRedisLock({ connection: REDIS_URL, prefix, ttlMs, pollMs: { min: 5, max: 50 }, log });
  opened.push(lock);
  return lock;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((lock) => lock.close()));
});

afterAll(async () => {
  await deleteKeys(prefix);
  redis.disconnect();
});

describe('the Redis lock', () => {
  it('lets one holder per key run at a time across processes, and different keys at once', async () => {
    const [first, second] = [processLock(), processLock()];
    const events: string[] = [];
    const hold = (lock: RedisLock, key: string, name: string) =>
      lock.withLock(key, async () => {
        events.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, 30));
        events.push(`${name} end`);
      });
    await Promise.all([hold(first, 'acme/infra:prod', 'A'), hold(second, 'acme/infra:prod', 'B'), hold(second, 'acme/infra:staging', 'C')]);

    const [earlier, later] = events.indexOf('A start') < events.indexOf('B start') ? ['A', 'B'] : ['B', 'A'];
    expect(events.indexOf(`${earlier} end`)).toBeLessThan(events.indexOf(`${later} start`));
    expect(events.indexOf('C start')).toBeLessThan(events.indexOf(`${earlier} end`));
    expect(await redis.exists(`${prefix}:lock:acme/infra:prod`)).toBe(0);
  });

  it('releases the key when the holder fails', async () => {
    const lock = processLock();
    await expect(lock.withLock('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.withLock('k', async () => 'next')).resolves.toBe('next');
  });

  it('keeps the key while its holder runs longer than the TTL', async () => {
    const [first, second] = [processLock(1_000), processLock(1_000)];
    const lease = await first.tryAcquire('long');
    expect(lease).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await second.tryAcquire('long')).toBeNull();
    expect(lease!.held).toBe(true);
    await lease!.release();
    expect(await second.tryAcquire('long')).not.toBeNull();
  });

  it('frees the key of a holder that died once its TTL has passed', async () => {
    // What a killed process leaves behind: its key, never renewed and never released.
    await redis.set(`${prefix}:lock:orphan`, 'token-of-a-dead-process', 'PX', 300, 'NX');
    const lock = processLock();
    const started = Date.now();
    expect(await lock.tryAcquire('orphan')).toBeNull();
    await lock.withLock('orphan', async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('never frees a key another holder took after its own lease ran out', async () => {
    const log = recordingLog();
    const [first, second] = [processLock(300, log), processLock(30_000)];
    const stale = await first.tryAcquire('contended');
    // The lease runs out (as when a process stops answering for longer than the TTL).
    await redis.del(`${prefix}:lock:contended`);
    const fresh = await second.tryAcquire('contended');
    expect(fresh).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 250));

    expect(stale!.held).toBe(false);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringContaining('lock lost while held') }));
    await stale!.release();
    expect(await first.tryAcquire('contended')).toBeNull();
    await fresh!.release();
  });
});
