// Scans on a scan thread: the same report as in the app's thread, the files read through the
// app's FileSource (its errors crossing as errors), bugs handed back to be logged, and a thread
// that dies failing its scans without losing the next one. AWS is the fake account behind a real
// HTTP server: a thread's requests do not pass through this thread's nock.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRepoConfig } from '../../src/config/repo-config.js';
import { settingsFromEnv } from '../../src/config/settings.js';
import { DriftwatchError } from '../../src/errors.js';
import { scanWorkspace, UNEXPECTED_SCAN_ERROR, type ScanWorkspaceInput } from '../../src/repository/scan-workspace.js';
import type { WorkspaceReport } from '../../src/repository/types.js';
import { SCAN_NICE } from '../../src/scan/lower-helper-threads.js';
import { createScanPool, type ScanPool } from '../../src/scan/scan-pool.js';
import type { FileSource } from '../../src/terraform/file-source.js';
import { FakeAccount } from '../aws/fake-aws/account.js';
import { fixtureAccount } from '../aws/fake-aws/fixtures.js';
import { serveFakeAws, type FakeAwsServer } from '../aws/fake-aws/server.js';
import { filesOnDisk, repositorySource } from '../repository/memory-source.js';
import { recordingLog } from '../support/recording-log.js';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/real-provider/legacy-inline');
const WEB = 'sg-7488d1103fb704de7';
const CONFIG = 'workspaces:\n  - name: legacy\n    dir: infra/legacy\n    state: infra/legacy/terraform.tfstate\nattribution:\n  enabled: false\n';

let aws: FakeAwsServer;
const pools: ScanPool[] = [];
/** One thread for the tests that neither kill nor close it: starting one loads the engine. */
let shared: ScanPool;

beforeAll(async () => {
  const data = fixtureAccount('legacy-inline');
  data.regions['us-east-1']!.securityGroups.find((group) => group.GroupId === WEB)!.IpPermissions!.push({
    IpProtocol: 'tcp',
    FromPort: 22,
    ToPort: 22,
    IpRanges: [{ CidrIp: '0.0.0.0/0' }],
    Ipv6Ranges: [],
    PrefixListIds: [],
    UserIdGroupPairs: [],
  });
  aws = await serveFakeAws(new FakeAccount(data));
  shared = createScanPool({ threads: 1, log: recordingLog() });
});
afterAll(async () => {
  await shared.close();
  await aws.close();
});
beforeEach(() => {
  // The thread's AWS credentials come from the process's environment, copied when it starts.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDDRIFTWATCHTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'not-a-secret');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const pool of pools.splice(0)) await pool.close();
});

function pool(options: Partial<Parameters<typeof createScanPool>[0]> = {}) {
  const log = recordingLog();
  const created = createScanPool({ threads: 1, log, ...options });
  pools.push(created);
  return { pool: created, log };
}

async function input(files?: FileSource): Promise<ScanWorkspaceInput> {
  const config = parseRepoConfig(CONFIG, '.github/driftwatch.yml');
  const source = files ?? repositorySource(await filesOnDisk(FIXTURE, 'infra/legacy', (relative) => relative.startsWith('live') || relative.endsWith('.json') || relative.endsWith('.md')));
  return { workspace: config.workspaces[0]!, all: config.workspaces, config, files: source, commitSha: 'a'.repeat(40), accept: true, externalId: null };
}

function deps(errors: unknown[] = []) {
  const settings = settingsFromEnv({ AWS_ENDPOINT_URL: aws.url, AWS_REGION: 'us-east-1' });
  return { now: () => new Date('2026-12-07T06:00:00Z'), awsSettings: settings.aws, defaultRegion: 'us-east-1', onUnexpectedError: (error: unknown) => errors.push(error) };
}

/** A report without its times: the thread's clock runs on from the app's. */
const timeless = (report: WorkspaceReport) => ({ ...report, startedAt: undefined, finishedAt: undefined, result: report.result && { ...report.result, scannedAt: undefined } });

/** The nice value of each of this process's threads, by thread id (Linux). */
function threadNiceValues(): Map<number, number> {
  const values = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the command name's closing parenthesis; nice is the 19th field of the line.
    values.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return values;
}

/** A repository whose every read of one path fails with this error. */
function failingOn(files: FileSource, failing: string, error: Error): FileSource {
  return { ...files, list: (dir) => files.list(dir), read: async (file) => (file === failing ? Promise.reject(error) : files.read(file)) };
}

describe('createScanPool', () => {
  it('gives the report the app\'s own thread gives, drifts, patches and secrets included', async () => {
    const threads = shared;
    const here = await scanWorkspace(await input(), deps());
    const there = await threads.scanWorkspace(await input(), deps());

    expect(there.error).toBeNull();
    expect(there.status).toBe('complete');
    expect(there.result?.drifts.map((drift) => [drift.address, drift.severity])).toEqual([['aws_security_group.web', 'critical']]);
    expect(there.patches.restore?.patches.length).toBeGreaterThan(0);
    expect(there.patches.accept?.direction).toBe('accept');
    expect(timeless(there)).toEqual(timeless(here));
    expect(threads.size()).toBe(1);
  });

  it('reads every file through the app\'s FileSource', async () => {
    const threads = shared;
    const files = repositorySource(await filesOnDisk(FIXTURE, 'infra/legacy', (relative) => relative.startsWith('live') || relative.endsWith('.json') || relative.endsWith('.md')));
    await threads.scanWorkspace(await input(files), deps());
    expect(files.reads).toContain('infra/legacy/terraform.tfstate');
    expect(files.reads.some((read) => read.endsWith('.tf'))).toBe(true);
  });

  it('keeps a file that cannot be read apart from an absent one, as the app\'s thread does', async () => {
    const threads = shared;
    const base = await input();
    const unreadable = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const files = failingOn(base.files, 'infra/legacy/terraform.tfstate', unreadable);
    const here = await scanWorkspace({ ...base, files }, deps());
    const there = await threads.scanWorkspace({ ...base, files }, deps());
    expect(there.status).toBe('failed');
    expect(there.error).toBe(here.error);
    expect(there.error).toContain('terraform.tfstate');
  });

  it('carries the FileSource\'s error to the report, message and all', async () => {
    const threads = shared;
    const base = await input();
    // What the repository reader throws when GitHub fails a blob.
    const github = new Error('cannot read blob 3f1c2aa of acme/infra (GitHub answered 502: Bad Gateway); run the scan again');
    const report = await threads.scanWorkspace({ ...base, files: failingOn(base.files, 'infra/legacy/terraform.tfstate', github) }, deps());
    expect(report).toMatchObject({
      status: 'failed',
      error: 'cannot read the state file infra/legacy/terraform.tfstate in acme/infra at 1a2b3c4: cannot read blob 3f1c2aa of acme/infra (GitHub answered 502: Bad Gateway); run the scan again',
    });
  });

  it('keeps a user\'s error a user\'s error across the thread', async () => {
    const threads = shared;
    const base = await input();
    const files = failingOn(base.files, 'infra/legacy/s3.tf', new DriftwatchError('hcl', 'infra/legacy/s3.tf is not valid HCL: fix line 3'));
    const errors: unknown[] = [];
    const report = await threads.scanWorkspace({ ...base, files }, deps(errors));
    // A DriftwatchError is the report's message; anything else would be a bug, logged.
    expect(report.error).toBe(await scanWorkspace({ ...base, files }, deps()).then((here) => here.error));
    expect(report.status).toBe('failed');
    expect(errors).toEqual([]);
  });

  it('hands a bug back to be logged, and reports the scan as failed', async () => {
    const threads = shared;
    const base = await input();
    // A FileSource bug: a list that is not a list.
    const files: FileSource = { ...base.files, list: async () => 42 as never };
    const errors: unknown[] = [];
    const report = await threads.scanWorkspace({ ...base, files }, deps(errors));
    expect(report).toMatchObject({ status: 'failed', error: UNEXPECTED_SCAN_ERROR });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(Error);
    expect((errors[0] as Error).stack).toContain('scan');
  });

  it('fails the scans of a thread that dies, and scans the next one on a new thread', async () => {
    const { pool: threads, log } = pool({ resourceLimits: { maxOldGenerationSizeMb: 64 } });
    const base = await input();
    // A root module of 60 files of 4 MB each, far more than the thread's heap: it runs out of
    // memory while it reads them.
    const chunk = 'x'.repeat(4 * 1024 * 1024);
    const big = Array.from({ length: 60 }, (_, i) => ({ name: `part${i}.tf`, kind: 'file' as const }));
    const files: FileSource = {
      ...base.files,
      list: async (dir) => (dir === 'infra/legacy' ? big : base.files.list(dir)),
      read: async (file) => (/part\d+\.tf$/.test(file) ? `# ${file}\n# ${chunk}\n` : base.files.read(file)),
    };
    const dead = await threads.scanWorkspace({ ...base, files }, deps());
    expect(dead).toMatchObject({ status: 'failed', error: UNEXPECTED_SCAN_ERROR, workspace: 'legacy', dir: 'infra/legacy', commitSha: 'a'.repeat(40) });
    const errors = log.lines.filter((line) => line.level === 'error');
    expect(errors.map((line) => line.message)).toEqual([expect.stringContaining('a scan thread stopped')]);
    expect(errors[0]?.meta).toMatchObject({ scans: 1, err: expect.objectContaining({ code: 'ERR_WORKER_OUT_OF_MEMORY' }) });

    const next = await threads.scanWorkspace(await input(), deps());
    expect(next.status).toBe('complete');
  });

  it.runIf(process.platform === 'linux')('runs its scans at a lower CPU priority than the thread that started them', async () => {
    const { pool: threads } = pool();
    const base = await input();
    const before = threadNiceValues();
    let asked!: () => void;
    const reading = new Promise<void>((resolve) => (asked = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // The scan waits on its state while the threads are looked at.
    const files: FileSource = { ...base.files, read: async (file) => (file.endsWith('.tfstate') ? (asked(), await released, base.files.read(file)) : base.files.read(file)) };
    const running = threads.scanWorkspace({ ...base, files }, deps());
    await reading;
    const during = threadNiceValues();
    release();
    expect((await running).status).toBe('complete');

    expect(during.get(process.pid)).toBe(before.get(process.pid));
    const started = [...during].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
    expect(started.length).toBeGreaterThan(0);
    // The scan thread itself; its libuv and V8 helpers may keep the process's value.
    expect(started).toContain(SCAN_NICE);
  });

  it('fails the scans still running when it is closed, and scans nothing after', async () => {
    const { pool: threads } = pool();
    const base = await input();
    let asked!: () => void;
    const reading = new Promise<void>((resolve) => (asked = resolve));
    // The state read never answers: the scan is running when the pool closes.
    const files: FileSource = { ...base.files, read: (file) => (file.endsWith('.tfstate') ? (asked(), new Promise<never>(() => undefined)) : base.files.read(file)) };
    const running = threads.scanWorkspace({ ...base, files }, deps());
    await reading;
    await threads.close();
    expect(await running).toMatchObject({ status: 'failed', error: UNEXPECTED_SCAN_ERROR });
    expect(await threads.scanWorkspace(base, deps())).toMatchObject({ status: 'failed', error: expect.stringContaining('driftwatch is stopping') });
    expect(threads.size()).toBe(0);
  });
});
