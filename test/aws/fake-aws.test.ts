// The fake account is only worth its tests if the real SDK reads its answers back as the fixture
// files hold them: render each fixture response, parse it with the real client, compare.
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeInstancesCommand, DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { GetAccountAuthorizationDetailsCommand } from '@aws-sdk/client-iam';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import {
  GetObjectCommand,
  HeadObjectCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../src/aws/clients.js';
import { readS3State } from '../../src/terraform/backend-s3.js';
import { FakeAccount, type FakeAccountData } from './fake-aws/account.js';
import { testClients } from './fake-aws/clients.js';
import { fixtureAccount, readLive, type FixtureName } from './fake-aws/fixtures.js';
import { interceptFakeAws } from './fake-aws/nock.js';
import { record, wireEvent } from './fixtures/cloudtrail-lookup.js';

let clients: AwsClients;
afterEach(() => clients.destroy());

function withoutMetadata(output: object): unknown {
  const { $metadata: _metadata, ...rest } = output as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest));
}

function setUp(fixture: FixtureName): void {
  interceptFakeAws(new FakeAccount(fixtureAccount(fixture)));
  clients = testClients();
}

describe('fake AWS answers parse back to the fixture files', () => {
  it.each([
    ['vpc-rules-new-style', 'ec2-DescribeInstances.json', () => new DescribeInstancesCommand({})],
    ['vpc-rules-new-style', 'ec2-DescribeVolumes.json', () => new DescribeVolumesCommand({})],
    ['legacy-inline', 'ec2-DescribeSecurityGroups.json', () => new DescribeSecurityGroupsCommand({})],
    ['legacy-inline', 'ec2-DescribeSecurityGroupRules.json', () => new DescribeSecurityGroupRulesCommand({})],
  ] as const)('%s %s', async (fixture, file, command) => {
    setUp(fixture);
    const output = await clients.ec2('us-east-1').send(command() as DescribeInstancesCommand);
    const expected = readLive<Record<string, unknown>>(fixture, file);
    if (file === 'ec2-DescribeInstances.json') {
      // The fake gives each instance its own reservation; the instances must be identical.
      const instances = (o: unknown) => (o as { Reservations: Array<{ Instances: unknown[] }> }).Reservations.flatMap((r) => r.Instances);
      expect(instances(withoutMetadata(output))).toEqual(instances(expected));
    } else {
      expect(withoutMetadata(output)).toEqual(expected);
    }
  });

  it('legacy-inline DescribeDBInstances and GetAccountAuthorizationDetails', async () => {
    setUp('legacy-inline');
    const db = await clients.rds('us-east-1').send(new DescribeDBInstancesCommand({}));
    expect(withoutMetadata(db)).toEqual(readLive('legacy-inline', 'rds-DescribeDBInstances.json'));
    const iam = await clients.iam().send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role', 'LocalManagedPolicy'] }));
    const expected = readLive<Record<string, unknown>>('legacy-inline', 'iam-GetAccountAuthorizationDetails.json');
    expect(withoutMetadata(iam)).toEqual({ RoleDetailList: expected.RoleDetailList, Policies: expected.Policies, IsTruncated: false });
  });

  it.each([
    ['GetBucketAcl', (Bucket: string) => new GetBucketAclCommand({ Bucket })],
    ['GetBucketEncryption', (Bucket: string) => new GetBucketEncryptionCommand({ Bucket })],
    ['GetBucketPolicy', (Bucket: string) => new GetBucketPolicyCommand({ Bucket })],
    ['GetBucketTagging', (Bucket: string) => new GetBucketTaggingCommand({ Bucket })],
    ['GetBucketVersioning', (Bucket: string) => new GetBucketVersioningCommand({ Bucket })],
    ['GetPublicAccessBlock', (Bucket: string) => new GetPublicAccessBlockCommand({ Bucket })],
  ] as const)('count-foreach-modules S3 %s', async (operation, command) => {
    setUp('count-foreach-modules');
    const bucket = 'granary-staging-exports';
    const output = await clients.s3('us-east-1').send(command(bucket) as GetBucketAclCommand);
    expect(withoutMetadata(output)).toEqual(readLive('count-foreach-modules', `s3-${operation}-${bucket}.json`));
  });
});

describe('fake CloudTrail', () => {
  it('answers LookupEvents with an empty history, and a queued failure in the JSON protocol', async () => {
    const fake = new FakeAccount(fixtureAccount('legacy-inline'));
    interceptFakeAws(fake);
    clients = testClients();
    const lookup = () =>
      clients.cloudtrail('eu-west-1').send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'sg-7488d1103fb704de7' }], MaxResults: 50 }));
    expect(withoutMetadata(await lookup())).toEqual({ Events: [] });
    expect(fake.callsOf('LookupEvents')[0]).toMatchObject({ service: 'cloudtrail', region: 'eu-west-1', params: { MaxResults: '50' } });
    fake.fail({ service: 'cloudtrail', times: 1, error: { code: 'InternalFailure', status: 500, message: 'An internal error occurred.' } });
    await expect(lookup()).rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
  });
});

describe('fake S3 objects', () => {
  const STATE = '{"version":4,"terraform_version":"1.9.8","serial":3,"lineage":"5d4f0c1e-7a3b-4c9e-9f1d-2b6a8e0c4d17","outputs":{},"resources":[]}\n';
  function stateAccount(bucket: Partial<FakeAccountData['buckets'][number]> = {}): FakeAccount {
    const data = fixtureAccount('legacy-inline');
    data.buckets.push({
      name: 'acme-tfstate',
      region: 'us-east-1',
      creationDate: '2024-03-02T10:11:12.000Z',
      objects: { 'legacy/terraform.tfstate': { body: STATE, lastModified: '2025-01-14T08:30:00.000Z', contentType: 'application/json' } },
      ...bucket,
    });
    return new FakeAccount(data);
  }
  const ENDPOINT = 'http://127.0.0.1:4566';

  it.each([
    ['virtual-hosted', undefined, 'acme-tfstate.s3.us-east-1.amazonaws.com', '/legacy/terraform.tfstate'],
    ['path-style', ENDPOINT, '127.0.0.1:4566', '/acme-tfstate/legacy/terraform.tfstate'],
  ] as const)('GetObject and HeadObject, %s, with the headers S3 sends', async (_style, endpoint, host, path) => {
    const fake = stateAccount();
    interceptFakeAws(fake, endpoint);
    clients = testClients(endpoint ? { endpoints: { s3: endpoint } } : {});
    const s3 = clients.s3('us-east-1');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'acme-tfstate', Key: 'legacy/terraform.tfstate' }));
    expect(await got.Body?.transformToString()).toBe(STATE);
    const expected = {
      ETag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
      ContentLength: Buffer.byteLength(STATE),
      ContentType: 'application/json',
      LastModified: new Date('2025-01-14T08:30:00.000Z'),
      ServerSideEncryption: 'AES256',
    };
    expect(got).toMatchObject(expected);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'acme-tfstate', Key: 'legacy/terraform.tfstate' }));
    expect(head).toMatchObject({ ...expected, ETag: got.ETag });
    expect(fake.calls.map((call) => [call.operation, call.params.Bucket, call.params.Key, call.host, call.path])).toEqual([
      ['GetObject', 'acme-tfstate', 'legacy/terraform.tfstate', host, expect.stringMatching(new RegExp(`^${path}(\\?|$)`))],
      ['HeadObject', 'acme-tfstate', 'legacy/terraform.tfstate', host, expect.stringMatching(new RegExp(`^${path}(\\?|$)`))],
    ]);
  });

  it('answers a missing key NoSuchKey (with the key) to a caller that may list the bucket, AccessDenied otherwise, and HEAD by status alone', async () => {
    const fake = stateAccount();
    interceptFakeAws(fake);
    clients = testClients();
    const s3 = clients.s3('us-east-1');
    await expect(s3.send(new GetObjectCommand({ Bucket: 'acme-tfstate', Key: 'prod/terraform.tfstate' }))).rejects.toMatchObject({
      name: 'NoSuchKey',
      Key: 'prod/terraform.tfstate',
      message: 'The specified key does not exist.',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'acme-tfstate', Key: 'prod/terraform.tfstate' }))).rejects.toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    fake.data.buckets.find((bucket) => bucket.name === 'acme-tfstate')!.listable = false;
    await expect(s3.send(new GetObjectCommand({ Bucket: 'acme-tfstate', Key: 'prod/terraform.tfstate' }))).rejects.toMatchObject({ name: 'AccessDenied', message: 'Access Denied', $metadata: { httpStatusCode: 403 } });
    // The SDK maps only a bodiless 404 to a name (NotFound): a 403 to HEAD is "Unknown", as with S3.
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'acme-tfstate', Key: 'prod/terraform.tfstate' }))).rejects.toMatchObject({ name: 'Unknown', $metadata: { httpStatusCode: 403 } });
    await expect(s3.send(new GetObjectCommand({ Bucket: 'acme-tfstate-gone', Key: 'a' }))).rejects.toMatchObject({ name: 'NoSuchBucket', BucketName: 'acme-tfstate-gone' });
  });

  it("is read by the s3 backend's reader, which names the backend in each failure", async () => {
    const fake = stateAccount();
    interceptFakeAws(fake);
    clients = testClients();
    const read = (key: string) => readS3State({ bucket: 'acme-tfstate', key, region: 'us-east-1', s3: clients.s3, defaultRegion: 'us-east-1' });
    await expect(read('legacy/terraform.tfstate')).resolves.toEqual({ text: STATE, source: 's3://acme-tfstate/legacy/terraform.tfstate', region: 'us-east-1' });
    await expect(read('prod/terraform.tfstate')).rejects.toThrow(/^no state at s3:\/\/acme-tfstate\/prod\/terraform\.tfstate: check the backend's bucket and key/);
    fake.data.buckets.find((bucket) => bucket.name === 'acme-tfstate')!.listable = false;
    await expect(read('prod/terraform.tfstate')).rejects.toThrow(/^access denied reading s3:\/\/acme-tfstate\/prod\/terraform\.tfstate: allow s3:GetObject on arn:aws:s3:::acme-tfstate\/prod\/terraform\.tfstate/);
  });
});

describe('fake CloudTrail history', () => {
  it('looks events up by resource name within the time window, paged by MaxResults', async () => {
    const data = fixtureAccount('legacy-inline');
    const console = record('iam-user-console-authorize-ingress');
    const ci = record('ci-create-tags-sg');
    const group = { type: 'AWS::EC2::SecurityGroup', name: 'sg-7488d1103fb704de7' };
    data.cloudTrail = {
      'us-east-1': [wireEvent(ci, [group]), wireEvent(console, [group]), wireEvent(record('ci-modify-db-instance'), [{ type: 'AWS::RDS::DBInstance', name: 'millbrook-db' }])] as never,
    };
    const fake = new FakeAccount(data);
    interceptFakeAws(fake);
    clients = testClients();
    const lookup = (input: { NextToken?: string; StartTime?: Date }) =>
      clients.cloudtrail('us-east-1').send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: group.name }], StartTime: new Date('2026-11-01T00:00:00Z'), EndTime: new Date('2026-11-30T00:00:00Z'), MaxResults: 1, ...input }),
      );
    const first = await lookup({});
    expect(first.Events?.map((event) => [event.EventName, event.Username, event.EventTime])).toEqual([['CreateTags', 'gha-acme-infra-8813002', new Date(ci.eventTime)]]);
    const second = await lookup({ NextToken: first.NextToken });
    expect(second.Events?.map((event) => [event.EventName, event.Username])).toEqual([['AuthorizeSecurityGroupIngress', 'maria.garcia']]);
    expect(second.NextToken).toBeUndefined();
    expect(JSON.parse(second.Events![0]!.CloudTrailEvent!)).toEqual(console);
    // Outside the window: nothing.
    expect((await lookup({ StartTime: new Date('2026-11-21T10:00:01Z') })).Events).toEqual([]);
    expect(fake.callsOf('LookupEvents')).toHaveLength(3);
  });
});
