// The normalized live inventory: what collectors produce from AWS, what `driftwatch inventory`
// writes and `--live` reads. docs/inventory.md documents every resource type's attributes.

/** Types of live objects. Each is the Terraform type of the object's primary resource. */
export type LiveType =
  | 'aws_instance'
  | 'aws_security_group'
  | 'aws_s3_bucket'
  | 'aws_db_instance'
  | 'aws_iam_role'
  | 'aws_iam_policy';

/** Parts of a live object that can be unmanaged on their own: a security group rule no rule
 * resource owns, on a group whose configuration leaves its rules to the provider. They appear on
 * drifts (as the Terraform type that would import them), never in an inventory. */
export type LivePartType = 'aws_vpc_security_group_ingress_rule' | 'aws_vpc_security_group_egress_rule' | 'aws_security_group_rule';

export interface LiveResource {
  type: LiveType | LivePartType;
  /** The id Terraform keys the primary resource on: instance id, sg id, bucket name,
   * DB instance identifier, role name, policy ARN. */
  id: string;
  /** AWS region, or "global" for IAM. */
  region: string;
  /** Normalized attributes; the shape per type is in docs/inventory.md. */
  attributes: Record<string, unknown>;
  /** Attributes that could not be read (AccessDenied on one setting, say), with the reason.
   * They are not compared, and the scan is partial. */
  unknownAttributes?: Record<string, string>;
}

/** A family (or one region of it) that could not be collected at all. */
export interface UnknownFamily {
  type: LiveType;
  /** Region that failed, or omitted when the whole type failed. */
  region?: string;
  reason: string;
}

export interface LiveInventory {
  version: 1;
  account: string | null;
  collectedAt: string;
  regions: string[];
  resources: LiveResource[];
  unknown: UnknownFamily[];
}
