// aws_s3_bucket from AWS. ListBuckets answers for the whole account, so this collector runs once
// per scan: it learns each bucket's region (BucketRegion, else GetBucketLocation once per bucket
// and account), keeps the buckets of the scan's regions, and reads the six settings only of the
// buckets a state manages, each with the client of the bucket's own region. A setting that cannot
// be read is kept as `{ $error }`: the normalizer tells "none" (NoSuchBucketPolicy) from
// "unknown" (AccessDenied).
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  type Bucket,
  type S3Client,
} from '@aws-sdk/client-s3';
import { mapLimit } from '../../aws/map-limit.js';
import { toSdkError } from '../../aws/sdk-failure.js';
import type { CollectContext, Collector } from '../collectors.js';
import type { BucketSetting, RawBucket, RawBucketDetails, RawS3Buckets, SdkResult } from '../raw-types.js';
import { normalizeS3Buckets } from './normalize.js';

const PARALLEL_LOOKUPS = 16;
/** Buckets whose settings are read at once (each bucket's settings all at once too). Every bucket
 * has its own virtual-host name, so this bounds open connections, not a shared pool's queue. */
export const PARALLEL_BUCKETS = 32;

export async function collectS3Buckets(
  ctx: Pick<CollectContext, 'clients' | 'region' | 'regions' | 'bucketSettings'>,
): Promise<RawS3Buckets> {
  const home = ctx.clients.s3(partitionHomeRegion(ctx.region));
  const listed: Bucket[] = [];
  for await (const page of paginateListBuckets({ client: home, pageSize: 1000 }, {})) {
    listed.push(...(page.Buckets ?? []));
  }

  const scanRegions = new Set(ctx.regions);
  const located = await mapLimit(listed, PARALLEL_LOOKUPS, async (bucket) => {
    const name = bucket.Name;
    if (!name) return undefined;
    const region = await bucketRegion(home, ctx.clients.bucketRegions, bucket, ctx.bucketSettings.has(name));
    if (region === undefined || !scanRegions.has(region)) return undefined;
    const raw: RawBucket = { name, region };
    if (bucket.CreationDate !== undefined) raw.creationDate = bucket.CreationDate;
    return raw;
  });
  const buckets = located.filter((bucket): bucket is RawBucket => bucket !== undefined);

  const managed = buckets.filter((bucket) => ctx.bucketSettings.has(bucket.name));
  await mapLimit(managed, PARALLEL_BUCKETS, async (bucket) => {
    bucket.details = await bucketDetails(ctx.clients.s3(bucket.region), bucket.name, ctx.bucketSettings.get(bucket.name) ?? new Set());
  });
  return { buckets };
}

async function bucketRegion(
  home: S3Client,
  cache: Map<string, string>,
  bucket: Bucket,
  managed: boolean,
): Promise<string | undefined> {
  const name = bucket.Name as string;
  if (bucket.BucketRegion) {
    cache.set(name, bucket.BucketRegion);
    return bucket.BucketRegion;
  }
  const known = cache.get(name);
  if (known !== undefined) return known;
  try {
    const output = await home.send(new GetBucketLocationCommand({ Bucket: name }));
    const region = regionOfLocation(output.LocationConstraint);
    cache.set(name, region);
    return region;
  } catch (error) {
    // A managed bucket whose region is unknown could be one the scan compares: without it the
    // whole family is unknown, never "deleted". An unmanaged one is only left out.
    if (managed) throw error;
    return undefined;
  }
}

/** GetBucketLocation's answer as a region: null, "" or absent is us-east-1, "EU" is eu-west-1. */
export function regionOfLocation(constraint: string | null | undefined): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

/** Where account-wide S3 calls go: a region of the scan's partition that sees every bucket. */
function partitionHomeRegion(region: string): string {
  if (region.startsWith('cn-')) return 'cn-north-1';
  if (region.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

const READ: { [K in BucketSetting]: (client: S3Client, Bucket: string) => Promise<RawBucketDetails[K]> } = {
  tagging: (client, Bucket) => settle(client.send(new GetBucketTaggingCommand({ Bucket }))),
  versioning: (client, Bucket) => settle(client.send(new GetBucketVersioningCommand({ Bucket }))),
  encryption: (client, Bucket) => settle(client.send(new GetBucketEncryptionCommand({ Bucket }))),
  publicAccessBlock: (client, Bucket) => settle(client.send(new GetPublicAccessBlockCommand({ Bucket }))),
  policy: (client, Bucket) => settle(client.send(new GetBucketPolicyCommand({ Bucket }))),
  acl: (client, Bucket) => settle(client.send(new GetBucketAclCommand({ Bucket }))),
};

/** The wanted settings of one bucket, all at once. */
async function bucketDetails(client: S3Client, Bucket: string, settings: ReadonlySet<BucketSetting>): Promise<Partial<RawBucketDetails>> {
  const details: Partial<Record<BucketSetting, unknown>> = {};
  await Promise.all(
    [...settings].map(async (setting) => {
      details[setting] = await READ[setting](client, Bucket);
    }),
  );
  return details as Partial<RawBucketDetails>;
}

async function settle<T extends { $metadata?: unknown }>(call: Promise<T>): Promise<SdkResult<Omit<T, '$metadata'>>> {
  try {
    const { $metadata: _metadata, ...output } = await call;
    return output;
  } catch (error) {
    return toSdkError(error);
  }
}

export const s3BucketsCollector: Collector = {
  family: 's3-buckets',
  liveTypes: ['aws_s3_bucket'],
  scope: 'account',
  collect: async (ctx) => normalizeS3Buckets(await collectS3Buckets(ctx)),
};
