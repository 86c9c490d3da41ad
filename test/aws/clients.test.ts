// The clients at the HTTP layer: real SDK clients, real Node HTTP handler, nock answering.
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeInstancesCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { GetBucketTaggingCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallCounter } from '../../src/aws/call-stats.js';
import type { AwsClients } from '../../src/aws/clients.js';
import { awsSettingsFromEnv } from '../../src/aws/settings.js';
import { FakeAccount, THROTTLING } from './fake-aws/account.js';
import { testClients } from './fake-aws/clients.js';
import { fixtureAccount } from './fake-aws/fixtures.js';
import { interceptFakeAws } from './fake-aws/nock.js';

let clients: AwsClients;
afterEach(() => clients.destroy());

describe('createAwsClients', () => {
  it('makes one client per service and region, and IAM always in us-east-1', async () => {
    clients = testClients();
    expect(clients.ec2('us-east-1')).toBe(clients.ec2('us-east-1'));
    expect(clients.ec2('eu-west-1')).not.toBe(clients.ec2('us-east-1'));
    expect(clients.s3('eu-west-1')).toBe(clients.s3('eu-west-1'));
    expect(await clients.ec2('eu-west-1').config.region()).toBe('eu-west-1');
    expect(await clients.iam().config.region()).toBe('us-east-1');
    expect(clients.iam()).toBe(clients.iam());
  });

  it('sends everything to AWS_ENDPOINT_URL, S3 with the bucket in the path', async () => {
    const fake = new FakeAccount(fixtureAccount('count-foreach-modules'));
    interceptFakeAws(fake, 'http://127.0.0.1:4566');
    clients = testClients(awsSettingsFromEnv({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }));

    const buckets = await clients.s3('us-east-1').send(new ListBucketsCommand({}));
    const tagging = await clients.s3('eu-west-1').send(new GetBucketTaggingCommand({ Bucket: 'granary-staging-exports' })).catch((e: Error) => e);
    const instances = await clients.ec2('us-east-1').send(new DescribeInstancesCommand({}));

    expect(buckets.Buckets?.map((b) => b.Name)).toEqual(['granary-staging-exports', 'granary-staging-audit-logs']);
    expect(instances.Reservations).toHaveLength(4);
    expect(fake.calls.map((c) => [c.service, c.host])).toEqual([
      ['s3', '127.0.0.1:4566'],
      ['s3', '127.0.0.1:4566'],
      ['ec2', '127.0.0.1:4566'],
    ]);
    expect(fake.calls[1]?.path).toMatch(/^\/granary-staging-exports\/?\?tagging=?$/);
    // The bucket lives in us-east-1; the fake redirects a call signed for eu-west-1, as S3 does.
    expect((tagging as Error).name).toBe('PermanentRedirect');
  });

  it('uses the virtual-host AWS endpoints of each region without a custom endpoint', async () => {
    const fake = new FakeAccount(fixtureAccount('count-foreach-modules'));
    interceptFakeAws(fake);
    clients = testClients();
    await clients.s3('us-east-1').send(new GetBucketTaggingCommand({ Bucket: 'granary-staging-exports' }));
    await clients.ec2('us-east-1').send(new DescribeInstancesCommand({}));
    expect(fake.calls.map((c) => c.host)).toEqual(['granary-staging-exports.s3.us-east-1.amazonaws.com', 'ec2.us-east-1.amazonaws.com']);
  });

  it('retries a burst of S3 503 SlowDown and counts each attempt and throttle', async () => {
    const fake = new FakeAccount(fixtureAccount('count-foreach-modules'));
    fake.fail({ service: 's3', operation: 'GetBucketTagging', times: 3, error: THROTTLING.s3 });
    interceptFakeAws(fake);
    clients = testClients();
    const counter: CallCounter = { calls: 0, throttles: 0 };
    const output = await clients.counting(counter).s3('us-east-1').send(new GetBucketTaggingCommand({ Bucket: 'granary-staging-exports' }));
    expect(output.TagSet).toHaveLength(4);
    expect(output.$metadata.attempts).toBe(4);
    expect(counter).toMatchObject({ calls: 4, throttles: 3 });
    expect(clients.totals()).toEqual({ calls: 4, throttles: 3 });
  });

  it('keeps the figures of two views apart when they read the same service and region at once', async () => {
    const fake = new FakeAccount(fixtureAccount('count-foreach-modules'));
    fake.fail({ service: 'ec2', operation: 'DescribeInstances', times: 1, error: THROTTLING.ec2 });
    interceptFakeAws(fake);
    clients = testClients();
    const instances: CallCounter = { calls: 0, throttles: 0 };
    const groups: CallCounter = { calls: 0, throttles: 0 };
    const instanceView = clients.counting(instances);
    const groupView = clients.counting(groups);
    await Promise.all([
      instanceView.ec2('us-east-1').send(new DescribeInstancesCommand({})),
      groupView.ec2('us-east-1').send(new DescribeSecurityGroupsCommand({})),
      groupView.ec2('us-east-1').send(new DescribeSecurityGroupsCommand({})),
    ]);
    expect(instances).toMatchObject({ calls: 2, throttles: 1 });
    expect(groups).toMatchObject({ calls: 2, throttles: 0 });
    expect(clients.totals()).toEqual({ calls: 4, throttles: 1 });
    // A view reuses its clients and shares what the factory learns about buckets.
    expect(groupView.ec2('us-east-1')).toBe(groupView.ec2('us-east-1'));
    expect(groupView.ec2('us-east-1')).not.toBe(clients.ec2('us-east-1'));
    expect(groupView.bucketRegions).toBe(clients.bucketRegions);
  });

  it('retries EC2 RequestLimitExceeded and 500 InternalError, then succeeds', async () => {
    const fake = new FakeAccount(fixtureAccount('count-foreach-modules'));
    fake.fail({ service: 'ec2', times: 2, error: THROTTLING.ec2 });
    fake.fail({ service: 'ec2', times: 1, error: { code: 'InternalError', status: 500 } });
    interceptFakeAws(fake);
    clients = testClients();
    const output = await clients.ec2('us-east-1').send(new DescribeInstancesCommand({}));
    expect(output.Reservations).toHaveLength(4);
    expect(fake.callsOf('DescribeInstances')).toHaveLength(4);
    expect(clients.totals()).toEqual({ calls: 4, throttles: 2 });
  });

  it('CloudTrail: backs off from throttling, but a server error is answered at once (attribution stops asking that region)', async () => {
    const json = { 'content-type': 'application/x-amz-json-1.1' };
    const throttled = nock('https://cloudtrail.us-east-1.amazonaws.com')
      .post('/')
      .times(2)
      .reply(400, JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }), json)
      .post('/')
      .reply(200, JSON.stringify({ Events: [] }), json);
    clients = testClients();
    const lookup = () => clients.cloudtrail('us-east-1').send(new LookupEventsCommand({ MaxResults: 50 }));
    expect(await lookup()).toMatchObject({ Events: [] });
    expect(throttled.isDone()).toBe(true);

    const failing = nock('https://cloudtrail.us-east-1.amazonaws.com')
      .post('/')
      .reply(500, JSON.stringify({ __type: 'InternalFailure', message: 'An internal error occurred.' }), json);
    const error = await lookup().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InternalFailure', $metadata: { attempts: 1 } });
    expect(failing.isDone()).toBe(true);
  });

  it('gives up after DRIFTWATCH_AWS_MAX_ATTEMPTS attempts', async () => {
    const fake = new FakeAccount(fixtureAccount('count-foreach-modules'));
    fake.fail({ service: 'ec2', times: Infinity, error: THROTTLING.ec2 });
    interceptFakeAws(fake);
    clients = testClients({ maxAttempts: 3 });
    const error = await clients.ec2('us-east-1').send(new DescribeInstancesCommand({})).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RequestLimitExceeded', $metadata: { attempts: 3 } });
    expect(fake.calls).toHaveLength(3);
  });

  it('does not retry AccessDenied', async () => {
    const fake = new FakeAccount(fixtureAccount('count-foreach-modules'));
    fake.fail({ service: 'ec2', times: Infinity, error: { code: 'UnauthorizedOperation', status: 403, message: 'You are not authorized to perform this operation.' } });
    interceptFakeAws(fake);
    clients = testClients();
    const error = await clients.ec2('us-east-1').send(new DescribeInstancesCommand({})).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'UnauthorizedOperation' });
    expect(fake.calls).toHaveLength(1);
  });

  it('times out a call that takes longer than DRIFTWATCH_AWS_CALL_TIMEOUT_MS, and retries it', async () => {
    const slow = nock('https://ec2.us-east-1.amazonaws.com')
      .post('/')
      .times(2)
      .delay(2_000)
      .reply(200, '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><reservationSet/></DescribeInstancesResponse>');
    clients = testClients({ maxAttempts: 2, callTimeoutMs: 150 });
    const started = Date.now();
    const error = await clients.ec2('us-east-1').send(new DescribeInstancesCommand({})).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TimeoutError', $metadata: { attempts: 2 } });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(slow.isDone()).toBe(true);
  });
});
