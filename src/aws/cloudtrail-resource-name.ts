// The name CloudTrail indexes a drift's resource under (LookupEvents' ResourceName attribute), and
// the region whose trail holds its events.
import type { Drift } from '../drift/types.js';

const SG_RULE_TYPES = new Set([
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
]);
const ROLE_PART_TYPES = new Set(['aws_iam_role_policy', 'aws_iam_role_policy_attachment']);

/** IAM is global: CloudTrail records its calls in us-east-1 (the partition's home region). */
export const IAM_EVENTS_REGION = 'us-east-1';

export function isIamType(type: string): boolean {
  return type.startsWith('aws_iam_');
}

/**
 * What LookupEvents' ResourceName must be for this drift, or null when attribution does not cover
 * the type or the name cannot be found. Relies, in order, on: the live object when it is of the
 * parent type (`drift.live`), then `drift.id`, then the declared or changed values.
 */
export function cloudTrailResourceName(drift: Drift): string | null {
  const { type } = drift;
  if (type === 'aws_instance') return liveIdOf(drift, 'aws_instance') ?? nonEmpty(drift.id);
  if (type === 'aws_security_group') return liveIdOf(drift, 'aws_security_group') ?? nonEmpty(drift.id);
  if (SG_RULE_TYPES.has(type)) return securityGroupIdOf(drift);
  if (type === 'aws_s3_bucket' || type.startsWith('aws_s3_bucket_')) {
    // Split S3 resources may carry ",<expected_bucket_owner>" in their Terraform id.
    return liveIdOf(drift, 'aws_s3_bucket') ?? nonEmpty(drift.id.split(',')[0]);
  }
  if (type === 'aws_db_instance') {
    const live = drift.live?.type === 'aws_db_instance' ? drift.live : null;
    return stringAt(live?.attributes, 'identifier') ?? nonEmpty(live?.id) ?? stringAt(declaredOf(drift), 'identifier') ?? nonEmpty(drift.id);
  }
  if (type === 'aws_iam_role') return liveIdOf(drift, 'aws_iam_role') ?? nonEmpty(drift.id);
  if (ROLE_PART_TYPES.has(type)) return roleNameOf(drift);
  if (type === 'aws_iam_policy') return liveIdOf(drift, 'aws_iam_policy') ?? nonEmpty(drift.id);
  return null;
}

/**
 * Every name CloudTrail may index the drift's resource under, the first one first. Where the
 * service's documentation leaves it open, a resource is looked up under each: a DB instance by its
 * identifier (ModifyDBInstance) and by its ARN (the tag calls name the ARN).
 */
export function cloudTrailResourceNames(drift: Drift): string[] {
  const name = cloudTrailResourceName(drift);
  if (!name) return [];
  if (drift.type !== 'aws_db_instance') return [name];
  const live = drift.live?.type === 'aws_db_instance' ? drift.live : null;
  const arn = stringAt(live?.attributes, 'arn') ?? stringAt(declaredOf(drift), 'arn');
  return arn && arn !== name ? [name, arn] : [name];
}

/** The region whose CloudTrail holds the drift's events; null when the drift has none. */
export function cloudTrailRegion(drift: Drift, iamRegion: string = IAM_EVENTS_REGION): string | null {
  if (isIamType(drift.type)) return iamRegion;
  if (!drift.region || drift.region === 'global') return null;
  return drift.region;
}

function securityGroupIdOf(drift: Drift): string | null {
  const fromLive = liveIdOf(drift, 'aws_security_group');
  if (fromLive) return fromLive;
  // An unmanaged rule's live part names the group it is on.
  const onGroup = drift.live?.attributes.security_group_id;
  if (isGroupId(onGroup)) return onGroup;
  // The lead sets drift.id to the group id for rule resources; a rule's own id (sgr-..., or
  // Terraform's synthetic sgrule-...) is not something CloudTrail indexes.
  if (isGroupId(drift.id)) return drift.id;
  const declared = stringAt(declaredOf(drift), 'security_group_id');
  if (isGroupId(declared)) return declared;
  const change = drift.changes.find((c) => c.path === 'security_group_id');
  for (const value of [change?.declared, change?.live]) {
    if (isGroupId(value)) return value;
  }
  return null;
}

function roleNameOf(drift: Drift): string | null {
  const fromLive = liveIdOf(drift, 'aws_iam_role');
  if (fromLive) return fromLive;
  const declared = stringAt(declaredOf(drift), 'role');
  if (declared) return declared;
  const change = drift.changes.find((c) => c.path === 'role');
  const changed = nonEmpty(change?.declared) ?? nonEmpty(change?.live);
  if (changed) return changed;
  // aws_iam_role_policy's Terraform id is "<role>:<policy>"; the lead passes the role name itself.
  if (drift.type === 'aws_iam_role_policy') return nonEmpty(drift.id.split(':')[0]);
  return nonEmpty(drift.id);
}

function liveIdOf(drift: Drift, type: string): string | null {
  return drift.live?.type === type ? nonEmpty(drift.live.id) : null;
}

/** State attributes, when the pipeline passes them on the drift (never rendered). */
function declaredOf(drift: Drift): Record<string, unknown> | null {
  const declared = (drift as Drift & { declared?: unknown }).declared;
  return declared !== null && typeof declared === 'object' ? (declared as Record<string, unknown>) : null;
}

function stringAt(record: Record<string, unknown> | null | undefined, key: string): string | null {
  return nonEmpty(record?.[key]);
}

function isGroupId(value: unknown): value is string {
  return typeof value === 'string' && /^sg-[0-9a-f]+$/.test(value);
}

function nonEmpty(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}
