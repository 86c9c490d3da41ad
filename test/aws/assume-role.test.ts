import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { assumeRoleCredentials } from '../../src/aws/assume-role.js';
import type { AwsClients } from '../../src/aws/clients.js';
import { DriftwatchError } from '../../src/errors.js';
import { FakeAccount } from './fake-aws/account.js';
import { testClients } from './fake-aws/clients.js';
import { fixtureAccount } from './fake-aws/fixtures.js';
import { interceptFakeAws } from './fake-aws/nock.js';

const READER = 'arn:aws:iam::123456789012:role/driftwatch-reader';
const ALLOWLIST = ['arn:aws:iam::*:role/driftwatch-reader'];

const opened: AwsClients[] = [];
afterEach(() => {
  for (const clients of opened.splice(0)) clients.destroy();
});

function setUp(): { fake: FakeAccount; base: AwsClients } {
  const fake = new FakeAccount({ ...fixtureAccount('count-foreach-modules'), assumableRoles: { [READER]: 'ext-7f3a' } });
  interceptFakeAws(fake);
  const base = testClients();
  opened.push(base);
  return { fake, base };
}

function thrown(fn: () => unknown): DriftwatchError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DriftwatchError);
    return error as DriftwatchError;
  }
  throw new Error('expected a DriftwatchError');
}

describe('assumeRoleCredentials', () => {
  it('refuses a role outside the allowlist before any call is made', () => {
    const { fake, base } = setUp();
    const error = thrown(() =>
      assumeRoleCredentials({
        roleArn: 'arn:aws:iam::123456789012:role/OrganizationAccountAccessRole',
        externalId: 'ext-7f3a',
        allowlist: ALLOWLIST,
        stsClient: base.sts('us-east-1'),
      }),
    );
    expect(error.code).toBe('aws');
    expect(error.message).toBe(
      'role arn:aws:iam::123456789012:role/OrganizationAccountAccessRole is not in DRIFTWATCH_ASSUME_ROLE_ALLOWLIST; ask the driftwatch operator to add it',
    );
    expect(fake.calls).toEqual([]);
  });

  it('refuses every role when the allowlist is empty', () => {
    const { base } = setUp();
    expect(thrown(() => assumeRoleCredentials({ roleArn: READER, allowlist: [], stsClient: base.sts('us-east-1') })).message).toMatch(/not in DRIFTWATCH_ASSUME_ROLE_ALLOWLIST/);
  });

  it('refuses something that is not a role ARN', () => {
    const { base } = setUp();
    expect(thrown(() => assumeRoleCredentials({ roleArn: 'driftwatch-reader', allowlist: null, stsClient: base.sts('us-east-1') })).message).toMatch(
      /is not an IAM role ARN/,
    );
  });

  it('assumes an allowed role with the external id, caches the credentials, and the clients sign with them', async () => {
    const { fake, base } = setUp();
    const credentials = assumeRoleCredentials({ roleArn: READER, externalId: 'ext-7f3a', allowlist: ALLOWLIST, stsClient: base.sts('us-east-1') });
    const assumed = testClients({}, { credentials });
    opened.push(assumed);

    await assumed.ec2('us-east-1').send(new DescribeInstancesCommand({}));
    await assumed.ec2('eu-west-1').send(new DescribeInstancesCommand({}));
    await Promise.all([credentials(), credentials()]);

    const assumeCalls = fake.callsOf('AssumeRole');
    expect(assumeCalls).toHaveLength(1);
    expect(assumeCalls[0]?.params).toMatchObject({ RoleArn: READER, ExternalId: 'ext-7f3a', RoleSessionName: 'driftwatch' });
    expect(fake.callsOf('DescribeInstances').map((c) => c.accessKeyId)).toEqual(['ASIAASSUMED1', 'ASIAASSUMED1']);
  });

  it('shares one AssumeRole between concurrent first callers', async () => {
    const { fake, base } = setUp();
    const credentials = assumeRoleCredentials({ roleArn: READER, externalId: 'ext-7f3a', allowlist: ALLOWLIST, stsClient: base.sts('us-east-1') });
    const identities = await Promise.all([credentials(), credentials(), credentials()]);
    expect(new Set(identities.map((i) => i.accessKeyId)).size).toBe(1);
    expect(fake.callsOf('AssumeRole')).toHaveLength(1);
  });

  it('assumes the role again shortly before the credentials expire', async () => {
    const { fake, base } = setUp();
    let now = new Date();
    const credentials = assumeRoleCredentials({ roleArn: READER, externalId: 'ext-7f3a', allowlist: null, stsClient: base.sts('us-east-1'), now: () => now });
    const first = await credentials();
    now = new Date(now.getTime() + 50 * 60_000);
    expect((await credentials()).accessKeyId).toBe(first.accessKeyId);
    // The fake issues one-hour credentials: 56 minutes in, they are within the refresh window.
    now = new Date(now.getTime() + 6 * 60_000);
    const second = await credentials();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(fake.callsOf('AssumeRole')).toHaveLength(2);
  });

  it('turns a refused AssumeRole into an error that says what to check', async () => {
    const { base } = setUp();
    const credentials = assumeRoleCredentials({ roleArn: READER, externalId: 'wrong', allowlist: ALLOWLIST, stsClient: base.sts('us-east-1') });
    const error = await credentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriftwatchError);
    expect((error as DriftwatchError).message).toMatch(/^could not assume role arn:aws:iam::123456789012:role\/driftwatch-reader \(AccessDenied: .*\); check that its trust policy/);
  });
});
