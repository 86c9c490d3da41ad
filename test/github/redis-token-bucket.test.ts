import { ProbotOctokit } from 'probot';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createPacer } from '../../src/github/pacer.js';
import { createRedisTokenBucket, type RedisTokenBucket } from '../../src/github/redis-token-bucket.js';
import { deleteKeys, REDIS_URL, testPrefix } from '../jobs/redis-test-support.js';
import { REPO } from './github-responses.js';
import { mockGitHub } from './nock-github.js';

const prefix = testPrefix();
const opened: RedisTokenBucket[] = [];
const START = Date.parse('2025-06-02T09:00:00Z');

/** The pacer's bucket as one worker process holds it: its own connection. Sleeps are recorded,
 * not slept: each take's send time is exactly the time the bucket reserved for it. */
function workerBucket(name: string, now: (() => number) | undefined, waits: number[]): RedisTokenBucket {
  const bucket = createRedisTokenBucket({
    connection: REDIS_URL,
    prefix,
    name,
    // The pacer's limits: 80 writes a minute with a burst of 5 inside them.
    ratePerSecond: 75 / 60,
    burst: 5,
    ...(now ? { now } : {}),
    sleep: async (ms) => void waits.push(ms),
  });
  opened.push(bucket);
  return bucket;
}

/** Send times of `count` takes whose waits were recorded (a take without a wait records none). */
function sendTimes(waits: number[], count: number): number[] {
  return [...Array.from({ length: count - waits.length }, () => START), ...waits.map((wait) => START + wait)];
}

/** Most sends inside any window [t, t + 60 s). */
function busiestMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.max(0, ...sorted.map((first) => sorted.filter((t) => t >= first && t < first + 60_000).length));
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((bucket) => bucket.close()));
});

afterAll(async () => {
  await deleteKeys(prefix);
});

describe('the write budget in Redis', () => {
  it('is shared by two worker processes: together they keep any minute under 80 writes', async () => {
    const waits: number[] = [];
    const [first, second] = [workerBucket('github-writes', () => START, waits), workerBucket('github-writes', () => START, waits)];
    // Each worker has 60 writes to make for installation 4242, at the same moment.
    await Promise.all(Array.from({ length: 120 }, (_, index) => (index % 2 === 0 ? first : second).take('4242')));
    const sends = sendTimes(waits, 120);

    expect(sends).toHaveLength(120);
    expect(busiestMinute(sends)).toBeLessThanOrEqual(80);
    // The burst goes out at once, then one write every 800 ms, whichever process sends it.
    expect(sends.filter((at) => at === START)).toHaveLength(5);
    expect(Math.max(...sends) - START).toBe(115 * 800);
  });

  it('keeps one budget per installation', async () => {
    const waits: number[] = [];
    const [first, second] = [workerBucket('github-writes', () => START, waits), workerBucket('github-writes', () => START, waits)];
    await Promise.all([...Array.from({ length: 5 }, () => first.take('1')), ...Array.from({ length: 5 }, () => second.take('2'))]);
    expect(waits).toEqual([]);
  });

  it("reads Redis's clock when none is given: one clock for every machine", async () => {
    const waits: number[] = [];
    const bucket = workerBucket('clock', undefined, waits);
    for (let index = 0; index < 6; index += 1) await bucket.take('4242');
    // The burst without a wait; the sixth waits for the next token, less the moments the first
    // five took.
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(500);
    expect(waits[0]).toBeLessThanOrEqual(800);
  });

  it('paces the writes of two pacers (two workers) for one installation as one', async () => {
    const waits: number[] = [];
    // Each worker's pacer, its budget in Redis, as the worker builds it with REDIS_URL.
    const pacers = [0, 1].map(() =>
      createPacer({
        writeBucket: (limits) => {
          const bucket = createRedisTokenBucket({ connection: REDIS_URL, prefix, name: 'pacer', ...limits, now: () => START, sleep: async (ms) => void waits.push(ms) });
          opened.push(bucket);
          return bucket;
        },
      }),
    );
    const clients = pacers.map((pacer) => pacer.attach(new ProbotOctokit({ auth: { token: 't' }, retry: { enabled: false }, throttle: { enabled: false } }), 4242));
    const gh = mockGitHub();
    for (let index = 0; index < 100; index += 1) gh.createComment(1);

    await Promise.all(
      Array.from({ length: 100 }, (_, index) => clients[index % 2]!.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: REPO.owner, repo: REPO.name, issue_number: 1, body: `comment ${index}` })),
    );

    expect(gh.sent).toHaveLength(100);
    // Alone, each would have sent 80 in the first minute.
    expect(busiestMinute(sendTimes(waits, 100))).toBeLessThanOrEqual(80);
    expect(pacers.map((pacer) => pacer.stats(4242).writes)).toEqual([50, 50]);
  });
});
