// The scheduler on Redis (REDIS_URL): every schedule is a BullMQ job scheduler named after it,
// producing the job 'scheduled-run' (embedded-scheduler.ts) on its cron in its time zone.
// - Registered once however many replicas start: a job scheduler is stored by its name, and sync
//   writes one only when it is new or changed (an upsert recomputes its next slot, which would
//   drop a slot missed while no worker ran).
// - A slot missed while no worker ran runs once when a worker comes, never once per missed slot:
//   a scheduler holds one delayed job for its next slot; when a worker takes it, BullMQ adds the
//   next one from the current time, skipping the slots in between.
// - Two runs of one schedule never overlap: its jobs carry the id `schedule:<name>`, and workers
//   run one job of an id at a time; while one runs, at most one more waits, and further slots
//   are skipped (bull-worker.ts).
// - A schedule no provider offers any more is removed; a provider that fails keeps its schedules.
// The schedules live in Redis and the workers run them: start and stop of one replica change
// nothing. Runs are recorded in the store by the 'scheduled-run' job, as with the embedded one.
import type { Job } from 'bullmq';
import type { Store } from '../store/types.js';
import { KEEP_COMPLETED, KEEP_FAILED, type BullQueue, type JobEnvelope } from './bull-queue.js';
import { SCHEDULED_RUN_JOB, type Scheduler, type ScheduledRunData } from './embedded-scheduler.js';
import { offeredJobs } from './offered-jobs.js';
import type { JobLogger, ScheduledJob, ScheduleProvider } from './types.js';

export interface BullSchedulerOptions {
  queue: BullQueue;
  providers: ScheduleProvider[];
  log: JobLogger;
  /** Runs of dropped schedules are forgotten in the store. */
  state?: Pick<Store, 'deleteScheduleRuns'>;
}

/** The scheduler's template: the slot is filled in when a run starts (slotOf). */
function templateOf(job: ScheduledJob): JobEnvelope {
  const data: ScheduledRunData = { schedule: job.name, slot: '', job: job.job, data: job.data };
  return { id: scheduleRunId(job.name), data };
}

export function scheduleRunId(name: string): string {
  return `schedule:${name}`;
}

export function createBullScheduler(options: BullSchedulerOptions): Scheduler {
  const queue = options.queue.queue;
  let upcoming: { name: string; at: string }[] = [];

  async function registered(): Promise<Map<string, { pattern: string | undefined; tz: string | undefined; data: unknown; next: number | undefined }>> {
    const schedulers = await queue.getJobSchedulers(0, -1, true);
    return new Map(schedulers.map((scheduler) => [scheduler.key, { pattern: scheduler.pattern, tz: scheduler.tz, data: scheduler.template?.data, next: scheduler.next }]));
  }

  return {
    async sync() {
      const current = await registered();
      const { offered, kept } = await offeredJobs(options.providers, current.keys(), options.log);
      for (const job of offered.values()) {
        const template = templateOf(job);
        const existing = current.get(job.name);
        if (existing && existing.pattern === job.cron && existing.tz === job.timezone && JSON.stringify(existing.data) === JSON.stringify(template)) continue;
        await queue.upsertJobScheduler(job.name, { pattern: job.cron, tz: job.timezone }, { name: SCHEDULED_RUN_JOB, data: template, opts: { attempts: 1, removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED } });
      }
      const dropped = [...current.keys()].filter((name) => !offered.has(name) && !kept.has(name));
      for (const name of dropped) await queue.removeJobScheduler(name);
      if (dropped.length > 0) await options.state?.deleteScheduleRuns(dropped);
      const after = await registered();
      upcoming = [...after].filter(([, scheduler]) => scheduler.next !== undefined).map(([name, scheduler]) => ({ name, at: new Date(scheduler.next!).toISOString() }));
      return { scheduled: after.size, dropped };
    },
    async start() {
      // Nothing to catch up here: a missed slot's job waits in Redis for a worker.
    },
    stop() {
      // The schedules belong to the deployment, not to this process.
    },
    upcoming: () => upcoming,
  };
}

/** The data a scheduler's job runs with: its template with the slot it was made for. */
export function withSlot(job: Pick<Job, 'id' | 'repeatJobKey' | 'opts'>, data: unknown): unknown {
  if (!job.repeatJobKey || typeof data !== 'object' || data === null || !('slot' in data)) return data;
  // The scheduler's job ids end in the slot's milliseconds: repeat:<scheduler>:<millis>.
  const millis = job.opts.prevMillis ?? Number(String(job.id).slice(String(job.id).lastIndexOf(':') + 1));
  return { ...data, slot: new Date(millis).toISOString() };
}
