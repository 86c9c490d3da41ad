// The IAM action that authorizes each SDK command. For EC2, RDS, IAM, STS and CloudTrail the
// action is the operation's name; S3's REST operations are authorized by actions with other
// names, so they are listed one by one. docs/iam-policy.json grants exactly these actions, and
// test/aws/iam-policy.test.ts checks every command the code can send against it.
import type { AwsService } from './settings.js';

export const S3_ACTIONS: Readonly<Record<string, string>> = {
  ListBuckets: 's3:ListAllMyBuckets',
  HeadBucket: 's3:ListBucket',
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  ListObjectVersions: 's3:ListBucketVersions',
  GetBucketLocation: 's3:GetBucketLocation',
  GetBucketTagging: 's3:GetBucketTagging',
  GetBucketVersioning: 's3:GetBucketVersioning',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  GetBucketPolicy: 's3:GetBucketPolicy',
  GetBucketAcl: 's3:GetBucketAcl',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
};

/** "ec2:DescribeInstances" for (ec2, DescribeInstances); "s3:ListAllMyBuckets" for (s3, ListBuckets). */
export function iamActionFor(service: AwsService, operation: string): string {
  if (service === 's3') return S3_ACTIONS[operation] ?? `s3:${operation}`;
  return `${service}:${operation}`;
}
