// Issue 11 benchmark: 1,000 scheduled workspaces in one process. Reports the scheduler's memory
// (heap and RSS growth over an idle process, after a GC, in a process of its own) and, for one
// slot that every schedule shares, the time from the slot to each job starting: the single timer
// and the queue hand-off, with the jobs themselves doing nothing.
//   npx tsx --expose-gc bench/scheduler.ts [schedules]
import { createEmbeddedScheduler, scheduledRunJob } from '../src/jobs/embedded-scheduler.js';
import { createInProcessQueue } from '../src/jobs/in-process-queue.js';
import { createJobRegistry } from '../src/jobs/job-registry.js';
import type { JobLogger, ScheduledJob } from '../src/jobs/types.js';
import type { ScheduleRunRecord } from '../src/store/types.js';

const count = Number(process.argv[2] ?? 1000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc: npx tsx --expose-gc bench/scheduler.ts');

const silent: JobLogger = { info: () => undefined, warn: () => undefined, error: (meta, message) => console.error(message, meta) };
const runs = new Map<string, ScheduleRunRecord>();
const state = {
  scheduleRuns: async () => [...runs.values()],
  saveScheduleRun: async (record: ScheduleRunRecord) => void runs.set(record.name, record),
  deleteScheduleRuns: async (names: string[]) => names.forEach((name) => runs.delete(name)),
};

const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];
function schedules(everyMinute: boolean): ScheduledJob[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `scan:org-${Math.floor(index / 10)}/infra-${index % 10}:prod`,
    cron: everyMinute ? '* * * * *' : `${index % 60} ${index % 24} * * ${index % 7}`,
    timezone: zones[index % zones.length]!,
    job: 'scan-repository',
    data: { installationId: index, repo: { owner: `org-${Math.floor(index / 10)}`, name: `infra-${index % 10}` }, workspaces: ['prod'] },
  }));
}

const started: number[] = [];
const registry = createJobRegistry();
registry.register({ name: 'scan-repository', run: async () => void started.push(Date.now()) });
registry.register(scheduledRunJob(registry, state));
const queue = createInProcessQueue({ definitions: registry.all(), log: silent, concurrency: 64 });

gc();
const before = { heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss };
let offered = schedules(false);
const scheduler = createEmbeddedScheduler({ providers: [{ name: 'scan', jobs: async () => offered }], queue, state, log: silent });
await scheduler.sync();
await scheduler.start();
gc();
const after = { heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss };
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
console.log(`${count} schedules (5 time zones, distinct crons): heap +${mb(after.heap - before.heap)} MB, RSS +${mb(after.rss - before.rss)} MB (process RSS ${mb(after.rss)} MB)`);

// One shared slot: every schedule fires at the next minute boundary.
offered = schedules(true);
const syncStart = performance.now();
await scheduler.sync();
console.log(`re-sync of ${count} changed schedules: ${(performance.now() - syncStart).toFixed(0)} ms`);
const slot = Math.ceil(Date.now() / 60_000) * 60_000;
console.log(`waiting ${((slot - Date.now()) / 1000).toFixed(0)} s for the shared slot…`);
await new Promise((resolve) => setTimeout(resolve, slot - Date.now() + 2_000));
await queue.idle();
scheduler.stop();
const lags = started.map((at) => at - slot).sort((a, b) => a - b);
const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))];
console.log(`slot → job start for ${lags.length} jobs: min ${lags[0]} ms, p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${lags.at(-1)} ms`);
await queue.close();
