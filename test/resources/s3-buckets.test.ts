import { describe, expect, it } from 'vitest';
import { analyzeFixture } from './analyze-fixture.js';
import type { LiveFiles } from './fixture-inventory.js';

const EXPORTS = 'granary-staging-exports'; // count-foreach-modules: split settings (provider v4+)
const ARTIFACTS = 'millbrook-legacy-artifacts'; // legacy-inline: inline settings (provider v3)
const notFound = (name: string) => ({ $error: { name, message: 'not found', httpStatusCode: 404 } });

function set(files: LiveFiles, operation: string, bucket: string, value: unknown): void {
  files[`s3-${operation}-${bucket}.json`] = value;
}

const insecurePolicy = (bucket: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
  });

describe('S3 buckets: split settings (v4+) and inline settings (v3)', () => {
  it.each([
    {
      name: 'public access block removed: the split resource is deleted, high, CIS 2.1.4',
      edit: (f: LiveFiles) => set(f, 'GetPublicAccessBlock', EXPORTS, notFound('NoSuchPublicAccessBlockConfiguration')),
      expected: { kind: 'deleted', address: `aws_s3_bucket_public_access_block.shared["${EXPORTS}"]`, severity: 'high', changes: [] },
      cis: ['2.1.4'],
    },
    {
      name: 'one public access block setting turned off',
      edit: (f: LiveFiles) =>
        set(f, 'GetPublicAccessBlock', EXPORTS, { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true } }),
      expected: { kind: 'modified', address: `aws_s3_bucket_public_access_block.shared["${EXPORTS}"]`, severity: 'high', changes: [{ path: 'block_public_policy', declared: true, live: false }] },
      cis: ['2.1.4'],
    },
    {
      name: 'versioning suspended on aws_s3_bucket_versioning',
      edit: (f: LiveFiles) => set(f, 'GetBucketVersioning', EXPORTS, { Status: 'Suspended' }),
      expected: {
        kind: 'modified',
        address: `aws_s3_bucket_versioning.shared["${EXPORTS}"]`,
        severity: 'medium',
        title: 'Versioning suspended',
        changes: [{ path: 'versioning_configuration[0].status', declared: 'Enabled', live: 'Suspended' }],
      },
      cis: [],
    },
    {
      name: 'encryption switched to KMS on the split resource',
      edit: (f: LiveFiles) =>
        set(f, 'GetBucketEncryption', EXPORTS, {
          ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:us-east-1:123456789012:key/x' }, BucketKeyEnabled: true }] },
        }),
      expected: {
        kind: 'modified',
        address: `aws_s3_bucket_server_side_encryption_configuration.shared["${EXPORTS}"]`,
        severity: 'medium',
        changes: [
          { path: 'rule[0].apply_server_side_encryption_by_default[0].sse_algorithm', declared: 'AES256', live: 'aws:kms' },
          { path: 'rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id', declared: null, live: 'arn:aws:kms:us-east-1:123456789012:key/x' },
          { path: 'rule[0].bucket_key_enabled', declared: false, live: true },
        ],
      },
      cis: [],
    },
    {
      name: 'bucket policy replaced by a public one: critical',
      edit: (f: LiveFiles) => set(f, 'GetBucketPolicy', EXPORTS, { Policy: insecurePolicy(EXPORTS) }),
      expected: { kind: 'modified', address: `aws_s3_bucket_policy.shared["${EXPORTS}"]`, severity: 'critical' },
      cis: ['2.1.1'],
    },
    {
      name: 'bucket policy deleted: it denied plain HTTP, so high with CIS 2.1.1',
      edit: (f: LiveFiles) => set(f, 'GetBucketPolicy', EXPORTS, notFound('NoSuchBucketPolicy')),
      expected: { kind: 'deleted', address: `aws_s3_bucket_policy.shared["${EXPORTS}"]`, severity: 'high' },
      cis: ['2.1.1'],
    },
    {
      name: 'a public-read grant added to a v4+ bucket (grant compared on aws_s3_bucket)',
      edit: (f: LiveFiles) => {
        const acl = f[`s3-GetBucketAcl-${EXPORTS}.json`];
        acl.Grants.push({ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' });
      },
      expected: {
        kind: 'modified',
        address: `aws_s3_bucket.shared["${EXPORTS}"]`,
        severity: 'critical',
        changes: [{ path: 'grant', declared: null, live: { type: 'Group', grantee: 'http://acs.amazonaws.com/groups/global/AllUsers', permission: 'READ' } }],
      },
      cis: [],
    },
  ])('$name', ({ edit, expected, cis }) => {
    const result = analyzeFixture('count-foreach-modules', { edit });
    expect(result.drifts).toHaveLength(1);
    expect(result.drifts[0]).toMatchObject(expected);
    for (const id of cis) expect(result.drifts[0]!.controls.cis).toContain(id);
  });

  it.each([
    {
      name: 'versioning suspended on an inline versioning block',
      edit: (f: LiveFiles) => set(f, 'GetBucketVersioning', ARTIFACTS, { Status: 'Suspended' }),
      changes: [{ path: 'versioning[0].enabled', declared: true, live: false }],
      severity: 'medium',
    },
    {
      name: 'default encryption gone from an inline SSE block',
      edit: (f: LiveFiles) => set(f, 'GetBucketEncryption', ARTIFACTS, notFound('ServerSideEncryptionConfigurationNotFoundError')),
      changes: [{ path: 'server_side_encryption_configuration[0].rule[0].apply_server_side_encryption_by_default[0].sse_algorithm', declared: 'AES256', live: null }],
      severity: 'high',
    },
    {
      name: 'a policy added to a bucket that declares none',
      edit: (f: LiveFiles) => set(f, 'GetBucketPolicy', ARTIFACTS, { Policy: insecurePolicy(ARTIFACTS) }),
      changes: [{ path: 'policy', declared: null, live: insecurePolicy(ARTIFACTS) }],
      severity: 'critical',
    },
  ])('legacy-inline: $name', ({ edit, changes, severity }) => {
    const result = analyzeFixture('legacy-inline', { edit });
    expect(result.drifts).toHaveLength(1);
    expect(result.drifts[0]).toMatchObject({ kind: 'modified', address: 'aws_s3_bucket.artifacts', changes, severity });
  });

  it('a bucket policy that differs only in writing is not drift', () => {
    // Same document: keys reordered, whitespace, one-element arrays as strings, URL-encoded.
    const same = {
      Version: '2012-10-17',
      Statement: [
        {
          Resource: [`arn:aws:s3:::${EXPORTS}/*`, `arn:aws:s3:::${EXPORTS}`],
          Principal: { AWS: '*' },
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': false } },
          Action: ['s3:*'],
          Sid: 'DenyInsecureTransport',
        },
      ],
    };
    const result = analyzeFixture('count-foreach-modules', { edit: (f) => set(f, 'GetBucketPolicy', EXPORTS, { Policy: encodeURIComponent(JSON.stringify(same, null, 2)) }) });
    expect(result.drifts).toEqual([]);
  });

  it('a setting AWS refused to show is unknown, not removed: the scan is partial', () => {
    const result = analyzeFixture('count-foreach-modules', {
      edit: (f) => set(f, 'GetBucketPolicy', EXPORTS, { $error: { name: 'AccessDenied', message: 'Access Denied', httpStatusCode: 403 } }),
    });
    expect(result.drifts).toEqual([]);
    expect(result.status).toBe('partial');
    expect(result.unknown).toEqual([{ type: 'aws_s3_bucket', reason: `policy of ${EXPORTS}: AccessDenied: Access Denied` }]);
  });

  it('a deleted bucket is one drift, not one per split setting', () => {
    const result = analyzeFixture('count-foreach-modules', {
      edit: (f) => (f['s3-ListBuckets.json'].Buckets = f['s3-ListBuckets.json'].Buckets.filter((b: { Name: string }) => b.Name !== EXPORTS)),
    });
    expect(result.drifts.map((d) => [d.kind, d.address, d.severity])).toEqual([['deleted', `aws_s3_bucket.shared["${EXPORTS}"]`, 'high']]);
  });

  it('unmanaged buckets: reported, except the state bucket, service buckets, and buckets of another workspace', () => {
    const result = analyzeFixture('count-foreach-modules', {
      edit: (f) =>
        f['s3-ListBuckets.json'].Buckets.push(
          { Name: 'granary-scratch-2026', CreationDate: '2026-11-21T10:00:00.000Z' },
          { Name: 'granary-terraform-state', CreationDate: '2026-01-01T00:00:00.000Z' },
          { Name: 'cf-templates-1x2y3z-us-east-1', CreationDate: '2026-01-01T00:00:00.000Z' },
          { Name: 'granary-prod-exports', CreationDate: '2026-01-01T00:00:00.000Z' },
        ),
      excluded: new Set(['aws_s3_bucket:granary-terraform-state']),
      managedElsewhere: new Set(['aws_s3_bucket:granary-prod-exports']),
    });
    expect(result.drifts.map((d) => [d.kind, d.id, d.severity])).toEqual([['unmanaged', 'granary-scratch-2026', 'medium']]);
    expect(result.coverage).toEqual({ managed: 9, unmanaged: 1, percent: 90 });
  });
});
