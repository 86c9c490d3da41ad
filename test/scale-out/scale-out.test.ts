// The scale-out of docs/scale-out.md, for real: the web process (`npm start`) and two workers
// (`npm run worker`, the app's own jobs) against the machine's PostgreSQL and Redis, a fake
// GitHub and a fake AWS account on loopback. One deployment for the file (starting processes is
// the slow part); each scenario works on repositories of its own. What is checked is what an
// operator would look at: GitHub's state and the requests it received, the rows in PostgreSQL,
// the processes' logs.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMarker } from '../../src/surfaces/marker.js';
import { FakeAccount } from '../aws/fake-aws/account.js';
import { fixtureAccount } from '../aws/fake-aws/fixtures.js';
import { until } from '../jobs/redis-test-support.js';
import { filesFromDirectory, installationCreated, pullRequest, push, seedRepository } from '../support/fake-github/index.js';
import type { LogLine } from './app-process.js';
import { accessKeyOf, startDeployment, type Deployment } from './deployment.js';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/real-provider/legacy-inline');
const WEB_GROUP = 'sg-7488d1103fb704de7';
const ACME = 41_001;
const GLOBEX = 41_002;
const CONFIG = 'workspaces:\n  - name: legacy\n    dir: infra/legacy\n    state: infra/legacy/terraform.tfstate\nattribution:\n  enabled: false\n';

/** The legacy-inline account with two drifts: SSH open to the world on the web security group,
 * and the scratch bucket deleted by hand. */
function driftedAccount(): FakeAccount {
  const data = fixtureAccount('legacy-inline');
  const web = data.regions['us-east-1']!.securityGroups.find((group) => group.GroupId === WEB_GROUP)!;
  web.IpPermissions!.push({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] });
  data.buckets = data.buckets.filter((bucket) => !bucket.name.endsWith('-legacy-scratch'));
  return new FakeAccount(data);
}
const DRIFTED = ['aws_s3_bucket.scratch', 'aws_security_group.web'];

let deployment: Deployment;
let files: Record<string, string>;

beforeAll(async () => {
  // The lock is what a stalled event loop must stay under (a first scan on a loaded 2-core machine
  // stalls it for seconds; past the lock, BullMQ hands the job to the other worker while the first
  // still runs it) and what recovery from a kill waits for: 20 s keeps the kill scenario within its
  // timeouts and clear of stalls seen up to 10 s here. Production keeps 30 s.
  deployment = await startDeployment({ account: driftedAccount(), awsLatencyMs: 150, workerLockSeconds: 20 });
  deployment.github.github.addUser('dana');
  files = { '.github/driftwatch.yml': CONFIG, ...(await filesFromDirectory(FIXTURE, 'infra/legacy', (relative) => relative.startsWith('live') || relative.endsWith('.json') || relative.endsWith('.md'))) };
}, 120_000);

afterAll(async () => {
  // SCALE_OUT_LOGS=<dir>: every process's log kept there, for a failure to read.
  const keep = process.env.SCALE_OUT_LOGS;
  if (keep && deployment) {
    await mkdir(keep, { recursive: true });
    for (const child of [deployment.web, ...deployment.workers]) await writeFile(path.join(keep, `${child.name}.log`), [...child.lines.map((line) => JSON.stringify(line)), child.other].join('\n'));
    await writeFile(path.join(keep, 'github.json'), JSON.stringify(deployment.github.requests, null, 1));
  }
  await deployment?.stop();
}, 60_000);

function repository(fullName: string, installationId: number): string {
  seedRepository(deployment.github.github, fullName, files, { installationId, account: fullName.split('/')[0]! });
  return fullName;
}

/** A commit to the default branch that touches the workspace (a comment in one of its files), and
 * its push event. */
function pushTo(fullName: string, note: string) {
  const github = deployment.github.github;
  const current = github.files(fullName)['infra/legacy/variables.tf']!;
  const commit = github.commit(fullName, { 'infra/legacy/variables.tf': `${current}# ${note}\n` }, { message: note });
  return { sha: commit.sha, payload: push(deployment.github, GLOBEX, fullName, commit, { sender: 'dana' }) };
}

interface ScanRun {
  worker: string;
  repo: string;
  workspace: string;
  commit: string;
  target: string;
  start: number;
  end: number | null;
}

/** Every workspace scan the workers logged, from the line logged once its lock was held to the
 * one logged before it was let go (null: not finished, the worker died). */
function scanRuns(repo?: string): ScanRun[] {
  const runs: ScanRun[] = [];
  for (const worker of deployment.workers) {
    const open = new Map<string, ScanRun>();
    for (const line of worker.lines) {
      if (line.msg !== 'scanning a workspace' && line.msg !== 'workspace scanned') continue;
      const key = `${String(line.repo)}|${String(line.workspace)}`;
      if (line.msg === 'scanning a workspace') {
        const run: ScanRun = { worker: worker.name, repo: String(line.repo), workspace: String(line.workspace), commit: String(line.commit), target: String(line.target), start: line.time, end: null };
        open.set(key, run);
        runs.push(run);
      } else {
        open.get(key)!.end = line.time;
        open.delete(key);
      }
    }
  }
  return runs.filter((run) => repo === undefined || run.repo === repo).sort((a, b) => a.start - b.start);
}

interface ScanRow {
  id: number;
  repo: string;
  workspace: string;
  commit_sha: string;
  trigger: string;
  status: string;
  started_at: Date;
  finished_at: Date;
}

function scanRows(repo: string): Promise<ScanRow[]> {
  return deployment.database.query<ScanRow>('select id, repo, workspace, commit_sha, trigger, status, started_at, finished_at from scans where repo = $1 order by id', [repo]);
}

/** The drift issues of a repository, by the resource their marker names. */
function driftIssues(fullName: string): { resource: string; number: number; state: string }[] {
  return deployment.github.github
    .issues(fullName, { state: 'all' })
    .filter((issue) => !issue.pull)
    .flatMap((issue) => {
      const marker = parseMarker(issue.body);
      return marker?.kind === 'drift-issue' ? [{ resource: marker.resource, number: issue.number, state: issue.state }] : [];
    });
}

/** No job left in the queue (waiting, running, or delayed for a retry). */
async function idle(what: string, timeoutMs = 40_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    deployment.queue.idle(),
    new Promise((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}: the queue is not idle`)), timeoutMs))),
  ]).finally(() => clearTimeout(timer));
}

function lineOf(msg: string, match: Record<string, unknown>): (line: LogLine) => boolean {
  return (line) => line.msg === msg && Object.entries(match).every(([key, value]) => line[key] === value);
}

function expectNoOverlap(runs: ScanRun[]): void {
  const byWorkspace = new Map<string, ScanRun[]>();
  for (const run of runs) byWorkspace.set(`${run.repo}:${run.workspace}`, [...(byWorkspace.get(`${run.repo}:${run.workspace}`) ?? []), run]);
  for (const [workspace, list] of byWorkspace) {
    for (let index = 1; index < list.length; index += 1) {
      const previous = list[index - 1]!;
      expect(previous.end, `${workspace}: the scan on ${previous.worker} never ended`).not.toBeNull();
      expect(list[index]!.start, `${workspace}: the scan on ${list[index]!.worker} started before the one on ${previous.worker} ended`).toBeGreaterThanOrEqual(previous.end!);
    }
  }
}

describe('scaled out: one web process, two workers, PostgreSQL and Redis', () => {
  it('scans an installation on the workers: the history in PostgreSQL, each drift\'s issue once', async () => {
    const repos = [repository('acme/infra', ACME), repository('acme/platform', ACME)];
    const delivery = await deployment.deliver('installation', installationCreated(deployment.github, ACME, 'dana'));
    expect(delivery.status).toBe(200);
    await until(async () => (await deployment.database.query('select id from scans where repo = any($1)', [repos])).length === 2, 'both repositories scanned', 40_000);
    await idle('the installation scans');

    // The workers scanned, one repository each; the web process did not, nor call AWS.
    const runs = scanRuns().filter((run) => repos.includes(run.repo));
    expect(runs.map((run) => run.repo).sort()).toEqual(repos);
    expect(new Set(runs.map((run) => run.worker))).toEqual(new Set(['worker-a', 'worker-b']));
    expect(deployment.web.logged('scanning a workspace')).toEqual([]);
    expect(new Set(deployment.account.calls.map((call) => call.accessKeyId))).toEqual(new Set([accessKeyOf('worker-a'), accessKeyOf('worker-b')]));

    for (const repo of repos) {
      const [scan] = await scanRows(repo);
      expect(scan).toMatchObject({ workspace: 'legacy', trigger: 'installation', status: 'complete' });
      const findings = await deployment.database.query<{ address: string; status: string; issue_number: number | null }>('select address, status, issue_number from findings where repo = $1 order by address', [repo]);
      const issues = driftIssues(repo);
      expect(issues.map((issue) => issue.resource).sort()).toEqual(DRIFTED);
      expect(findings).toEqual(DRIFTED.map((address) => ({ address, status: 'open', issue_number: issues.find((issue) => issue.resource === address)!.number })));
      // Each issue created once: no second POST for it anywhere in GitHub's log.
      expect(deployment.github.writes({ route: 'POST /repos/{owner}/{repo}/issues' }).filter((request) => request.path === `/repos/${repo}/issues`)).toHaveLength(DRIFTED.length + 1);
    }
    expect(deployment.github.unhandled).toEqual([]);
  }, 90_000);

  it('scans a push delivered twice (a redelivery, a new delivery id) once', async () => {
    const repo = repository('globex/dedupe', GLOBEX);
    const { sha, payload } = pushTo(repo, 'bump the instance class');
    expect((await deployment.deliver('push', payload)).status).toBe(200);
    expect((await deployment.deliver('push', payload)).status).toBe(200);
    await deployment.web.waitFor(lineOf('duplicate request dropped: this id and revision were queued moments ago', { id: `scan:${repo}:default` }), 'the redelivery dropped');
    await idle('the push scan');

    expect((await scanRows(repo)).map((row) => [row.commit_sha, row.trigger, row.status])).toEqual([[sha, 'push', 'complete']]);
    expect(scanRuns(repo)).toHaveLength(1);
    expect(driftIssues(repo).map((issue) => issue.resource).sort()).toEqual(DRIFTED);
  }, 90_000);

  it('never scans one workspace on both workers at once: two pushes and a pull request touching it', async () => {
    const repo = repository('globex/busy', GLOBEX);
    const github = deployment.github.github;
    const first = pushTo(repo, 'first change');
    github.commit(repo, { 'infra/legacy/security_groups.tf': `${github.files(repo)['infra/legacy/security_groups.tf']!}# widen nothing\n` }, { branch: 'tidy', message: 'tidy' });
    const second = pushTo(repo, 'second change');
    const pull = github.openPullRequest(repo, { head: 'tidy', title: 'Tidy the security groups', user: 'dana' });

    // The pushes in their order (GitHub sends one repository's in order), the pull request beside them.
    const pushes = (async () => [await deployment.deliver('push', first.payload), await deployment.deliver('push', second.payload)])();
    const deliveries = await Promise.all([pushes, deployment.deliver('pull_request', pullRequest(deployment.github, GLOBEX, repo, pull, 'opened', 'dana'))]);
    expect(deliveries.flat().map((delivery) => delivery.status)).toEqual([200, 200, 200]);
    await until(() => scanRuns(repo).some((run) => run.target === 'pull-request' && run.end !== null), 'the pull request scanned', 40_000);
    await idle('the scans of the busy repository');

    const runs = scanRuns(repo);
    // The default branch at least once (the pushes may coalesce), the pull request once, each
    // scan of the workspace after the one before it ended, whichever worker ran it.
    expect(runs.filter((run) => run.target === 'pull-request')).toHaveLength(1);
    expect(runs.filter((run) => run.target === 'default-branch').length).toBeGreaterThanOrEqual(1);
    expectNoOverlap(runs);
    // Both workers held one of the jobs: the lock in Redis kept them apart, not an idle worker.
    expect(new Set(runs.map((run) => run.worker)).size).toBe(2);
    // The store agrees: its default-branch scans of the workspace never overlap either, and the
    // last one is of the last commit.
    const rows = await scanRows(repo);
    for (let index = 1; index < rows.length; index += 1) expect(rows[index]!.started_at.getTime()).toBeGreaterThanOrEqual(rows[index - 1]!.finished_at.getTime());
    expect(rows.at(-1)).toMatchObject({ commit_sha: second.sha, status: 'complete' });
    expect(driftIssues(repo).map((issue) => issue.resource).sort()).toEqual(DRIFTED);
    const check = github.repository(repo).checkRuns.filter((run) => run.headSha === pull.pull!.headSha && run.name === 'driftwatch');
    expect(check.map((run) => run.status)).toEqual(['completed']);
  }, 90_000);

  it('takes up the scan of a worker killed mid-scan on the other worker: recorded once, no issue twice', async () => {
    const repo = repository('globex/crash', GLOBEX);
    // A first scan opens the issues and records the history the crash must not lose.
    const before = pushTo(repo, 'before the crash');
    await deployment.deliver('push', before.payload);
    await until(async () => (await scanRows(repo)).length === 1, 'the first scan recorded', 40_000);
    await idle('the first scan');
    const issuesBefore = driftIssues(repo);
    expect(issuesBefore.map((issue) => issue.resource).sort()).toEqual(DRIFTED);

    // Mid-scan: the workspace's lock held and AWS answering the worker's calls.
    const callsBefore = deployment.account.calls.length;
    const { sha, payload } = pushTo(repo, 'during the crash');
    await deployment.deliver('push', payload);
    const started = await Promise.any(deployment.workers.filter((worker) => worker.running).map((worker) => worker.waitFor(lineOf('scanning a workspace', { repo, commit: sha }), 'the scan to start', 40_000).then(() => worker)));
    await until(() => deployment.account.calls.slice(callsBefore).some((call) => call.accessKeyId === accessKeyOf(started.name)), 'the scan to call AWS');
    const victim = started;
    const survivor = deployment.workers.find((worker) => worker.running && worker !== victim)!;
    victim.process.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');

    // BullMQ's stalled-job check on the survivor puts the job back; the survivor runs it.
    await survivor.waitFor((line) => line.msg === 'job taken back from a worker that stopped answering; it runs again', 'the stalled job taken back', 40_000);
    await survivor.waitFor(lineOf('workspace scanned', { repo, commit: sha }), 'the scan on the survivor', 40_000);
    await idle('the scan taken up');

    const runs = scanRuns(repo).filter((run) => run.commit === sha);
    expect(runs.map((run) => [run.worker, run.end === null ? 'killed' : 'finished'])).toEqual([
      [victim.name, 'killed'],
      [survivor.name, 'finished'],
    ]);
    // The history kept, the scan recorded once and complete, the same issues (none twice).
    expect((await scanRows(repo)).map((row) => [row.commit_sha, row.status])).toEqual([
      [before.sha, 'complete'],
      [sha, 'complete'],
    ]);
    expect(driftIssues(repo).sort((a, b) => a.number - b.number)).toEqual(issuesBefore.sort((a, b) => a.number - b.number));
    expect(await deployment.queue.queue.getJobCounts('failed')).toEqual({ failed: 0 });
    // A worker in the dead one's place, for what follows.
    await deployment.startWorker('worker-c');
  }, 90_000);

  it('lets a worker finish its running scan on SIGTERM, then exit 0', async () => {
    const repo = repository('globex/drain', GLOBEX);
    const { sha, payload } = pushTo(repo, 'before the release');
    await deployment.deliver('push', payload);
    const worker = await Promise.any(deployment.workers.filter((candidate) => candidate.running).map((candidate) => candidate.waitFor(lineOf('scanning a workspace', { repo, commit: sha }), 'the scan to start', 40_000).then(() => candidate)));
    worker.process.kill('SIGTERM');

    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const after = worker.lines.slice(worker.lines.findIndex(lineOf('scanning a workspace', { repo, commit: sha })));
    expect(after.filter((line) => ['workspace scanned', 'driftwatch worker stopped'].includes(line.msg)).map((line) => [line.msg, line.repo])).toEqual([
      ['workspace scanned', repo],
      ['driftwatch worker stopped', undefined],
    ]);
    await idle('the drained scan');
    // Run once, by the worker that was stopping, and recorded.
    expect(scanRuns(repo).map((run) => run.worker)).toEqual([worker.name]);
    expect((await scanRows(repo)).map((row) => [row.commit_sha, row.status])).toEqual([[sha, 'complete']]);
    expect(driftIssues(repo).map((issue) => issue.resource).sort()).toEqual(DRIFTED);
  }, 90_000);
});
