// GitHub's write budget shared by every process that writes for an installation (REDIS_URL): the
// pacer's token bucket (src/aws/token-bucket.ts) kept in Redis, so two workers together stay
// under 80 writes a minute instead of each spending the whole budget.
//
// The same algorithm as the in-memory bucket (GCRA: one "theoretical arrival time" per key),
// done in one Lua script so concurrent takers from any process reserve in turn. Time is Redis's
// own clock, one clock for every machine, unless `now` is given (tests).
import type { Redis } from 'ioredis';
import type { TokenBucket, TokenBucketOptions } from '../aws/token-bucket.js';
import { closeRedis, openRedis } from '../jobs/redis-client.js';
import type { JobLogger } from '../jobs/types.js';

export interface RedisTokenBucketOptions extends TokenBucketOptions {
  /** REDIS_URL. */
  connection: string;
  /** Keys are `<prefix>:bucket:<name>:<key>`. */
  prefix: string;
  /** What the budget is for, in its keys: several buckets can share a prefix. */
  name: string;
  log?: JobLogger;
}

export interface RedisTokenBucket extends TokenBucket {
  close(): Promise<void>;
}

// KEYS[1] the key's arrival time; ARGV: interval ms, tolerance ms, now ms ('' for Redis's clock).
// Returns how long the taker waits before sending. The key expires once the bucket would be full
// again, which is the same as no key.
const TAKE = `
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local now
if ARGV[3] == '' then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
else
  now = tonumber(ARGV[3])
end
local theoretical = tonumber(redis.call('GET', KEYS[1]) or now)
if theoretical < now then theoretical = now end
local sendAt = math.max(now, theoretical - tolerance)
local due = theoretical + interval
redis.call('SET', KEYS[1], string.format('%d', due), 'PX', due - now + 1000)
return sendAt - now
`;

export function createRedisTokenBucket(options: RedisTokenBucketOptions): RedisTokenBucket {
  const { ratePerSecond, burst } = options;
  if (!(Number.isFinite(ratePerSecond) && ratePerSecond > 0)) throw new RangeError(`token bucket rate must be a positive number, got ${ratePerSecond}`);
  if (!(Number.isFinite(burst) && burst >= 1)) throw new RangeError(`token bucket burst must be at least 1, got ${burst}`);
  // Whole milliseconds, as the in-memory bucket: rounding never lets a window hold one too many.
  const interval = Math.ceil(1000 / ratePerSecond);
  const tolerance = (Math.floor(burst) - 1) * interval;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const redis: Redis = openRedis(options.connection, options.log);

  return {
    async take(key) {
      const now = options.now ? String(options.now()) : '';
      const wait = Number(await redis.eval(TAKE, 1, `${options.prefix}:bucket:${options.name}:${key}`, String(interval), String(tolerance), now));
      if (wait > 0) await sleep(wait);
    },
    close: () => closeRedis(redis),
  };
}
