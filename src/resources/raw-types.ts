// What collectors hand to the families' normalize functions: SDK v3 command outputs, as the
// real-provider fixtures store them (dates may be Date objects or ISO strings). A failed call is
// `{ $error: { name, message } }`, so fixtures and live collection take the same path.
import type { Instance, SecurityGroup, SecurityGroupRule, Volume } from '@aws-sdk/client-ec2';
import type {
  GetBucketAclOutput,
  GetBucketEncryptionOutput,
  GetBucketPolicyOutput,
  GetBucketTaggingOutput,
  GetBucketVersioningOutput,
  GetPublicAccessBlockOutput,
} from '@aws-sdk/client-s3';
import type { DBInstance } from '@aws-sdk/client-rds';
import type { ManagedPolicyDetail, Role, RoleDetail } from '@aws-sdk/client-iam';

export interface SdkError {
  $error: { name: string; message: string; httpStatusCode?: number; fault?: string };
}

export type SdkResult<T> = T | SdkError;

export function isSdkError(value: unknown): value is SdkError {
  return typeof value === 'object' && value !== null && '$error' in value;
}

/** DescribeInstances (every reservation's instances) and DescribeVolumes of their root volumes. */
export interface RawEc2Instances {
  region: string;
  instances: Instance[];
  volumes: Volume[];
}

/** DescribeSecurityGroups and DescribeSecurityGroupRules of the same groups. */
export interface RawSecurityGroups {
  region: string;
  groups: SecurityGroup[];
  rules: SecurityGroupRule[];
}

/** The per-bucket settings, one S3 call each. */
export interface RawBucketDetails {
  tagging: SdkResult<GetBucketTaggingOutput>;
  versioning: SdkResult<GetBucketVersioningOutput>;
  encryption: SdkResult<GetBucketEncryptionOutput>;
  publicAccessBlock: SdkResult<GetPublicAccessBlockOutput>;
  policy: SdkResult<GetBucketPolicyOutput>;
  acl: SdkResult<GetBucketAclOutput>;
}

export type BucketSetting = keyof RawBucketDetails;

export const BUCKET_SETTINGS: readonly BucketSetting[] = ['tagging', 'versioning', 'encryption', 'publicAccessBlock', 'policy', 'acl'];

/** One bucket from ListBuckets; `details` only for buckets the scan compares, and in them only
 * the settings it compares (a setting left out was not read, which is not "not configured"). */
export interface RawBucket {
  name: string;
  region: string;
  creationDate?: string | Date;
  details?: Partial<RawBucketDetails>;
}

export interface RawS3Buckets {
  buckets: RawBucket[];
}

/** DescribeDBInstances (TagList included). */
export interface RawDbInstances {
  region: string;
  instances: DBInstance[];
}

/** GetAccountAuthorizationDetails with Filter [Role, LocalManagedPolicy], plus ListRoles, the
 * batch call that carries each role's Description and MaxSessionDuration (the former omits them).
 * Without `listedRoles` those two attributes are not compared. */
export interface RawIam {
  roles: RoleDetail[];
  policies: ManagedPolicyDetail[];
  listedRoles?: Role[];
}
