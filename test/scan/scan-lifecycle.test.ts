// The app runs scan() many times in one process: each scan closes what it started (the patch
// engine's worker thread, AWS connections, timers), whether it succeeds or fails, so nothing
// piles up from one scan to the next.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_AWS_SETTINGS } from '../../src/aws/settings.js';
import { scan, type ScanRequest } from '../../src/scan.js';
import { FakeAccount } from '../aws/fake-aws/account.js';
import { fixtureAccount } from '../aws/fake-aws/fixtures.js';
import { serveFakeAws, type FakeAwsServer } from '../aws/fake-aws/server.js';
import { SHOP } from '../cli/run-cli.js';

const LIVE = path.join(SHOP, 'live-inventory.json');
const LEGACY = path.resolve(import.meta.dirname, '../fixtures/real-provider/legacy-inline');
const deps = { now: () => new Date('2026-11-22T09:00:00Z'), awsSettings: DEFAULT_AWS_SETTINGS, defaultRegion: 'us-east-1' };

function workerThreads(): number {
  return (process.report.getReport() as { workers: unknown[] }).workers.length;
}

/** Sockets and message ports: what would keep a process alive or pile up. (The test runner's own
 * timers come and go, so timers are left to the CLI tests, whose processes must end on their own.) */
function openHandles(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter((type) => /TCPSocket|MessagePort/.test(type))
    .sort();
}

/** A closed socket's handle goes away a few event-loop turns after it is destroyed. */
async function expectBackTo(before: { workers: number; handles: string[] }): Promise<void> {
  await vi.waitFor(() => expect({ workers: workerThreads(), handles: openHandles() }).toEqual(before));
}

describe('scans in one long-running process', () => {
  it('each scan closes the patch engine it started: with edits, without, and when it fails', async () => {
    const before = { workers: workerThreads(), handles: openHandles() };
    const shop: ScanRequest = { workspace: 'shop', dir: SHOP, live: LIVE };
    for (let round = 0; round < 2; round++) {
      const restore = await scan({ ...shop, patch: 'restore' }, deps);
      expect(restore.patchSet?.files).toHaveLength(0);
      await expectBackTo(before);

      const accept = await scan({ ...shop, patch: 'accept' }, deps);
      expect(accept.patchSet?.files.length).toBeGreaterThan(0);
      await expectBackTo(before);

      await expect(scan({ ...shop, patch: 'accept', state: path.join(SHOP, 'missing.tfstate') }, deps)).rejects.toThrow('missing.tfstate');
      await expectBackTo(before);
    }
  });

  describe('against AWS', () => {
    let server: FakeAwsServer;
    let fake: FakeAccount;
    beforeEach(async () => {
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDDRIFTWATCHTEST');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'not-a-secret');
      fake = new FakeAccount(fixtureAccount('legacy-inline'));
      server = await serveFakeAws(fake);
    });
    afterEach(async () => {
      vi.unstubAllEnvs();
      await server.close();
    });

    it('each scan closes its AWS connections, also when AWS refuses it', async () => {
      const before = { workers: workerThreads(), handles: openHandles() };
      const settings = { ...DEFAULT_AWS_SETTINGS, endpoints: Object.fromEntries(['ec2', 's3', 'rds', 'iam', 'sts', 'cloudtrail'].map((s) => [s, server.url])) };
      const request: ScanRequest = { workspace: 'legacy', dir: LEGACY, state: path.join(LEGACY, 'terraform.tfstate'), patch: 'restore' };
      for (let round = 0; round < 3; round++) {
        const outcome = await scan(request, { ...deps, awsSettings: settings });
        expect(outcome.result.status).toBe('complete');
        expect(fake.calls.length).toBeGreaterThan(0);
        expect(server.openConnections()).toBe(0);
        await expectBackTo(before);
      }
      fake.fail({ service: 'sts', operation: 'GetCallerIdentity', times: 1, error: { code: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.' } });
      await expect(scan(request, { ...deps, awsSettings: settings })).rejects.toThrow();
      expect(server.openConnections()).toBe(0);
      await expectBackTo(before);
    });
  });
});
