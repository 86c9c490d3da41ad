// A real worker process for the tests (runWorkerProcess, as `npm run worker` runs it) with test
// job definitions that record when each run starts and ends, in Redis, so the test sees the runs
// of every process on one timeline.
//   node --import tsx test/jobs/processes/worker.ts   (REDIS_URL, DRIFTWATCH_QUEUE_PREFIX, WORKER_NAME)
import { Redis } from 'ioredis';
import { createJsonLog } from '../../../src/jobs/json-log.js';
import { runWorkerProcess, stopOnSignals } from '../../../src/worker.js';

export interface RunEvent {
  worker: string;
  job: string;
  label: string;
  /** What must never run twice at once: the workspace, or the job id. */
  key: string;
  kind: 'start' | 'end';
  at: number;
  attempt: number;
}

export interface TestScanData {
  label: string;
  workspace: string;
  ms: number;
}

const env = process.env;
const name = env.WORKER_NAME ?? `worker-${process.pid}`;
const redis = new Redis(env.REDIS_URL!);
const eventsKey = `${env.DRIFTWATCH_QUEUE_PREFIX}:test:events`;
const log = createJsonLog(undefined, { worker: name });

async function record(event: Omit<RunEvent, 'worker' | 'at'>): Promise<void> {
  await redis.rpush(eventsKey, JSON.stringify({ ...event, worker: name, at: Date.now() }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const worker = await runWorkerProcess({
  env,
  log,
  tuning: { lockDurationMs: Number(env.LOCK_MS ?? 30_000), stalledIntervalMs: Number(env.STALLED_MS ?? 15_000), busyRetryMs: 50 },
  registerJobs(registry, { locks }) {
    // A scan: one workspace at a time, whatever job asks for it (the scan's own lock).
    registry.register<TestScanData>({
      name: 'scan',
      async run(data, context) {
        const key = `acme/infra:${data.workspace}`;
        await locks.withLock(key, async () => {
          await record({ job: 'scan', label: data.label, key, kind: 'start', attempt: context.attempt });
          await sleep(data.ms);
          await record({ job: 'scan', label: data.label, key, kind: 'end', attempt: context.attempt });
        });
      },
    });
    // No lock of its own: only the queue keeps two runs of its id apart.
    registry.register<TestScanData>({
      name: 'unlocked-scan',
      async run(data, context) {
        await record({ job: 'unlocked-scan', label: data.label, key: data.workspace, kind: 'start', attempt: context.attempt });
        await sleep(data.ms);
        await record({ job: 'unlocked-scan', label: data.label, key: data.workspace, kind: 'end', attempt: context.attempt });
      },
      merge: (waiting, incoming) => ({ ...incoming, label: `${waiting.label}+${incoming.label}` }),
    });
    return async () => void redis.disconnect();
  },
});
stopOnSignals(worker, log);
