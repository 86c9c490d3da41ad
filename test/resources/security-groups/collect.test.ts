import { afterEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/aws/clients.js';
import { collectSecurityGroups } from '../../../src/resources/security-groups/collect.js';
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

function filterValues(params: Record<string, string>): string[] {
  return Object.entries(params)
    .filter(([key]) => /^Filter\.1\.Value\.\d+$/.test(key))
    .map(([, value]) => value);
}

describe('collectSecurityGroups', () => {
  it.each(['count-foreach-modules', 'legacy-inline', 'vpc-rules-new-style'] as const)('reads %s exactly as the SDK returns it', async (fixture) => {
    const fake = setUp(new FakeAccount(fixtureAccount(fixture)));
    const raw = await collectSecurityGroups({ clients, region: 'us-east-1' });
    expect(JSON.parse(JSON.stringify(raw.groups))).toEqual(readLive<{ SecurityGroups: unknown[] }>(fixture, 'ec2-DescribeSecurityGroups.json').SecurityGroups);
    expect(JSON.parse(JSON.stringify(raw.rules))).toEqual(readLive<{ SecurityGroupRules: unknown[] }>(fixture, 'ec2-DescribeSecurityGroupRules.json').SecurityGroupRules);
    const rulesCall = fake.callsOf('DescribeSecurityGroupRules')[0];
    expect(rulesCall?.params['Filter.1.Name']).toBe('group-id');
    expect(filterValues(rulesCall?.params ?? {}).sort()).toEqual(raw.groups.map((g) => g.GroupId).sort());
  });

  it('pages through the groups and asks for their rules in batches of at most 200 groups', async () => {
    const fake = new FakeAccount(simulatedAccount({ instances: 0, securityGroups: 450, rulesPerGroup: 3, buckets: 0, dbInstances: 0, roles: 0 }));
    fake.maxPageSize = 400;
    setUp(fake);
    const raw = await collectSecurityGroups({ clients, region: 'us-east-1' });
    expect(raw.groups).toHaveLength(450);
    expect(raw.rules).toHaveLength(1350);
    expect(fake.callsOf('DescribeSecurityGroups').map((c) => c.params.NextToken)).toEqual([undefined, 'page-400']);
    const batches = fake.callsOf('DescribeSecurityGroupRules').map((c) => filterValues(c.params).length);
    // 600 rules for a 200-group batch make two pages of 400; 150 for the last batch, one.
    expect(batches.sort((a, b) => a - b)).toEqual([50, 200, 200, 200, 200]);
  });

  it('makes one call in a region without groups', async () => {
    const fake = setUp(new FakeAccount(fixtureAccount('legacy-inline')));
    expect(await collectSecurityGroups({ clients, region: 'ap-south-1' })).toEqual({ region: 'ap-south-1', groups: [], rules: [] });
    expect(fake.calls).toHaveLength(1);
  });
});
