// A simulated account (test/aws/fake-aws/generate.ts) managed by three root modules, as one
// repository's files: each workspace's state holds a third of the account's objects (so nothing is
// unmanaged), and drift is planted in the account afterwards, spread over the three workspaces.
// For bench/webhooks.ts: the app reads these files through the fake GitHub and the account
// through the fake AWS.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectInventory } from '../src/aws/collect-inventory.js';
import { createAwsClients } from '../src/aws/clients.js';
import { DEFAULT_AWS_SETTINGS } from '../src/aws/settings.js';
import type { LiveInventory } from '../src/resources/live-types.js';
import { FakeAccount, type FakeAccountData } from '../test/aws/fake-aws/account.js';
import { everySetting } from '../test/aws/fake-aws/bucket-settings.js';
import { simulatedAccount, type AccountSize } from '../test/aws/fake-aws/generate.js';
import { fakeHttpHandler } from '../test/aws/fake-aws/http-handler.js';
import { writeSimulatedWorkspace } from './simulated-workspace.js';

export const WORKSPACES = ['network', 'compute', 'data'] as const;
export type WorkspaceName = (typeof WORKSPACES)[number];

export interface DriftedRepository {
  /** The account the fake AWS serves; drift is planted in it by plantDrift. */
  account: FakeAccount;
  /** Repository-relative path → text: .github/driftwatch.yml and each workspace's root module
   * and committed terraform.tfstate. */
  files: Map<string, string>;
  /** Live objects in the account, and state resources per workspace. */
  liveObjects: number;
  stateResources: Record<WorkspaceName, number>;
  /** Which workspace's state manages each live object, by its id. */
  ownerOf: Map<string, WorkspaceName>;
}

export function workspaceDir(name: WorkspaceName): string {
  return `infra/${name}`;
}

/** Every workspace listed, with its committed state; attribution off, so a scan's time is the
 * app's own work and AWS's answers, not CloudTrail's 2-a-second budget. */
function repoConfig(): string {
  const lines = ['workspaces:'];
  for (const name of WORKSPACES) lines.push(`  - name: ${name}`, `    dir: ${workspaceDir(name)}`, '    regions: [us-east-1]');
  lines.push('attribution:', '  enabled: false', '');
  return lines.join('\n');
}

export async function driftedRepository(size: AccountSize): Promise<DriftedRepository> {
  const account = new FakeAccount(simulatedAccount(size));
  const inventory = await inventoryOf(account);
  account.calls.length = 0;
  const files = new Map<string, string>([['.github/driftwatch.yml', repoConfig()]]);
  const stateResources = {} as Record<WorkspaceName, number>;
  const ownerOf = new Map<string, WorkspaceName>();
  const work = mkdtempSync(path.join(os.tmpdir(), 'driftwatch-webhooks-bench-'));
  try {
    WORKSPACES.forEach((name, w) => {
      // Round robin, so each workspace holds some of every family.
      const resources = inventory.resources.filter((_, i) => i % WORKSPACES.length === w);
      for (const resource of resources) ownerOf.set(resource.id, name);
      const dir = path.join(work, name);
      stateResources[name] = writeSimulatedWorkspace(dir, { ...inventory, resources });
      for (const file of readdirSync(dir)) files.set(`${workspaceDir(name)}/${file}`, readFileSync(path.join(dir, file), 'utf8'));
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { account, files, liveObjects: inventory.resources.length, stateResources, ownerOf };
}

export interface PlantedDrift {
  workspace: WorkspaceName;
  kind: 'instance type' | 'bucket versioning';
  id: string;
}

/** `count` drifts over the three workspaces in turn: instances resized, and every fourth one a
 * bucket's versioning suspended. Each is one drift of one resource. */
export function plantDrift(repository: DriftedRepository, count: number): PlantedDrift[] {
  const data = repository.account.data;
  const instances = data.regions['us-east-1']?.instances ?? [];
  const planted: PlantedDrift[] = [];
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    const workspace = WORKSPACES[i % WORKSPACES.length]!;
    if (i % 4 === 3) {
      const bucket = data.buckets.find((candidate) => !used.has(candidate.name) && repository.ownerOf.get(candidate.name) === workspace);
      if (!bucket) throw new Error(`no bucket left in workspace ${workspace} to plant drift in: use a larger account`);
      used.add(bucket.name);
      bucket.settings = { ...bucket.settings, GetBucketVersioning: { Status: 'Suspended' } };
      planted.push({ workspace, kind: 'bucket versioning', id: bucket.name });
    } else {
      const instance = instances.find((candidate) => !used.has(candidate.InstanceId!) && repository.ownerOf.get(candidate.InstanceId!) === workspace);
      if (!instance) throw new Error(`no instance left in workspace ${workspace} to plant drift in: use a larger account`);
      used.add(instance.InstanceId!);
      instance.InstanceType = 't3.large';
      planted.push({ workspace, kind: 'instance type', id: instance.InstanceId! });
    }
  }
  return planted;
}

/** One planted drift changed (the instance resized again): a new fingerprint for that drift. */
export function changeDrift(repository: DriftedRepository, drift: PlantedDrift): void {
  if (drift.kind !== 'instance type') throw new Error('changeDrift resizes an instance: pass an instance drift');
  const instance = repository.account.data.regions['us-east-1']?.instances.find((candidate) => candidate.InstanceId === drift.id);
  if (!instance) throw new Error(`instance ${drift.id} is not in the account`);
  instance.InstanceType = 't3.xlarge';
}

/** The account's inventory, read in this process without latency, for the states. */
async function inventoryOf(fake: FakeAccount): Promise<LiveInventory> {
  const clients = createAwsClients({ settings: DEFAULT_AWS_SETTINGS, credentials: async () => ({ accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'not-a-secret' }), requestHandler: fakeHttpHandler(fake) });
  try {
    return await collectInventory({ regions: ['us-east-1'], clients, bucketSettings: everySetting(fake.data.buckets.map((bucket) => bucket.name)) });
  } finally {
    clients.destroy();
  }
}

export type { AccountSize, FakeAccountData };
