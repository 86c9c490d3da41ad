import { describe, expect, it } from 'vitest';
import { EVENT_NAME_RULES, eventNamesForDrift } from '../../src/aws/cloudtrail-event-names.js';
import type { Change, DriftKind } from '../../src/drift/types.js';

function names(type: string, kind: DriftKind, paths: string[] = []): string[] {
  const changes: Change[] = paths.map((path) => ({ path, declared: null, live: null }));
  return [...eventNamesForDrift({ type, kind, changes })].sort();
}

const INGRESS = ['AuthorizeSecurityGroupIngress', 'ModifySecurityGroupRules', 'RevokeSecurityGroupIngress', 'UpdateSecurityGroupRuleDescriptionsIngress'];
const EGRESS = ['AuthorizeSecurityGroupEgress', 'ModifySecurityGroupRules', 'RevokeSecurityGroupEgress', 'UpdateSecurityGroupRuleDescriptionsEgress'];

describe('eventNamesForDrift', () => {
  it.each<[string, DriftKind, string[], string[]]>([
    // Security groups: inline blocks, rule resources, group lifecycle
    ['aws_security_group', 'modified', ['ingress'], INGRESS],
    ['aws_security_group', 'modified', ['ingress[3].cidr_blocks'], INGRESS],
    ['aws_security_group', 'modified', ['egress'], EGRESS],
    ['aws_security_group', 'modified', ['rules'], [...new Set([...INGRESS, ...EGRESS])].sort()],
    ['aws_security_group', 'modified', ['tags.Owner'], ['CreateTags', 'DeleteTags']],
    ['aws_security_group', 'deleted', [], ['DeleteSecurityGroup']],
    ['aws_security_group', 'unmanaged', [], ['CreateSecurityGroup']],
    ['aws_vpc_security_group_ingress_rule', 'modified', ['cidr_ipv4'], INGRESS],
    ['aws_vpc_security_group_egress_rule', 'deleted', [], [...EGRESS, 'DeleteSecurityGroup'].sort()],
    ['aws_security_group_rule', 'modified', ['cidr_blocks'], [...new Set([...INGRESS, ...EGRESS])].sort()],
    // S3, inline (v3) and split (v4+)
    ['aws_s3_bucket', 'modified', ['versioning[0].enabled'], ['PutBucketVersioning']],
    ['aws_s3_bucket', 'modified', ['server_side_encryption_configuration[0].rule[0].apply_server_side_encryption_by_default[0].sse_algorithm'], ['DeleteBucketEncryption', 'PutBucketEncryption']],
    // CloudTrail logs PutPublicAccessBlock/DeletePublicAccessBlock under their bucket-level names.
    ['aws_s3_bucket', 'modified', ['public_access_block.block_public_acls'], ['DeleteBucketPublicAccessBlock', 'PutBucketPublicAccessBlock']],
    ['aws_s3_bucket', 'modified', ['grant'], ['PutBucketAcl']],
    ['aws_s3_bucket', 'modified', ['tags_all.Env'], ['DeleteBucketTagging', 'PutBucketTagging']],
    ['aws_s3_bucket', 'modified', ['policy', 'acl'], ['DeleteBucketPolicy', 'PutBucketAcl', 'PutBucketPolicy']],
    ['aws_s3_bucket', 'modified', ['request_payer'], []],
    ['aws_s3_bucket', 'deleted', [], ['DeleteBucket']],
    ['aws_s3_bucket', 'unmanaged', [], ['CreateBucket']],
    ['aws_s3_bucket_versioning', 'modified', ['versioning_configuration[0].status'], ['PutBucketVersioning']],
    ['aws_s3_bucket_public_access_block', 'deleted', [], ['DeleteBucket', 'DeleteBucketPublicAccessBlock', 'PutBucketPublicAccessBlock']],
    ['aws_s3_bucket_public_access_block', 'modified', ['restrict_public_buckets'], ['DeleteBucketPublicAccessBlock', 'PutBucketPublicAccessBlock']],
    // PutBucketLifecycleConfiguration is logged as PutBucketLifecycle.
    ['aws_s3_bucket_lifecycle_configuration', 'modified', ['rule[0].status'], ['DeleteBucketLifecycle', 'PutBucketLifecycle']],
    ['aws_s3_bucket_policy', 'modified', ['policy'], ['DeleteBucketPolicy', 'PutBucketPolicy']],
    ['aws_s3_bucket_server_side_encryption_configuration', 'modified', ['rule[0].bucket_key_enabled'], ['DeleteBucketEncryption', 'PutBucketEncryption']],
    ['aws_s3_bucket_acl', 'modified', ['access_control_policy'], ['PutBucketAcl']],
    // RDS
    ['aws_db_instance', 'modified', ['instance_class'], ['ModifyDBInstance']],
    ['aws_db_instance', 'modified', ['tags.Team'], ['AddTagsToResource', 'RemoveTagsFromResource']],
    ['aws_db_instance', 'modified', ['tags.Team', 'publicly_accessible'], ['AddTagsToResource', 'ModifyDBInstance', 'RemoveTagsFromResource']],
    ['aws_db_instance', 'deleted', [], ['DeleteDBInstance']],
    // IAM
    ['aws_iam_role', 'modified', ['managed_policy_arns'], ['AttachRolePolicy', 'DetachRolePolicy']],
    ['aws_iam_role', 'modified', ['inline_policy'], ['DeleteRolePolicy', 'PutRolePolicy']],
    ['aws_iam_role', 'modified', ['assume_role_policy'], ['UpdateAssumeRolePolicy']],
    ['aws_iam_role', 'modified', ['permissions_boundary'], ['DeleteRolePermissionsBoundary', 'PutRolePermissionsBoundary']],
    ['aws_iam_role', 'modified', ['tags.Owner'], ['TagRole', 'UntagRole']],
    ['aws_iam_role', 'deleted', [], ['DeleteRole']],
    ['aws_iam_role', 'unmanaged', [], ['CreateRole']],
    ['aws_iam_role_policy', 'modified', ['policy'], ['DeleteRolePolicy', 'PutRolePolicy']],
    ['aws_iam_role_policy_attachment', 'deleted', [], ['AttachRolePolicy', 'DeleteRole', 'DetachRolePolicy']],
    ['aws_iam_policy', 'modified', ['policy'], ['CreatePolicyVersion', 'SetDefaultPolicyVersion']],
    ['aws_iam_policy', 'unmanaged', [], ['CreatePolicy']],
    // EC2 instances
    ['aws_instance', 'modified', ['instance_type'], ['ModifyInstanceAttribute']],
    ['aws_instance', 'modified', ['metadata_options.http_tokens'], ['ModifyInstanceMetadataOptions']],
    ['aws_instance', 'modified', ['iam_instance_profile'], ['AssociateIamInstanceProfile', 'DisassociateIamInstanceProfile', 'ReplaceIamInstanceProfileAssociation']],
    ['aws_instance', 'modified', ['vpc_security_group_ids'], ['ModifyInstanceAttribute', 'ModifyNetworkInterfaceAttribute']],
    ['aws_instance', 'modified', ['tags.Name'], ['CreateTags', 'DeleteTags']],
    ['aws_instance', 'deleted', [], ['TerminateInstances']],
    ['aws_instance', 'unmanaged', [], ['RunInstances']],
    // Not covered
    ['aws_vpc', 'modified', ['cidr_block'], []],
  ])('%s %s %j → %j', (type, kind, paths, expected) => {
    expect(names(type, kind, paths)).toEqual(expected);
  });

  it('does not take a longer attribute for a prefix', () => {
    // `tags_all` is not under `tags`, `policy_arn` is not under `policy`.
    expect(names('aws_iam_role', 'modified', ['tags_all.Env'])).toEqual(['TagRole', 'UntagRole']);
    expect(names('aws_iam_policy', 'modified', ['policy_id'])).toEqual([]);
  });

  it('names only mutating calls', () => {
    const readOnlyPrefixes = /^(Describe|Get|List|Lookup|Head)/;
    for (const rule of EVENT_NAME_RULES) {
      for (const event of rule.events) expect(event).not.toMatch(readOnlyPrefixes);
    }
  });
});
