// A scaled-out deployment on this machine, as docs/scale-out.md describes it: one web process
// (`npm start`: answers webhooks and only enqueues) and worker processes (`npm run worker`: the
// app's own jobs), sharing a fresh PostgreSQL database and the machine's Redis under a prefix of
// their own. GitHub is the fake GitHub (GHE_HOST), AWS the fake account behind a real HTTP server
// (AWS_ENDPOINT_URL) that answers slowly enough for a scan to be caught in the middle.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createBullQueue, type BullQueue } from '../../src/jobs/bull-queue.js';
import { createJobRegistry } from '../../src/jobs/job-registry.js';
import type { FakeAccount } from '../aws/fake-aws/account.js';
import { serveFakeAws, type FakeAwsServer } from '../aws/fake-aws/server.js';
import { deleteKeys, recordingLog, REDIS_URL, testPrefix } from '../jobs/redis-test-support.js';
import { deliver, serveFakeGitHub, type Delivery, type FakeGitHubServer } from '../support/fake-github/index.js';
import { AppProcess, freePort } from './app-process.js';
import { createDatabase, type ScaleOutDatabase } from './postgres-database.js';

export interface DeploymentOptions {
  account: FakeAccount;
  /** Milliseconds the fake AWS takes to answer each call. */
  awsLatencyMs: number;
  /** DRIFTWATCH_WORKER_LOCK_SECONDS of the workers. */
  workerLockSeconds: number;
}

export interface Deployment {
  github: FakeGitHubServer;
  aws: FakeAwsServer;
  account: FakeAccount;
  database: ScaleOutDatabase;
  prefix: string;
  web: AppProcess;
  /** Every worker started so far, the stopped ones included. */
  workers: AppProcess[];
  /** The queue as the web process sees it, to wait until no job is left. */
  queue: BullQueue;
  /** A worker process more, once it takes jobs. */
  startWorker(name: string): Promise<AppProcess>;
  /** A webhook delivery to the web process, signed as GitHub signs it. */
  deliver(event: string, payload: Record<string, unknown>, options?: { id?: string }): Promise<Delivery>;
  /** The worker whose AWS calls carry this access key id. */
  workerOfKey(accessKeyId: string): AppProcess | undefined;
  stop(): Promise<void>;
}

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

/** Each worker signs its AWS calls with a key id of its own: the fake account's call log says
 * which process made each call. */
export function accessKeyOf(worker: string): string {
  return `AKIDSCALEOUT${worker.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;
}

export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const close of stops.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    const github = await serveFakeGitHub();
    stops.push(() => github.close());
    const aws = await serveFakeAws(options.account, { latencyMs: options.awsLatencyMs });
    stops.push(() => aws.close());
    const database = await createDatabase();
    stops.push(() => database.drop());
    const prefix = testPrefix();
    stops.push(() => deleteKeys(prefix));
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'driftwatch-scale-out-'));
    stops.push(() => rm(dataDir, { recursive: true, force: true }));
    const secret = randomBytes(16).toString('hex');
    const port = await freePort();

    // What every process of the deployment reads (docs/scale-out.md): the GitHub App, the
    // database, Redis. DRIFTWATCH_DATA_DIR points at an empty directory: nothing may fall back to
    // SQLite unseen.
    const common: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      APP_ID: String(github.github.app.id),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: secret,
      ...github.env,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      DATABASE_URL: database.url,
      REDIS_URL,
      DRIFTWATCH_QUEUE_PREFIX: prefix,
      DRIFTWATCH_DATA_DIR: dataDir,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const processes: AppProcess[] = [];
    stops.push(async () => void (await Promise.all(processes.map((child) => child.kill()))));

    // Web processes do not scan: no AWS settings at all.
    const web = new AppProcess('web', 'src/server.ts', { ...common, PORT: String(port), HOST: '127.0.0.1' });
    processes.push(web);
    const workers: AppProcess[] = [];
    const startWorker = async (name: string) => {
      const worker = new AppProcess(name, 'src/worker.ts', {
        ...common,
        AWS_ENDPOINT_URL: aws.url,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: accessKeyOf(name),
        AWS_SECRET_ACCESS_KEY: 'not-a-secret',
        DRIFTWATCH_WORKER_LOCK_SECONDS: String(options.workerLockSeconds),
      });
      processes.push(worker);
      workers.push(worker);
      await worker.waitFor((line) => line.msg === 'driftwatch worker started', 'the worker to start', 60_000);
      return worker;
    };
    // All three migrate the fresh database at the same moment.
    await Promise.all([web.waitFor((line) => line.msg === 'driftwatch started', 'the web process to start', 60_000), startWorker('worker-a'), startWorker('worker-b')]);
    await web.waitFor((line) => /^Listening on /.test(line.msg), 'the web process to listen');

    const queue = createBullQueue({ connection: REDIS_URL, registry: createJobRegistry(), prefix, log: recordingLog() });
    stops.splice(stops.length - 1, 0, () => queue.close());
    const webhookUrl = `http://127.0.0.1:${port}/api/github/webhooks`;
    return {
      github,
      aws,
      account: options.account,
      database,
      prefix,
      web,
      workers,
      queue,
      startWorker,
      deliver: (event, payload, deliveryOptions = {}) => deliver(webhookUrl, secret, event, payload, deliveryOptions),
      workerOfKey: (accessKeyId) => workers.find((worker) => accessKeyOf(worker.name) === accessKeyId),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
