import { afterEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/aws/clients.js';
import { collectEc2Instances } from '../../../src/resources/ec2-instances/collect.js';
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

describe('collectEc2Instances', () => {
  it.each(['count-foreach-modules', 'vpc-rules-new-style'] as const)('reads %s exactly as the SDK returns it', async (fixture) => {
    const fake = setUp(new FakeAccount(fixtureAccount(fixture)));
    const raw = await collectEc2Instances({ clients, region: 'us-east-1' });
    const described = readLive<{ Reservations: Array<{ Instances: unknown[] }> }>(fixture, 'ec2-DescribeInstances.json');
    const volumes = readLive<{ Volumes: unknown[] }>(fixture, 'ec2-DescribeVolumes.json');
    expect(raw.region).toBe('us-east-1');
    expect(JSON.parse(JSON.stringify(raw.instances))).toEqual(described.Reservations.flatMap((r) => r.Instances));
    expect(JSON.parse(JSON.stringify(raw.volumes))).toEqual(volumes.Volumes);
    expect(fake.calls.map((c) => c.operation)).toEqual(['DescribeInstances', 'DescribeVolumes']);
  });

  it('asks only for instances that are not on their way out', async () => {
    const data = fixtureAccount('count-foreach-modules');
    const region = data.regions['us-east-1'];
    if (region?.instances[0]) region.instances[0].State = { Code: 48, Name: 'terminated' };
    const fake = setUp(new FakeAccount(data));
    const raw = await collectEc2Instances({ clients, region: 'us-east-1' });
    expect(raw.instances).toHaveLength(3);
    expect(fake.callsOf('DescribeInstances')[0]?.params).toMatchObject({
      'Filter.1.Name': 'instance-state-name',
      'Filter.1.Value.1': 'pending',
      'Filter.1.Value.2': 'running',
      'Filter.1.Value.3': 'stopping',
      'Filter.1.Value.4': 'stopped',
    });
  });

  it('follows NextToken across pages and reads root volumes in batches of at most 200', async () => {
    const fake = new FakeAccount(simulatedAccount({ instances: 450, securityGroups: 0, buckets: 0, dbInstances: 0, roles: 0 }));
    fake.maxPageSize = 100;
    setUp(fake);
    const raw = await collectEc2Instances({ clients, region: 'us-east-1' });

    expect(raw.instances).toHaveLength(450);
    expect(new Set(raw.instances.map((i) => i.InstanceId)).size).toBe(450);
    const describe = fake.callsOf('DescribeInstances');
    expect(describe.map((c) => c.params.NextToken)).toEqual([undefined, 'page-100', 'page-200', 'page-300', 'page-400']);
    expect(describe.every((c) => c.params.MaxResults === '1000')).toBe(true);

    const volumeCalls = fake.callsOf('DescribeVolumes');
    const batchSizes = volumeCalls.map((c) => Object.keys(c.params).filter((k) => /^Filter\.1\.Value\.\d+$/.test(k)).length);
    // Each 200-id batch is itself paged (the fake serves at most 100 per page here).
    expect(batchSizes.filter((n) => n > 0).every((n) => n <= 200)).toBe(true);
    expect(new Set(batchSizes)).toEqual(new Set([200, 50]));
    expect(raw.volumes).toHaveLength(450);
    expect(volumeCalls.length).toBeLessThanOrEqual(6);
  });

  it('reads the root volume only, not the data volumes', async () => {
    const data = fixtureAccount('count-foreach-modules');
    const region = data.regions['us-east-1'];
    const instance = region?.instances[0];
    instance?.BlockDeviceMappings?.push({ DeviceName: '/dev/sdf', Ebs: { VolumeId: 'vol-data0001', DeleteOnTermination: false, Status: 'attached' } });
    region?.volumes.push({ VolumeId: 'vol-data0001', Size: 500, VolumeType: 'gp3' });
    const fake = setUp(new FakeAccount(data));
    const raw = await collectEc2Instances({ clients, region: 'us-east-1' });
    expect(raw.volumes.map((v) => v.VolumeId)).not.toContain('vol-data0001');
    const requested = Object.entries(fake.callsOf('DescribeVolumes')[0]?.params ?? {}).filter(([k]) => k.startsWith('Filter.1.Value.'));
    expect(requested).toHaveLength(4);
  });

  it('makes no volume call in a region without instances', async () => {
    const fake = setUp(new FakeAccount(fixtureAccount('count-foreach-modules')));
    const raw = await collectEc2Instances({ clients, region: 'eu-north-1' });
    expect(raw).toEqual({ region: 'eu-north-1', instances: [], volumes: [] });
    expect(fake.calls.map((c) => `${c.operation} ${c.region}`)).toEqual(['DescribeInstances eu-north-1']);
  });
});
