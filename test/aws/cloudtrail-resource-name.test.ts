import { describe, expect, it } from 'vitest';
import { cloudTrailRegion, cloudTrailResourceName, cloudTrailResourceNames } from '../../src/aws/cloudtrail-resource-name.js';
import type { Drift } from '../../src/drift/types.js';
import type { LiveResource } from '../../src/resources/live-types.js';

function drift(fields: Pick<Drift, 'type' | 'id'> & Partial<Drift> & { declared?: Record<string, unknown> | null }): Drift {
  return { kind: 'modified', address: null, region: 'us-east-1', changes: [], signals: [], live: null, declared: null, ...fields } as Drift;
}

function live(type: LiveResource['type'], id: string, attributes: Record<string, unknown> = {}): LiveResource {
  return { type, id, region: type.startsWith('aws_iam_') ? 'global' : 'us-east-1', attributes };
}

describe('cloudTrailResourceNames', () => {
  const arn = 'arn:aws:rds:us-east-1:123456789012:db:millbrook-main';
  it.each<[string, Drift, string[]]>([
    ['a DB instance by identifier, then by the live ARN', drift({ type: 'aws_db_instance', id: 'db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U', live: live('aws_db_instance', 'millbrook-main', { identifier: 'millbrook-main', arn }) }), ['millbrook-main', arn]],
    ['a deleted DB instance by identifier, then by the declared ARN', drift({ kind: 'deleted', type: 'aws_db_instance', id: 'db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U', declared: { identifier: 'millbrook-main', arn } }), ['millbrook-main', arn]],
    ['a DB instance whose ARN is unknown by identifier only', drift({ type: 'aws_db_instance', id: 'orders-prod' }), ['orders-prod']],
    ['a group by its id only', drift({ type: 'aws_security_group', id: 'sg-0b2f4c6d8e0a1b3c5' }), ['sg-0b2f4c6d8e0a1b3c5']],
    ['nothing for a type attribution does not cover', drift({ type: 'aws_vpc', id: 'vpc-0a1b2c3d' }), []],
  ])('%s', (_what, input, expected) => {
    expect(cloudTrailResourceNames(input)).toEqual(expected);
  });
});

describe('cloudTrailResourceName', () => {
  it.each<[string, Drift, string | null]>([
    ['an instance by its id', drift({ type: 'aws_instance', id: 'i-0c9d8e7f6a5b4c3d2' }), 'i-0c9d8e7f6a5b4c3d2'],
    ['a group by its id', drift({ type: 'aws_security_group', id: 'sg-0b2f4c6d8e0a1b3c5' }), 'sg-0b2f4c6d8e0a1b3c5'],
    [
      'a rule by the live group behind it',
      drift({ type: 'aws_vpc_security_group_ingress_rule', id: 'sgr-bf1b6c82728a8f38f', live: live('aws_security_group', 'sg-c458766e21d9b27c0') }),
      'sg-c458766e21d9b27c0',
    ],
    [
      'an unmanaged rule by the group it is on',
      drift({
        kind: 'unmanaged',
        type: 'aws_vpc_security_group_ingress_rule',
        id: 'sgr-0c1d2e3f4a5b6c7d8',
        live: live('aws_vpc_security_group_ingress_rule', 'sgr-0c1d2e3f4a5b6c7d8', { security_group_id: 'sg-be9d1f3adc8ce9bbc' }),
      }),
      'sg-be9d1f3adc8ce9bbc',
    ],
    ['a rule whose drift id is the group id', drift({ type: 'aws_security_group_rule', id: 'sg-be9d1f3adc8ce9bbc' }), 'sg-be9d1f3adc8ce9bbc'],
    [
      'a deleted rule by its declared security_group_id',
      drift({ kind: 'deleted', type: 'aws_security_group_rule', id: 'sgrule-2914664684', declared: { id: 'sgrule-2914664684', security_group_id: 'sg-be9d1f3adc8ce9bbc' } }),
      'sg-be9d1f3adc8ce9bbc',
    ],
    [
      'a rule by a changed security_group_id',
      drift({ type: 'aws_vpc_security_group_egress_rule', id: 'sgr-90a0374f099de5d6c', changes: [{ path: 'security_group_id', declared: 'sg-124b72811ce5d552e', live: null }] }),
      'sg-124b72811ce5d552e',
    ],
    ['a rule with no group anywhere', drift({ type: 'aws_vpc_security_group_ingress_rule', id: 'sgr-146cb49bc30872227' }), null],
    ['a bucket by its name', drift({ type: 'aws_s3_bucket', id: 'granary-staging-exports' }), 'granary-staging-exports'],
    ['a split S3 setting by its bucket', drift({ type: 'aws_s3_bucket_versioning', id: 'granary-staging-exports' }), 'granary-staging-exports'],
    ['a split S3 setting with an expected owner', drift({ type: 'aws_s3_bucket_acl', id: 'granary-staging-exports,123456789012' }), 'granary-staging-exports'],
    [
      'a DB instance by the live identifier, not the resource id',
      drift({ type: 'aws_db_instance', id: 'db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U', live: live('aws_db_instance', 'millbrook-main', { identifier: 'millbrook-main' }) }),
      'millbrook-main',
    ],
    [
      'a deleted DB instance by its declared identifier',
      drift({ kind: 'deleted', type: 'aws_db_instance', id: 'db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U', declared: { identifier: 'millbrook-main' } }),
      'millbrook-main',
    ],
    ['a DB instance by the drift id', drift({ type: 'aws_db_instance', id: 'orders-prod' }), 'orders-prod'],
    ['a role by its name', drift({ type: 'aws_iam_role', id: 'millbrook-app', region: 'global' }), 'millbrook-app'],
    ['an inline role policy by its role', drift({ type: 'aws_iam_role_policy', id: 'millbrook-app', region: 'global' }), 'millbrook-app'],
    ['an inline role policy from its Terraform id', drift({ type: 'aws_iam_role_policy', id: 'millbrook-app:artifacts-read', region: 'global' }), 'millbrook-app'],
    [
      'a role attachment by its declared role',
      drift({ type: 'aws_iam_role_policy_attachment', id: 'kiln-worker-20261122123432243200000001', region: 'global', declared: { role: 'kiln-worker' } }),
      'kiln-worker',
    ],
    [
      'a policy by its ARN',
      drift({ type: 'aws_iam_policy', id: 'arn:aws:iam::123456789012:policy/millbrook-deploy', region: 'global' }),
      'arn:aws:iam::123456789012:policy/millbrook-deploy',
    ],
    ['an uncovered type', drift({ type: 'aws_subnet', id: 'subnet-0086b889e7bdfbd24' }), null],
  ])('finds %s', (_what, input, expected) => {
    expect(cloudTrailResourceName(input)).toBe(expected);
  });
});

describe('cloudTrailRegion', () => {
  it.each<[string, Drift, string | null]>([
    ['IAM in us-east-1', drift({ type: 'aws_iam_role', id: 'r', region: 'global' }), 'us-east-1'],
    ['IAM in us-east-1 whatever the drift says', drift({ type: 'aws_iam_policy', id: 'p', region: 'eu-west-1' }), 'us-east-1'],
    ['others in their own region', drift({ type: 'aws_s3_bucket', id: 'b', region: 'ap-southeast-2' }), 'ap-southeast-2'],
    ['nothing for a regional type without a region', drift({ type: 'aws_instance', id: 'i-1', region: 'global' }), null],
  ])('looks %s', (_what, input, expected) => {
    expect(cloudTrailRegion(input)).toBe(expected);
  });

  it('uses the partition home region it is given for IAM', () => {
    expect(cloudTrailRegion(drift({ type: 'aws_iam_role', id: 'r', region: 'global' }), 'cn-north-1')).toBe('cn-north-1');
  });
});
