import { afterEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/aws/clients.js';
import { collectIam, iamCollector } from '../../../src/resources/iam/collect.js';
import { FakeAccount } from '../../aws/fake-aws/account.js';
import { testClients } from '../../aws/fake-aws/clients.js';
import { fixtureAccount, readLive } from '../../aws/fake-aws/fixtures.js';
import { simulatedAccount } from '../../aws/fake-aws/generate.js';
import { interceptFakeAws } from '../../aws/fake-aws/nock.js';

let clients: AwsClients;
afterEach(() => clients.destroy());

function setUp(fake: FakeAccount): FakeAccount {
  interceptFakeAws(fake);
  clients = testClients();
  return fake;
}

describe('collectIam', () => {
  it.each(['legacy-inline', 'vpc-rules-new-style'] as const)('reads %s roles and customer-managed policies as the SDK returns them', async (fixture) => {
    const fake = setUp(new FakeAccount(fixtureAccount(fixture)));
    const { raw, listRolesFailure } = await collectIam({ clients });
    const expected = readLive<{ RoleDetailList: unknown[]; Policies: unknown[] }>(fixture, 'iam-GetAccountAuthorizationDetails.json');
    expect(JSON.parse(JSON.stringify(raw.roles))).toEqual(expected.RoleDetailList);
    expect(JSON.parse(JSON.stringify(raw.policies))).toEqual(expected.Policies);
    expect(raw.listedRoles?.map((r) => r.RoleName)).toEqual(raw.roles.map((r) => r.RoleName));
    expect(listRolesFailure).toBeUndefined();
    const details = fake.callsOf('GetAccountAuthorizationDetails');
    expect(details).toHaveLength(1);
    expect(details[0]?.params).toMatchObject({ 'Filter.member.1': 'Role', 'Filter.member.2': 'LocalManagedPolicy', MaxItems: '1000' });
    expect(details[0]?.host).toBe('iam.amazonaws.com');
  });

  it('follows Marker across GetAccountAuthorizationDetails and ListRoles pages', async () => {
    const fake = new FakeAccount(simulatedAccount({ instances: 0, securityGroups: 0, buckets: 0, dbInstances: 0, roles: 5, policies: 2 }));
    fake.maxPageSize = 2;
    setUp(fake);
    const { raw } = await collectIam({ clients });
    expect(raw.roles.map((r) => r.RoleName)).toEqual(['sim-role-0', 'sim-role-1', 'sim-role-2', 'sim-role-3', 'sim-role-4']);
    expect(raw.policies.map((p) => p.PolicyName)).toEqual(['sim-policy-0', 'sim-policy-1']);
    expect(raw.listedRoles?.map((r) => [r.RoleName, r.Description, r.MaxSessionDuration])[4]).toEqual(['sim-role-4', 'simulated role 4', 3600]);
    expect(fake.callsOf('GetAccountAuthorizationDetails').map((c) => c.params.Marker)).toEqual([undefined, 'page-2', 'page-4', 'page-6']);
    expect(fake.callsOf('ListRoles').map((c) => c.params.Marker)).toEqual([undefined, 'page-2', 'page-4']);
  });

  it('still collects roles when ListRoles is denied, with description and max_session_duration unknown', async () => {
    const fake = new FakeAccount(fixtureAccount('legacy-inline'));
    fake.fail({ service: 'iam', operation: 'ListRoles', times: Infinity, error: { code: 'AccessDenied', status: 403, message: 'not authorized to perform: iam:ListRoles' } });
    setUp(fake);
    const resources = await iamCollector.collect({ clients, region: 'us-east-1', regions: ['us-east-1'], bucketSettings: new Map() });
    const role = resources.find((r) => r.type === 'aws_iam_role');
    expect(role?.id).toBe('millbrook-app');
    expect(role?.unknownAttributes).toEqual({ description: 'AccessDenied: iam:ListRoles', max_session_duration: 'AccessDenied: iam:ListRoles' });
    expect(resources.find((r) => r.type === 'aws_iam_policy')?.unknownAttributes).toBeUndefined();
  });

  it('fails when GetAccountAuthorizationDetails is denied', async () => {
    const fake = new FakeAccount(fixtureAccount('legacy-inline'));
    fake.fail({ service: 'iam', operation: 'GetAccountAuthorizationDetails', times: Infinity, error: { code: 'AccessDenied', status: 403 } });
    setUp(fake);
    await expect(collectIam({ clients })).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
