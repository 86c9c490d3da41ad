// The fake account is only worth its tests if the real SDK reads its answers back as the fixture
// files hold them: render each fixture response, parse it with the real client, compare.
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeInstancesCommand, DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { GetAccountAuthorizationDetailsCommand } from '@aws-sdk/client-iam';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../src/aws/clients.js';
import { FakeAccount } from './fake-aws/account.js';
import { testClients } from './fake-aws/clients.js';
import { fixtureAccount, readLive, type FixtureName } from './fake-aws/fixtures.js';
import { interceptFakeAws } from './fake-aws/nock.js';

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
