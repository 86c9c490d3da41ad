// The embedded scheduler: cron schedules (five fields, in a time zone) in this process, with their
// runs remembered in the store so a restart changes nothing a person would notice:
// - a slot missed while the app was down runs once on start (never once per missed slot);
// - a run that started and never finished (the process died) runs again once on start;
// - two runs of one schedule never overlap (the queue coalesces by the schedule's name);
// - a failed run is logged with its reason, and the next slot runs as planned;
// - a schedule no provider offers any more (repository removed, workspace deleted) is dropped.
// One timer for the earliest slot, whatever the number of schedules.
import { Cron } from 'croner';
import type { Store } from '../store/types.js';
import type { JobRegistry } from './job-registry.js';
import { offeredJobs } from './offered-jobs.js';
import type { JobDefinition, JobLogger, JobQueue, ScheduledJob, ScheduleProvider } from './types.js';

export const SCHEDULED_RUN_JOB = 'scheduled-run';

export interface ScheduledRunData {
  schedule: string;
  slot: string;
  job: string;
  data: unknown;
}

type RunState = Pick<Store, 'scheduleRuns' | 'saveScheduleRun' | 'deleteScheduleRuns'>;

export interface EmbeddedSchedulerOptions {
  providers: ScheduleProvider[];
  queue: JobQueue;
  state: RunState;
  log: JobLogger;
  now?: () => Date;
}

export interface Scheduler {
  /** Asks every provider for its schedules and replaces the set (drops what none offers now). */
  sync(): Promise<{ scheduled: number; dropped: string[] }>;
  /** Catches up on what was missed while down, then runs schedules on time. */
  start(): Promise<void>;
  stop(): void;
  /** The next slot of each schedule (for the health endpoint and tests). */
  upcoming(): { name: string; at: string }[];
}

interface Entry {
  job: ScheduledJob;
  next: Date | null;
}

/** A parsed cron holds about 80 KB (its match tables): parsed ones are shared by pattern and time
 * zone, and only a few are kept, so a thousand schedules cost their slots, not their tables. */
const CRON_CACHE_SIZE = 32;
const cronCache = new Map<string, Cron>();

function cronFor(job: Pick<ScheduledJob, 'cron' | 'timezone'>): Cron {
  const key = `${job.timezone} ${job.cron}`;
  let cron = cronCache.get(key);
  if (cron) cronCache.delete(key);
  else cron = new Cron(job.cron, { timezone: job.timezone, paused: true });
  cronCache.set(key, cron);
  if (cronCache.size > CRON_CACHE_SIZE) cronCache.delete(cronCache.keys().next().value!);
  return cron;
}

/** Longest a timer may wait (setTimeout takes a 32-bit delay): re-armed beyond it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createEmbeddedScheduler(options: EmbeddedSchedulerOptions): Scheduler {
  const now = options.now ?? (() => new Date());
  const entries = new Map<string, Entry>();
  let timer: NodeJS.Timeout | null = null;
  let started = false;

  function arm(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!started) return;
    let earliest: number | null = null;
    for (const entry of entries.values()) if (entry.next && (earliest === null || entry.next.getTime() < earliest)) earliest = entry.next.getTime();
    if (earliest === null) return;
    timer = setTimeout(() => void fire(), Math.min(MAX_TIMER_MS, Math.max(0, earliest - now().getTime())));
    // Schedules alone never keep a process alive (the web server or the worker does).
    timer.unref();
  }

  async function fire(): Promise<void> {
    const at = now();
    const due = [...entries.values()].filter((entry) => entry.next && entry.next.getTime() <= at.getTime());
    // Every due job is queued before any next slot is worked out: the slot's jobs start together.
    for (const entry of due) await run(entry.job, entry.next!, 'due');
    await new Promise((resolve) => setImmediate(resolve));
    for (const entry of due) entry.next = cronFor(entry.job).nextRun(at);
    arm();
  }

  async function run(job: ScheduledJob, slot: Date, why: 'due' | 'missed' | 'interrupted'): Promise<void> {
    try {
      // Claimed before it is queued: if the process dies before the run finishes, the start after
      // it sees a slot without a finish and runs it once more.
      await options.state.saveScheduleRun({ name: job.name, lastSlotAt: slot.toISOString(), lastStartedAt: null, lastFinishedAt: null, lastError: null });
      const data: ScheduledRunData = { schedule: job.name, slot: slot.toISOString(), job: job.job, data: job.data };
      await options.queue.enqueue(SCHEDULED_RUN_JOB, data, { id: `schedule:${job.name}` });
      if (why !== 'due') options.log.info({ schedule: job.name, slot: slot.toISOString(), why }, 'catching up on a scheduled run');
    } catch (error) {
      options.log.error({ schedule: job.name, reason: error instanceof Error ? error.message : String(error) }, 'could not start a scheduled run');
    }
  }

  function entryFor(job: ScheduledJob): Entry {
    return { job, next: cronFor(job).nextRun(now()) };
  }

  return {
    async sync() {
      const { offered, kept } = await offeredJobs(options.providers, entries.keys(), options.log);
      const dropped = [...entries.keys()].filter((name) => !offered.has(name) && !kept.has(name));
      for (const name of dropped) entries.delete(name);
      if (dropped.length > 0) await options.state.deleteScheduleRuns(dropped);
      for (const job of offered.values()) {
        const current = entries.get(job.name);
        if (current && current.job.cron === job.cron && current.job.timezone === job.timezone) {
          current.job = job;
          continue;
        }
        entries.set(job.name, entryFor(job));
      }
      arm();
      return { scheduled: entries.size, dropped };
    },

    async start() {
      const at = now();
      const runs = new Map((await options.state.scheduleRuns()).map((record) => [record.name, record]));
      for (const entry of entries.values()) {
        const [lastSlot] = cronFor(entry.job).previousRuns(1, at);
        const record = runs.get(entry.job.name);
        if (!lastSlot) continue;
        if (!record) {
          // New schedule: it starts with its next slot (the first scan came with the installation).
          await options.state.saveScheduleRun({ name: entry.job.name, lastSlotAt: lastSlot.toISOString(), lastStartedAt: null, lastFinishedAt: at.toISOString(), lastError: null });
          continue;
        }
        const missed = record.lastSlotAt === null || new Date(record.lastSlotAt).getTime() < lastSlot.getTime();
        const interrupted = record.lastFinishedAt === null;
        if (missed) await run(entry.job, lastSlot, 'missed');
        else if (interrupted) await run(entry.job, new Date(record.lastSlotAt!), 'interrupted');
      }
      started = true;
      arm();
    },

    stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
    },

    upcoming() {
      return [...entries.values()].filter((entry) => entry.next).map((entry) => ({ name: entry.job.name, at: entry.next!.toISOString() }));
    },
  };
}

/** The job that runs a scheduled job by name and records how it ended. It never throws: a failed
 * run is logged and recorded, and the next slot runs as planned. */
export function scheduledRunJob(registry: JobRegistry, state: RunState, now: () => Date = () => new Date()): JobDefinition<ScheduledRunData> {
  return {
    name: SCHEDULED_RUN_JOB,
    async run(data, context) {
      const startedAt = now().toISOString();
      await state.saveScheduleRun({ name: data.schedule, lastSlotAt: data.slot, lastStartedAt: startedAt, lastFinishedAt: null, lastError: null });
      const definition = registry.get(data.job);
      let error: string | null = null;
      if (!definition) error = `no job named "${data.job}" is registered (a feature that offered this schedule is switched off?)`;
      else {
        try {
          await definition.run(data.data, context);
        } catch (caught) {
          error = caught instanceof Error ? caught.message : String(caught);
        }
      }
      if (error !== null) context.log.error({ schedule: data.schedule, slot: data.slot, reason: error }, 'scheduled run failed; the next slot runs as planned');
      await state.saveScheduleRun({ name: data.schedule, lastSlotAt: data.slot, lastStartedAt: startedAt, lastFinishedAt: now().toISOString(), lastError: error });
    },
  };
}
