// The S3 collector reads only the settings the scan compares for each bucket (comparedSettings,
// through bucketSettingsToRead). Reading less must never change a finding: with every setting of
// every bucket drifted, the drifts from an inventory holding only those settings are the drifts
// from the full inventory.
import { describe, expect, it } from 'vitest';
import type { LiveInventory } from '../../../src/resources/live-types.js';
import type { BucketSetting } from '../../../src/resources/raw-types.js';
import { bucketSettingsToRead } from '../../../src/scan/bucket-settings-to-read.js';
import type { ParsedState } from '../../../src/terraform/types.js';
import { analyzeFixture } from '../analyze-fixture.js';
import { fixtureState, type LiveFiles } from '../fixture-inventory.js';

const CONTEXT = { defaultRegion: 'us-east-1', regionByAlias: {} };

/** The live attribute each setting's call fills in (resources/s3-buckets/normalize.ts). */
const ATTRIBUTE: Record<BucketSetting, string> = {
  tagging: 'tags',
  versioning: 'versioning',
  encryption: 'encryption',
  publicAccessBlock: 'public_access_block',
  policy: 'policy',
  acl: 'acl',
};

/** Every setting of every bucket changed outside Terraform. */
function driftEverything(files: LiveFiles): void {
  for (const { Name: bucket } of files['s3-ListBuckets.json'].Buckets as { Name: string }[]) {
    files[`s3-GetBucketTagging-${bucket}.json`] = { TagSet: [{ Key: 'Owner', Value: 'console' }] };
    files[`s3-GetBucketVersioning-${bucket}.json`] = { Status: 'Suspended', MFADelete: 'Enabled' };
    files[`s3-GetBucketEncryption-${bucket}.json`] = {
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/console' }, BucketKeyEnabled: true }] },
    };
    files[`s3-GetPublicAccessBlock-${bucket}.json`] = {
      PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
    };
    files[`s3-GetBucketPolicy-${bucket}.json`] = {
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] }),
    };
    files[`s3-GetBucketAcl-${bucket}.json`] = {
      Owner: { ID: 'owner' },
      Grants: [{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' }],
    };
  }
}

function onlyCompared(state: ParsedState) {
  const wanted = bucketSettingsToRead(state, CONTEXT);
  return (inventory: LiveInventory): void => {
    for (const live of inventory.resources) {
      if (live.type !== 'aws_s3_bucket') continue;
      const read = wanted.get(live.id);
      for (const [setting, attribute] of Object.entries(ATTRIBUTE) as [BucketSetting, string][]) {
        if (!read?.has(setting)) delete live.attributes[attribute];
      }
    }
  };
}

/** The findings, without the live snapshot each drift carries (which holds what was read). */
function s3Drifts(folder: string, run: Parameters<typeof analyzeFixture>[1]) {
  return analyzeFixture(folder, run)
    .drifts.filter((drift) => drift.type.startsWith('aws_s3_bucket'))
    .map(({ fingerprint, kind, address, changes, severity, title, controls, signals }) => ({ fingerprint, kind, address, changes, severity, title, controls, signals }));
}

describe('bucketSettingsToRead', () => {
  it.each([
    { folder: 'count-foreach-modules', style: 'split settings (v4+)' },
    { folder: 'legacy-inline', style: 'inline settings (v3)' },
  ])('changes no finding on $folder, $style', ({ folder }) => {
    const full = s3Drifts(folder, { edit: driftEverything });
    const partial = s3Drifts(folder, { edit: driftEverything, editInventory: onlyCompared(fixtureState(folder)) });
    // Tags, versioning, encryption, policy and grants of both buckets, and on v4+ the public
    // access blocks: far more than one change per bucket.
    expect(full.flatMap((drift) => drift.changes).length).toBeGreaterThan(10);
    expect(partial).toEqual(full);
  });

  it('reads only what a v3 bucket writes: no public access block without its resource', () => {
    const wanted = bucketSettingsToRead(fixtureState('legacy-inline'), CONTEXT);
    expect([...(wanted.get('millbrook-legacy-artifacts') ?? [])]).toEqual(['tagging', 'versioning', 'encryption', 'policy', 'acl']);
  });

  it('reads the public access block of a bucket only where one is declared', () => {
    const state = fixtureState('count-foreach-modules');
    state.resources = state.resources.filter((r) => r.type !== 'aws_s3_bucket_public_access_block' || !r.address.includes('granary-staging-exports'));
    const wanted = bucketSettingsToRead(state, CONTEXT);
    expect(wanted.get('granary-staging-exports')?.has('publicAccessBlock')).toBe(false);
    expect(wanted.get('granary-staging-audit-logs')?.has('publicAccessBlock')).toBe(true);
  });

  it('reads for a bucket whose state was never refreshed only the settings its resources declare', () => {
    const state = fixtureState('count-foreach-modules');
    for (const resource of state.resources) {
      if (resource.type !== 'aws_s3_bucket') continue;
      for (const computed of ['versioning', 'server_side_encryption_configuration', 'grant']) resource.attributes[computed] = [];
    }
    state.resources = state.resources.filter((r) => r.type === 'aws_s3_bucket' || r.type === 'aws_s3_bucket_versioning');
    expect([...(bucketSettingsToRead(state, CONTEXT).get('granary-staging-exports') ?? [])]).toEqual(['tagging', 'versioning', 'policy']);
  });

  it('reads nothing without a state', () => {
    expect(bucketSettingsToRead(null, CONTEXT).size).toBe(0);
  });
});
