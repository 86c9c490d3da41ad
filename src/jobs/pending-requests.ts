// Which BullMQ job waits, unclaimed, under a request id: the job later requests merge into. A
// pointer per id, set when the job is added (or when a failed job waits out its retry) and
// deleted when a worker claims the job to run it. Each step is one Lua script, so a claim and a
// merge never cross: a merge writes only while the pointer still names the job (and the job
// still exists, unfinished); a claim deletes the pointer and reads the data in one step.
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export type MergeOutcome = 'merged' | 'merged-delayed' | 'gone';

export interface PendingRequests {
  /** The job waiting under `id`, with its stored data (as raw JSON, compared on replace). */
  waiting(id: string): Promise<{ jobId: string; raw: string } | null>;
  /** Writes `data` into the waiting job if it still waits under `id` with `raw` as its data:
   * 'merged' ('merged-delayed' when the job is delayed), or 'gone' (claimed, finished or
   * changed meanwhile). */
  replace(id: string, jobId: string, raw: string, data: string): Promise<MergeOutcome>;
  /** Names `jobId` as the job waiting under `id`. */
  point(id: string, jobId: string): Promise<void>;
  /** Claims `jobId`: requests no longer merge into it. Its data as stored now (null: gone). */
  claim(id: string, jobId: string): Promise<string | null>;
}

type Call = (...args: (string | number)[]) => Promise<unknown>;

// KEYS: pointer, completed, failed. ARGV: job key prefix. The waiting job id and its data, or
// nil when none waits (or the one named finished without a claim).
const WAITING = `
local jobId = redis.call('GET', KEYS[1])
if not jobId then return nil end
if redis.call('ZSCORE', KEYS[2], jobId) or redis.call('ZSCORE', KEYS[3], jobId) then return nil end
local data = redis.call('HGET', ARGV[1] .. jobId, 'data')
if not data then return nil end
return {jobId, data}
`;

// KEYS: pointer, job key, completed, failed, delayed. ARGV: job id, expected data, new data.
const REPLACE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('ZSCORE', KEYS[3], ARGV[1]) or redis.call('ZSCORE', KEYS[4], ARGV[1]) then return 0 end
if redis.call('HGET', KEYS[2], 'data') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[2], 'data', ARGV[3])
if redis.call('ZSCORE', KEYS[5], ARGV[1]) then return 2 end
return 1
`;

// KEYS: pointer, job key. ARGV: job id. The job's data.
const CLAIM = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return redis.call('HGET', KEYS[2], 'data')
`;

export function pendingRequests(redis: Redis, queue: Queue, pointerKey: (id: string) => string): PendingRequests {
  const commands = redis as unknown as Record<string, Call>;
  if (!commands.dwWaiting) {
    redis.defineCommand('dwWaiting', { numberOfKeys: 3, lua: WAITING });
    redis.defineCommand('dwReplace', { numberOfKeys: 5, lua: REPLACE });
    redis.defineCommand('dwClaim', { numberOfKeys: 2, lua: CLAIM });
  }
  return {
    async waiting(id) {
      const found = (await commands.dwWaiting!(pointerKey(id), queue.keys.completed!, queue.keys.failed!, queue.toKey(''))) as [string, string] | null;
      return found ? { jobId: found[0], raw: found[1] } : null;
    },
    async replace(id, jobId, raw, data) {
      const outcome = Number(await commands.dwReplace!(pointerKey(id), queue.toKey(jobId), queue.keys.completed!, queue.keys.failed!, queue.keys.delayed!, jobId, raw, data));
      return outcome === 2 ? 'merged-delayed' : outcome === 1 ? 'merged' : 'gone';
    },
    async point(id, jobId) {
      await redis.set(pointerKey(id), jobId);
    },
    async claim(id, jobId) {
      return (await commands.dwClaim!(pointerKey(id), queue.toKey(jobId), jobId)) as string | null;
    },
  };
}
