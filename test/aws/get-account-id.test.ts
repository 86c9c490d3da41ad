import { afterEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../src/aws/clients.js';
import { getAccountId } from '../../src/aws/get-account-id.js';
import { DriftwatchError } from '../../src/errors.js';
import { FakeAccount } from './fake-aws/account.js';
import { testClients } from './fake-aws/clients.js';
import { fixtureAccount } from './fake-aws/fixtures.js';
import { interceptFakeAws } from './fake-aws/nock.js';

let clients: AwsClients;
afterEach(() => clients.destroy());

describe('getAccountId', () => {
  it('asks STS GetCallerIdentity in the given region', async () => {
    const fake = new FakeAccount(fixtureAccount('legacy-inline'));
    interceptFakeAws(fake);
    clients = testClients();
    expect(await getAccountId(clients, 'eu-west-1')).toBe('123456789012');
    expect(fake.calls.map((c) => [c.operation, c.host])).toEqual([['GetCallerIdentity', 'sts.eu-west-1.amazonaws.com']]);
  });

  it('explains invalid credentials without a stack trace', async () => {
    const fake = new FakeAccount(fixtureAccount('legacy-inline'));
    fake.fail({ service: 'sts', times: Infinity, error: { code: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.' } });
    interceptFakeAws(fake);
    clients = testClients();
    const error = await getAccountId(clients).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriftwatchError);
    expect((error as DriftwatchError).message).toBe(
      'could not identify the AWS account (InvalidClientTokenId on sts:GetCallerIdentity (HTTP 403): The security token included in the request is invalid.); check that the credentials are valid and not expired',
    );
  });
});
