// Which CloudTrail events can have caused a drift: data, keyed by Terraform type, drift kind and
// changed attribute path. Attribution only credits an event whose name is listed here, so an
// unrelated write to the same resource (a tag edit when the rules drifted) is never blamed.
// Names are the ones CloudTrail logs (its `eventName`), which for some S3 bucket-level calls are
// not the API operation's: docs/attribution.md lists the sources checked for every entry.
import type { Drift, DriftKind } from '../drift/types.js';

export interface EventNameRule {
  types: readonly string[];
  /** Drift kinds the rule applies to; every kind when absent. */
  kinds?: readonly DriftKind[];
  /** For modified drifts: attribute path prefixes (`tags` matches `tags.Env`, `ingress` matches
   * `ingress[2].cidr_blocks`). Absent: the rule applies to the drift whatever changed. */
  paths?: readonly string[];
  /** Applies to the changes of a modified drift that no `paths` rule of the type matched. */
  fallback?: boolean;
  events: readonly string[];
}

const INGRESS = [
  'AuthorizeSecurityGroupIngress',
  'RevokeSecurityGroupIngress',
  'ModifySecurityGroupRules',
  'UpdateSecurityGroupRuleDescriptionsIngress',
] as const;
const EGRESS = [
  'AuthorizeSecurityGroupEgress',
  'RevokeSecurityGroupEgress',
  'ModifySecurityGroupRules',
  'UpdateSecurityGroupRuleDescriptionsEgress',
] as const;
const EC2_TAGS = ['CreateTags', 'DeleteTags'] as const;

const S3_SPLIT_TYPES = [
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_acl',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_logging',
  'aws_s3_bucket_cors_configuration',
  'aws_s3_bucket_website_configuration',
  'aws_s3_bucket_replication_configuration',
  'aws_s3_bucket_object_lock_configuration',
] as const;

const S3_SETTINGS = {
  versioning: ['PutBucketVersioning'],
  encryption: ['PutBucketEncryption', 'DeleteBucketEncryption'],
  // The API's PutPublicAccessBlock/DeletePublicAccessBlock, as CloudTrail logs them.
  publicAccessBlock: ['PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock'],
  policy: ['PutBucketPolicy', 'DeleteBucketPolicy'],
  acl: ['PutBucketAcl'],
  ownership: ['PutBucketOwnershipControls', 'DeleteBucketOwnershipControls'],
  // CloudTrail logs PutBucketLifecycleConfiguration as PutBucketLifecycle.
  lifecycle: ['PutBucketLifecycle', 'DeleteBucketLifecycle'],
  logging: ['PutBucketLogging'],
  cors: ['PutBucketCors', 'DeleteBucketCors'],
  website: ['PutBucketWebsite', 'DeleteBucketWebsite'],
  replication: ['PutBucketReplication', 'DeleteBucketReplication'],
  objectLock: ['PutObjectLockConfiguration'],
  tags: ['PutBucketTagging', 'DeleteBucketTagging'],
} as const;

export const EVENT_NAME_RULES: readonly EventNameRule[] = [
  // EC2 instances
  { types: ['aws_instance'], kinds: ['deleted'], events: ['TerminateInstances'] },
  { types: ['aws_instance'], kinds: ['unmanaged'], events: ['RunInstances'] },
  { types: ['aws_instance'], kinds: ['modified'], paths: ['metadata_options'], events: ['ModifyInstanceMetadataOptions'] },
  {
    types: ['aws_instance'],
    kinds: ['modified'],
    paths: ['iam_instance_profile'],
    events: ['AssociateIamInstanceProfile', 'ReplaceIamInstanceProfileAssociation', 'DisassociateIamInstanceProfile'],
  },
  {
    types: ['aws_instance'],
    kinds: ['modified'],
    paths: ['vpc_security_group_ids', 'security_groups'],
    events: ['ModifyInstanceAttribute', 'ModifyNetworkInterfaceAttribute'],
  },
  { types: ['aws_instance'], kinds: ['modified'], paths: ['tags', 'tags_all'], events: EC2_TAGS },
  { types: ['aws_instance'], kinds: ['modified'], paths: ['monitoring'], events: ['MonitorInstances', 'UnmonitorInstances'] },
  { types: ['aws_instance'], kinds: ['modified'], paths: ['state', 'instance_state'], events: ['StopInstances', 'StartInstances'] },
  // The root volume is its own resource in CloudTrail: ModifyVolume names the volume, so this only
  // matches when the event also lists the instance.
  { types: ['aws_instance'], kinds: ['modified'], paths: ['root_block_device'], events: ['ModifyVolume'] },
  { types: ['aws_instance'], kinds: ['modified'], fallback: true, events: ['ModifyInstanceAttribute'] },

  // Security groups and their rules
  { types: ['aws_security_group'], kinds: ['deleted'], events: ['DeleteSecurityGroup'] },
  { types: ['aws_security_group'], kinds: ['unmanaged'], events: ['CreateSecurityGroup'] },
  { types: ['aws_security_group'], kinds: ['modified'], paths: ['ingress'], events: INGRESS },
  { types: ['aws_security_group'], kinds: ['modified'], paths: ['egress'], events: EGRESS },
  { types: ['aws_security_group'], kinds: ['modified'], paths: ['tags', 'tags_all'], events: EC2_TAGS },
  // Changes on the inventory's direction-neutral `rules` list, or anything else on the group.
  { types: ['aws_security_group'], kinds: ['modified'], fallback: true, events: [...INGRESS, ...EGRESS] },
  { types: ['aws_security_group_rule'], events: [...INGRESS, ...EGRESS] },
  { types: ['aws_vpc_security_group_ingress_rule'], events: INGRESS },
  { types: ['aws_vpc_security_group_egress_rule'], events: EGRESS },
  { types: ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'], kinds: ['modified'], paths: ['tags', 'tags_all'], events: EC2_TAGS },
  // A rule is gone when its whole group is.
  { types: ['aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'], kinds: ['deleted'], events: ['DeleteSecurityGroup'] },

  // S3 buckets: settings inline on aws_s3_bucket (provider v3, and the inventory's names) ...
  { types: ['aws_s3_bucket'], kinds: ['deleted'], events: ['DeleteBucket'] },
  { types: ['aws_s3_bucket'], kinds: ['unmanaged'], events: ['CreateBucket'] },
  { types: ['aws_s3_bucket'], kinds: ['modified'], paths: ['versioning'], events: S3_SETTINGS.versioning },
  { types: ['aws_s3_bucket'], kinds: ['modified'], paths: ['server_side_encryption_configuration', 'encryption'], events: S3_SETTINGS.encryption },
  { types: ['aws_s3_bucket'], kinds: ['modified'], paths: ['public_access_block'], events: S3_SETTINGS.publicAccessBlock },
  { types: ['aws_s3_bucket'], kinds: ['modified'], paths: ['policy'], events: S3_SETTINGS.policy },
  { types: ['aws_s3_bucket'], kinds: ['modified'], paths: ['acl', 'grant'], events: S3_SETTINGS.acl },
  { types: ['aws_s3_bucket'], kinds: ['modified'], paths: ['tags', 'tags_all'], events: S3_SETTINGS.tags },
  { types: ['aws_s3_bucket'], kinds: ['modified'], paths: ['lifecycle_rule'], events: S3_SETTINGS.lifecycle },
  { types: ['aws_s3_bucket'], kinds: ['modified'], paths: ['logging'], events: S3_SETTINGS.logging },
  { types: ['aws_s3_bucket'], kinds: ['modified'], paths: ['cors_rule'], events: S3_SETTINGS.cors },
  { types: ['aws_s3_bucket'], kinds: ['modified'], paths: ['website'], events: S3_SETTINGS.website },
  { types: ['aws_s3_bucket'], kinds: ['modified'], paths: ['replication_configuration'], events: S3_SETTINGS.replication },
  { types: ['aws_s3_bucket'], kinds: ['modified'], paths: ['object_lock_configuration'], events: S3_SETTINGS.objectLock },
  // ... and split into their own resources (provider v4+): any change is that one setting.
  { types: ['aws_s3_bucket_versioning'], events: S3_SETTINGS.versioning },
  { types: ['aws_s3_bucket_server_side_encryption_configuration'], events: S3_SETTINGS.encryption },
  { types: ['aws_s3_bucket_public_access_block'], events: S3_SETTINGS.publicAccessBlock },
  { types: ['aws_s3_bucket_policy'], events: S3_SETTINGS.policy },
  { types: ['aws_s3_bucket_acl'], events: S3_SETTINGS.acl },
  { types: ['aws_s3_bucket_ownership_controls'], events: S3_SETTINGS.ownership },
  { types: ['aws_s3_bucket_lifecycle_configuration'], events: S3_SETTINGS.lifecycle },
  { types: ['aws_s3_bucket_logging'], events: S3_SETTINGS.logging },
  { types: ['aws_s3_bucket_cors_configuration'], events: S3_SETTINGS.cors },
  { types: ['aws_s3_bucket_website_configuration'], events: S3_SETTINGS.website },
  { types: ['aws_s3_bucket_replication_configuration'], events: S3_SETTINGS.replication },
  { types: ['aws_s3_bucket_object_lock_configuration'], events: S3_SETTINGS.objectLock },
  // A split setting is gone when its whole bucket is.
  { types: S3_SPLIT_TYPES, kinds: ['deleted'], events: ['DeleteBucket'] },

  // RDS
  { types: ['aws_db_instance'], kinds: ['deleted'], events: ['DeleteDBInstance'] },
  {
    types: ['aws_db_instance'],
    kinds: ['unmanaged'],
    events: ['CreateDBInstance', 'CreateDBInstanceReadReplica', 'RestoreDBInstanceFromDBSnapshot', 'RestoreDBInstanceToPointInTime'],
  },
  { types: ['aws_db_instance'], kinds: ['modified'], paths: ['tags', 'tags_all'], events: ['AddTagsToResource', 'RemoveTagsFromResource'] },
  { types: ['aws_db_instance'], kinds: ['modified'], fallback: true, events: ['ModifyDBInstance'] },

  // IAM roles
  { types: ['aws_iam_role'], kinds: ['deleted'], events: ['DeleteRole'] },
  { types: ['aws_iam_role'], kinds: ['unmanaged'], events: ['CreateRole'] },
  { types: ['aws_iam_role'], kinds: ['modified'], paths: ['managed_policy_arns'], events: ['AttachRolePolicy', 'DetachRolePolicy'] },
  { types: ['aws_iam_role'], kinds: ['modified'], paths: ['inline_policy', 'inline_policies'], events: ['PutRolePolicy', 'DeleteRolePolicy'] },
  { types: ['aws_iam_role'], kinds: ['modified'], paths: ['assume_role_policy'], events: ['UpdateAssumeRolePolicy'] },
  { types: ['aws_iam_role'], kinds: ['modified'], paths: ['permissions_boundary'], events: ['PutRolePermissionsBoundary', 'DeleteRolePermissionsBoundary'] },
  { types: ['aws_iam_role'], kinds: ['modified'], paths: ['tags', 'tags_all'], events: ['TagRole', 'UntagRole'] },
  { types: ['aws_iam_role'], kinds: ['modified'], paths: ['description', 'max_session_duration'], events: ['UpdateRole', 'UpdateRoleDescription'] },
  { types: ['aws_iam_role_policy'], events: ['PutRolePolicy', 'DeleteRolePolicy'] },
  { types: ['aws_iam_role_policy_attachment'], events: ['AttachRolePolicy', 'DetachRolePolicy'] },
  { types: ['aws_iam_role_policy', 'aws_iam_role_policy_attachment'], kinds: ['deleted'], events: ['DeleteRole'] },

  // IAM customer-managed policies
  { types: ['aws_iam_policy'], kinds: ['deleted'], events: ['DeletePolicy'] },
  { types: ['aws_iam_policy'], kinds: ['unmanaged'], events: ['CreatePolicy'] },
  { types: ['aws_iam_policy'], kinds: ['modified'], paths: ['policy'], events: ['CreatePolicyVersion', 'SetDefaultPolicyVersion'] },
  { types: ['aws_iam_policy'], kinds: ['modified'], paths: ['tags', 'tags_all'], events: ['TagPolicy', 'UntagPolicy'] },
];

/** Event names that can explain `drift`; empty when none is known (attribution is then skipped). */
export function eventNamesForDrift(
  drift: Pick<Drift, 'kind' | 'type' | 'changes'>,
  rules: readonly EventNameRule[] = EVENT_NAME_RULES,
): Set<string> {
  const names = new Set<string>();
  const applicable = (rulesByType(rules).get(drift.type) ?? []).filter((rule) => !rule.kinds || rule.kinds.includes(drift.kind));
  const add = (rule: EventNameRule): void => rule.events.forEach((name) => names.add(name));

  for (const rule of applicable) {
    if (!rule.paths && !rule.fallback) add(rule);
  }
  if (drift.kind !== 'modified') return names;

  const pathRules = applicable.filter((rule) => rule.paths);
  const fallbackRules = applicable.filter((rule) => rule.fallback);
  // A modified drift without attribute changes (a signal only) can still come from the usual call.
  const paths = drift.changes.length > 0 ? drift.changes.map((change) => change.path) : [null];
  for (const path of paths) {
    const matched = path === null ? [] : pathRules.filter((rule) => rule.paths?.some((prefix) => hasPrefix(path, prefix)));
    matched.forEach(add);
    if (matched.length === 0) fallbackRules.forEach(add);
  }
  return names;
}

// Thousands of drifts (every resource of an account unmanaged) each look up their type's rules.
const indexes = new WeakMap<readonly EventNameRule[], Map<string, EventNameRule[]>>();

function rulesByType(rules: readonly EventNameRule[]): Map<string, EventNameRule[]> {
  let index = indexes.get(rules);
  if (!index) {
    index = new Map();
    for (const rule of rules) {
      for (const type of rule.types) {
        const list = index.get(type) ?? [];
        list.push(rule);
        index.set(type, list);
      }
    }
    indexes.set(rules, index);
  }
  return index;
}

function hasPrefix(path: string, prefix: string): boolean {
  if (!path.startsWith(prefix)) return false;
  const next = path.charAt(prefix.length);
  return next === '' || next === '.' || next === '[';
}
