import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../src/aws/clients.js';
import { failureReason, isAccessDenied, toSdkError } from '../../src/aws/sdk-failure.js';
import { FakeAccount, THROTTLING } from './fake-aws/account.js';
import { testClients } from './fake-aws/clients.js';
import { fixtureAccount } from './fake-aws/fixtures.js';
import { interceptFakeAws } from './fake-aws/nock.js';
import type { FakeError } from './fake-aws/render.js';

let clients: AwsClients;
afterEach(() => clients.destroy());

/** The error a real client throws when the fake answers `error` to every attempt. */
async function ec2Failure(error: FakeError, maxAttempts = 2): Promise<unknown> {
  const fake = new FakeAccount(fixtureAccount('count-foreach-modules'));
  fake.fail({ service: 'ec2', times: Infinity, error });
  interceptFakeAws(fake);
  clients = testClients({ maxAttempts });
  return clients.ec2('us-east-1').send(new DescribeInstancesCommand({})).catch((e: unknown) => e);
}

describe('failureReason', () => {
  it.each([
    [{ code: 'UnauthorizedOperation', status: 403, message: 'You are not authorized to perform this operation.' }, 'AccessDenied: ec2:DescribeInstances (UnauthorizedOperation)'],
    [THROTTLING.ec2, 'Throttled: RequestLimitExceeded on ec2:DescribeInstances after 2 attempts; retries exhausted'],
    [{ code: 'InternalError', status: 500, message: 'An internal error has occurred' }, 'InternalError on ec2:DescribeInstances (HTTP 500) after 2 attempts: An internal error has occurred'],
    [{ code: 'OptInRequired', status: 401, message: 'You are not subscribed to this service.' }, 'OptInRequired on ec2:DescribeInstances (HTTP 401): You are not subscribed to this service.'],
  ])('%j → %s', async (error, reason) => {
    expect(failureReason(await ec2Failure(error))).toBe(reason);
  });

  it('cuts a long cloud message short and keeps it on one line', () => {
    const reason = failureReason(Object.assign(new Error(`line one\n${'x'.repeat(1000)}`), { name: 'WeirdError' }));
    expect(reason.length).toBeLessThan(330);
    expect(reason).not.toContain('\n');
    expect(reason.startsWith('WeirdError: line one x')).toBe(true);
  });

  it('names a timeout', () => {
    expect(failureReason(Object.assign(new Error('request timed out after 30000 ms'), { name: 'TimeoutError', $metadata: { attempts: 5 } }))).toBe(
      'Timeout after 5 attempts: request timed out after 30000 ms',
    );
  });
});

describe('toSdkError', () => {
  it('keeps name, message, status and fault of an S3 error, as the fixtures store them', async () => {
    const fake = new FakeAccount(fixtureAccount('legacy-inline'));
    interceptFakeAws(fake);
    clients = testClients();
    const error = await clients.s3('us-east-1').send(new GetBucketPolicyCommand({ Bucket: 'millbrook-legacy-scratch' })).catch((e: unknown) => e);
    expect(toSdkError(error)).toEqual({ $error: { name: 'NoSuchBucketPolicy', message: 'The bucket policy does not exist', httpStatusCode: 404, fault: 'client' } });
    expect(isAccessDenied(error)).toBe(false);
  });
});
