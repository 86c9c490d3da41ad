// A worker process for bench/queue-throughput.ts: `npm run worker`'s runWorkerProcess with one job,
// a mocked scan — parse a small synthetic workspace's state and live inventory and diff them,
// the CPU-bound heart of a scan, with no AWS and no GitHub. It waits for the bench's "go" so
// every worker starts at once, counts finished scans in Redis, and reports the CPU time it used
// when the bench asks. As BENCH_ROLE=plain it runs BENCH_SCANS scans with no queue (the control).
//   node --import tsx bench/queue-worker.ts   (REDIS_URL, DRIFTWATCH_QUEUE_PREFIX, BENCH_SIZE)
import { Redis } from 'ioredis';
import { diff } from '../src/drift/diff.js';
import { createJsonLog } from '../src/jobs/json-log.js';
import { families } from '../src/resources/index.js';
import { parseInventory } from '../src/resources/parse-inventory.js';
import { parseState } from '../src/terraform/state.js';
import { runWorkerProcess, stopOnSignals } from '../src/worker.js';
import { syntheticWorkspace } from './synthetic-workspace.js';

const prefix = process.env.DRIFTWATCH_QUEUE_PREFIX!;
const workspace = syntheticWorkspace(Number(process.env.BENCH_SIZE ?? 200), 0.1);
const stateText = JSON.stringify(workspace.state);
const inventoryText = JSON.stringify(workspace.inventory);

export function mockedScan(): number {
  const state = parseState(stateText, 'terraform.tfstate');
  const inventory = parseInventory(inventoryText, 'inventory.json');
  return diff({ state, inventory, families, context: { defaultRegion: 'us-east-1', regionByAlias: {} } }).drifts.length;
}

// The control: the same scans in a plain process, no queue, to show what the machine allows.
if (process.env.BENCH_ROLE === 'plain') {
  const redis = new Redis(process.env.REDIS_URL!);
  for (let index = 0; index < 20; index += 1) mockedScan();
  await redis.rpush(`${prefix}:bench:ready`, String(process.pid));
  await redis.blpop(`${prefix}:bench:go`, 0);
  const scans = Number(process.env.BENCH_SCANS);
  for (let index = 0; index < scans; index += 1) mockedScan();
  await redis.incrby(`${prefix}:bench:done`, scans);
  redis.disconnect();
}

if (process.env.BENCH_ROLE === 'worker') {
  const redis = new Redis(process.env.REDIS_URL!);
  const control = new Redis(process.env.REDIS_URL!);
  // Warm the code paths, then wait for the start signal.
  for (let index = 0; index < 20; index += 1) mockedScan();
  await redis.rpush(`${prefix}:bench:ready`, String(process.pid));
  await control.blpop(`${prefix}:bench:go`, 0);
  const cpu = process.cpuUsage();
  void control.blpop(`${prefix}:bench:report`, 0).then(async () => {
    const used = process.cpuUsage(cpu);
    await control.rpush(`${prefix}:bench:cpu`, String((used.user + used.system) / 1000));
  });
  const log = createJsonLog(() => undefined);
  const worker = await runWorkerProcess({
    env: process.env,
    log,
    registerJobs(registry) {
      registry.register({
        name: 'scan-repository',
        async run() {
          mockedScan();
          await redis.incr(`${prefix}:bench:done`);
        },
      });
      return async () => {
        redis.disconnect();
        control.disconnect();
      };
    },
  });
  stopOnSignals(worker, log);
}
