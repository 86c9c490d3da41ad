// The whole CLI run, process start included, on the 1× simulated account of aws-collection.ts:
// wall time, CPU (user + system) and peak RSS of the built `driftwatch` process, and where its
// CPU goes (a --cpu-prof profile, by package).
//
//   npx tsx bench/cli-run.ts
//
// The account is served over real HTTP on 127.0.0.1 by this process (AWS_ENDPOINT_URL, 20 ms per
// answer, the services' own XML); the root module and state manage every object of it
// (simulated-workspace.ts). The CLI runs as a child process under /usr/bin/time, so its figures
// are its own; the fake's work happens here and is not in them (it shares the machine's cores).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectInventory } from '../src/aws/collect-inventory.js';
import { createAwsClients } from '../src/aws/clients.js';
import { DEFAULT_AWS_SETTINGS } from '../src/aws/settings.js';
import { FakeAccount } from '../test/aws/fake-aws/account.js';
import { everySetting } from '../test/aws/fake-aws/bucket-settings.js';
import { simulatedAccount, type AccountSize } from '../test/aws/fake-aws/generate.js';
import { fakeHttpHandler } from '../test/aws/fake-aws/http-handler.js';
import { serveFakeAws, type FakeAwsServer } from '../test/aws/fake-aws/server.js';
import { writeSimulatedWorkspace } from './simulated-workspace.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const LATENCY_MS = 20;
/** The 1× account of aws-collection.ts. */
const ONE_X: AccountSize = { instances: 1000, securityGroups: 500, buckets: 200, dbInstances: 100, roles: 500, inlinePoliciesPerRole: 1, policies: 0 };
const RUNS = 3;

interface Measured {
  wallS: number;
  cpuS: number;
  rssMb: number;
  code: number;
}

/** One run of the built CLI under /usr/bin/time (GNU time: %e wall, %U user, %S system, %M
 * peak RSS in KiB). Async, so this process keeps answering its requests. */
function timed(args: string[], env: Record<string, string>, nodeOptions: string[] = []): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'DRIFTWATCH-TIME %e %U %S %M', process.execPath, ...nodeOptions, CLI, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = /DRIFTWATCH-TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      if (!line) return reject(new Error(`no timing from /usr/bin/time:\n${stderr}`));
      const [, wall, user, system, rss] = line.map(Number) as [number, number, number, number, number];
      const exit = /Command exited with non-zero status (\d+)/.exec(stderr);
      resolve({ wallS: wall, cpuS: user + system, rssMb: rss / 1024, code: exit ? Number(exit[1]) : code ?? -1 });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function measure(label: string, args: string[], env: Record<string, string>, expectedCode: number): Promise<Measured> {
  const runs: Measured[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await timed(args, env));
  const bad = runs.find((run) => run.code !== expectedCode);
  if (bad) throw new Error(`${label}: exit ${bad.code}, expected ${expectedCode}`);
  const result = { wallS: median(runs.map((r) => r.wallS)), cpuS: median(runs.map((r) => r.cpuS)), rssMb: median(runs.map((r) => r.rssMb)), code: expectedCode };
  console.log(`${label.padEnd(44)}${result.wallS.toFixed(2).padStart(7)} s${result.cpuS.toFixed(2).padStart(9)} s${result.rssMb.toFixed(0).padStart(9)} MB`);
  return result;
}

/** The account's inventory, read in this process without latency: for the state, and so the
 * fake renders (and caches) each answer once before the measured runs. */
async function inventoryOf(fake: FakeAccount) {
  const clients = createAwsClients({ settings: DEFAULT_AWS_SETTINGS, credentials: async () => ({ accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'not-a-secret' }), requestHandler: fakeHttpHandler(fake) });
  try {
    return await collectInventory({ regions: ['us-east-1'], clients, bucketSettings: everySetting(fake.data.buckets.map((b) => b.name)) });
  } finally {
    clients.destroy();
  }
}

/** CloudTrail is not simulated: it finds no event, as for changes older than the window. */
function serve(fake: FakeAccount): Promise<FakeAwsServer> {
  return serveFakeAws(fake, {
    latencyMs: LATENCY_MS,
    answer: ({ target }) => (target?.endsWith('LookupEvents') ? { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: '{"Events":[]}' } : undefined),
  });
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

/** Self time of a --cpu-prof profile by where the code lives: a package, a folder of dist/, a
 * part of Node, or V8's own (program = compiling and runtime, garbage collector, idle). */
function profileByPlace(file: string): { place: string; ms: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const place = new Map<number, string>();
  for (const node of profile.nodes) place.set(node.id, placeOf(node.callFrame));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const key = place.get(id) ?? '?';
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals].map(([key, ms]) => ({ place: key, ms })).sort((a, b) => b.ms - a.ms);
}

function placeOf(frame: { functionName: string; url: string }): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? `V8 ${functionName}` : 'V8 (native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    const name = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] as string);
    if (name.startsWith('@aws-sdk/') || name.startsWith('@smithy/') || name.startsWith('@aws-crypto/')) return 'AWS SDK (@aws-sdk, @smithy, @aws-crypto)';
    return name;
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) {
    const rest = url.slice(dist + '/dist/'.length).split('/');
    return `driftwatch dist/${rest.length > 1 ? `${rest[0]}/` : rest[0]}`;
  }
  if (url.startsWith('node:internal/modules')) return 'Node module loader';
  if (url.startsWith('node:')) return 'Node (other)';
  return url;
}

async function main(): Promise<void> {
  if (!existsSync('/usr/bin/time')) throw new Error('this benchmark measures with GNU time: install it (apt-get install time)');
  console.log('building dist/ (npm run build)…');
  await new Promise<void>((resolve, reject) => spawn('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' }).on('close', (code) => (code === 0 ? resolve() : reject(new Error('build failed')))));

  const fake = new FakeAccount(simulatedAccount(ONE_X));
  fake.cacheResponses = true;
  const inventory = await inventoryOf(fake);
  const work = mkdtempSync(path.join(os.tmpdir(), 'driftwatch-cli-bench-'));
  const dir = path.join(work, 'sim');
  const stateResources = writeSimulatedWorkspace(dir, inventory);
  const state = path.join(dir, 'terraform.tfstate');

  // The same account with drift planted: 1% of the instances resized, 5 buckets' versioning
  // suspended (a separate account: the first one's answers are cached).
  const drifted = simulatedAccount(ONE_X);
  drifted.regions['us-east-1']!.instances.slice(0, 10).forEach((instance) => (instance.InstanceType = 't3.large'));
  for (const bucket of drifted.buckets.slice(0, 5)) bucket.settings = { ...bucket.settings, GetBucketVersioning: { Status: 'Suspended' } };

  const clean = await serve(fake);
  const dirty = await serve(new FakeAccount(drifted));
  const credentials = { AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK', AWS_SECRET_ACCESS_KEY: 'not-a-secret', AWS_REGION: 'us-east-1' };
  const scanArgs = ['scan', '--dir', dir, '--state', state, '--format', 'json', '--output', path.join(work, 'report.json'), '--quiet'];
  try {
    const configKb = readdirSync(dir).filter((file) => file.endsWith('.tf')).reduce((sum, file) => sum + statSync(path.join(dir, file)).size, 0) / 1024;
    console.log(
      `\nThe built CLI in its own process, 1× simulated account: ${inventory.resources.length} live objects, ${stateResources} state resources ` +
        `(${(statSync(state).size / 1024 / 1024).toFixed(1)} MB of state, ${configKb.toFixed(0)} KB of .tf), ${LATENCY_MS} ms per AWS answer over HTTP on 127.0.0.1`,
    );
    console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg()[0]?.toFixed(1)}; median of ${RUNS} runs each\n`);
    console.log(`${'run'.padEnd(44)}${'wall'.padStart(9)}${'CPU'.padStart(11)}${'peak RSS'.padStart(12)}`);
    const start = await measure('driftwatch --version (start + module load)', ['--version'], {}, 0);
    const calls = fake.calls.length;
    const scanClean = await measure('scan, no drift', scanArgs, { ...credentials, AWS_ENDPOINT_URL: clean.url }, 0);
    const callsPerScan = (fake.calls.length - calls) / RUNS;
    const scanDrift = await measure('scan, 15 drifts, attribution, --patch accept', [...scanArgs, '--patch', 'accept', '--fail-on', 'none'], { ...credentials, AWS_ENDPOINT_URL: dirty.url }, 0);

    console.log(`\n${callsPerScan} AWS calls per scan. Process start and module loading: ${((start.cpuS / scanClean.cpuS) * 100).toFixed(0)}% of the no-drift scan's CPU, ` +
      `${((start.wallS / scanClean.wallS) * 100).toFixed(0)}% of its wall time; the scan's wall time / CPU time: ${(scanClean.wallS / scanClean.cpuS).toFixed(2)} (no drift), ${(scanDrift.wallS / scanDrift.cpuS).toFixed(2)} (drift).`);

    const profiles = path.join(work, 'profiles');
    await timed(scanArgs, { ...credentials, AWS_ENDPOINT_URL: clean.url }, ['--cpu-prof', `--cpu-prof-dir=${profiles}`]);
    const mainProfile = readdirSync(profiles).sort()[0] as string;
    const places = profileByPlace(path.join(profiles, mainProfile));
    const total = places.reduce((sum, p) => sum + p.ms, 0);
    const busy = places.filter((p) => p.place !== 'V8 (idle)').reduce((sum, p) => sum + p.ms, 0);
    console.log(`\nwhere the no-drift scan's main thread spends its time (--cpu-prof, self time; ${total.toFixed(0)} ms profiled, ${busy.toFixed(0)} ms busy):`);
    for (const p of places.slice(0, 14)) console.log(`  ${p.place.padEnd(44)}${p.ms.toFixed(0).padStart(7)} ms${((p.ms / total) * 100).toFixed(1).padStart(7)}%`);
  } finally {
    await clean.close();
    await dirty.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
