import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createBullQueue, type BullQueue } from '../../src/jobs/bull-queue.js';
import { createBullScheduler } from '../../src/jobs/bull-scheduler.js';
import { startWorker, type RunningWorker } from '../../src/jobs/bull-worker.js';
import { scheduledRunJob } from '../../src/jobs/embedded-scheduler.js';
import { createJobRegistry } from '../../src/jobs/job-registry.js';
import type { ScheduledJob, ScheduleProvider } from '../../src/jobs/types.js';
import type { ScheduleRunRecord } from '../../src/store/types.js';
import { deleteKeys, recordingLog, REDIS_URL, testPrefix, until } from './redis-test-support.js';

const prefixes: string[] = [];
const closers: (() => Promise<void>)[] = [];

function scanSchedule(workspace: string, cron = '0 6 * * *', timezone = 'UTC'): ScheduledJob {
  return { name: `scan:acme/infra:${workspace}`, cron, timezone, job: 'scan-repository', data: { installationId: 42, repo: { owner: 'acme', name: 'infra' }, workspaces: [workspace] } };
}

function setup(scanMs = 0) {
  const prefix = testPrefix();
  prefixes.push(prefix);
  const log = recordingLog();
  const registry = createJobRegistry();
  const scans: { workspaces: string[] }[] = [];
  const scanIntervals: { start: number; end: number }[] = [];
  registry.register({
    name: 'scan-repository',
    run: async (data: { workspaces: string[] }) => {
      const start = Date.now();
      scans.push(data);
      if (scanMs > 0) await new Promise((resolve) => setTimeout(resolve, scanMs));
      scanIntervals.push({ start, end: Date.now() });
    },
  });
  const runs = new Map<string, ScheduleRunRecord>();
  /** The slot of every run started, in order. */
  const slotsStarted: number[] = [];
  const state = {
    scheduleRuns: async () => [...runs.values()],
    saveScheduleRun: async (record: ScheduleRunRecord) => {
      if (record.lastStartedAt !== null && record.lastFinishedAt === null) slotsStarted.push(Date.parse(record.lastSlotAt!));
      runs.set(record.name, record);
    },
    deleteScheduleRuns: async (names: string[]) => names.forEach((name) => runs.delete(name)),
  };
  registry.register(scheduledRunJob(registry, state));
  /** A web process: its queue and its scheduler. */
  const replica = (providers: ScheduleProvider[]) => {
    const queue: BullQueue = createBullQueue({ connection: REDIS_URL, registry, prefix, log });
    closers.push(() => queue.close());
    return { queue, scheduler: createBullScheduler({ queue, providers, log, state }) };
  };
  const worker = (concurrency = 1): RunningWorker => {
    const running = startWorker({ connection: REDIS_URL, registry, prefix, log, concurrency, busyRetryMs: 100 });
    closers.push(() => running.close());
    return running;
  };
  return { replica, worker, scans, scanIntervals, runs, slotsStarted, log };
}

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(prefix);
});

describe('the scheduler on BullMQ', () => {
  it('registers a schedule once however many replicas start, with one run waiting', async () => {
    const { replica } = setup();
    const provider: ScheduleProvider = { name: 'scan', jobs: async () => [scanSchedule('prod', '0 6 * * *', 'Europe/Berlin'), scanSchedule('staging')] };
    const replicas = [replica([provider]), replica([provider]), replica([provider])];
    await Promise.all(replicas.map(({ scheduler }) => scheduler.sync()));
    await replicas[0]!.scheduler.sync();

    const queue = replicas[0]!.queue.queue;
    const schedulers = await queue.getJobSchedulers(0, -1);
    expect(schedulers.map((scheduler) => [scheduler.key, scheduler.pattern, scheduler.tz]).sort()).toEqual([
      ['scan:acme/infra:prod', '0 6 * * *', 'Europe/Berlin'],
      ['scan:acme/infra:staging', '0 6 * * *', 'UTC'],
    ]);
    expect((await queue.getDelayed(0, -1)).map((job) => job.repeatJobKey).sort()).toEqual(['scan:acme/infra:prod', 'scan:acme/infra:staging']);
    // The next 06:00 in Berlin, whatever today is.
    const prod = replicas[1]!.scheduler.upcoming().find((entry) => entry.name === 'scan:acme/infra:prod');
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(new Date(prod!.at))).toBe('06:00');
  });

  it('drops schedules no provider offers, keeps those of a provider that fails, and updates a changed one', async () => {
    const { replica, runs } = setup();
    let offered = [scanSchedule('prod'), scanSchedule('staging')];
    let briefingFails = false;
    const providers: ScheduleProvider[] = [
      { name: 'scan', jobs: async () => offered },
      { name: 'briefing', jobs: async () => (briefingFails ? Promise.reject(new Error('GitHub answered 502')) : [{ ...scanSchedule('prod', '0 9 * * 1'), name: 'briefing:acme/infra:prod', job: 'scan-repository' }]) },
    ];
    const { scheduler, queue } = replica(providers);
    await scheduler.sync();
    runs.set('scan:acme/infra:staging', { name: 'scan:acme/infra:staging', lastSlotAt: null, lastStartedAt: null, lastFinishedAt: null, lastError: null });

    offered = [scanSchedule('prod', '30 7 * * *')];
    briefingFails = true;
    const outcome = await scheduler.sync();

    expect(outcome).toEqual({ scheduled: 2, dropped: ['scan:acme/infra:staging'] });
    expect(runs.has('scan:acme/infra:staging')).toBe(false);
    const schedulers = await queue.queue.getJobSchedulers(0, -1);
    expect(schedulers.map((entry) => [entry.key, entry.pattern]).sort()).toEqual([
      ['briefing:acme/infra:prod', '0 9 * * 1'],
      ['scan:acme/infra:prod', '30 7 * * *'],
    ]);
    expect(await queue.queue.getDelayed(0, -1)).toHaveLength(2);
  });

  it('runs a slot missed while no worker ran once when a worker comes, not once per missed slot', async () => {
    const { replica, worker, scans, runs, slotsStarted } = setup();
    // Every second (BullMQ reads a sixth field as seconds): several slots pass with no worker.
    const { scheduler } = replica([{ name: 'scan', jobs: async () => [scanSchedule('prod', '* * * * * *')] }]);
    await scheduler.sync();
    const firstSlot = Date.parse(scheduler.upcoming()[0]!.at);
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    // A replica starting meanwhile syncs an unchanged schedule: the missed run stays.
    await scheduler.sync();

    const workerStarted = Date.now();
    worker();
    await until(() => scans.length >= 2, 'the missed run and the next slot', 10_000);

    const record = runs.get('scan:acme/infra:prod');
    expect(record?.lastError).toBeNull();
    expect(scans[0]).toEqual({ installationId: 42, repo: { owner: 'acme', name: 'infra' }, workspaces: ['prod'] });
    // The first missed slot once, then only slots from when the worker came.
    expect(slotsStarted[0]).toBe(firstSlot);
    expect(slotsStarted.slice(1).every((slot) => slot >= workerStarted - 1_000)).toBe(true);
  });

  it('never overlaps two runs of one schedule, and keeps one run waiting when a run outlasts the interval', async () => {
    const { replica, worker, scanIntervals } = setup(2_000);
    const { scheduler, queue } = replica([{ name: 'scan', jobs: async () => [scanSchedule('prod', '* * * * * *')] }]);
    await scheduler.sync();
    // Room for every slot to run at once, if nothing kept them apart.
    worker(3);
    await until(() => scanIntervals.length >= 3, 'three runs of 2 s', 20_000);

    const sorted = [...scanIntervals].sort((a, b) => a.start - b.start);
    for (let index = 1; index < sorted.length; index += 1) expect(sorted[index]!.start).toBeGreaterThanOrEqual(sorted[index - 1]!.end);
    // Slots come twice as fast as runs end: without coalescing they would pile up, one job each.
    const now = Date.now();
    const jobs = await queue.queue.getJobs(['delayed', 'waiting', 'prioritized']);
    const overdue = jobs.filter((job) => job.repeatJobKey === 'scan:acme/infra:prod' && Number(String(job.id).split(':').at(-1)) < now - 1_500);
    expect(overdue.length).toBeLessThanOrEqual(1);
  }, 30_000);
});
