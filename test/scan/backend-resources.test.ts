// The backend's own bucket holds the state: it is never unmanaged, whichever way the scan read
// the state (the backend block, or --state naming a copy of it).
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SHOP } from '../cli/run-cli.js';

const STATE_BUCKET = 'shop-tfstate-5e1d';

/** The bundled example with an S3 backend block, and its state bucket in the live inventory. */
function shopWithS3Backend(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-backend-'));
  cpSync(SHOP, dir, { recursive: true });
  const versions = readFileSync(path.join(dir, 'versions.tf'), 'utf8').replace(
    /backend "local" \{[^}]*\}/,
    `backend "s3" {\n    bucket         = "${STATE_BUCKET}"\n    key            = "shop/terraform.tfstate"\n    region         = "us-east-1"\n    dynamodb_table = "shop-tflock"\n  }`,
  );
  writeFileSync(path.join(dir, 'versions.tf'), versions);
  const inventory = JSON.parse(readFileSync(path.join(dir, 'live-inventory.json'), 'utf8'));
  const assets = inventory.resources.find((r: { type: string }) => r.type === 'aws_s3_bucket');
  const stateBucket = structuredClone(assets);
  stateBucket.id = STATE_BUCKET;
  stateBucket.attributes.bucket = STATE_BUCKET;
  stateBucket.attributes.tags = { Name: STATE_BUCKET };
  inventory.resources.push(stateBucket);
  writeFileSync(path.join(dir, 'live-inventory.json'), JSON.stringify(inventory));
  return dir;
}

describe('the backend state bucket', () => {
  it('is not unmanaged when --state reads a local copy of the state', async () => {
    const dir = shopWithS3Backend();
    const { stdout, stderr } = await runCli([
      'scan',
      '--dir',
      dir,
      '--state',
      path.join(dir, 'terraform.tfstate'),
      '--live',
      path.join(dir, 'live-inventory.json'),
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout);
    expect(report.drifts.map((d: { id: string }) => d.id)).not.toContain(STATE_BUCKET);
    // The example's own unmanaged instance still is: only the backend's bucket is spared.
    expect(report.drifts.filter((d: { kind: string }) => d.kind === 'unmanaged').map((d: { id: string }) => d.id)).toEqual(['i-0f7e6d5c4b3a29180']);
  });
});
