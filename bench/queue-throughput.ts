// Issue 11 benchmark: throughput of the queue on Redis. 1,000 scans of a small mocked workspace
// (parse and diff of a synthetic state of BENCH_SIZE resources, a few ms of CPU; no AWS, no
// GitHub: see queue-worker.ts) are queued, each for a repository of its own and with a commit,
// through the full path (enqueue lock, idempotency key, pending pointer, run lock, claim); then
// 1 and then 2 worker processes (concurrency 1 each) drain them, twice in turn. Reports jobs per
// second and the ratio, the CPU each job cost the workers and Redis, and, as the control, the
// same scans in 1 and 2 plain processes without a queue: on a shared machine the ratio the
// queue reaches means something only next to the ratio the machine allows at that moment.
//   REDIS_URL=redis://127.0.0.1:6379 npx tsx bench/queue-throughput.ts [jobs] [--no-id]
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createBullQueue } from '../src/jobs/bull-queue.js';
import { createJobRegistry } from '../src/jobs/job-registry.js';
import { createJsonLog } from '../src/jobs/json-log.js';
import { mockedScan } from './queue-worker.js';

const jobs = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 1000);
// Jobs without an id skip coalescing and idempotency: BullMQ's own cost, for comparison.
const withId = !process.argv.includes('--no-id');
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(url);
const silent = createJsonLog(() => undefined);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function scanCpuMs(): number {
  for (let index = 0; index < 50; index += 1) mockedScan();
  const cpu = process.cpuUsage();
  for (let index = 0; index < 300; index += 1) mockedScan();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / 300;
}

async function redisCpuMs(): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

/** The control: `jobs` scans split over `processes` plain processes, no queue. Scans a second. */
async function plain(processes: number): Promise<number> {
  const prefix = `dw-bench-${randomBytes(4).toString('hex')}`;
  const children = Array.from({ length: processes }, (_, index) =>
    spawn(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, 'queue-worker.ts')], {
      env: { ...process.env, REDIS_URL: url, DRIFTWATCH_QUEUE_PREFIX: prefix, BENCH_ROLE: 'plain', BENCH_SCANS: String(Math.floor(jobs / processes) + (index < jobs % processes ? 1 : 0)) },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  try {
    while ((await redis.llen(`${prefix}:bench:ready`)) < processes) await sleep(50);
    const started = performance.now();
    await redis.rpush(`${prefix}:bench:go`, ...Array.from({ length: processes }, () => 'go'));
    while (Number(await redis.get(`${prefix}:bench:done`)) < jobs) await sleep(20);
    return jobs / ((performance.now() - started) / 1000);
  } finally {
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
}

interface Run {
  workers: number;
  enqueuePerSecond: number;
  jobsPerSecond: number;
  workerCpuMsPerJob: number;
  redisCpuMsPerJob: number;
}

async function run(workers: number): Promise<Run> {
  const prefix = `dw-bench-${randomBytes(4).toString('hex')}`;
  const registry = createJobRegistry();
  registry.register({ name: 'scan-repository', run: async () => undefined });
  const queue = createBullQueue({ connection: url, registry, prefix, log: silent });
  const children: ChildProcess[] = [];
  try {
    const enqueueStarted = performance.now();
    for (let index = 0; index < jobs; index += 1) {
      const repo = `acme/infra-${index}`;
      if (withId) await queue.enqueue('scan-repository', { repo, ref: `c0ffee${index}` }, { id: `scan:${repo}:default`, revision: `push@c0ffee${index}` });
      else await queue.enqueue('scan-repository', { repo });
    }
    const enqueueSeconds = (performance.now() - enqueueStarted) / 1000;

    for (let index = 0; index < workers; index += 1) {
      children.push(
        spawn(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, 'queue-worker.ts')], {
          env: { ...process.env, REDIS_URL: url, DRIFTWATCH_QUEUE_PREFIX: prefix, BENCH_ROLE: 'worker', DRIFTWATCH_WORKER_CONCURRENCY: '1' },
          stdio: ['ignore', 'ignore', 'inherit'],
        }),
      );
    }
    while ((await redis.llen(`${prefix}:bench:ready`)) < workers) await sleep(50);
    const redisBefore = await redisCpuMs();
    const started = performance.now();
    await redis.rpush(`${prefix}:bench:go`, ...Array.from({ length: workers }, () => 'go'));
    while (Number(await redis.get(`${prefix}:bench:done`)) < jobs) await sleep(20);
    const seconds = (performance.now() - started) / 1000;
    const redisUsed = (await redisCpuMs()) - redisBefore;
    await redis.rpush(`${prefix}:bench:report`, ...Array.from({ length: workers }, () => 'report'));
    while ((await redis.llen(`${prefix}:bench:cpu`)) < workers) await sleep(20);
    const workerCpu = (await redis.lrange(`${prefix}:bench:cpu`, 0, -1)).reduce((sum, ms) => sum + Number(ms), 0);
    return { workers, enqueuePerSecond: jobs / enqueueSeconds, jobsPerSecond: jobs / seconds, workerCpuMsPerJob: workerCpu / jobs, redisCpuMsPerJob: redisUsed / jobs };
  } finally {
    await Promise.all(children.map((child) => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')))));
    await queue.queue.obliterate({ force: true });
    await queue.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
}

const scanMs = scanCpuMs();
console.log(`${jobs} jobs ${withId ? 'with an id and a revision each' : 'without an id'}; mocked scan (parse + diff of a ${process.env.BENCH_SIZE ?? 200}-resource synthetic workspace): ${scanMs.toFixed(2)} ms of CPU`);
const runs: Run[] = [];
for (const workers of [1, 2, 1, 2]) {
  const result = await run(workers);
  runs.push(result);
  console.log(
    `${workers} worker process${workers === 1 ? ': ' : 'es:'} ${result.jobsPerSecond.toFixed(0).padStart(4)} jobs/s; CPU per job: workers ${result.workerCpuMsPerJob.toFixed(2)} ms (queue ${(result.workerCpuMsPerJob - scanMs).toFixed(2)} ms), Redis ${result.redisCpuMsPerJob.toFixed(2)} ms; enqueue ${result.enqueuePerSecond.toFixed(0)}/s; load average ${loadavg()[0]!.toFixed(1)}`,
  );
}
const best = (workers: number) => Math.max(...runs.filter((result) => result.workers === workers).map((result) => result.jobsPerSecond));
const control = [await plain(1), await plain(2), await plain(1), await plain(2)];
console.log(`control, the same scans in plain processes without a queue: 1 process ${control[0]!.toFixed(0)} and ${control[2]!.toFixed(0)} scans/s, 2 processes ${control[1]!.toFixed(0)} and ${control[3]!.toFixed(0)}`);
const machine = Math.max(control[1]!, control[3]!) / Math.max(control[0]!, control[2]!);
console.log(`ratio 2/1 (best of each): queue ${(best(2) / best(1)).toFixed(2)}, plain processes ${machine.toFixed(2)} (what this machine allows now: ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)})`);
redis.disconnect();
