import { describe, expect, it } from 'vitest';
import { createInProcessQueue } from '../../src/jobs/in-process-queue.js';
import { createKeyedLock } from '../../src/jobs/keyed-lock.js';
import type { JobDefinition, JobLogger } from '../../src/jobs/types.js';

function recordingLog(): JobLogger & { lines: { level: string; message: string; meta: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; meta: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (meta, message) => lines.push({ level: 'info', message, meta }),
    warn: (meta, message) => lines.push({ level: 'warn', message, meta }),
    error: (meta, message) => lines.push({ level: 'error', message, meta }),
  };
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

interface ScanData {
  workspaces: string[];
}

describe('the in-process job queue', () => {
  it('answers enqueue before the job starts', async () => {
    const runs: string[] = [];
    const queue = createInProcessQueue({ definitions: [{ name: 'scan', run: async () => void runs.push('ran') }], log: recordingLog() });
    await queue.enqueue('scan', {});
    expect(runs).toEqual([]);
    await queue.idle();
    expect(runs).toEqual(['ran']);
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
      merge: (waiting, incoming) => ({ workspaces: [...new Set([...waiting.workspaces, ...incoming.workspaces])].sort() }),
    };
    const queue = createInProcessQueue({ definitions: [definition], log: recordingLog() });

    await queue.enqueue('scan', { workspaces: ['prod'] }, { id: 'acme/infra' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([['prod']]);
    // Ten requests while it runs: one rerun, with everything they asked for.
    for (let index = 0; index < 10; index += 1) await queue.enqueue('scan', { workspaces: [index % 2 === 0 ? 'prod' : 'staging'] }, { id: 'acme/infra' });
    first.open();
    await queue.idle();

    expect(started).toEqual([['prod'], ['prod', 'staging']]);
  });

  it('runs jobs with different ids side by side, up to the concurrency', async () => {
    let running = 0;
    let most = 0;
    const queue = createInProcessQueue({
      definitions: [
        {
          name: 'scan',
          run: async () => {
            running += 1;
            most = Math.max(most, running);
            await new Promise((resolve) => setTimeout(resolve, 10));
            running -= 1;
          },
        },
      ],
      log: recordingLog(),
      concurrency: 2,
    });
    for (const id of ['a', 'b', 'c', 'd']) await queue.enqueue('scan', {}, { id });
    await queue.idle();
    expect(most).toBe(2);
  });

  it('retries a failed job with backoff, then logs the reason and goes on', async () => {
    const log = recordingLog();
    let calls = 0;
    const queue = createInProcessQueue({
      definitions: [
        {
          name: 'scan',
          run: async () => {
            calls += 1;
            throw new Error('GitHub answered 502');
          },
        },
        { name: 'other', run: async () => void log.info({}, 'other ran') },
      ],
      log,
      attempts: 3,
      backoffMs: 5,
    });
    await queue.enqueue('scan', {}, { id: 'x' });
    await queue.enqueue('other', {});
    await queue.idle();

    expect(calls).toBe(3);
    expect(log.lines.filter((line) => line.message === 'job failed; retrying').map((line) => line.meta.retryInMs)).toEqual([5, 10]);
    expect(log.lines.at(-1)).toMatchObject({ level: 'error', message: 'job failed; giving up', meta: { reason: 'GitHub answered 502', attempts: 3 } });
    expect(log.lines.some((line) => line.message === 'other ran')).toBe(true);
  });

  it('waits out a delay', async () => {
    const ran: number[] = [];
    const queue = createInProcessQueue({ definitions: [{ name: 'scan', run: async () => void ran.push(Date.now()) }], log: recordingLog() });
    const before = Date.now();
    await queue.enqueue('scan', {}, { delayMs: 30 });
    await queue.idle();
    expect(ran[0]! - before).toBeGreaterThanOrEqual(25);
  });

  it('refuses an unknown job name with what to do', async () => {
    const queue = createInProcessQueue({ definitions: [], log: recordingLog() });
    await expect(queue.enqueue('nope', {})).rejects.toThrow('No job named "nope" is registered');
  });

  it('lets running jobs finish on close, and refuses new ones', async () => {
    const finished: string[] = [];
    const queue = createInProcessQueue({
      definitions: [
        {
          name: 'scan',
          run: async () => {
            await new Promise((resolve) => setTimeout(resolve, 10));
            finished.push('done');
          },
        },
      ],
      log: recordingLog(),
    });
    await queue.enqueue('scan', {});
    await new Promise((resolve) => setImmediate(resolve));
    await queue.close();
    expect(finished).toEqual(['done']);
    await expect(queue.enqueue('scan', {})).rejects.toThrow('closed');
  });
});

describe('the keyed lock', () => {
  it('lets one holder per key run at a time, and different keys at once', async () => {
    const lock = createKeyedLock();
    const events: string[] = [];
    const hold = (key: string, name: string) =>
      lock.withLock(key, async () => {
        events.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`${name} end`);
      });
    await Promise.all([hold('acme/infra:prod', 'A'), hold('acme/infra:prod', 'B'), hold('acme/infra:staging', 'C')]);
    expect(events.indexOf('A end')).toBeLessThan(events.indexOf('B start'));
    expect(events.indexOf('C start')).toBeLessThan(events.indexOf('A end'));
  });

  it('releases the key when the holder fails', async () => {
    const lock = createKeyedLock();
    await expect(lock.withLock('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.withLock('k', async () => 'next')).resolves.toBe('next');
  });
});
