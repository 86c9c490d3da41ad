// A response cut short is a transient fault: retried like a network error, within the same
// attempt budget, before a family is given up as unknown. Real clients, a real HTTP server.
import { afterEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../src/aws/clients.js';
import { collectInventory } from '../../src/aws/collect-inventory.js';
import { FakeAccount } from './fake-aws/account.js';
import { everySetting } from './fake-aws/bucket-settings.js';
import { testClients } from './fake-aws/clients.js';
import { fixtureAccount } from './fake-aws/fixtures.js';
import { serveFakeAws, type FakeAwsServer, type Sabotage } from './fake-aws/local-server.js';
import type { ParsedRequest } from './fake-aws/parse-request.js';

let clients: AwsClients | undefined;
let server: FakeAwsServer | undefined;
afterEach(async () => {
  clients?.destroy();
  await server?.close();
});

/** Spoils the first `times` calls of `operation`, then answers them right. */
function spoilFirst(operation: string, how: Sabotage, times = 1): (request: ParsedRequest) => Sabotage | null {
  let left = times;
  return (request) => {
    if (request.operation !== operation || left === 0) return null;
    left -= 1;
    return how;
  };
}

async function collect(fake: FakeAccount, sabotage: (request: ParsedRequest) => Sabotage | null, maxAttempts = 5) {
  server = await serveFakeAws(fake, sabotage);
  const url = server.url;
  clients = testClients({ maxAttempts, endpoints: { ec2: url, s3: url, rds: url, iam: url, sts: url } });
  return collectInventory({ regions: ['us-east-1'], clients, bucketSettings: everySetting(fake.data.buckets.map((b) => b.name)), account: fake.data.accountId });
}

describe('a response cut short', () => {
  it.each<[string, Sabotage]>([
    ['DescribeSecurityGroups', 'reset'],
    ['DescribeSecurityGroups', 'truncate'],
    ['DescribeDBInstances', 'truncate'],
    ['GetBucketTagging', 'reset'],
    ['GetBucketTagging', 'truncate'],
    ['GetAccountAuthorizationDetails', 'truncate'],
  ])('%s (%s): retried, and the family is collected', async (operation, how) => {
    const fake = new FakeAccount(fixtureAccount('legacy-inline'));
    const inventory = await collect(fake, spoilFirst(operation, how));
    expect(inventory.unknown).toEqual([]);
    const whole = await wholeInventory();
    expect(inventory.resources).toEqual(whole);
    // The spoiled call and its retry; nothing else asked twice.
    const calls = fake.calls.filter((call) => call.operation === operation);
    expect(calls.length).toBe(new Set(calls.map((call) => JSON.stringify(call.params))).size + 1);
  });

  it('cut short on every attempt: unknown after the attempt budget, saying the answer was cut off', async () => {
    const fake = new FakeAccount(fixtureAccount('legacy-inline'));
    const inventory = await collect(fake, (request) => (request.operation === 'DescribeDBInstances' ? 'truncate' : null), 3);
    expect(fake.callsOf('DescribeDBInstances')).toHaveLength(3);
    expect(inventory.unknown).toHaveLength(1);
    expect(inventory.unknown[0]?.type).toBe('aws_db_instance');
    expect(inventory.unknown[0]?.reason).toMatch(/^Cut-off response from rds:DescribeDBInstances after 3 attempts: the body could not be read to its end \(XML parse error: .+\)$/);
  });
});

/** The same account read without faults, to compare with. */
async function wholeInventory() {
  const fake = new FakeAccount(fixtureAccount('legacy-inline'));
  const previousServer = server;
  const previousClients = clients;
  try {
    const inventory = await collect(fake, () => null);
    return inventory.resources;
  } finally {
    clients?.destroy();
    await server?.close();
    server = previousServer;
    clients = previousClients;
  }
}
