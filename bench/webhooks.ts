// Issue 10 benchmark: the GitHub App under webhook load, as `npm start` runs it (the built
// dist/server.js in its own process), against a fake GitHub (test/support/fake-github) and a fake
// AWS (test/aws/fake-aws) served by this process over HTTP on 127.0.0.1.
//
//   npx tsx bench/webhooks.ts [--rounds N] [--profile] [--scaled-out]
//
// (b) GitHub requests per scan, from the fake GitHub's request log, reads and writes by route: the
//     first scan of a repository with 20 drifts across 3 workspaces (pushed to the default
//     branch), the same scan again with nothing changed, and again with one drift changed.
// (a) Webhook latency at the client: rounds of 50 signed deliveries sent at once, each on its own
//     connection (no keep-alive), from a client in its own process — p50/p90/p99/max — first with
//     no scan running (the same events in variants that start none: the baseline), then with the
//     deliveries starting scans (pushes to the default branch, pull requests opened, `/drift scan`
//     comments) while earlier ones run. Probot answers once the handlers returned, so what a scan
//     does on the app's main thread while a delivery waits shows here. Target: p99 ≤ 100 ms.
// --profile runs the app with --cpu-prof and prints where its main thread spent the loaded phase.
// --scaled-out measures (a) on the deployment of docs/scale-out.md instead: the web process with
// REDIS_URL (it only enqueues; no AWS settings) and one worker (`npm run worker`'s dist/worker.js,
// 2 jobs at a time like the single process) with the AWS settings, on a fresh PostgreSQL database
// and a queue prefix of their own, both deleted at the end. (b) is skipped there: the queue drops
// a push of a commit it saw in the last 10 minutes, so each loaded round pushes a new commit to
// the default branch (the single process coalesces the repeated pushes instead).
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveFakeAws } from '../test/aws/fake-aws/server.js';
import { deleteKeys, REDIS_URL } from '../test/jobs/redis-test-support.js';
import { createDatabase, type ScaleOutDatabase } from '../test/scale-out/postgres-database.js';
import { seedRepository, serveFakeGitHub, type FakeGitHubServer, type RecordedRequest } from '../test/support/fake-github/index.js';
import { generatePrivateKey, startAppProcess, type AppProcess, type LogLine } from './app-process.js';
import { changeDrift, driftedRepository, plantDrift, WORKSPACES, workspaceDir, type AccountSize } from './drifted-workspaces.js';
import { percentiles, type Percentiles } from './percentiles.js';
import type { RoundMessage, RoundResult, Timed } from './webhook-client.js';
import { deliveryRounds, pushPayload, ROUND_MIX, signed, type Delivery, type DeliveryTarget } from './webhook-deliveries.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ROOT = path.resolve(import.meta.dirname, '..');
const arg = (name: string) => process.argv.indexOf(name);
/** Measured rounds per phase (50 deliveries each). */
const ROUNDS = arg('--rounds') >= 0 ? Number(process.argv[arg('--rounds') + 1]) : 10;
const PROFILE = arg('--profile') >= 0;
const SCALED_OUT = arg('--scaled-out') >= 0;
/** Scan jobs at a time: the in-process queue's default, and the worker's in --scaled-out. */
const SCAN_CONCURRENCY = 2;
const MODE = SCALED_OUT
  ? `scaled out: web process (REDIS_URL, PostgreSQL) + 1 worker process (${SCAN_CONCURRENCY} jobs at a time)`
  : `single process (SQLite, in-process queue, ${SCAN_CONCURRENCY} jobs at a time)`;
/** Pause between rounds: the rounds spread over the scans' phases (reading, collecting, diffing,
 * writing) instead of landing in one. */
const ROUND_GAP_MS = 700;
const TARGET_P99_MS = 100;
/** The 1× account of aws-collection.ts and cli-run.ts: 2,300 live objects; each workspace's state
 * manages a third, and each workspace scan reads the whole account (unmanaged detection). */
const SIZE: AccountSize = { instances: 1000, securityGroups: 500, buckets: 200, dbInstances: 100, roles: 500, inlinePoliciesPerRole: 1, policies: 0 };
const AWS_LATENCY_MS = 20;
const DRIFTS = 20;
const OWNER = 'bench-org';
const NAME = 'infra';
const FULL_NAME = `${OWNER}/${NAME}`;
const INSTALLATION_ID = 4242;
const COMMENTER = 'dana-ops';
const SECRET = 'bench-webhook-secret';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    spawn(command, args, { cwd: ROOT, stdio: 'inherit' }).on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code})`)))),
  );
}

// --- the load client ----------------------------------------------------------------------------

interface Client {
  round(url: string, deliveries: Delivery[]): Promise<Timed[]>;
  close(): Promise<void>;
}

function startClient(): Client {
  const child: ChildProcess = fork(path.join(import.meta.dirname, 'webhook-client.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    round(url, deliveries) {
      return new Promise((resolve, reject) => {
        const onMessage = (message: RoundResult) => {
          child.off('exit', onExit);
          resolve(message.timings);
        };
        const onExit = () => reject(new Error('the load client exited'));
        child.once('message', onMessage);
        child.once('exit', onExit);
        const message: RoundMessage = { type: 'round', url, deliveries };
        child.send(message);
      });
    },
    async close() {
      if (child.connected) child.send({ type: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// --- (b) GitHub requests per scan ---------------------------------------------------------------

interface ScanRequests {
  label: string;
  requests: RecordedRequest[];
  drifts: number;
  workspaces: number;
  /** What the app's writer logged for the reconcile. */
  writerReads: number;
  writerWrites: number;
}

const TOKEN_EXCHANGE = 'POST /app/installations/{installation_id}/access_tokens';

async function scanOnce(label: string, app: AppProcess, fake: FakeGitHubServer, target: DeliveryTarget, client: Client): Promise<ScanRequests> {
  const from = app.logs.length;
  const since = Date.now();
  const push = await signed('push', true, pushPayload(target, target.defaultBranch, WORKSPACES.map((name) => `${workspaceDir(name)}/providers.tf`)), SECRET);
  const [answer] = await client.round(app.webhookUrl, [push]);
  if (answer?.status !== 200) throw new Error(`the push delivery was answered ${answer?.status}`);
  const reconciled = await app.waitForLog((line) => line.msg === 'GitHub surfaces reconciled' || line.msg === 'GitHub surfaces reconciled with failures', { from, timeoutMs: 180_000 });
  if (reconciled.msg !== 'GitHub surfaces reconciled') throw new Error(`${label}: the writer reported failures: ${JSON.stringify(reconciled)}`);
  await fake.settled(1_000);
  const scanned = app.logs.slice(from).filter((line) => line.msg === 'workspace scanned');
  const failed = scanned.filter((line) => line.status !== 'complete');
  if (failed.length > 0) throw new Error(`${label}: workspaces not scanned completely: ${JSON.stringify(failed)}`);
  return {
    label,
    requests: fake.requests.filter((request) => request.time >= since),
    drifts: scanned.reduce((sum, line) => sum + Number(line.drifts ?? 0), 0),
    workspaces: scanned.length,
    writerReads: Number(reconciled.reads ?? 0),
    writerWrites: Number(reconciled.writes ?? 0),
  };
}

function printRequestsPerScan(scans: ScanRequests[]): void {
  const key = (request: RecordedRequest) => `${request.route ?? `${request.method} ${request.path} (no route)`}`;
  const routes = [...new Set(scans.flatMap((scan) => scan.requests.map(key)))].sort((a, b) => {
    const write = (route: string) => (route.startsWith('GET ') ? 0 : 1);
    return write(a) - write(b) || a.localeCompare(b);
  });
  const width = Math.max(...routes.map((route) => route.length)) + 2;
  console.log(`\n${''.padEnd(width)}${scans.map((scan) => scan.label.padStart(14)).join('')}`);
  for (const route of routes) console.log(`${route.padEnd(width)}${scans.map((scan) => String(scan.requests.filter((request) => key(request) === route).length).padStart(14)).join('')}`);
  const total = (scan: ScanRequests, write: boolean) => scan.requests.filter((request) => (request.method !== 'GET') === write && request.route !== TOKEN_EXCHANGE).length;
  console.log(`${'reads (GET)'.padEnd(width)}${scans.map((scan) => String(total(scan, false)).padStart(14)).join('')}`);
  console.log(`${'writes (token exchange aside)'.padEnd(width)}${scans.map((scan) => String(total(scan, true)).padStart(14)).join('')}`);
  console.log(`${'  as the app\'s writer counted'.padEnd(width)}${scans.map((scan) => `${scan.writerReads} r ${scan.writerWrites} w`.padStart(14)).join('')}`);
  console.log(`${'drifts found (workspaces)'.padEnd(width)}${scans.map((scan) => `${scan.drifts} (${scan.workspaces})`.padStart(14)).join('')}`);
}

// --- (a) webhook latency ------------------------------------------------------------------------

interface Phase {
  timings: Timed[];
  /** Workspace scans that started and finished, and reconciles of the default branch, while it
   * ran (in the log of the process that scans: the app, or the worker). */
  workspaceScansStarted: number;
  workspaceScans: number;
  reconciles: number;
  /** Workspace scans under way (started, not finished) when the phase started and ended. */
  scanningAtStart: number;
  scanningAtEnd: number;
  /** Scan jobs in progress when the phase started and ended (workspace scans logged later). */
  startedAt: number;
  endedAt: number;
}

async function phase(app: AppProcess, scanner: AppProcess, client: Client, rounds: number, round: (i: number) => Promise<Delivery[]>): Promise<Phase> {
  const from = scanner.logs.length;
  const startedAt = Date.now();
  const timings: Timed[] = [];
  for (let i = 0; i < rounds; i++) {
    timings.push(...(await client.round(app.webhookUrl, await round(i))));
    if (i < rounds - 1) await sleep(ROUND_GAP_MS);
  }
  const endedAt = Date.now();
  const during = (line: LogLine) => line.time >= startedAt && line.time <= endedAt;
  const lines = scanner.logs.slice(from).filter(during);
  const scanningAt = (t: number) =>
    scanner.logs.filter((line) => line.time <= t && line.msg === 'scanning a workspace').length - scanner.logs.filter((line) => line.time <= t && line.msg === 'workspace scanned').length;
  return {
    scanningAtStart: scanningAt(startedAt),
    scanningAtEnd: scanningAt(endedAt),
    timings,
    workspaceScansStarted: lines.filter((line) => line.msg === 'scanning a workspace').length,
    workspaceScans: lines.filter((line) => line.msg === 'workspace scanned').length,
    reconciles: lines.filter((line) => line.msg.startsWith('GitHub surfaces reconciled')).length,
    startedAt,
    endedAt,
  };
}

function row(label: string, p: Percentiles): string {
  const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(10);
  return `${label.padEnd(34)}${String(p.count).padStart(6)}${ms(p.p50)}${ms(p.p90)}${ms(p.p99)}${ms(p.max)}`;
}

function printPhases(baseline: Phase, loaded: Phase): void {
  const bad = [...baseline.timings, ...loaded.timings].filter((timing) => timing.status !== 200);
  if (bad.length > 0) console.log(`!! ${bad.length} deliveries not answered 200: ${[...new Set(bad.map((timing) => `${timing.kind} ${timing.status}`))].join(', ')}`);
  console.log(`\n${MODE}`);
  console.log(`${'deliveries'.padEnd(34)}${'n'.padStart(6)}${'p50'.padStart(10)}${'p90'.padStart(10)}${'p99'.padStart(10)}${'max'.padStart(10)}`);
  const base = percentiles(baseline.timings.map((timing) => timing.ms));
  const load = percentiles(loaded.timings.map((timing) => timing.ms));
  console.log(row('no scan running (baseline)', base));
  console.log(row('while scans run', load));
  for (const kind of Object.keys(ROUND_MIX) as (keyof typeof ROUND_MIX)[]) {
    console.log(row(`  ${kind}`, percentiles(loaded.timings.filter((timing) => timing.kind === kind).map((timing) => timing.ms))));
  }
  console.log(`${'ratio (while scans run / baseline)'.padEnd(40)}${(load.p50 / base.p50).toFixed(2).padStart(10)}${(load.p90 / base.p90).toFixed(2).padStart(10)}${(load.p99 / base.p99).toFixed(2).padStart(10)}${(load.max / base.max).toFixed(2).padStart(10)}`);
  const seconds = (p: Phase) => ((p.endedAt - p.startedAt) / 1000).toFixed(1);
  const where = SCALED_OUT ? 'the worker' : 'the app';
  console.log(`\nbaseline: ${seconds(baseline)} s, ${baseline.workspaceScansStarted} workspace scans started and ${baseline.workspaceScans} finished in it by ${where} (expected 0)`);
  console.log(
    `while scans run: ${seconds(loaded)} s, ${loaded.workspaceScansStarted} workspace scans started, ${loaded.workspaceScans} workspace scans and ${loaded.reconciles} default-branch reconciles finished in it by ${where} (${SCAN_CONCURRENCY} scan jobs at a time); workspace scans under way at its start ${loaded.scanningAtStart}, at its end ${loaded.scanningAtEnd}`,
  );
  if (loaded.workspaceScansStarted + loaded.workspaceScans + loaded.scanningAtStart === 0) console.log('!! no scan ran while the loaded phase was measured: its figures are not "while scans run"');
  console.log(`p99 while scans run (${SCALED_OUT ? 'scaled out' : 'single process'}): ${load.p99.toFixed(1)} ms — ${load.p99 <= TARGET_P99_MS ? 'within' : 'MISSES'} the ${TARGET_P99_MS} ms target`);
}

/** Requests the fake GitHub could not serve: each is a gap in the fake or a request the app should
 * not make, and the figures above are only as good as the fake's answers. */
function reportFakeTrouble(fake: FakeGitHubServer): void {
  if (fake.unhandled.length > 0) console.log(`!! routes the fake GitHub does not serve: ${[...new Set(fake.unhandled.map((request) => `${request.method} ${request.path}`))].join(', ')}`);
  const errors = fake.requests.filter((request) => request.status >= 500);
  for (const request of errors.slice(0, 5)) console.log(`!! the fake GitHub failed ${request.method} ${request.path}: ${request.error?.split('\n').slice(0, 4).join(' | ') ?? request.status}`);
  const notFound = fake.requests.filter((request) => request.status === 404 && request.route !== null);
  if (notFound.length > 0) console.log(`404s: ${[...new Set(notFound.map((request) => `${request.method} ${request.path}`))].slice(0, 10).join(', ')}`);
}

// --- the CPU profile ------------------------------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Where a frame's code lives: a package, a directory of driftwatch's dist/, or Node's own. */
function codeOwner(url: string): string | null {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? null);
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return `driftwatch ${url.slice(dist + 1).split('/').slice(0, -1).join('/') || 'dist'}`;
  if (url.startsWith('node:')) return 'node';
  return null;
}

/** Self time by function of the app's main thread between two moments (a --cpu-prof profile,
 * written when the process exited at `exitedAt`). */
interface ProfileSummary {
  /** Self time by function. */
  top: { name: string; ms: number }[];
  /** Time with code of each owner (package, driftwatch directory) anywhere on the stack. */
  inclusive: { name: string; ms: number }[];
  /** The longest stretches the thread never went idle, with what ran most in each: what a
   * delivery arriving then waited for. */
  stretches: { ms: number; top: { name: string; ms: number }[] }[];
}

function profileBetween(dir: string, startedAt: number, endedAt: number, exitedAt: number): ProfileSummary {
  // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: the main thread is thread 0 (the scan
  // threads and the HCL reader have their own).
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile') && name.split('.')[4] === '0');
  if (!file) return { top: [], inclusive: [], stretches: [] };
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
  const names = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const modules = url.lastIndexOf('/node_modules/');
    const where = modules >= 0 ? url.slice(modules + 1) : url.replace(/^.*\/dist\//, 'dist/');
    names.set(node.id, `${functionName || '(anonymous)'} ${where}${url ? `:${lineNumber + 1}` : ''}`);
  }
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const owners = new Map<number, string | null>(profile.nodes.map((node) => [node.id, codeOwner(node.callFrame.url)]));
  const inclusive = new Map<string, number>();
  const byMs = (totals: Map<string, number>) => [...totals].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
  // Profile times are microseconds on a monotonic clock; its end is the exit.
  const totals = new Map<string, number>();
  const stretches: { ms: number; totals: Map<string, number> }[] = [];
  let current: { ms: number; totals: Map<string, number> } | null = null;
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    t += profile.timeDeltas[i] ?? 0;
    const wall = exitedAt - (profile.endTime - t) / 1000;
    if (wall < startedAt || wall > endedAt) return;
    const name = names.get(id) ?? '?';
    totals.set(name, (totals.get(name) ?? 0) + delta);
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parents.get(node)) {
      const owner = owners.get(node);
      if (owner && !seen.has(owner)) seen.add(owner);
    }
    for (const owner of seen) inclusive.set(owner, (inclusive.get(owner) ?? 0) + delta);
    if (name.startsWith('(idle)')) {
      current = null;
      return;
    }
    if (!current) stretches.push((current = { ms: 0, totals: new Map() }));
    current.ms += delta;
    current.totals.set(name, (current.totals.get(name) ?? 0) + delta);
  });
  return {
    top: byMs(totals),
    inclusive: byMs(inclusive),
    stretches: stretches.sort((a, b) => b.ms - a.ms).slice(0, 5).map((stretch) => ({ ms: stretch.ms, top: byMs(stretch.totals).slice(0, 6) })),
  };
}

// --- main ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log('building dist/ (npm run build)…');
  await run('npm', ['run', 'build', '--silent']);

  const work = mkdtempSync(path.join(os.tmpdir(), 'driftwatch-webhooks-bench-'));
  const repository = await driftedRepository(SIZE);
  const planted = plantDrift(repository, DRIFTS);
  const aws = await serveFakeAws(repository.account, {
    latencyMs: AWS_LATENCY_MS,
    // CloudTrail is not simulated (attribution is off in the repository's configuration anyway).
    answer: ({ target }) => (target?.endsWith('LookupEvents') ? { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: '{"Events":[]}' } : undefined),
  });
  const fake = await serveFakeGitHub();
  const client = startClient();
  let app: AppProcess | null = null;
  let worker: AppProcess | null = null;
  // --scaled-out: a queue prefix and a database of this run's own.
  const prefix = `driftwatch-bench-${randomBytes(5).toString('hex')}`;
  let database: ScaleOutDatabase | null = null;
  try {
    const seeded = seedRepository(fake.github, FULL_NAME, Object.fromEntries(repository.files), { installationId: INSTALLATION_ID, account: OWNER, collaborators: { [COMMENTER]: 'write' } });
    const headSha = seeded.branches.get(seeded.defaultBranch)!;
    // Three open pull requests, each touching one workspace.
    const pulls = WORKSPACES.map((name, i) => {
      const file = `${workspaceDir(name)}/providers.tf`;
      fake.github.commit(FULL_NAME, { [file]: `${repository.files.get(file)}# pull request ${i + 1}\n` }, { branch: `bench-${name}` });
      const pull = fake.github.openPullRequest(FULL_NAME, { head: `bench-${name}`, title: `Tune ${name}`, user: COMMENTER });
      return { number: pull.number, headSha: pull.pull!.headSha };
    });
    const issue = fake.github.createIssue(FULL_NAME, { title: 'Is prod drifting?', user: COMMENTER });
    const commentIds = Array.from({ length: 10 }, () => fake.github.addComment(FULL_NAME, issue.number, '/drift scan', COMMENTER).id);
    const target: DeliveryTarget = {
      owner: OWNER,
      name: NAME,
      repositoryId: seeded.id,
      installationId: INSTALLATION_ID,
      defaultBranch: seeded.defaultBranch,
      headSha,
      pushPaths: WORKSPACES.map((name) => `${workspaceDir(name)}/providers.tf`),
      pulls,
      issueNumber: issue.number,
      commentIds,
      commenter: COMMENTER,
      webhookSecret: SECRET,
    };

    const profileDir = path.join(work, 'profile');
    // Every process of the deployment reads the GitHub App's settings, the store's and the queue's.
    if (SCALED_OUT) database = await createDatabase();
    const common: Record<string, string> = {
      APP_ID: String(fake.github.app.id),
      PRIVATE_KEY: generatePrivateKey(),
      WEBHOOK_SECRET: SECRET,
      DRIFTWATCH_DATA_DIR: path.join(work, 'data'),
      ...fake.env,
      ...(database ? { DATABASE_URL: database.url, REDIS_URL, DRIFTWATCH_QUEUE_PREFIX: prefix, DRIFTWATCH_WORKER_CONCURRENCY: String(SCAN_CONCURRENCY) } : {}),
    };
    // Only the processes that scan get the AWS settings: the single process, or the worker.
    const awsEnv: Record<string, string> = {
      AWS_ENDPOINT_URL: aws.url,
      AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
      AWS_SECRET_ACCESS_KEY: 'not-a-secret',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const output = (name: string) => ({
      onOtherOutput: (text: string) => console.log(`[${name}] ${text}`),
      // Warnings and errors as they come (pino levels: 40 warn, 50 error).
      onLog: (line: LogLine) => {
        if (line.level >= 40 || process.env.BENCH_APP_LOG) console.log(`[${name}] ${JSON.stringify(line)}`);
      },
    });
    // The web process and the worker migrate the fresh database at the same moment, as a first
    // deployment does.
    [app, worker] = await Promise.all([
      startAppProcess({
        cwd: work,
        nodeOptions: PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
        env: SCALED_OUT ? { ...common, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } : { ...common, ...awsEnv },
        ...output(SCALED_OUT ? 'web' : 'app'),
      }),
      SCALED_OUT ? startAppProcess({ cwd: work, entry: 'worker', env: { ...common, ...awsEnv }, ...output('worker') }) : null,
    ]);
    // The process whose log says which scans ran.
    const scanner = worker ?? app;
    console.log(`\nmode: ${MODE}`);

    console.log(
      `\nA repository of ${WORKSPACES.length} workspaces (${Object.values(repository.stateResources).join(' + ')} state resources, committed states) on a simulated account of ` +
        `${repository.liveObjects} live objects (${AWS_LATENCY_MS} ms per AWS answer); ${DRIFTS} drifts planted. Machine: ${os.availableParallelism()} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}.`,
    );

    // (b)
    if (SCALED_OUT) {
      console.log('\n(b) skipped with --scaled-out (the queue drops a second push of the same commit): run without it');
    } else {
      console.log('\n(b) GitHub requests per scan (a push to the default branch touching every workspace), from the fake GitHub\'s log:');
      const first = await scanOnce('first scan', app, fake, target, client);
      const again = await scanOnce('unchanged', app, fake, target, client);
      changeDrift(repository, planted[0]!);
      const changed = await scanOnce('1 changed', app, fake, target, client);
      printRequestsPerScan([first, again, changed]);
    }

    // (a)
    console.log(`\n(a) Webhook latency at the client: ${ROUNDS} rounds of ${Object.values(ROUND_MIX).reduce((a, b) => a + b, 0)} deliveries (${Object.entries(ROUND_MIX).map(([kind, n]) => `${n} ${kind}`).join(', ')}) sent at once, a connection each, ${ROUND_GAP_MS} ms apart`);
    const baselineRounds = await deliveryRounds(target, ROUNDS, false);
    const baseline = await phase(app, scanner, client, ROUNDS, (i) => Promise.resolve(baselineRounds[i]!));
    // Scaled out, each round pushes a new commit of the default branch (the queue drops a push of
    // a commit it saw); in one process the same commit's pushes coalesce with the running scan.
    let commits = 0;
    const pushedRounds = SCALED_OUT ? null : await deliveryRounds(target, ROUNDS + 1, true);
    const loadedRound = async (i: number): Promise<Delivery[]> => {
      if (pushedRounds) return pushedRounds[i]!;
      commits += 1;
      const changes = Object.fromEntries(target.pushPaths.map((file) => [file, `${repository.files.get(file)}# bench commit ${commits}\n`]));
      const { sha } = fake.github.commit(FULL_NAME, changes, { branch: target.defaultBranch });
      return (await deliveryRounds({ ...target, headSha: sha }, 1, true))[0]!;
    };
    // One round first, not measured, so scans are running when the measurement starts.
    const scanning = scanner.logs.length;
    await client.round(app.webhookUrl, await loadedRound(0));
    await fake.settled(0);
    await scanner.waitForLog((line) => line.msg === 'workspace scanned', { from: scanning, timeoutMs: 120_000 }).catch(() => undefined);
    const loaded = await phase(app, scanner, client, ROUNDS, (i) => loadedRound(i + 1));
    printPhases(baseline, loaded);

    reportFakeTrouble(fake);

    if (PROFILE) {
      const stopped = await app.stop(30_000);
      const exitedAt = Date.now();
      app = null;
      console.log(`\napp stopped: ${stopped.signals === 1 ? 'on SIGTERM, its running jobs finished' : stopped.killed ? '!! killed: no profile' : 'on a second SIGTERM (running jobs dropped)'}`);
      const { top, inclusive, stretches } = profileBetween(profileDir, loaded.startedAt, loaded.endedAt, exitedAt);
      const total = top.reduce((sum, entry) => sum + entry.ms, 0);
      console.log(`\nthe app's main thread while scans ran (--cpu-prof self time, ${total.toFixed(0)} ms sampled over ${((loaded.endedAt - loaded.startedAt) / 1000).toFixed(1)} s):`);
      for (const entry of top.slice(0, 25)) console.log(`  ${entry.ms.toFixed(0).padStart(7)} ms  ${entry.name}`);
      console.log('\nthe same time by whose code was on the stack (a sample counts once for each):');
      for (const entry of inclusive.slice(0, 20)) console.log(`  ${entry.ms.toFixed(0).padStart(7)} ms  ${entry.name}`);
      console.log('\nits longest stretches without going idle, and what ran most in each:');
      for (const stretch of stretches) {
        console.log(`  ${stretch.ms.toFixed(0).padStart(7)} ms`);
        for (const entry of stretch.top) console.log(`  ${entry.ms.toFixed(0).padStart(12)} ms  ${entry.name}`);
      }
    }
  } catch (error) {
    const failed = fake.requests.filter((request) => request.status >= 400);
    if (failed.length > 0) console.log(`fake GitHub answers ≥ 400:\n${failed.slice(-20).map((request) => `  ${request.status} ${request.method} ${request.path}`).join('\n')}`);
    throw error;
  } finally {
    // The scans the deliveries queued are dropped: the first SIGTERM lets the running ones finish
    // (30 s here), the second stops the process at once. The web process first: it enqueues.
    for (const [name, child] of [[SCALED_OUT ? 'web process' : 'app', app], ['worker', worker]] as const) {
      if (!child) continue;
      const stopped = await child.stop(30_000);
      console.log(`\n${name} stopped: ${stopped.signals === 1 ? 'on SIGTERM, its running jobs finished' : stopped.killed ? '!! killed: it did not exit on a second SIGTERM' : 'on a second SIGTERM (running jobs dropped)'}`);
    }
    if (SCALED_OUT) {
      await deleteKeys(prefix).catch((error: unknown) => console.log(`!! Redis keys ${prefix}:* left behind: ${String(error)}`));
      await database?.drop().catch((error: unknown) => console.log(`!! database left behind: ${String(error)}`));
    }
    await client.close();
    await fake.close();
    await aws.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
