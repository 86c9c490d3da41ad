// Live collection against a simulated account: how many AWS calls a full inventory takes and how
// long it runs, next to what the Terraform AWS provider's refresh sends for the same resources.
//
//   npx tsx bench/aws-collection.ts                     (--attribution-only: the scans alone)
//
// The account (1,000 instances, 500 security groups, 200 buckets all managed, 100 DB instances,
// 500 roles, at 1×, 2× and 4×) sits behind an in-process SDK request handler that answers each
// call after 20 ms, in the services' own XML, so the real clients, paginators, retry middleware,
// collectors and normalizers all run; nothing goes over the network. The fake's own work shares
// the thread, so it is measured and shown apart.
//
// Then whole scans of the 1× account (configuration, state, collection, analysis, attribution)
// with CloudTrail answering 500 to every call: the wall time with attribution on, next to the
// same scan with attribution off (--no-attribution), and their ratio.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectInventory, type CollectProgress } from '../src/aws/collect-inventory.js';
import { createAwsClients } from '../src/aws/clients.js';
import { DEFAULT_AWS_SETTINGS } from '../src/aws/settings.js';
import { scan } from '../src/scan.js';
import { attributeDrifts } from '../src/aws/cloudtrail-attribution.js';
import type { AssessedDrift } from '../src/drift/types.js';
import { PARALLEL_BUCKETS } from '../src/resources/s3-buckets/collect.js';
import { FakeAccount } from '../test/aws/fake-aws/account.js';
import { simulatedAccount, type AccountSize } from '../test/aws/fake-aws/generate.js';
import { fakeHttpHandler } from '../test/aws/fake-aws/http-handler.js';
import { everySetting } from '../test/aws/fake-aws/bucket-settings.js';

// The SDK's notice that its 2027 releases need Node 22 (silenced in the CLI too).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The scans use the default credential chain: give it keys, so it never looks further.
process.env.AWS_ACCESS_KEY_ID = 'AKIDBENCHMARK';
process.env.AWS_SECRET_ACCESS_KEY = 'not-a-secret';
delete process.env.AWS_SESSION_TOKEN;
delete process.env.AWS_PROFILE;

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

interface ScanRun {
  wallMs: number;
  drifts: number;
  found: AssessedDrift[];
  lookups: number;
  notes: string[];
}

/** Whole scans of the 1× account, CloudTrail failing every call, attribution on and off. */
async function attributionOverhead(): Promise<void> {
  const fake = new FakeAccount(simulatedAccount(scaled(1)));
  fake.cacheResponses = true;
  fake.fail({ service: 'cloudtrail', times: Number.POSITIVE_INFINITY, error: { code: 'InternalFailure', status: 500, message: 'An internal error occurred.' } });
  // A root module whose state declares none of the account: every live resource is an unmanaged
  // drift, so attribution has as many resources to look up as this account can give it.
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-bench-'));
  writeFileSync(path.join(dir, 'main.tf'), 'provider "aws" {\n  region = "us-east-1"\n}\n');
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'bench', outputs: {}, resources: [], check_results: null }));
  const handler = fakeHttpHandler(fake, { latencyMs: LATENCY_MS });
  const scanOnce = async (attribution: boolean): Promise<ScanRun> => {
    const lookupsBefore = fake.callsOf('LookupEvents').length;
    const started = performance.now();
    const { result } = await scan(
      { dir, workspace: 'bench', regions: ['us-east-1'], attribution: { enabled: attribution, lookbackDays: 7 } },
      {
        now: () => new Date(),
        awsSettings: DEFAULT_AWS_SETTINGS,
        defaultRegion: 'us-east-1',
        createClients: (options) => createAwsClients({ ...options, requestHandler: handler }),
      },
    );
    const wallMs = performance.now() - started;
    if (result.status !== 'complete') throw new Error(`benchmark scan was ${result.status}: ${JSON.stringify(result.unknown)}`);
    return { wallMs, drifts: result.drifts.length, found: result.drifts, lookups: fake.callsOf('LookupEvents').length - lookupsBefore, notes: result.notes };
  };
  try {
    // Warm-up: the fake renders its answers, the modules load.
    await scanOnce(false);
    await scanOnce(true);
    const off: ScanRun[] = [];
    const on: ScanRun[] = [];
    // Alternated, so a busy moment of the shared machine weighs on both alike; the fastest run of
    // each is the one the machine disturbed least.
    for (let pass = 0; pass < 9; pass++) {
      off.push(await scanOnce(false));
      on.push(await scanOnce(true));
    }
    const sorted = (runs: ScanRun[]) => runs.map((r) => r.wallMs).sort((a, b) => a - b);
    const [offBest, offMedian] = [sorted(off)[0] as number, sorted(off)[Math.floor(off.length / 2)] as number];
    const [onBest, onMedian] = [sorted(on)[0] as number, sorted(on)[Math.floor(on.length / 2)] as number];
    const sample = on[0] as ScanRun;
    const ms = (value: number) => `${numbers.format(Math.round(value))} ms`;
    console.log(`\nwhole scan of the 1× account, CloudTrail answering 500 to every call (${on.length} alternated runs each: fastest, median)`);
    console.log(`  drifts: ${numbers.format(sample.drifts)} (the state declares none of the account: every resource is unmanaged, each one a lookup attribution could make)`);
    console.log(`  --no-attribution: ${ms(offBest)}, ${ms(offMedian)}`);
    console.log(`  attribution on:   ${ms(onBest)}, ${ms(onMedian)}; ${sample.lookups} LookupEvents request(s) per scan`);
    console.log(`  ratio on/off: ${(onBest / offBest).toFixed(3)} fastest, ${(onMedian / offMedian).toFixed(3)} median`);
    for (const note of sample.notes.filter((n) => n.includes('CloudTrail'))) console.log(`  note: ${note}`);

    // The attribution step alone, on the same drifts, with a fresh client factory each time as a
    // scan has: what the ratio above is made of, without the rest of the scan's noise.
    const steps: number[] = [];
    for (let pass = 0; pass < 9; pass++) {
      const clients = createAwsClients({ settings: DEFAULT_AWS_SETTINGS, requestHandler: handler });
      const started = performance.now();
      await attributeDrifts(sample.found, { lookup: clients.cloudtrail, now: new Date(), onError: () => undefined });
      steps.push(performance.now() - started);
      clients.destroy();
    }
    steps.sort((a, b) => a - b);
    const [stepBest, stepMedian] = [steps[0] as number, steps[Math.floor(steps.length / 2)] as number];
    console.log(
      `  attribution step alone: ${ms(stepBest)} fastest, ${ms(stepMedian)} median (${((stepBest / offBest) * 100).toFixed(1)}% and ${((stepMedian / offMedian) * 100).toFixed(1)}% of the scan without it; one round trip is ${LATENCY_MS} ms)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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

if (!process.argv.includes('--attribution-only')) await main();
await attributionOverhead();
