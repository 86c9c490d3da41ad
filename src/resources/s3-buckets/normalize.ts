// ListBuckets + per-bucket settings → aws_s3_bucket live objects. A setting that was not read
// (the scan does not compare it) stays absent. "Not configured" answers
// (NoSuchBucketPolicy, NoSuchPublicAccessBlockConfiguration, …) are values; any other failure
// makes that one setting unknown, so it is neither compared nor reported as removed.
import type { GetBucketAclOutput, GetBucketEncryptionOutput, GetBucketVersioningOutput, GetPublicAccessBlockOutput } from '@aws-sdk/client-s3';
import { tagsFromList } from '../../drift/tags.js';
import { isoDate } from '../../drift/values.js';
import type { LiveResource } from '../live-types.js';
import { isSdkError, type RawBucket, type RawS3Buckets, type SdkResult } from '../raw-types.js';

const ABSENT: Record<string, string[]> = {
  tags: ['NoSuchTagSet', 'NoSuchTagSetError'],
  encryption: ['ServerSideEncryptionConfigurationNotFoundError'],
  public_access_block: ['NoSuchPublicAccessBlockConfiguration'],
  policy: ['NoSuchBucketPolicy'],
};

export function normalizeS3Buckets(raw: RawS3Buckets): LiveResource[] {
  return raw.buckets.map(normalizeBucket);
}

function normalizeBucket(bucket: RawBucket): LiveResource {
  const attributes: Record<string, unknown> = { bucket: bucket.name, region: bucket.region, creation_date: isoDate(bucket.creationDate) };
  const unknownAttributes: Record<string, string> = {};
  const details = bucket.details;
  if (details) {
    const read = <T>(name: string, result: SdkResult<T> | undefined, whenAbsent: unknown, convert: (value: T) => unknown): void => {
      // Not read: the scan does not compare it, so it stays absent (neither a value nor unknown).
      if (result === undefined) return;
      if (!isSdkError(result)) {
        attributes[name] = convert(result);
        return;
      }
      if ((ABSENT[name] ?? []).includes(result.$error.name)) {
        attributes[name] = whenAbsent;
        return;
      }
      unknownAttributes[name] = `${result.$error.name}: ${result.$error.message}`;
    };
    read('tags', details.tagging, {}, (value) => tagsFromList(value.TagSet));
    read('versioning', details.versioning, null, versioning);
    read('encryption', details.encryption, null, encryption);
    read('public_access_block', details.publicAccessBlock, null, publicAccessBlock);
    read('policy', details.policy, null, (value) => value.Policy ?? null);
    read('acl', details.acl, null, acl);
  }
  const live: LiveResource = { type: 'aws_s3_bucket', id: bucket.name, region: bucket.region, attributes };
  if (Object.keys(unknownAttributes).length > 0) live.unknownAttributes = unknownAttributes;
  return live;
}

function versioning(value: GetBucketVersioningOutput): Record<string, unknown> {
  return { status: value.Status ?? null, mfa_delete: value.MFADelete ?? null };
}

function encryption(value: GetBucketEncryptionOutput): Record<string, unknown> | null {
  const rules = value.ServerSideEncryptionConfiguration?.Rules ?? [];
  if (rules.length === 0) return null;
  return {
    rules: rules.map((rule) => ({
      sse_algorithm: rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? null,
      kms_master_key_id: rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID ?? null,
      bucket_key_enabled: rule.BucketKeyEnabled ?? false,
    })),
  };
}

function publicAccessBlock(value: GetPublicAccessBlockOutput): Record<string, boolean> | null {
  const config = value.PublicAccessBlockConfiguration;
  if (!config) return null;
  return {
    block_public_acls: config.BlockPublicAcls ?? false,
    block_public_policy: config.BlockPublicPolicy ?? false,
    ignore_public_acls: config.IgnorePublicAcls ?? false,
    restrict_public_buckets: config.RestrictPublicBuckets ?? false,
  };
}

function acl(value: GetBucketAclOutput): Record<string, unknown> {
  return {
    owner_id: value.Owner?.ID ?? null,
    grants: (value.Grants ?? []).map((grant) => ({
      type: grant.Grantee?.Type ?? null,
      id: grant.Grantee?.ID ?? null,
      uri: grant.Grantee?.URI ?? null,
      email: grant.Grantee?.EmailAddress ?? null,
      permission: grant.Permission ?? null,
    })),
  };
}
