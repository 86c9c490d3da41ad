// `driftwatch inventory` writes the live inventory; `scan --live` reads it back and finds the same
// drift a live scan finds.
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeAccount } from '../aws/fake-aws/account.js';
import { fixtureAccount } from '../aws/fake-aws/fixtures.js';
import { interceptFakeAws } from '../aws/fake-aws/nock.js';
import { runCli } from './run-cli.js';

const ENDPOINT = 'http://127.0.0.1:4566';
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/real-provider/count-foreach-modules');

beforeEach(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDDRIFTWATCHTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'not-a-secret');
});
afterEach(() => vi.unstubAllEnvs());

describe('driftwatch inventory', () => {
  it('writes an inventory that scan --live reads back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-inv-'));
    cpSync(FIXTURE, dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}live`) });
    const data = fixtureAccount('count-foreach-modules');
    data.regions['us-east-1']!.instances[0]!.InstanceType = 'c5.4xlarge';
    interceptFakeAws(new FakeAccount(data), ENDPOINT);

    const output = path.join(dir, 'live.json');
    const written = await runCli(['inventory', '--dir', dir, '--output', output], { env: { AWS_ENDPOINT_URL: ENDPOINT } });
    expect(written.code).toBe(0);
    // Progress on stderr, one line per family and region.
    expect(written.stderr).toMatch(/ec2 us-east-1: 4 instances/);
    const inventory = JSON.parse(readFileSync(output, 'utf8'));
    expect(inventory).toMatchObject({ version: 1, account: '123456789012', regions: ['us-east-1'], unknown: [] });
    // Bucket settings are read because the state names the buckets.
    const bucket = inventory.resources.find((r: { type: string }) => r.type === 'aws_s3_bucket');
    expect(bucket.attributes.versioning).toEqual({ status: 'Enabled', mfa_delete: null });

    const { stdout } = await runCli(['scan', '--dir', dir, '--live', output, '--format', 'json']);
    const report = JSON.parse(stdout);
    expect(report.drifts.map((d: { address: string; changes: unknown[] }) => [d.address, d.changes])).toEqual([
      [expect.stringMatching(/^module\.app\["(courier|ledger)"\]\.aws_instance\.this\[\d\]$/), [{ path: 'instance_type', declared: expect.any(String), live: 'c5.4xlarge' }]],
    ]);
  });
});
