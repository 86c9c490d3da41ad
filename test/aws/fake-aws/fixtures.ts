// A fake account holding exactly what one real-provider fixture's live/ files hold, so tests can
// collect it through the real SDK and compare with the files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Instance, SecurityGroup, SecurityGroupRule, Volume } from '@aws-sdk/client-ec2';
import type { ManagedPolicyDetail, RoleDetail } from '@aws-sdk/client-iam';
import type { DBInstance } from '@aws-sdk/client-rds';
import { emptyRegion, type FakeAccountData, type FakeBucket, type S3Setting } from './account.js';

export type FixtureName = 'count-foreach-modules' | 'legacy-inline' | 'vpc-rules-new-style';

export const FIXTURES_DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'real-provider');

export function readLive<T>(fixture: FixtureName, file: string): T {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, fixture, 'live', file), 'utf8')) as T;
}

function readLiveIfPresent<T>(fixture: FixtureName, file: string): T | undefined {
  return existsSync(join(FIXTURES_DIR, fixture, 'live', file)) ? readLive<T>(fixture, file) : undefined;
}

const SETTINGS: readonly S3Setting[] = ['GetBucketTagging', 'GetBucketVersioning', 'GetBucketEncryption', 'GetPublicAccessBlock', 'GetBucketPolicy', 'GetBucketAcl'];

/** The fixture's account: region us-east-1, account 123456789012, as the emulator reported. */
export function fixtureAccount(fixture: FixtureName): FakeAccountData {
  const region = emptyRegion();
  const described = readLiveIfPresent<{ Reservations: Array<{ Instances: Instance[] }> }>(fixture, 'ec2-DescribeInstances.json');
  region.instances = (described?.Reservations ?? []).flatMap((reservation) => reservation.Instances);
  region.volumes = readLiveIfPresent<{ Volumes: Volume[] }>(fixture, 'ec2-DescribeVolumes.json')?.Volumes ?? [];
  region.securityGroups = readLiveIfPresent<{ SecurityGroups: SecurityGroup[] }>(fixture, 'ec2-DescribeSecurityGroups.json')?.SecurityGroups ?? [];
  region.securityGroupRules = readLiveIfPresent<{ SecurityGroupRules: SecurityGroupRule[] }>(fixture, 'ec2-DescribeSecurityGroupRules.json')?.SecurityGroupRules ?? [];
  region.dbInstances = readLiveIfPresent<{ DBInstances: DBInstance[] }>(fixture, 'rds-DescribeDBInstances.json')?.DBInstances ?? [];

  const iam = readLiveIfPresent<{ RoleDetailList: RoleDetail[]; Policies: ManagedPolicyDetail[] }>(fixture, 'iam-GetAccountAuthorizationDetails.json');
  const listed = readLiveIfPresent<{ Buckets: Array<{ Name: string; CreationDate: string }> }>(fixture, 's3-ListBuckets.json');
  const files = readdirSync(join(FIXTURES_DIR, fixture, 'live'));
  const buckets: FakeBucket[] = (listed?.Buckets ?? []).map((bucket) => {
    const settings: NonNullable<FakeBucket['settings']> = {};
    for (const operation of SETTINGS) {
      const file = `s3-${operation}-${bucket.Name}.json`;
      if (!files.includes(file)) continue;
      const content = readLive<Record<string, unknown>>(fixture, file);
      const failure = content.$error as { name: string; message: string; httpStatusCode: number } | undefined;
      settings[operation] = failure ? { $fakeError: { code: failure.name, status: failure.httpStatusCode, message: failure.message } } : content;
    }
    return { name: bucket.Name, region: 'us-east-1', creationDate: bucket.CreationDate, settings };
  });

  return {
    accountId: '123456789012',
    regions: { 'us-east-1': region },
    buckets,
    // GetAccountAuthorizationDetails leaves out what ListRoles carries; the fixture's GetRole
    // answers hold it.
    roles: (iam?.RoleDetailList ?? []).map((role) => {
      const file = `iam-GetRole-${role.RoleName}.json`;
      if (!files.includes(file)) return role;
      const { Description, MaxSessionDuration } = readLive<{ Role: { Description?: string; MaxSessionDuration?: number } }>(fixture, file).Role;
      return { ...role, Description, MaxSessionDuration };
    }),
    policies: iam?.Policies ?? [],
  };
}

/** One account holding the objects of all three fixtures, in us-east-1. */
export function allFixturesAccount(): FakeAccountData {
  const parts = (['count-foreach-modules', 'legacy-inline', 'vpc-rules-new-style'] as const).map(fixtureAccount);
  const region = emptyRegion();
  for (const part of parts) {
    const r = part.regions['us-east-1'];
    if (!r) continue;
    region.instances.push(...r.instances);
    region.volumes.push(...r.volumes);
    region.securityGroups.push(...r.securityGroups);
    region.securityGroupRules.push(...r.securityGroupRules);
    region.dbInstances.push(...r.dbInstances);
  }
  return {
    accountId: '123456789012',
    regions: { 'us-east-1': region },
    buckets: parts.flatMap((p) => p.buckets),
    roles: parts.flatMap((p) => p.roles),
    policies: parts.flatMap((p) => p.policies),
  };
}
