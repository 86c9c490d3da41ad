import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { pendingRequests } from '../../src/jobs/pending-requests.js';
import { deleteKeys, REDIS_URL, testPrefix } from './redis-test-support.js';

const prefix = testPrefix();
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const queue = new Queue('jobs', { connection: redis, prefix });
const pending = pendingRequests(redis, queue, (id) => `${prefix}:jobs:dw:pending:${id}`);
const envelope = (workspaces: string[]) => JSON.stringify({ id: 'acme/infra', data: { workspaces } });

afterAll(async () => {
  await queue.close();
  await deleteKeys(prefix);
  redis.disconnect();
});

describe('the request waiting under an id', () => {
  it('takes merges until a worker claims it; a merge that comes after the claim finds it gone', async () => {
    await queue.add('scan', JSON.parse(envelope(['prod'])), { jobId: 'j1' });
    await pending.point('acme/infra', 'j1');
    const waiting = await pending.waiting('acme/infra');
    expect(waiting).toEqual({ jobId: 'j1', raw: envelope(['prod']) });
    expect(await pending.replace('acme/infra', 'j1', waiting!.raw, envelope(['prod', 'staging']))).toBe('merged');

    // An enqueuer read the data, then the worker claimed the job before it wrote.
    const read = await pending.waiting('acme/infra');
    expect(await pending.claim('acme/infra', 'j1')).toBe(envelope(['prod', 'staging']));
    expect(await pending.replace('acme/infra', 'j1', read!.raw, envelope(['prod', 'staging', 'dev']))).toBe('gone');
    expect(await pending.waiting('acme/infra')).toBeNull();
    expect((await queue.getJob('j1'))?.data).toEqual({ id: 'acme/infra', data: { workspaces: ['prod', 'staging'] } });
  });

  it('refuses a merge over data it did not read, and into a finished job', async () => {
    await queue.add('scan', JSON.parse(envelope(['prod'])), { jobId: 'j2' });
    await pending.point('other/repo', 'j2');
    expect(await pending.replace('other/repo', 'j2', envelope(['stale']), envelope(['prod', 'dev']))).toBe('gone');

    // A job that failed before any worker claimed it (an unknown job name) keeps no requests.
    await queue.add('scan', JSON.parse(envelope(['prod'])), { jobId: 'j3' });
    await pending.point('third/repo', 'j3');
    await redis.zadd(queue.keys.failed!, Date.now(), 'j3');
    expect(await pending.replace('third/repo', 'j3', envelope(['prod']), envelope(['prod', 'dev']))).toBe('gone');
  });

  it('says when the job it merged into is delayed, so a request for now can promote it', async () => {
    await queue.add('scan', JSON.parse(envelope(['prod'])), { jobId: 'j4', delay: 60_000 });
    await pending.point('delayed/repo', 'j4');
    expect(await pending.replace('delayed/repo', 'j4', envelope(['prod']), envelope(['prod', 'dev']))).toBe('merged-delayed');
  });
});
