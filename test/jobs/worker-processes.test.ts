// Two real worker processes on the machine's Redis: the guarantees that only hold across
// processes (one workspace at a time, a killed worker's job taken up by the other, a graceful
// stop) checked where they matter.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createBullQueue, type BullQueue } from '../../src/jobs/bull-queue.js';
import { createJobRegistry } from '../../src/jobs/job-registry.js';
import type { RunEvent, TestScanData } from './processes/worker.js';
import { deleteKeys, recordingLog, REDIS_URL, testPrefix, until } from './redis-test-support.js';

const WORKER = path.resolve(import.meta.dirname, 'processes/worker.ts');
const prefixes: string[] = [];
const children: ChildProcess[] = [];
const closers: (() => Promise<void>)[] = [];
const redis = new Redis(REDIS_URL);

interface Worker {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}

/** Starts a worker process and resolves once it takes jobs. */
async function startWorkerProcess(prefix: string, name: string, env: Record<string, string> = {}): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, REDIS_URL, DRIFTWATCH_QUEUE_PREFIX: prefix, WORKER_NAME: name, DRIFTWATCH_WORKER_CONCURRENCY: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('driftwatch worker started')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`worker ${name} exited with ${code} before it started:\n${output}`)));
  });
  return { name, process: child, exited };
}

function setup() {
  const prefix = testPrefix();
  prefixes.push(prefix);
  const registry = createJobRegistry();
  // The web process knows the same definitions by name (and the merge of unlocked-scan).
  registry.register<TestScanData>({ name: 'scan', run: async () => undefined });
  registry.register<TestScanData>({ name: 'unlocked-scan', run: async () => undefined, merge: (waiting, incoming) => ({ ...incoming, label: `${waiting.label}+${incoming.label}` }) });
  const queue: BullQueue = createBullQueue({ connection: REDIS_URL, registry, prefix, log: recordingLog() });
  closers.push(() => queue.close());
  const events = async (): Promise<RunEvent[]> => (await redis.lrange(`${prefix}:test:events`, 0, -1)).map((line) => JSON.parse(line) as RunEvent);
  return { prefix, queue, events };
}

/** Pairs each start with the end that follows it on the same key and worker. */
function intervals(events: RunEvent[]): { key: string; worker: string; label: string; start: number; end: number }[] {
  const open = new Map<string, RunEvent>();
  const out: { key: string; worker: string; label: string; start: number; end: number }[] = [];
  for (const event of [...events].sort((a, b) => a.at - b.at)) {
    const slot = `${event.key}|${event.worker}|${event.label}`;
    if (event.kind === 'start') open.set(slot, event);
    else {
      const start = open.get(slot)!;
      open.delete(slot);
      out.push({ key: event.key, worker: event.worker, label: event.label, start: start.at, end: event.at });
    }
  }
  return out;
}

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const close of closers.splice(0)) await close();
});

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(prefix);
  redis.disconnect();
});

describe('worker processes', () => {
  it('never run one workspace at once, nor two jobs of one id, across two workers', async () => {
    const { queue, events } = setup();
    const workers = await Promise.all([startWorkerProcess(queue.queue.opts.prefix!, 'A'), startWorkerProcess(queue.queue.opts.prefix!, 'B')]);

    // Scans of prod and staging asked for by different jobs (a pull request's check, the default
    // branch, a fix): they would run side by side on four slots but for the workspace lock.
    const targets = ['default', 'pr-1', 'pr-2', 'pr-3', 'fix-restore'];
    for (const [index, target] of targets.entries()) {
      await queue.enqueue('scan', { label: `prod ${target}`, workspace: 'prod', ms: 120 }, { id: `scan:acme/infra:${target}` });
      if (index < 3) await queue.enqueue('scan', { label: `staging ${target}`, workspace: 'staging', ms: 120 }, { id: `scan:acme/infra:staging-${target}` });
    }
    // One id asked for again while it runs: its rerun waits for it, whichever worker takes it.
    const id = 'unlocked:acme/infra';
    await queue.enqueue('unlocked-scan', { label: 'first', workspace: id, ms: 300 }, { id });
    await until(async () => (await events()).some((event) => event.label === 'first'), 'the first unlocked run');
    await queue.enqueue('unlocked-scan', { label: 'second', workspace: id, ms: 100 }, { id });
    await queue.enqueue('unlocked-scan', { label: 'third', workspace: id, ms: 100 }, { id });
    await queue.idle();

    const runs = intervals(await events());
    expect(runs.map((run) => run.label).sort()).toEqual([...targets.map((target) => `prod ${target}`), ...targets.slice(0, 3).map((target) => `staging ${target}`), 'first', 'second+third'].sort());
    for (const key of new Set(runs.map((run) => run.key))) {
      const sorted = runs.filter((run) => run.key === key).sort((a, b) => a.start - b.start);
      for (let index = 1; index < sorted.length; index += 1) expect(sorted[index]!.start, `${key}: ${sorted[index]!.label} started before ${sorted[index - 1]!.label} ended`).toBeGreaterThanOrEqual(sorted[index - 1]!.end);
    }
    // Both processes worked: the lock kept them apart, not an idle one.
    expect(new Set(runs.map((run) => run.worker))).toEqual(new Set(workers.map((worker) => worker.name)));
  }, 60_000);

  it('retries the job of a worker killed mid-scan on the other worker', async () => {
    const { queue, events } = setup();
    const prefix = queue.queue.opts.prefix!;
    const timings = { LOCK_MS: '2000', STALLED_MS: '1000' };
    const workers = await Promise.all([startWorkerProcess(prefix, 'A', timings), startWorkerProcess(prefix, 'B', timings)]);

    await queue.enqueue('scan', { label: 'nightly', workspace: 'prod', ms: 3_000 }, { id: 'scan:acme/infra:default' });
    await until(async () => (await events()).some((event) => event.kind === 'start'), 'the scan to start');
    const first = (await events())[0]!;
    const victim = workers.find((worker) => worker.name === first.worker)!;
    const survivor = workers.find((worker) => worker !== victim)!;
    victim.process.kill('SIGKILL');
    const killedAt = Date.now();
    await victim.exited;

    await until(async () => (await events()).some((event) => event.kind === 'end'), 'the scan to end on the other worker', 20_000);
    const all = await events();
    expect(all.map((event) => [event.worker, event.kind])).toEqual([
      [victim.name, 'start'],
      [survivor.name, 'start'],
      [survivor.name, 'end'],
    ]);
    // Taken up once the dead worker's locks ran out, not before.
    expect(all[1]!.at - killedAt).toBeGreaterThanOrEqual(900);
    await queue.idle();
    expect(await queue.queue.getJobCounts('completed', 'failed')).toEqual({ completed: 1, failed: 0 });
  }, 60_000);

  it('finishes the running job on SIGTERM, then exits', async () => {
    const { queue, events } = setup();
    const worker = await startWorkerProcess(queue.queue.opts.prefix!, 'A');
    await queue.enqueue('scan', { label: 'nightly', workspace: 'prod', ms: 800 }, { id: 'scan:acme/infra:default' });
    await until(async () => (await events()).some((event) => event.kind === 'start'), 'the scan to start');
    worker.process.kill('SIGTERM');

    expect(await worker.exited).toBe(0);
    expect((await events()).map((event) => event.kind)).toEqual(['start', 'end']);
    expect(await queue.queue.getJobCounts('completed', 'active', 'waiting')).toEqual({ completed: 1, active: 0, waiting: 0 });
  }, 60_000);
});
