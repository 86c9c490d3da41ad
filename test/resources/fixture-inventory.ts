// Builds the normalized inventory of a real-provider fixture folder from its recorded SDK
// responses (live/*.json), the way the collectors would from live calls.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { normalizeEc2Instances } from '../../src/resources/ec2-instances/normalize.js';
import { normalizeIam } from '../../src/resources/iam/normalize.js';
import type { LiveInventory, LiveResource } from '../../src/resources/live-types.js';
import { normalizeDbInstances } from '../../src/resources/rds-instances/normalize.js';
import type { RawBucket } from '../../src/resources/raw-types.js';
import { normalizeS3Buckets } from '../../src/resources/s3-buckets/normalize.js';
import { normalizeSecurityGroups } from '../../src/resources/security-groups/normalize.js';
import { parseState } from '../../src/terraform/state.js';
import type { ParsedState } from '../../src/terraform/types.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/real-provider');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export function readLive(folder: string, file: string): Json | undefined {
  const full = path.join(FIXTURES, folder, 'live', file);
  return existsSync(full) ? JSON.parse(readFileSync(full, 'utf8')) : undefined;
}

export function fixtureState(folder: string): ParsedState {
  const file = path.join(FIXTURES, folder, 'terraform.tfstate');
  return parseState(readFileSync(file, 'utf8'), file);
}

/** Every recorded response of a fixture folder, by file name, for a test to edit. */
export type LiveFiles = Record<string, Json>;

export function liveFiles(folder: string): LiveFiles {
  const files: LiveFiles = {};
  for (const file of readdirSync(path.join(FIXTURES, folder, 'live'))) files[file] = readLive(folder, file);
  return files;
}

export function fixtureInventory(folder: string, options: { region?: string; edit?: (files: LiveFiles) => void } = {}): LiveInventory {
  const region = options.region ?? 'us-east-1';
  const files = liveFiles(folder);
  options.edit?.(files);
  const live = (file: string): Json => files[file];
  const resources: LiveResource[] = [];
  const instances = (live('ec2-DescribeInstances.json')?.Reservations ?? []).flatMap((r: Json) => r.Instances ?? []);
  resources.push(...normalizeEc2Instances({ region, instances, volumes: live('ec2-DescribeVolumes.json')?.Volumes ?? [] }));
  resources.push(
    ...normalizeSecurityGroups({
      region,
      groups: live('ec2-DescribeSecurityGroups.json')?.SecurityGroups ?? [],
      rules: live('ec2-DescribeSecurityGroupRules.json')?.SecurityGroupRules ?? [],
    }),
  );
  const buckets: RawBucket[] = (live('s3-ListBuckets.json')?.Buckets ?? []).map((b: Json) => {
    const get = (op: string) => live(`s3-${op}-${b.Name}.json`);
    const location = get('GetBucketLocation')?.LocationConstraint;
    return {
      name: b.Name,
      region: location ? location : 'us-east-1',
      creationDate: b.CreationDate,
      details: {
        tagging: get('GetBucketTagging') ?? { $error: { name: 'NoSuchTagSet', message: 'no tags' } },
        versioning: get('GetBucketVersioning') ?? {},
        encryption: get('GetBucketEncryption') ?? { $error: { name: 'ServerSideEncryptionConfigurationNotFoundError', message: 'none' } },
        publicAccessBlock: get('GetPublicAccessBlock') ?? { $error: { name: 'NoSuchPublicAccessBlockConfiguration', message: 'none' } },
        policy: get('GetBucketPolicy') ?? { $error: { name: 'NoSuchBucketPolicy', message: 'none' } },
        acl: get('GetBucketAcl') ?? { Grants: [] },
      },
    };
  });
  resources.push(...normalizeS3Buckets({ buckets }));
  resources.push(...normalizeDbInstances({ region, instances: live('rds-DescribeDBInstances.json')?.DBInstances ?? [] }));
  const gaad = live('iam-GetAccountAuthorizationDetails.json');
  if (gaad) {
    const listedRoles = Object.keys(files)
      .filter((f) => f.startsWith('iam-GetRole-'))
      .map((f) => live(f).Role);
    resources.push(...normalizeIam({ roles: gaad.RoleDetailList ?? [], policies: gaad.Policies ?? [], listedRoles }));
  }
  return { version: 1, account: '123456789012', collectedAt: '2026-11-22T12:45:00.000Z', regions: [region], resources, unknown: [] };
}
