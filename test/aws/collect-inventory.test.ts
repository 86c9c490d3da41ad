import { afterEach, describe, expect, it } from 'vitest';
import { assumeRoleCredentials } from '../../src/aws/assume-role.js';
import { awsSettingsFromEnv } from '../../src/aws/settings.js';
import { ALL_LIVE_TYPES, collectInventory, type CollectInventoryOptions, type CollectProgress } from '../../src/aws/collect-inventory.js';
import type { AwsClients } from '../../src/aws/clients.js';
import { DriftwatchError } from '../../src/errors.js';
import { familyForLiveType } from '../../src/resources/index.js';
import { emptyRegion, FakeAccount, THROTTLING, type FakeAccountData } from './fake-aws/account.js';
import { testClients } from './fake-aws/clients.js';
import { allFixturesAccount, fixtureAccount } from './fake-aws/fixtures.js';
import { defaultsOnlyAccount } from './fake-aws/generate.js';
import { interceptFakeAws } from './fake-aws/nock.js';
import { everySetting } from './fake-aws/bucket-settings.js';

let clients: AwsClients;
afterEach(() => clients.destroy());

const NOW = new Date('2026-11-22T12:00:00.000Z');

function setUp(data: FakeAccountData): FakeAccount {
  const fake = new FakeAccount(data);
  interceptFakeAws(fake);
  clients = testClients();
  return fake;
}

function collect(fake: FakeAccount, options: Partial<CollectInventoryOptions> = {}) {
  return collectInventory({
    regions: ['us-east-1'],
    clients,
    bucketSettings: everySetting(fake.data.buckets.map((b) => b.name)),
    account: fake.data.accountId,
    now: () => NOW,
    ...options,
  });
}

function ids(resources: Array<{ type: string; id: string; region: string }>): string[] {
  return resources.map((r) => `${r.type} ${r.region} ${r.id}`);
}


describe('collectInventory', () => {
  it('collects every family of the fixtures into one sorted inventory', async () => {
    const fake = setUp(allFixturesAccount());
    const inventory = await collect(fake);

    expect(inventory).toMatchObject({ version: 1, account: '123456789012', collectedAt: '2026-11-22T12:00:00.000Z', regions: ['us-east-1'], unknown: [] });
    const counts: Record<string, number> = {};
    for (const r of inventory.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    expect(counts).toEqual({ aws_instance: 5, aws_security_group: 10, aws_s3_bucket: 4, aws_db_instance: 1, aws_iam_role: 2, aws_iam_policy: 1 });
    expect(ids(inventory.resources)).toEqual([...ids(inventory.resources)].sort());
    expect(inventory.resources.find((r) => r.id === 'millbrook-legacy-scratch')?.attributes.versioning).toBeDefined();
    // One call per API and page, one per bucket setting, one region lookup per bucket: never one per resource otherwise.
    const byOperation: Record<string, number> = {};
    for (const call of fake.calls) byOperation[call.operation] = (byOperation[call.operation] ?? 0) + 1;
    expect(byOperation).toEqual({
      DescribeInstances: 1,
      DescribeVolumes: 1,
      DescribeSecurityGroups: 1,
      DescribeSecurityGroupRules: 1,
      DescribeDBInstances: 1,
      GetAccountAuthorizationDetails: 1,
      ListRoles: 1,
      ListBuckets: 1,
      GetBucketLocation: 4,
      GetBucketTagging: 4,
      GetBucketVersioning: 4,
      GetBucketEncryption: 4,
      GetPublicAccessBlock: 4,
      GetBucketPolicy: 4,
      GetBucketAcl: 4,
    });
  });

  it('reads each region concurrently and IAM and S3 once', async () => {
    const data = fixtureAccount('count-foreach-modules');
    data.regions['eu-west-1'] = data.regions['us-east-1'] ?? emptyRegion();
    const fake = setUp(data);
    const inventory = await collect(fake, { regions: ['us-east-1', 'eu-west-1', 'us-east-1'] });
    expect(inventory.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(inventory.resources.filter((r) => r.type === 'aws_instance').map((r) => r.region).sort()).toEqual(['eu-west-1', 'eu-west-1', 'eu-west-1', 'eu-west-1', 'us-east-1', 'us-east-1', 'us-east-1', 'us-east-1']);
    expect(fake.callsOf('DescribeInstances').map((c) => c.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(fake.callsOf('GetAccountAuthorizationDetails')).toHaveLength(1);
    expect(fake.callsOf('ListBuckets')).toHaveLength(1);
  });

  it('marks one family unknown on AccessDenied and collects the others', async () => {
    const fake = new FakeAccount(allFixturesAccount());
    fake.fail({ service: 'ec2', operation: 'DescribeInstances', times: Infinity, error: { code: 'UnauthorizedOperation', status: 403, message: 'You are not authorized to perform this operation.' } });
    fake.fail({ service: 'iam', operation: 'GetAccountAuthorizationDetails', times: Infinity, error: { code: 'AccessDenied', status: 403, message: 'User is not authorized' } });
    interceptFakeAws(fake);
    clients = testClients();
    const inventory = await collect(fake);
    expect(inventory.unknown).toEqual([
      { type: 'aws_iam_policy', reason: 'AccessDenied: iam:GetAccountAuthorizationDetails' },
      { type: 'aws_iam_role', reason: 'AccessDenied: iam:GetAccountAuthorizationDetails' },
      { type: 'aws_instance', region: 'us-east-1', reason: 'AccessDenied: ec2:DescribeInstances (UnauthorizedOperation)' },
    ]);
    expect(new Set(inventory.resources.map((r) => r.type))).toEqual(new Set(['aws_security_group', 'aws_s3_bucket', 'aws_db_instance']));
    // AccessDenied is final: no retry.
    expect(fake.callsOf('DescribeInstances')).toHaveLength(1);
  });

  it('marks only the failing region unknown', async () => {
    const data = fixtureAccount('legacy-inline');
    data.regions['eu-west-1'] = emptyRegion();
    const fake = new FakeAccount(data);
    fake.fail({ service: 'rds', region: 'eu-west-1', times: Infinity, error: { code: 'AccessDenied', status: 403 } });
    interceptFakeAws(fake);
    clients = testClients();
    const inventory = await collect(fake, { regions: ['us-east-1', 'eu-west-1'] });
    expect(inventory.unknown).toEqual([{ type: 'aws_db_instance', region: 'eu-west-1', reason: 'AccessDenied: rds:DescribeDBInstances' }]);
    expect(inventory.resources.filter((r) => r.type === 'aws_db_instance').map((r) => r.id)).toEqual(['millbrook-mysql']);
  });

  it('rides out a throttling burst, and makes the family unknown when retries run out', async () => {
    const fake = new FakeAccount(allFixturesAccount());
    fake.fail({ service: 'ec2', operation: 'DescribeSecurityGroups', times: 2, error: THROTTLING.ec2 });
    fake.fail({ service: 'rds', operation: 'DescribeDBInstances', times: Infinity, error: THROTTLING.query });
    interceptFakeAws(fake);
    clients = testClients({ maxAttempts: 3 });
    const progress: CollectProgress[] = [];
    const inventory = await collect(fake, { onProgress: (p) => progress.push(p) });

    expect(inventory.resources.filter((r) => r.type === 'aws_security_group')).toHaveLength(10);
    expect(inventory.unknown).toEqual([{ type: 'aws_db_instance', region: 'us-east-1', reason: 'Throttled: Throttling on rds:DescribeDBInstances after 3 attempts; retries exhausted' }]);
    const done = Object.fromEntries(progress.filter((p) => p.done).map((p) => [p.family, p]));
    expect(done['security-groups']).toMatchObject({ region: 'us-east-1', resources: 10, calls: 4, throttles: 2 });
    expect(done['rds-instances']).toMatchObject({ calls: 3, throttles: 3, failure: 'Throttled: Throttling on rds:DescribeDBInstances after 3 attempts; retries exhausted' });
  });

  it('reports progress per family and region with the calls each made', async () => {
    const fake = setUp(allFixturesAccount());
    const progress: CollectProgress[] = [];
    await collect(fake, { onProgress: (p) => progress.push({ ...p }) });
    const done = progress.filter((p) => p.done).map((p) => [p.family, p.region, p.resources, p.calls, p.throttles]);
    expect(done.sort()).toEqual([
      ['ec2-instances', 'us-east-1', 5, 2, 0],
      ['iam', 'global', 3, 2, 0],
      ['rds-instances', 'us-east-1', 1, 1, 0],
      ['s3-buckets', 'global', 4, 29, 0],
      ['security-groups', 'us-east-1', 10, 2, 0],
    ]);
    expect(progress.filter((p) => !p.done).length).toBeGreaterThan(0);
    const totalCalls = progress.filter((p) => p.done).reduce((sum, p) => sum + p.calls, 0);
    expect(totalCalls).toBe(fake.calls.length);
  });

  it('collects an empty account: nothing found, nothing unknown', async () => {
    const fake = setUp({ accountId: '210987654321', regions: {}, buckets: [], roles: [], policies: [] });
    const inventory = await collect(fake, { regions: ['us-west-2'] });
    expect(inventory).toEqual({ version: 1, account: '210987654321', collectedAt: NOW.toISOString(), regions: ['us-west-2'], resources: [], unknown: [] });
    expect(fake.calls.map((c) => c.operation).sort()).toEqual(['DescribeDBInstances', 'DescribeInstances', 'DescribeSecurityGroups', 'GetAccountAuthorizationDetails', 'ListBuckets', 'ListRoles']);
  });

  it('collects an account holding only the AWS defaults, which the families recognise as such', async () => {
    const fake = setUp(defaultsOnlyAccount());
    const inventory = await collect(fake);
    expect(inventory.unknown).toEqual([]);
    expect(ids(inventory.resources)).toEqual(['aws_iam_role global AWSServiceRoleForSupport', 'aws_security_group us-east-1 sg-7b106e4b23b228e87']);
    for (const resource of inventory.resources) {
      expect(familyForLiveType(resource.type)?.isAwsDefault(resource), resource.id).toBe(true);
    }
  });

  it('collects only the requested types', async () => {
    const fake = setUp(allFixturesAccount());
    const inventory = await collect(fake, { types: ['aws_iam_role'] });
    expect(new Set(inventory.resources.map((r) => r.type))).toEqual(new Set(['aws_iam_role']));
    expect(new Set(fake.calls.map((c) => c.service))).toEqual(new Set(['iam']));
  });

  it('stops with a clear error when there are no credentials at all', async () => {
    const fake = new FakeAccount(allFixturesAccount());
    interceptFakeAws(fake);
    clients = testClients({}, {
      credentials: async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
      },
    });
    const error = await collect(fake).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriftwatchError);
    expect((error as DriftwatchError).message).toMatch(/^no AWS credentials found: set AWS_PROFILE/);
    expect(fake.calls).toEqual([]);
  });

  it('stops with the assume-role error when the role cannot be assumed, instead of an all-unknown inventory', async () => {
    const fake = new FakeAccount({ ...allFixturesAccount(), assumableRoles: { 'arn:aws:iam::123456789012:role/driftwatch-reader': 'right-id' } });
    interceptFakeAws(fake);
    const base = testClients();
    const credentials = assumeRoleCredentials({
      roleArn: 'arn:aws:iam::123456789012:role/driftwatch-reader',
      externalId: 'wrong-id',
      allowlist: ['arn:aws:iam::*:role/driftwatch-reader'],
      stsClient: base.sts('us-east-1'),
    });
    clients = testClients({}, { credentials });
    const error = await collect(fake).catch((e: unknown) => e);
    base.destroy();
    expect(error).toBeInstanceOf(DriftwatchError);
    expect((error as DriftwatchError).message).toMatch(/^could not assume role arn:aws:iam::123456789012:role\/driftwatch-reader \(AccessDenied/);
    expect(fake.calls.every((c) => c.operation === 'AssumeRole')).toBe(true);
  });

  it('collects through AWS_ENDPOINT_URL on 127.0.0.1, with path-style S3 URLs', async () => {
    const fake = new FakeAccount(fixtureAccount('count-foreach-modules'));
    interceptFakeAws(fake, 'http://127.0.0.1:4566');
    clients = testClients(awsSettingsFromEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }));
    const inventory = await collect(fake);
    expect(inventory.unknown).toEqual([]);
    expect(inventory.resources.filter((r) => r.type === 'aws_s3_bucket').map((r) => r.id)).toEqual(['granary-staging-audit-logs', 'granary-staging-exports']);
    expect(new Set(fake.calls.map((c) => c.host))).toEqual(new Set(['127.0.0.1:4566']));
    const bucketPaths = fake.calls.filter((c) => c.params.Bucket === 'granary-staging-exports').map((c) => c.path.split('?')[0]);
    expect(bucketPaths).toHaveLength(7);
    expect(bucketPaths.every((path) => path?.replace(/\/$/, '') === '/granary-staging-exports')).toBe(true);
  });

  it.each([[[]], [['us-east-1', 'not a region']], [['https://evil.example/']]])('rejects the regions %j', async (regions) => {
    const fake = setUp(allFixturesAccount());
    await expect(collect(fake, { regions })).rejects.toBeInstanceOf(DriftwatchError);
    expect(fake.calls).toEqual([]);
  });

  it('covers every live type', () => {
    expect([...ALL_LIVE_TYPES].sort()).toEqual(['aws_db_instance', 'aws_iam_policy', 'aws_iam_role', 'aws_instance', 'aws_s3_bucket', 'aws_security_group']);
  });
});
