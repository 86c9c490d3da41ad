import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createBullQueue, type BullQueue } from '../../src/jobs/bull-queue.js';
import { startWorker, type RunningWorker } from '../../src/jobs/bull-worker.js';
import { createJobRegistry, type JobRegistry } from '../../src/jobs/job-registry.js';
import type { JobDefinition } from '../../src/jobs/types.js';
import { deleteKeys, gate, recordingLog, REDIS_URL, testPrefix, until } from './redis-test-support.js';

// One prefix per test: a test's leftovers (a job retrying in the background) never reach the next.
const prefixes: string[] = [];
const closers: (() => Promise<void>)[] = [];

interface ScanData {
  workspaces: string[];
}

const union = (waiting: ScanData, incoming: ScanData): ScanData => ({ workspaces: [...new Set([...waiting.workspaces, ...incoming.workspaces])].sort() });

// Definitions of several data types in one list (the registry stores them by name).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setup(definitions: JobDefinition<any>[], options: { attempts?: number; backoffMs?: number } = {}) {
  const prefix = testPrefix();
  prefixes.push(prefix);
  const registry: JobRegistry = createJobRegistry();
  for (const definition of definitions) registry.register(definition);
  const log = recordingLog();
  /** A web process: only enqueues. */
  const replica = (): BullQueue => {
    const queue = createBullQueue({ connection: REDIS_URL, registry, prefix, log, attempts: options.attempts ?? 3, backoffMs: options.backoffMs ?? 50 });
    closers.push(() => queue.close());
    return queue;
  };
  const worker = (concurrency = 1): RunningWorker => {
    const running = startWorker({ connection: REDIS_URL, registry, prefix, log, concurrency, busyRetryMs: 50 });
    closers.push(() => running.close());
    return running;
  };
  return { replica, worker, log };
}

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(prefix);
});

describe('the BullMQ queue', () => {
  it('answers enqueue at once; a worker elsewhere runs the job', async () => {
    const runs: unknown[] = [];
    const { replica, worker } = setup([{ name: 'scan', run: async (data) => void runs.push(data) }]);
    const queue = replica();
    await queue.enqueue('scan', { workspaces: ['prod'] }, { id: 'scan:acme/infra:default' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runs).toEqual([]);

    worker();
    await queue.idle();
    expect(runs).toEqual([{ workspaces: ['prod'] }]);
  });

  it('runs a request once however often its id and revision are enqueued, by however many replicas', async () => {
    const runs: string[] = [];
    const { replica, worker } = setup([{ name: 'scan', run: async (data: { ref: string }) => void runs.push(data.ref) }]);
    const [first, second] = [replica(), replica()];
    // A webhook delivered twice to each of two web processes, all at once.
    const request = () => ({ id: 'scan:acme/infra:default', revision: 'push@6113728f' });
    await Promise.all([first, second, first, second].map((queue) => queue.enqueue('scan', { ref: '6113728f' }, request())));
    worker();
    await first.idle();
    // Redelivered after the scan ran: still a duplicate.
    await second.enqueue('scan', { ref: '6113728f' }, request());
    await first.idle();
    expect(runs).toEqual(['6113728f']);

    // The next commit is a new request.
    await second.enqueue('scan', { ref: '9a1b2c3d' }, { id: 'scan:acme/infra:default', revision: 'push@9a1b2c3d' });
    await first.idle();
    expect(runs).toEqual(['6113728f', '9a1b2c3d']);
  });

  it('remembers a revision that merged into another request: its redelivery is a duplicate too', async () => {
    const runs: string[] = [];
    const { replica, worker } = setup([{ name: 'scan', run: async (data: { ref: string }) => void runs.push(data.ref) }]);
    const queue = replica();
    // Two pushes before any worker runs: one scan, of the later commit.
    await queue.enqueue('scan', { ref: 'aaaa' }, { id: 'scan:acme/infra:default', revision: 'push@aaaa' });
    await queue.enqueue('scan', { ref: 'bbbb' }, { id: 'scan:acme/infra:default', revision: 'push@bbbb' });
    worker();
    await queue.idle();
    await queue.enqueue('scan', { ref: 'bbbb' }, { id: 'scan:acme/infra:default', revision: 'push@bbbb' });
    await queue.idle();
    expect(runs).toEqual(['bbbb']);
  });

  it('merges requests for one id while it waits, and queues one rerun while it runs', async () => {
    const started: string[][] = [];
    const first = gate();
    const definition: JobDefinition<ScanData> = {
      name: 'scan',
      run: async (data) => {
        started.push(data.workspaces);
        if (started.length === 1) await first.promise;
      },
      merge: union,
    };
    const { replica, worker } = setup([definition]);
    const [queue, other] = [replica(), replica()];
    worker(2);

    await queue.enqueue('scan', { workspaces: ['prod'] }, { id: 'acme/infra' });
    await until(() => started.length === 1, 'the first run');
    // Ten requests from two replicas while it runs: one rerun, with everything they asked for.
    await Promise.all(Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? queue : other).enqueue('scan', { workspaces: [index % 2 === 0 ? 'prod' : 'staging'] }, { id: 'acme/infra' })));
    // The rerun is handed to the second slot, finds the id running, and waits without running.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(started).toEqual([['prod']]);
    first.open();
    await queue.idle();

    expect(started).toEqual([['prod'], ['prod', 'staging']]);
  });

  it('runs jobs with different ids side by side, and jobs without an id every time', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    const { replica, worker } = setup([
      {
        name: 'scan',
        run: async () => {
          running += 1;
          runs += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 100));
          running -= 1;
        },
      },
    ]);
    const queue = replica();
    for (const id of ['a', 'b', 'c', 'd']) await queue.enqueue('scan', {}, { id });
    await queue.enqueue('scan', {});
    await queue.enqueue('scan', {});
    worker(2);
    await queue.idle();
    expect(runs).toBe(6);
    expect(most).toBe(2);
  });

  it('retries a failed job with exponential backoff, then logs the reason and goes on', async () => {
    const times: number[] = [];
    const { replica, worker, log } = setup(
      [
        {
          name: 'scan',
          run: async (_data, context) => {
            times.push(Date.now());
            throw new Error(`GitHub answered 502 (attempt ${context.attempt})`);
          },
        },
        { name: 'other', run: async () => void log.info({}, 'other ran') },
      ],
      { attempts: 3, backoffMs: 100 },
    );
    const queue = replica();
    await queue.enqueue('scan', {}, { id: 'x' });
    await queue.enqueue('other', {});
    worker();
    await queue.idle();
    // BullMQ emits 'failed' (which logs) after the job's last state reached Redis, so idle() can
    // see the queue empty a moment before the line is written.
    await until(() => log.lines.some((line) => line.message === 'job failed; giving up'), "the worker's 'giving up' line");

    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(100);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(200);
    expect(log.lines.filter((line) => line.message === 'job failed; retrying').map((line) => line.meta.retryInMs)).toEqual([100, 200]);
    expect(log.lines.find((line) => line.message === 'job failed; giving up')).toMatchObject({ level: 'error', meta: { reason: 'GitHub answered 502 (attempt 3)', attempt: 3 } });
    expect(log.lines.some((line) => line.message === 'other ran')).toBe(true);
  });

  it('merges a failed job into the request waiting behind it instead of retrying it apart', async () => {
    const started: string[][] = [];
    const first = gate();
    const { replica, worker, log } = setup(
      [
        {
          name: 'scan',
          run: async (data: ScanData) => {
            started.push(data.workspaces);
            if (started.length > 1) return;
            await first.promise;
            throw new Error('AWS throttled the scan');
          },
          merge: union,
        } satisfies JobDefinition<ScanData>,
      ],
      { attempts: 3, backoffMs: 50 },
    );
    const queue = replica();
    worker();
    await queue.enqueue('scan', { workspaces: ['prod'] }, { id: 'acme/infra' });
    await until(() => started.length === 1, 'the first run');
    await queue.enqueue('scan', { workspaces: ['staging'] }, { id: 'acme/infra' });
    first.open();
    await queue.idle();

    expect(started).toEqual([['prod'], ['prod', 'staging']]);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'job failed; merged into the request waiting behind it' }));
  });

  it('lets requests merge into a job that waits out its retry, and runs it at once', async () => {
    const started: string[][] = [];
    const { replica, worker } = setup(
      [
        {
          name: 'scan',
          run: async (data: ScanData) => {
            started.push(data.workspaces);
            if (started.length === 1) throw new Error('GitHub answered 502');
          },
          merge: union,
        } satisfies JobDefinition<ScanData>,
      ],
      { attempts: 3, backoffMs: 60_000 },
    );
    const queue = replica();
    worker();
    await queue.enqueue('scan', { workspaces: ['prod'] }, { id: 'acme/infra' });
    await until(() => started.length === 1, 'the failed run');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await queue.enqueue('scan', { workspaces: ['staging'] }, { id: 'acme/infra' });
    await queue.idle();

    expect(started).toEqual([['prod'], ['prod', 'staging']]);
  });

  it('waits out a delay', async () => {
    const ran: number[] = [];
    const { replica, worker } = setup([{ name: 'scan', run: async () => void ran.push(Date.now()) }]);
    const queue = replica();
    worker();
    const before = Date.now();
    await queue.enqueue('scan', {}, { id: 'later', delayMs: 300 });
    await queue.idle();
    expect(ran[0]! - before).toBeGreaterThanOrEqual(290);
  });

  it('refuses an unknown job name with what to do, and a closed queue', async () => {
    const { replica } = setup([]);
    const queue = replica();
    await expect(queue.enqueue('nope', {})).rejects.toThrow('No job named "nope" is registered');
    await expect(queue.enqueue('nope', {}, { id: 'x' })).rejects.toThrow('No job named "nope" is registered');
    await queue.close();
    await expect(queue.enqueue('nope', {})).rejects.toThrow('closed');
  });

  it('fails an enqueue within seconds when Redis is down, saying what to check, instead of holding the webhook', async () => {
    const registry = createJobRegistry();
    registry.register({ name: 'scan', run: async () => undefined });
    const log = recordingLog();
    // Nothing listens on port 1.
    const queue = createBullQueue({ connection: 'redis://127.0.0.1:1', registry, prefix: testPrefix(), log });
    closers.push(() => queue.close());
    const started = Date.now();
    await expect(queue.enqueue('scan', {}, { id: 'scan:acme/infra:default', revision: 'push@6113728f' })).rejects.toThrow(/Could not queue the job "scan": Redis did not answer .*check that Redis is up and REDIS_URL points at it/);
    await expect(queue.enqueue('scan', {})).rejects.toThrow('Could not queue the job "scan"');
    expect(Date.now() - started).toBeLessThan(10_000);
    // One line per connection, not one per reconnect attempt.
    expect(log.lines.filter((line) => line.message.startsWith('Redis connection failed')).length).toBeLessThanOrEqual(2);
  });
});
