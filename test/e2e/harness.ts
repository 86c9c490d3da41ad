// The whole app through real HTTP: Probot's server with driftwatch on 127.0.0.1, GitHub as the fake
// GitHub (reached as GitHub Enterprise Server), AWS as the fake account (AWS_ENDPOINT_URL), a
// SQLite store in a temporary directory. Webhooks arrive signed, over HTTP; the test waits for the
// runtime's queue to go idle, then reads the fake GitHub's state and request log.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { Probot, Server } from 'probot';
import { vi } from 'vitest';
import { driftwatchApp } from '../../src/app.js';
import { PacedProbotOctokit } from '../../src/github/paced-octokit.js';
import type { Runtime } from '../../src/runtime.js';
import { FakeAccount, type FakeAccountData } from '../aws/fake-aws/account.js';
import { fixtureAccount } from '../aws/fake-aws/fixtures.js';
import { serveFakeAws, type FakeAwsServer } from '../aws/fake-aws/server.js';
import { deliver, filesFromDirectory, seedRepository, serveFakeGitHub, type Delivery, type FakeGitHubServer } from '../support/fake-github/index.js';

export const INSTALLATION_ID = 4242;
export const REPO = 'acme/infra';
export const SECRET = 'e2e-webhook-secret';
export const WEB_SG = 'sg-7488d1103fb704de7';
export const DB_SG = 'sg-dee119dc20281bbca';
export const WORKSPACE_DIR = 'infra/legacy';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/real-provider/legacy-inline');
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

export const CONFIG = ['workspaces:', '  - name: legacy', `    dir: ${WORKSPACE_DIR}`, `    state: ${WORKSPACE_DIR}/terraform.tfstate`, 'attribution:', '  enabled: false', ''].join('\n');

export interface E2e {
  github: FakeGitHubServer;
  aws: FakeAwsServer;
  account: FakeAccount;
  runtime: Runtime;
  /** The app's webhook URL. */
  webhookUrl: string;
  appUrl: string;
  /** Sends a signed delivery and waits until the queue is idle. */
  send(event: string, payload: unknown, options?: { id?: string; signature?: string }): Promise<Delivery>;
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** The legacy-inline root module and its committed state, with the configuration. */
export async function repositoryFiles(): Promise<Record<string, string>> {
  const files = await filesFromDirectory(FIXTURE, WORKSPACE_DIR, (relative) => relative.startsWith('live') || relative.endsWith('.json') || relative.endsWith('.md'));
  return { ...files, '.github/driftwatch.yml': CONFIG, 'README.md': '# infra\n' };
}

/** Someone opened SSH to the world on the web tier's group in the console. */
export function openSsh(data: FakeAccountData): void {
  const web = data.regions['us-east-1']!.securityGroups.find((group) => group.GroupId === WEB_SG)!;
  web.IpPermissions!.push({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] });
}

export function closeSsh(data: FakeAccountData): void {
  const web = data.regions['us-east-1']!.securityGroups.find((group) => group.GroupId === WEB_SG)!;
  web.IpPermissions = web.IpPermissions!.filter((permission) => permission.FromPort !== 22);
}

/** Someone tagged the database's group by hand. */
export function tagDbGroup(data: FakeAccountData, value = 'console'): void {
  const db = data.regions['us-east-1']!.securityGroups.find((group) => group.GroupId === DB_SG)!;
  db.Tags = [...(db.Tags ?? []).filter((tag) => tag.Key !== 'ChangedBy'), { Key: 'ChangedBy', Value: value }];
}

/** Someone turned off the database's automatic minor upgrades: an attribute the HCL leaves at
 * its default, so restoring it pins the declared value in the block. */
export function stopMinorUpgrades(data: FakeAccountData): void {
  const db = data.regions['us-east-1']!.dbInstances[0]!;
  db.AutoMinorVersionUpgrade = false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The fixture's state, as Terraform wrote it: committed by default, or put in a backend's bucket. */
export async function fixtureState(): Promise<string> {
  return readFile(path.join(FIXTURE, 'terraform.tfstate'), 'utf8');
}

export interface E2eOptions {
  plant?: (data: FakeAccountData) => void;
  collaborators?: Record<string, 'admin' | 'write' | 'read'>;
  /** The repository's files at its first commit: the legacy-inline module, its committed state and
   * CONFIG unless this changes them (null removes a file). */
  repository?: (files: Record<string, string>) => Record<string, string | null>;
}

export async function startE2e(options: E2eOptions = {}): Promise<E2e> {
  const github = await serveFakeGitHub();
  const files = await repositoryFiles();
  const changed = options.repository?.(files) ?? files;
  const seeded = Object.fromEntries(Object.entries(changed).filter((entry): entry is [string, string] => entry[1] !== null));
  seedRepository(github.github, REPO, seeded, { installationId: INSTALLATION_ID, collaborators: { dana: 'write', rita: 'read', ...options.collaborators } });
  const data = fixtureAccount('legacy-inline');
  options.plant?.(data);
  const account = new FakeAccount(data);
  const aws = await serveFakeAws(account);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'driftwatch-e2e-'));

  vi.stubEnv('AWS_ENDPOINT_URL', aws.url);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDDRIFTWATCHE2E');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'not-a-secret');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('DRIFTWATCH_AWS_MAX_ATTEMPTS', '2');
  vi.stubEnv('DRIFTWATCH_DATA_DIR', dataDir);
  vi.stubEnv('APP_ID', String(github.github.app.id));
  vi.stubEnv('REDIS_URL', '');
  vi.stubEnv('DATABASE_URL', '');

  let runtime: Runtime | undefined;
  const port = await freePort();
  // Quiet unless E2E_LOG_LEVEL asks (info shows every scan and reconcile).
  const log = pino({ level: process.env.E2E_LOG_LEVEL ?? 'silent' });
  const server = new Server({
    Probot: Probot.defaults({ appId: github.github.app.id, privateKey, secret: SECRET, baseUrl: github.apiUrl, Octokit: PacedProbotOctokit, log }),
    log,
    host: '127.0.0.1',
    port,
    enableStaticFiles: false,
  });
  await server.load(
    driftwatchApp(
      {
        // No schedules in a test: every scan here is one a webhook asked for.
        scheduler: false,
        // GitHub's real pacing (80 writes a minute) would make the suite take minutes; rate limits
        // are still waited out as GitHub says (retry-after), only never for long.
        pacer: { writesPerMinute: 100_000, burst: 1_000, secondaryLimitWaitMs: 200, serverErrorBackoffMs: 10 },
      },
      (created) => {
        runtime = created;
      },
    ),
  );
  await server.start();
  if (!runtime) throw new Error('the app did not build its runtime');
  const started = runtime;
  const appUrl = `http://127.0.0.1:${port}`;
  const webhookUrl = `${appUrl}/api/github/webhooks`;

  return {
    github,
    aws,
    account,
    runtime: started,
    appUrl,
    webhookUrl,
    async send(event, payload, sendOptions = {}) {
      const delivery = await deliver(webhookUrl, SECRET, event, payload as Record<string, unknown>, sendOptions);
      await started.queue.idle();
      return delivery;
    },
    idle: () => started.queue.idle(),
    async stop() {
      await server.stop();
      await started.stop();
      await aws.close();
      await github.close();
      await rm(dataDir, { recursive: true, force: true });
      vi.unstubAllEnvs();
    },
  };
}
