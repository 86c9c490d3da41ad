// The collectors: how each family is read from AWS. Registered here by live type, beside the
// families of resources/index.ts; src/aws/collect-inventory.ts runs them. A collector reads the
// raw SDK outputs (resources/<family>/collect.ts) and hands them to the family's pure normalizer.
import type { AwsServiceClients } from '../aws/clients.js';
import { ec2InstancesCollector } from './ec2-instances/collect.js';
import { iamCollector } from './iam/collect.js';
import type { LiveResource, LiveType } from './live-types.js';
import type { BucketSetting } from './raw-types.js';
import { rdsInstancesCollector } from './rds-instances/collect.js';
import { s3BucketsCollector } from './s3-buckets/collect.js';
import { securityGroupsCollector } from './security-groups/collect.js';

export interface CollectContext {
  clients: AwsServiceClients;
  /** The region to read, for a regional collector. An account-wide one gets the scan's first
   * region: where its global calls (ListBuckets, GetBucketLocation) go. */
  region: string;
  /** Every region of the scan. */
  regions: readonly string[];
  /** Buckets this workspace's state manages, each with the settings the scan compares for it:
   * only those are read. */
  bucketSettings: ReadonlyMap<string, ReadonlySet<BucketSetting>>;
}

export interface Collector {
  /** The family folder, e.g. "ec2-instances"; progress lines name it. */
  family: string;
  /** Live types it produces (IAM makes roles and policies in one pass). */
  liveTypes: readonly LiveType[];
  /** "region": once per scan region. "account": once per scan (IAM, and S3, whose ListBuckets
   * answers for every region at once). */
  scope: 'region' | 'account';
  collect(ctx: CollectContext): Promise<LiveResource[]>;
}

export const collectors: readonly Collector[] = [
  ec2InstancesCollector,
  securityGroupsCollector,
  s3BucketsCollector,
  rdsInstancesCollector,
  iamCollector,
];

export const collectorByType: Readonly<Record<LiveType, Collector>> = {
  aws_instance: ec2InstancesCollector,
  aws_security_group: securityGroupsCollector,
  aws_s3_bucket: s3BucketsCollector,
  aws_db_instance: rdsInstancesCollector,
  aws_iam_role: iamCollector,
  aws_iam_policy: iamCollector,
};

/** The collectors that produce `types`, each once, in registry order. */
export function collectorsFor(types: readonly LiveType[]): Collector[] {
  const wanted = new Set(types.map((type) => collectorByType[type]));
  return collectors.filter((collector) => wanted.has(collector));
}
