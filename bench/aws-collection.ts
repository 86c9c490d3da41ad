// Live collection against a simulated account: how many AWS calls a full inventory takes and how
// long it runs, next to what the Terraform AWS provider's refresh sends for the same resources.
//
//   npx tsx bench/aws-collection.ts
//
// The account (1,000 instances, 500 security groups, 200 buckets all managed, 100 DB instances,
// 500 roles, at 1×, 2× and 4×) sits behind an in-process SDK request handler that answers each
// call after 20 ms, in the services' own XML, so the real clients, paginators, retry middleware,
// collectors and normalizers all run; nothing goes over the network. The fake's own work shares
// the thread, so it is measured and shown apart.
import { collectInventory, type CollectProgress } from '../src/aws/collect-inventory.js';
import { createAwsClients } from '../src/aws/clients.js';
import { DEFAULT_AWS_SETTINGS } from '../src/aws/settings.js';
import { PARALLEL_BUCKETS } from '../src/resources/s3-buckets/collect.js';
import { FakeAccount } from '../test/aws/fake-aws/account.js';
import { simulatedAccount, type AccountSize } from '../test/aws/fake-aws/generate.js';
import { fakeHttpHandler } from '../test/aws/fake-aws/http-handler.js';
import { everySetting } from '../test/aws/fake-aws/bucket-settings.js';

// The SDK's notice that its 2027 releases need Node 22 (silenced in the CLI too).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const LATENCY_MS = 20;
/** terraform plan/apply's default -parallelism. */
const TERRAFORM_PARALLELISM = 10;
const BASE: AccountSize = { instances: 1000, securityGroups: 500, buckets: 200, dbInstances: 100, roles: 500, inlinePoliciesPerRole: 1, policies: 0 };

// Calls the provider's refresh (terraform plan) sends per resource: an instance reads itself and
// its attributes, volumes, credit specification, metadata options and more; a bucket one call per
// setting it manages or computes; a role its inline and attached policies.
const PROVIDER_CALLS = { instance: 9, bucket: 15, securityGroup: 1, dbInstance: 1, roleBase: 3, perInlinePolicy: 1 };

function providerCalls(size: AccountSize): number {
  return (
    size.instances * PROVIDER_CALLS.instance +
    size.buckets * PROVIDER_CALLS.bucket +
    size.securityGroups * PROVIDER_CALLS.securityGroup +
    size.dbInstances * PROVIDER_CALLS.dbInstance +
    size.roles * (PROVIDER_CALLS.roleBase + PROVIDER_CALLS.perInlinePolicy * (size.inlinePoliciesPerRole ?? 0))
  );
}

function scaled(factor: number): AccountSize {
  return {
    ...BASE,
    instances: BASE.instances * factor,
    securityGroups: BASE.securityGroups * factor,
    buckets: BASE.buckets * factor,
    dbInstances: BASE.dbInstances * factor,
    roles: BASE.roles * factor,
  };
}

interface Measured {
  resources: number;
  wallMs: number;
  /** CPU of the whole process during the collection. */
  cpuMs: number;
  /** Part of it the fake spent answering. */
  fakeMs: number;
  families: Map<string, { calls: number; finishedMs: number }>;
}

interface Run extends Measured {
  factor: number;
  calls: number;
  provider: number;
}

async function run(factor: number): Promise<Run> {
  const size = scaled(factor);
  const fake = new FakeAccount(simulatedAccount(size));
  // A first pass renders every answer once; the measured pass takes them from the cache, so the
  // fake's XML writing stays out of the figures (its remaining work is reported as "fake CPU").
  fake.cacheResponses = true;
  await collectOnce(fake);
  // The faster of two measured passes: the machine may be busy with something else.
  let best: Measured | undefined;
  let calls = 0;
  for (let pass = 0; pass < 2; pass++) {
    fake.calls.length = 0;
    const measured = await collectOnce(fake);
    calls = fake.calls.length;
    if (!best || measured.wallMs < best.wallMs) best = measured;
  }
  return { factor, calls, provider: providerCalls(size), ...(best as Measured) };
}

async function collectOnce(fake: FakeAccount): Promise<Measured> {
  const handler = fakeHttpHandler(fake, { latencyMs: LATENCY_MS });
  const clients = createAwsClients({
    settings: DEFAULT_AWS_SETTINGS,
    credentials: async () => ({ accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'not-a-secret' }),
    requestHandler: handler,
  });
  const families = new Map<string, { calls: number; finishedMs: number }>();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const inventory = await collectInventory({
    regions: ['us-east-1'],
    clients,
    bucketSettings: everySetting(fake.data.buckets.map((b) => b.name)),
    onProgress: (p: CollectProgress) => {
      if (p.done) families.set(p.family, { calls: p.calls, finishedMs: performance.now() - started });
    },
  });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clients.destroy();
  if (inventory.unknown.length > 0) throw new Error(`benchmark collection was partial: ${JSON.stringify(inventory.unknown)}`);
  return { resources: inventory.resources.length, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, fakeMs: handler.serverMs, families };
}

const numbers = new Intl.NumberFormat('en-US');

function row(cells: Array<string | number>, widths: number[]): string {
  return cells.map((cell, i) => String(cell).padStart(widths[i] ?? 10)).join('  ');
}

async function main(): Promise<void> {
  const runs: Run[] = [];
  for (const factor of [1, 2, 4]) runs.push(await run(factor));

  console.log(`AWS collection of a simulated account: ${LATENCY_MS} ms per call, in-process, no network\n`);
  const widths = [4, 9, 10, 14, 6, 9, 15, 12, 13, 15];
  console.log(row(['size', 'resources', 'driftwatch', 'provider calls', 'ratio', 'wall', 'driftwatch CPU', 'CPU per call', 'latency floor', 'provider wall ≥'], widths));
  for (const r of runs) {
    const cpu = r.cpuMs - r.fakeMs;
    console.log(
      row(
        [
          `${r.factor}×`,
          numbers.format(r.resources),
          numbers.format(r.calls),
          numbers.format(r.provider),
          `1/${(r.provider / r.calls).toFixed(1)}`,
          `${numbers.format(Math.round(r.wallMs))} ms`,
          `${numbers.format(Math.round(cpu))} ms`,
          `${((cpu / r.calls) * 1000).toFixed(0)} µs`,
          `${numbers.format(latencyFloor(r.factor))} ms`,
          `${numbers.format(Math.round((r.provider * LATENCY_MS) / TERRAFORM_PARALLELISM / 1000))} s`,
        ],
        widths,
      ),
    );
  }
  const [first, , last] = runs as [Run, Run, Run];
  console.log(
    `\n4× the account: ${(last.calls / first.calls).toFixed(1)}× the calls, ${(last.wallMs / first.wallMs).toFixed(1)}× the wall time, ` +
      `${((last.cpuMs - last.fakeMs) / (first.cpuMs - first.fakeMs)).toFixed(1)}× the CPU; wall time / CPU time: ${runs.map((r) => (r.wallMs / (r.cpuMs - r.fakeMs)).toFixed(2)).join(', ')}.`,
  );
  console.log(
    'latency floor: the longest chain of round trips any family needs at driftwatch\'s concurrency, i.e. the wall time with unlimited CPU. ' +
      `provider wall ≥: the refresh's calls × ${LATENCY_MS} ms / terraform's default -parallelism=${TERRAFORM_PARALLELISM}, its latency alone.`,
  );
  console.log('\nper family: calls, and when it finished (all families run at once, on one thread)');
  const names = [...(runs[0]?.families.keys() ?? [])].sort();
  console.log(`${'family'.padEnd(16)}${runs.map((r) => `${r.factor}×`.padStart(24)).join('')}`);
  for (const name of names) {
    const cells = runs.map((r) => {
      const f = r.families.get(name);
      return (f ? `${numbers.format(f.calls)} calls, ${numbers.format(Math.round(f.finishedMs))} ms` : '-').padStart(24);
    });
    console.log(`${name.padEnd(16)}${cells.join('')}`);
  }
  console.log(
    `\nprovider refresh per resource: aws_instance ${PROVIDER_CALLS.instance}, aws_s3_bucket ${PROVIDER_CALLS.bucket}, aws_security_group ${PROVIDER_CALLS.securityGroup}, ` +
      `aws_db_instance ${PROVIDER_CALLS.dbInstance}, aws_iam_role ${PROVIDER_CALLS.roleBase} + ${PROVIDER_CALLS.perInlinePolicy} per inline policy (${BASE.inlinePoliciesPerRole} each here)`,
  );
}

/** Sequential round trips on the longest path: paged lists are sequential, batches run a few at
 * a time, buckets PARALLEL_BUCKETS at a time with each bucket's settings all at once. */
function latencyFloor(factor: number): number {
  const size = scaled(factor);
  const rounds = (items: number, perCall: number, parallel = 1) => Math.max(1, Math.ceil(Math.ceil(items / perCall) / parallel));
  const ec2 = rounds(size.instances, 1000) + rounds(size.instances, 200, 5);
  const groups = rounds(size.securityGroups, 1000) + rounds(size.securityGroups, 200, 5);
  const s3 = rounds(size.buckets, 1000) + rounds(size.buckets, 1, PARALLEL_BUCKETS);
  const rds = rounds(size.dbInstances, 100);
  const iam = rounds(size.roles + (size.policies ?? 0), 1000);
  return Math.max(ec2, groups, s3, rds, iam) * LATENCY_MS;
}

await main();
