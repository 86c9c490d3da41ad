import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEmbeddedScheduler, scheduledRunJob, SCHEDULED_RUN_JOB } from '../../src/jobs/embedded-scheduler.js';
import { createInProcessQueue } from '../../src/jobs/in-process-queue.js';
import { createJobRegistry } from '../../src/jobs/job-registry.js';
import type { JobLogger, ScheduledJob, ScheduleProvider } from '../../src/jobs/types.js';
import { createStore } from '../../src/store/create-store.js';
import type { ScheduleRunRecord } from '../../src/store/types.js';

/** The schedule-run part of the store, in memory (the store suite tests the real tables). */
function memoryRuns(initial: ScheduleRunRecord[] = []) {
  const records = new Map(initial.map((record) => [record.name, record]));
  return {
    records,
    scheduleRuns: async () => [...records.values()].map((record) => ({ ...record })),
    saveScheduleRun: async (record: ScheduleRunRecord) => void records.set(record.name, { ...record }),
    deleteScheduleRuns: async (names: string[]) => names.forEach((name) => records.delete(name)),
  };
}

function log(): JobLogger & { errors: { meta: Record<string, unknown>; message: string }[] } {
  const errors: { meta: Record<string, unknown>; message: string }[] = [];
  return { errors, info: () => undefined, warn: () => undefined, error: (meta, message) => errors.push({ meta, message }) };
}

function provider(name: string, jobs: ScheduledJob[] | (() => ScheduledJob[])): ScheduleProvider {
  return { name, jobs: async () => (typeof jobs === 'function' ? jobs() : jobs) };
}

function scanSchedule(workspace: string, cron = '0 6 * * *', timezone = 'UTC'): ScheduledJob {
  return { name: `scan:acme/infra:${workspace}`, cron, timezone, job: 'scan-workspace', data: { workspace } };
}

function setup(options: { jobs: ScheduledJob[] | (() => ScheduledJob[]); runs?: ScheduleRunRecord[]; work?: (data: { workspace: string }) => Promise<void> }) {
  const ran: { workspace: string; at: string }[] = [];
  const registry = createJobRegistry();
  registry.register<{ workspace: string }>({
    name: 'scan-workspace',
    run: async (data) => {
      // To the second: the queue starts a job a tick after its slot.
      ran.push({ workspace: data.workspace, at: `${new Date().toISOString().slice(0, 19)}Z` });
      await options.work?.(data);
    },
  });
  const state = memoryRuns(options.runs);
  const logger = log();
  registry.register(scheduledRunJob(registry, state));
  const queue = createInProcessQueue({ definitions: registry.all(), log: logger, attempts: 1 });
  const scheduler = createEmbeddedScheduler({ providers: [provider('scan', options.jobs)], queue, state, log: logger });
  return { scheduler, queue, ran, state, logger };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-12-07T05:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the embedded scheduler', () => {
  it('runs each schedule at its slot, in its time zone', async () => {
    const { scheduler, ran } = setup({ jobs: [scanSchedule('prod'), scanSchedule('berlin', '0 9 * * 1', 'Europe/Berlin')] });
    await scheduler.sync();
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(5 * 60 * 60 * 1000);
    expect(ran).toEqual([
      { workspace: 'prod', at: '2026-12-07T06:00:00Z' },
      // Monday 09:00 in Berlin is 08:00 UTC in winter.
      { workspace: 'berlin', at: '2026-12-07T08:00:00Z' },
    ]);
  });

  it.each([
    ['spring forward (02:30 does not exist)', '30 2 * * *', '2026-03-07T00:00:00Z', ['2026-03-07T07:30:00Z', '2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z']],
    ['fall back (01:30 happens twice)', '30 1 * * *', '2026-10-31T00:00:00Z', ['2026-10-31T05:30:00Z', '2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z']],
  ])('runs once a day across a DST %s', async (_name, cron, start, expected) => {
    vi.setSystemTime(new Date(start));
    const { scheduler, ran } = setup({ jobs: [scanSchedule('ny', cron, 'America/New_York')] });
    await scheduler.sync();
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(3 * 24 * 60 * 60 * 1000);
    expect(ran.map((run) => run.at)).toEqual(expected);
  });

  it('runs a slot missed while the app was down once on start, not once per missed slot', async () => {
    const { scheduler, ran } = setup({
      jobs: [scanSchedule('prod')],
      runs: [{ name: 'scan:acme/infra:prod', lastSlotAt: '2026-12-03T06:00:00Z', lastStartedAt: '2026-12-03T06:00:01Z', lastFinishedAt: '2026-12-03T06:02:00Z', lastError: null }],
    });
    vi.setSystemTime(new Date('2026-12-07T07:00:00Z'));
    await scheduler.sync();
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(ran).toEqual([{ workspace: 'prod', at: '2026-12-07T07:00:00Z' }]);
    await vi.advanceTimersByTimeAsync(24 * 60 * 60 * 1000);
    expect(ran.map((run) => run.at)).toEqual(['2026-12-07T07:00:00Z', '2026-12-08T06:00:00Z']);
  });

  it('runs again once a run that the process died in the middle of', async () => {
    const { scheduler, ran } = setup({
      jobs: [scanSchedule('prod')],
      runs: [{ name: 'scan:acme/infra:prod', lastSlotAt: '2026-12-07T06:00:00Z', lastStartedAt: '2026-12-07T06:00:01Z', lastFinishedAt: null, lastError: null }],
    });
    vi.setSystemTime(new Date('2026-12-07T06:30:00Z'));
    await scheduler.sync();
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(ran).toHaveLength(1);
  });

  it('starts a new schedule at its next slot (the installation already scanned)', async () => {
    const { scheduler, ran, state } = setup({ jobs: [scanSchedule('prod')] });
    vi.setSystemTime(new Date('2026-12-07T07:00:00Z'));
    await scheduler.sync();
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(ran).toEqual([]);
    expect(state.records.get('scan:acme/infra:prod')?.lastSlotAt).toBe('2026-12-07T06:00:00.000Z');
  });

  it('logs a failed run with its reason and runs the next slot as planned', async () => {
    let calls = 0;
    const { scheduler, ran, logger, state } = setup({
      jobs: [scanSchedule('prod')],
      work: async () => {
        calls += 1;
        if (calls === 1) throw new Error('AccessDenied on s3:GetObject');
      },
    });
    await scheduler.sync();
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(60 * 60 * 1000 + 1000);
    expect(logger.errors).toEqual([{ message: 'scheduled run failed; the next slot runs as planned', meta: { schedule: 'scan:acme/infra:prod', slot: '2026-12-07T06:00:00.000Z', reason: 'AccessDenied on s3:GetObject' } }]);
    expect(state.records.get('scan:acme/infra:prod')?.lastError).toBe('AccessDenied on s3:GetObject');
    await vi.advanceTimersByTimeAsync(24 * 60 * 60 * 1000);
    expect(ran).toHaveLength(2);
    expect(state.records.get('scan:acme/infra:prod')?.lastError).toBeNull();
  });

  it('never overlaps two runs of one schedule', async () => {
    let running = 0;
    let most = 0;
    const { scheduler, ran } = setup({
      jobs: [scanSchedule('prod', '*/5 * * * *')],
      work: async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 12 * 60 * 1000));
        running -= 1;
      },
    });
    await scheduler.sync();
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(40 * 60 * 1000);
    expect(most).toBe(1);
    // 8 slots in 40 minutes, each run 12 minutes: slots that came while one ran were coalesced.
    expect(ran.length).toBeLessThan(8);
    expect(ran.length).toBeGreaterThanOrEqual(3);
  });

  it('drops a schedule no provider offers any more, and forgets its runs', async () => {
    let offered = [scanSchedule('prod'), scanSchedule('old')];
    const { scheduler, ran, state } = setup({ jobs: () => offered });
    await scheduler.sync();
    await scheduler.start();
    offered = [scanSchedule('prod')];
    expect(await scheduler.sync()).toEqual({ scheduled: 1, dropped: ['scan:acme/infra:old'] });
    await vi.advanceTimersByTimeAsync(2 * 60 * 60 * 1000);
    expect(ran.map((run) => run.workspace)).toEqual(['prod']);
    expect([...state.records.keys()]).toEqual(['scan:acme/infra:prod']);
  });

  it('keeps a provider\'s schedules when it cannot answer (GitHub down)', async () => {
    let fail = false;
    const { scheduler } = setup({
      jobs: () => {
        if (fail) throw new Error('GitHub answered 503');
        return [scanSchedule('prod')];
      },
    });
    await scheduler.sync();
    fail = true;
    expect(await scheduler.sync()).toEqual({ scheduled: 1, dropped: [] });
  });

  it('finds a scheduled job by name after a restart, and says so when its feature is gone', async () => {
    const registry = createJobRegistry();
    const state = memoryRuns();
    const logger = log();
    const runner = scheduledRunJob(registry, state);
    await runner.run({ schedule: 'briefing:acme/infra:prod', slot: '2026-12-07T09:00:00Z', job: 'slack-briefing', data: {} }, { attempt: 1, log: logger });
    expect(logger.errors[0]?.meta.reason).toBe('no job named "slack-briefing" is registered (a feature that offered this schedule is switched off?)');
    expect(runner.name).toBe(SCHEDULED_RUN_JOB);
  });
});

describe('the embedded scheduler across a restart, on the real store', () => {
  it('remembers its runs in SQLite: a restart three days later runs the missed slot once', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'driftwatch-scheduler-'));
    const boot = async () => {
      const store = createStore({ databaseUrl: null, dataDir, retentionDays: 90 });
      await store.migrate();
      const ran: string[] = [];
      const registry = createJobRegistry();
      registry.register({ name: 'scan-workspace', run: async () => void ran.push(new Date().toISOString()) });
      registry.register(scheduledRunJob(registry, store));
      const queue = createInProcessQueue({ definitions: registry.all(), log: log(), attempts: 1 });
      const scheduler = createEmbeddedScheduler({ providers: [provider('scan', [scanSchedule('prod')])], queue, state: store, log: log() });
      await scheduler.sync();
      await scheduler.start();
      return { store, queue, scheduler, ran };
    };

    const first = await boot();
    await vi.advanceTimersByTimeAsync(60 * 60 * 1000 + 1000);
    expect(first.ran).toHaveLength(1);
    first.scheduler.stop();
    await first.queue.close();
    await first.store.close();

    // Down for three days: three slots missed.
    vi.setSystemTime(new Date('2026-12-10T12:00:00Z'));
    const second = await boot();
    await vi.advanceTimersByTimeAsync(1000);
    expect(second.ran).toEqual(['2026-12-10T12:00:00.000Z']);
    second.scheduler.stop();
    await second.queue.close();
    await second.store.close();
  });
});
