import { afterEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/aws/clients.js';
import { collectDbInstances } from '../../../src/resources/rds-instances/collect.js';
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

describe('collectDbInstances', () => {
  it('reads legacy-inline exactly as the SDK returns it', async () => {
    setUp(new FakeAccount(fixtureAccount('legacy-inline')));
    const raw = await collectDbInstances({ clients, region: 'us-east-1' });
    expect(JSON.parse(JSON.stringify(raw))).toEqual({
      region: 'us-east-1',
      instances: readLive<{ DBInstances: unknown[] }>('legacy-inline', 'rds-DescribeDBInstances.json').DBInstances,
    });
  });

  it('follows Marker across pages', async () => {
    const fake = new FakeAccount(simulatedAccount({ instances: 0, securityGroups: 0, buckets: 0, dbInstances: 45, roles: 0 }));
    fake.maxPageSize = 20;
    setUp(fake);
    const raw = await collectDbInstances({ clients, region: 'us-east-1' });
    expect(raw.instances.map((db) => db.DBInstanceIdentifier)).toEqual(Array.from({ length: 45 }, (_, i) => `db-0-${i}`));
    expect(fake.callsOf('DescribeDBInstances').map((c) => [c.params.MaxRecords, c.params.Marker])).toEqual([
      ['100', undefined],
      ['100', 'page-20'],
      ['100', 'page-40'],
    ]);
  });

  it('leaves out the DocumentDB and Neptune instances the RDS API also lists', async () => {
    const data = fixtureAccount('legacy-inline');
    const region = data.regions['us-east-1'];
    const template = region?.dbInstances[0];
    region?.dbInstances.push({ ...template, DBInstanceIdentifier: 'docs-1', Engine: 'docdb' }, { ...template, DBInstanceIdentifier: 'graph-1', Engine: 'neptune' });
    setUp(new FakeAccount(data));
    const raw = await collectDbInstances({ clients, region: 'us-east-1' });
    expect(raw.instances.map((db) => db.DBInstanceIdentifier)).toEqual(['millbrook-mysql']);
  });
});
