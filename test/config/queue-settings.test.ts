import { describe, expect, it } from 'vitest';
import { queueSettingsFromEnv } from '../../src/config/queue-settings.js';
import { settingsFromEnv } from '../../src/config/settings.js';
import { DriftwatchError } from '../../src/errors.js';

describe('queueSettingsFromEnv', () => {
  it('runs jobs in the app process when REDIS_URL is unset', () => {
    expect(queueSettingsFromEnv({})).toEqual({ redisUrl: null, prefix: 'driftwatch', workerConcurrency: 1, workerLockSeconds: 30 });
    expect(queueSettingsFromEnv({ REDIS_URL: ' ', DRIFTWATCH_QUEUE_PREFIX: '', DRIFTWATCH_WORKER_CONCURRENCY: '', DRIFTWATCH_WORKER_LOCK_SECONDS: '' })).toEqual({
      redisUrl: null,
      prefix: 'driftwatch',
      workerConcurrency: 1,
      workerLockSeconds: 30,
    });
    expect(settingsFromEnv({}).queue).toEqual(queueSettingsFromEnv({}));
  });

  it('reads the Redis URL, the key prefix, the worker concurrency and its lock', () => {
    expect(
      queueSettingsFromEnv({ REDIS_URL: 'rediss://:s3cret@redis.internal:6380/2', DRIFTWATCH_QUEUE_PREFIX: 'driftwatch-staging', DRIFTWATCH_WORKER_CONCURRENCY: '2', DRIFTWATCH_WORKER_LOCK_SECONDS: '120' }),
    ).toEqual({
      redisUrl: 'rediss://:s3cret@redis.internal:6380/2',
      prefix: 'driftwatch-staging',
      workerConcurrency: 2,
      workerLockSeconds: 120,
    });
  });

  it.each([
    ['REDIS_URL', 'http://:hunter2@redis.internal:6379', /REDIS_URL must start with redis:\/\/ or rediss:\/\//],
    ['REDIS_URL', 'redis.internal:hunter2', /REDIS_URL must start with redis:\/\//],
    ['REDIS_URL', '//:hunter2@redis.internal', /REDIS_URL is not a URL/],
    ['DRIFTWATCH_QUEUE_PREFIX', 'drift watch', /DRIFTWATCH_QUEUE_PREFIX may hold only letters/],
    ['DRIFTWATCH_WORKER_CONCURRENCY', '0', /DRIFTWATCH_WORKER_CONCURRENCY must be a whole number from 1 to 64/],
    ['DRIFTWATCH_WORKER_LOCK_SECONDS', '1', /DRIFTWATCH_WORKER_LOCK_SECONDS must be a whole number from 2 to 3600 \(default 30\)/],
  ])('rejects %s=%s with a config error that says what to write', (name, value, message) => {
    let caught: unknown;
    try {
      queueSettingsFromEnv({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DriftwatchError);
    expect((caught as DriftwatchError).code).toBe('config');
    expect((caught as DriftwatchError).message).toMatch(message);
    // A Redis URL may carry its password: the message never repeats the value.
    expect((caught as DriftwatchError).message).not.toContain('hunter2');
  });
});
