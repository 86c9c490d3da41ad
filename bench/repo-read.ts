// Reading a repository through the Git Data API: calls and wall time to read every workspace's
// configuration (root modules and the local modules they call), against a mock GitHub that
// answers each call after 50 ms.
//
//   npx tsx bench/repo-read.ts
//
// The repository: 300 .tf files, 5 root modules (live/<env>) that call 12 local modules between
// them (some modules call others), plus docs and CI files nobody reads. The mock is a node:http
// server in this process speaking the Git Data API (commits/{ref} in the sha media type,
// git/trees with and without recursive=1, git/blobs in base64); the app's real Octokit (Probot's)
// talks to it over loopback HTTP. Scans: a first scan with an empty cache, the same commit again,
// and a new commit where one module file changed; then the first scan with 16 blobs in flight
// instead of 8, with no config (workspaces discovered from the tree), one blob at a time (the
// cost of not reading in parallel), and on a tree GitHub truncates. Cold first scans are the
// median of three, after a warm-up run.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProbotOctokit } from 'probot';
import { createRepoReader, type RepoReader } from '../src/github/repo-reader.js';
import { treeFileSource } from '../src/github/tree-file-source.js';
import { discoverWorkspaces } from '../src/repository/discover-workspaces.js';
import { loadModuleFiles } from '../src/terraform/load-module.js';
import { loadTerraformParser } from '../src/terraform/tree-sitter.js';
import { blobResponse, gitFixture, treeEntries, type FixtureFile, type GitFixture } from '../test/github/git-objects.js';

const LATENCY_MS = 50;
const ROUNDS = 3;
const OWNER = 'acme';
const REPO = 'infra';
const ENVIRONMENTS = ['prod', 'staging', 'dev', 'sandbox', 'tools'];
const MODULES = ['network', 'dns', 'iam', 'compute', 'storage', 'database', 'cache', 'queue', 'cdn', 'monitoring', 'secrets', 'edge'];
/** Modules each environment calls directly; compute calls network and iam, cdn calls dns. */
const CALLS: Record<string, string[]> = {
  prod: ['network', 'compute', 'database', 'cache', 'cdn', 'monitoring', 'secrets'],
  staging: ['network', 'compute', 'database', 'queue', 'monitoring'],
  dev: ['network', 'compute', 'storage'],
  sandbox: ['storage', 'edge'],
  tools: ['iam', 'storage', 'monitoring', 'secrets'],
};
const NESTED: Record<string, string[]> = { compute: ['network', 'iam'], cdn: ['dns'] };
const FILES_PER_ENVIRONMENT = 24;
const FILES_PER_MODULE = 15;

function resource(type: string, name: string, index: number): string {
  return `resource "${type}" "${name}_${index}" {
  bucket = "acme-${name}-${index}"

  tags = {
    Name        = "${name}-${index}"
    Environment = var.environment
    Owner       = "platform"
  }
}
`;
}

function repository(changed = false): Record<string, FixtureFile> {
  const files: Record<string, FixtureFile> = {
    'README.md': '# acme/infra\n\nTerraform for every environment.\n',
    '.github/workflows/plan.yml': 'on: pull_request\njobs:\n  plan:\n    runs-on: ubuntu-latest\n',
    'docs/runbook.md': '# Runbook\n',
  };
  for (const env of ENVIRONMENTS) {
    const dir = `live/${env}`;
    files[`${dir}/backend.tf`] = `terraform {\n  backend "s3" {\n    bucket = "acme-tfstate"\n    key    = "${env}/terraform.tfstate"\n    region = "us-east-1"\n  }\n}\n`;
    files[`${dir}/providers.tf`] = 'provider "aws" {\n  region = "us-east-1"\n}\n';
    files[`${dir}/variables.tf`] = `variable "environment" {\n  type    = string\n  default = "${env}"\n}\n`;
    files[`${dir}/main.tf`] = (CALLS[env] ?? []).map((module) => `module "${module}" {\n  source      = "../../modules/${module}"\n  environment = var.environment\n}\n`).join('\n');
    for (let i = 4; i < FILES_PER_ENVIRONMENT; i++) files[`${dir}/service-${i}.tf`] = resource('aws_s3_bucket', `${env}_svc`, i);
  }
  for (const module of MODULES) {
    const dir = `modules/${module}`;
    files[`${dir}/variables.tf`] = 'variable "environment" {\n  type = string\n}\n';
    files[`${dir}/main.tf`] = (NESTED[module] ?? []).map((child) => `module "${child}" {\n  source      = "../${child}"\n  environment = var.environment\n}\n`).join('\n') || '# resources in the other files\n';
    for (let i = 2; i < FILES_PER_MODULE; i++) files[`${dir}/${module}-${i}.tf`] = resource('aws_s3_bucket', module, i);
  }
  if (changed) files['modules/network/network-7.tf'] = resource('aws_s3_bucket', 'network_changed', 7);
  return files;
}

interface Calls {
  commits: number;
  trees: number;
  blobs: number;
}

/** A mock GitHub for one repository: the Git Data API over loopback HTTP, 50 ms per answer. */
async function mockGitHub(commits: GitFixture[], refs: Record<string, string>, options: { truncateAt?: number } = {}) {
  const calls: Calls = { commits: 0, trees: 0, blobs: 0 };
  const byCommit = new Map(commits.map((commit) => [commit.commitSha, commit]));
  const send = (res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8') => {
    setTimeout(() => {
      res.writeHead(status, { 'content-type': type });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    }, LATENCY_MS);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const prefix = `/repos/${OWNER}/${REPO}`;
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    let match: RegExpExecArray | null;
    if ((match = /^\/commits\/(.+)$/.exec(path))) {
      calls.commits++;
      const sha = refs[decodeURIComponent(match[1]!)];
      return sha ? send(res, 200, sha, 'application/vnd.github.sha; charset=utf-8') : send(res, 422, { message: 'No commit found' });
    }
    if ((match = /^\/git\/trees\/([0-9a-f]{40})$/.exec(path))) {
      calls.trees++;
      const sha = match[1]!;
      const commit = byCommit.get(sha);
      const fixture = commit ?? commits.find((candidate) => candidate.trees.has(sha));
      if (!fixture) return send(res, 404, { message: 'Not Found' });
      const treeSha = commit ? commit.treeSha : sha;
      const recursive = url.searchParams.has('recursive');
      let tree = treeEntries(fixture, treeSha, '', recursive, OWNER, REPO);
      const truncated = recursive && options.truncateAt !== undefined && tree.length > options.truncateAt;
      if (truncated) tree = tree.slice(0, options.truncateAt);
      return send(res, 200, { sha: treeSha, url: `${prefix}/git/trees/${treeSha}`, tree, truncated });
    }
    if ((match = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(path))) {
      calls.blobs++;
      const body = commits.map((commit) => commit.blobs.get(match![1]!)).find(Boolean);
      return body ? send(res, 200, blobResponse(body, match[1]!, OWNER, REPO)) : send(res, 404, { message: 'Not Found' });
    }
    send(res, 404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const octokit = new ProbotOctokit({ auth: { token: 't' }, baseUrl: `http://127.0.0.1:${port}`, retry: { enabled: false }, throttle: { enabled: false } });
  return { calls, octokit, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface Measured {
  label: string;
  calls: Calls;
  ms: number;
  cpuMs: number;
  files: number;
}

async function scan(label: string, github: Awaited<ReturnType<typeof mockGitHub>>, reader: RepoReader, ref: string, options: { discover?: boolean } = {}): Promise<Measured> {
  const before = { ...github.calls };
  const started = performance.now();
  const cpu = process.cpuUsage();
  const tree = await reader.readTree(github.octokit, { owner: OWNER, name: REPO }, ref);
  const source = treeFileSource(tree);
  const dirs = options.discover ? (await discoverWorkspaces(source, REPO)).workspaces.map(({ workspace }) => workspace.dir) : ENVIRONMENTS.map((env) => `live/${env}`);
  // Workspaces are read at once, as scanRepository reads them; the tree's limit bounds the blobs in flight.
  const loaded = await Promise.all(dirs.map((dir) => loadModuleFiles(dir, source)));
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const calls = { commits: github.calls.commits - before.commits, trees: github.calls.trees - before.trees, blobs: github.calls.blobs - before.blobs };
  return { label, calls, ms, cpuMs: (used.user + used.system) / 1000, files: loaded.reduce((sum, files) => sum + files.length, 0) };
}

function countTf(files: Record<string, FixtureFile>): number {
  return Object.keys(files).filter((path) => path.endsWith('.tf')).length;
}

async function main(): Promise<void> {
  await loadTerraformParser();
  const first = gitFixture(repository());
  const second = gitFixture(repository(true), 'change network-7.tf');
  const rows: Measured[] = [];

  const github = await mockGitHub([first, second], { main: first.commitSha });
  // Warm-up (JIT, the first connections), then the median of ROUNDS runs for each cold variant:
  // the machine is shared, so one run can be slowed by another process.
  await scan('warm-up', github, createRepoReader(), first.commitSha);
  const reader = createRepoReader();
  rows.push(await scan('first scan (commit sha)', github, reader, first.commitSha));
  rows.push(await scan('same commit again', github, reader, first.commitSha));
  rows.push(await scan('same commit, by branch', github, reader, 'main'));
  rows.push(await scan('new commit, 1 file changed', github, reader, second.commitSha));
  const medianOf = async (label: string, run: () => Promise<Measured>): Promise<Measured> => {
    const runs: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) runs.push(await run());
    runs.sort((a, b) => a.ms - b.ms);
    return { ...runs[Math.floor(ROUNDS / 2)]!, label };
  };
  rows[0] = await medianOf('first scan (commit sha)', () => scan('', github, createRepoReader(), first.commitSha));
  rows.push(await medianOf('first scan, 16 blobs at a time', () => scan('', github, createRepoReader({ concurrency: 16 }), first.commitSha)));
  rows.push(await medianOf('first scan, no config', () => scan('', github, createRepoReader(), first.commitSha, { discover: true })));
  rows.push(await scan('first scan, 1 blob at a time', github, createRepoReader({ concurrency: 1 }), first.commitSha));
  await github.close();

  const truncatedGitHub = await mockGitHub([first], {}, { truncateAt: 100 });
  const truncatedReader = createRepoReader();
  rows.push(await scan('first scan, truncated tree', truncatedGitHub, truncatedReader, first.commitSha));
  rows.push(await scan('same commit again, truncated', truncatedGitHub, truncatedReader, first.commitSha));
  await truncatedGitHub.close();

  const tf = countTf(repository());
  console.log(`Repository read through the Git Data API: ${tf} .tf files, ${ENVIRONMENTS.length} workspaces, ${MODULES.length} local modules; mock GitHub at ${LATENCY_MS} ms per call\n`);
  const widths = [32, 9, 7, 7, 8, 10, 10, 13];
  const row = (cells: string[]) => cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join('');
  console.log(row(['scan', 'commits', 'trees', 'blobs', 'calls', 'wall ms', 'CPU ms', 'files read']));
  for (const measured of rows) {
    const total = measured.calls.commits + measured.calls.trees + measured.calls.blobs;
    console.log(row([measured.label, String(measured.calls.commits), String(measured.calls.trees), String(measured.calls.blobs), String(total), measured.ms.toFixed(0), measured.cpuMs.toFixed(0), String(measured.files)]));
  }
  const byLabel = (label: string) => rows.find((measured) => measured.label === label)!;
  const firstScan = byLabel('first scan (commit sha)');
  const ratio = (label: string) => (byLabel(label).ms / firstScan.ms).toFixed(1);
  console.log(
    `\nfiles read counts each workspace's module files (a shared module once per workspace that calls it); ` +
      `identical files are one blob. Wall time against the first scan: one blob at a time ${ratio('first scan, 1 blob at a time')}×, ` +
      `16 blobs at a time ${ratio('first scan, 16 blobs at a time')}×, same commit again ${ratio('same commit again')}×. ` +
      `A reader making one contents call per file would make ${tf} calls (${((tf * LATENCY_MS) / 1000).toFixed(0)} s of latency in sequence) on every scan.`,
  );
}

await main();
