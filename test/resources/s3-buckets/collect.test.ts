// S3 at the HTTP layer: real S3 clients, nock answering as S3 does (virtual-host names per region,
// 301 for a bucket addressed in the wrong region, 404 codes for settings that are not configured).
import { afterEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/aws/clients.js';
import { collectS3Buckets, regionOfLocation } from '../../../src/resources/s3-buckets/collect.js';
import { normalizeS3Buckets } from '../../../src/resources/s3-buckets/normalize.js';
import { FakeAccount, THROTTLING, type FakeBucket } from '../../aws/fake-aws/account.js';
import { testClients } from '../../aws/fake-aws/clients.js';
import { fixtureAccount, readLive, type FixtureName } from '../../aws/fake-aws/fixtures.js';
import { interceptFakeAws } from '../../aws/fake-aws/nock.js';
import { everySetting } from '../../aws/fake-aws/bucket-settings.js';

let clients: AwsClients;
afterEach(() => clients.destroy());

function setUp(fake: FakeAccount): FakeAccount {
  interceptFakeAws(fake);
  clients = testClients();
  return fake;
}

const SETTINGS = {
  tagging: 'GetBucketTagging',
  versioning: 'GetBucketVersioning',
  encryption: 'GetBucketEncryption',
  publicAccessBlock: 'GetPublicAccessBlock',
  policy: 'GetBucketPolicy',
  acl: 'GetBucketAcl',
} as const;

function extraBucket(name: string, region: string, extra: Partial<FakeBucket> = {}): FakeBucket {
  return { name, region, creationDate: '2026-03-01T08:00:00.000Z', ...extra };
}

describe('collectS3Buckets', () => {
  it.each(['count-foreach-modules', 'legacy-inline'] as const)('reads %s: every setting as the SDK returns it, failures as $error', async (fixture: FixtureName) => {
    const fake = setUp(new FakeAccount(fixtureAccount(fixture)));
    const names = fake.data.buckets.map((b) => b.name);
    const raw = await collectS3Buckets({ clients, region: 'us-east-1', regions: ['us-east-1'], bucketSettings: everySetting(names) });

    const listed = readLive<{ Buckets: Array<{ Name: string; CreationDate: string }> }>(fixture, 's3-ListBuckets.json').Buckets;
    expect(raw.buckets.map((b) => [b.name, b.region, (b.creationDate as Date).toISOString()])).toEqual(listed.map((b) => [b.Name, 'us-east-1', b.CreationDate]));
    for (const bucket of raw.buckets) {
      for (const [key, operation] of Object.entries(SETTINGS)) {
        const expected = readLive(fixture, `s3-${operation}-${bucket.name}.json`);
        expect(JSON.parse(JSON.stringify(bucket.details?.[key as keyof typeof SETTINGS])), `${bucket.name} ${operation}`).toEqual(expected);
      }
    }
    // The fixtures' ListBuckets carries no BucketRegion, so each region is asked once.
    expect(fake.callsOf('GetBucketLocation')).toHaveLength(2);
  });

  it('reads of each bucket only the settings asked for, and leaves the rest absent rather than "none"', async () => {
    const fake = setUp(new FakeAccount(fixtureAccount('count-foreach-modules')));
    const bucketSettings = new Map([['granary-staging-exports', new Set(['tagging', 'policy'] as const)]]);
    const raw = await collectS3Buckets({ clients, region: 'us-east-1', regions: ['us-east-1'], bucketSettings });
    const settingOperations = new Set<string>(Object.values(SETTINGS));
    expect(fake.calls.filter((c) => settingOperations.has(c.operation)).map((c) => c.operation).sort()).toEqual(['GetBucketPolicy', 'GetBucketTagging']);

    const [live] = normalizeS3Buckets({ buckets: raw.buckets.filter((b) => b.name === 'granary-staging-exports') });
    expect(Object.keys(live?.attributes ?? {}).sort()).toEqual(['bucket', 'creation_date', 'policy', 'region', 'tags']);
    expect(live?.unknownAttributes).toBeUndefined();
  });

  it('reads settings only for buckets a state manages', async () => {
    const fake = setUp(new FakeAccount(fixtureAccount('count-foreach-modules')));
    const raw = await collectS3Buckets({ clients, region: 'us-east-1', regions: ['us-east-1'], bucketSettings: everySetting(['granary-staging-exports']) });
    expect(raw.buckets.map((b) => [b.name, b.details !== undefined])).toEqual([
      ['granary-staging-exports', true],
      ['granary-staging-audit-logs', false],
    ]);
    const settingOperations = new Set<string>(Object.values(SETTINGS));
    const settingCalls = fake.calls.filter((c) => settingOperations.has(c.operation));
    expect(new Set(settingCalls.map((c) => c.params.Bucket))).toEqual(new Set(['granary-staging-exports']));
    expect(settingCalls).toHaveLength(6);
  });

  it("reads a bucket of another region with that region's client, and leaves it out when its region is not scanned", async () => {
    const data = fixtureAccount('count-foreach-modules');
    data.buckets.push(extraBucket('granary-eu-archive', 'eu-west-1', { settings: { GetBucketVersioning: { Status: 'Suspended' } } }));
    const fake = setUp(new FakeAccount(data));
    const managed = new Set(['granary-staging-exports', 'granary-eu-archive']);

    const both = await collectS3Buckets({ clients, region: 'us-east-1', regions: ['us-east-1', 'eu-west-1'], bucketSettings: everySetting(managed) });
    const eu = both.buckets.find((b) => b.name === 'granary-eu-archive');
    expect(eu?.region).toBe('eu-west-1');
    expect(eu?.details?.versioning).toEqual({ Status: 'Suspended' });
    const euCalls = fake.calls.filter((c) => c.params.Bucket === 'granary-eu-archive' && c.operation !== 'GetBucketLocation');
    expect(euCalls).toHaveLength(6);
    expect(euCalls.every((c) => c.region === 'eu-west-1' && c.host === 'granary-eu-archive.s3.eu-west-1.amazonaws.com')).toBe(true);

    fake.calls.length = 0;
    const usOnly = await collectS3Buckets({ clients, region: 'us-east-1', regions: ['us-east-1'], bucketSettings: everySetting(managed) });
    expect(usOnly.buckets.map((b) => b.name)).toEqual(['granary-staging-exports', 'granary-staging-audit-logs']);
    expect(fake.calls.filter((c) => c.params.Bucket === 'granary-eu-archive')).toEqual([]);
  });

  it('takes the region from ListBuckets when it is there, and asks GetBucketLocation once per account otherwise', async () => {
    const data = fixtureAccount('count-foreach-modules');
    data.buckets.push(extraBucket('listed-with-region', 'ap-southeast-2', { listsRegion: true }));
    const fake = setUp(new FakeAccount(data));
    const options = { clients, region: 'us-east-1', regions: ['us-east-1', 'ap-southeast-2'], bucketSettings: new Map() };
    const first = await collectS3Buckets(options);
    const second = await collectS3Buckets(options);
    expect(first).toEqual(second);
    expect(first.buckets.find((b) => b.name === 'listed-with-region')?.region).toBe('ap-southeast-2');
    expect(fake.callsOf('GetBucketLocation').map((c) => c.params.Bucket).sort()).toEqual(['granary-staging-audit-logs', 'granary-staging-exports']);
    expect(fake.callsOf('ListBuckets')).toHaveLength(2);
  });

  it('reads "EU" as eu-west-1', async () => {
    const data = fixtureAccount('count-foreach-modules');
    data.buckets = [extraBucket('old-eu-bucket', 'eu-west-1', { locationConstraint: 'EU' })];
    setUp(new FakeAccount(data));
    const raw = await collectS3Buckets({ clients, region: 'eu-west-1', regions: ['eu-west-1'], bucketSettings: everySetting(['old-eu-bucket']) });
    expect(raw.buckets.map((b) => [b.name, b.region])).toEqual([['old-eu-bucket', 'eu-west-1']]);
    expect(raw.buckets[0]?.details?.acl).toMatchObject({ Grants: [{ Permission: 'FULL_CONTROL' }] });
  });

  it.each([
    [undefined, 'us-east-1'],
    [null, 'us-east-1'],
    ['', 'us-east-1'],
    ['EU', 'eu-west-1'],
    ['eu-central-1', 'eu-central-1'],
  ])('regionOfLocation(%j) is %s', (constraint, region) => {
    expect(regionOfLocation(constraint)).toBe(region);
  });

  it('records AccessDenied on one setting and keeps the others', async () => {
    const data = fixtureAccount('count-foreach-modules');
    const bucket = data.buckets[0] as FakeBucket;
    bucket.settings = { ...bucket.settings, GetBucketPolicy: { $fakeError: { code: 'AccessDenied', status: 403, message: 'Access Denied' } } };
    setUp(new FakeAccount(data));
    const raw = await collectS3Buckets({ clients, region: 'us-east-1', regions: ['us-east-1'], bucketSettings: everySetting([bucket.name]) });
    const details = raw.buckets.find((b) => b.name === bucket.name)?.details;
    expect(details?.policy).toEqual({ $error: { name: 'AccessDenied', message: 'Access Denied', httpStatusCode: 403, fault: 'client' } });
    expect(details?.versioning).toEqual({ Status: 'Enabled' });
  });

  it('rides out a burst of 503 SlowDown on one setting', async () => {
    const fake = new FakeAccount(fixtureAccount('count-foreach-modules'));
    fake.fail({ service: 's3', operation: 'GetBucketAcl', times: 3, error: THROTTLING.s3 });
    setUp(fake);
    const raw = await collectS3Buckets({ clients, region: 'us-east-1', regions: ['us-east-1'], bucketSettings: everySetting(['granary-staging-exports']) });
    expect(raw.buckets[0]?.details?.acl).toMatchObject({ Grants: [{ Permission: 'FULL_CONTROL' }] });
    expect(fake.callsOf('GetBucketAcl')).toHaveLength(4);
  });

  it('records a setting whose retries ran out as $error, SlowDown 503', async () => {
    const fake = new FakeAccount(fixtureAccount('count-foreach-modules'));
    fake.fail({ service: 's3', operation: 'GetBucketAcl', times: Infinity, error: THROTTLING.s3 });
    setUp(fake);
    const raw = await collectS3Buckets({ clients, region: 'us-east-1', regions: ['us-east-1'], bucketSettings: everySetting(['granary-staging-exports']) });
    expect(raw.buckets[0]?.details?.acl).toMatchObject({ $error: { name: 'SlowDown', httpStatusCode: 503 } });
    expect(fake.callsOf('GetBucketAcl')).toHaveLength(5);
  });

  it("gives every bucket its own answers when many are read at once, in two regions (the clients' cached handlers share nothing per call)", async () => {
    const data = fixtureAccount('count-foreach-modules');
    const names: string[] = [];
    for (let i = 0; i < 60; i++) {
      const name = `granary-many-${i}`;
      names.push(name);
      data.buckets.push(
        extraBucket(name, i % 2 === 0 ? 'us-east-1' : 'eu-west-1', {
          listsRegion: true,
          settings: { GetBucketTagging: { TagSet: [{ Key: 'Name', Value: name }] }, GetBucketVersioning: { Status: i % 3 === 0 ? 'Enabled' : 'Suspended' } },
        }),
      );
    }
    setUp(new FakeAccount(data));
    const raw = await collectS3Buckets({ clients, region: 'us-east-1', regions: ['us-east-1', 'eu-west-1'], bucketSettings: everySetting(names) });
    const live = normalizeS3Buckets({ buckets: raw.buckets.filter((b) => names.includes(b.name)) });
    expect(live).toHaveLength(60);
    for (const bucket of live) {
      const i = Number(bucket.id.split('-').at(-1));
      expect(bucket.region).toBe(i % 2 === 0 ? 'us-east-1' : 'eu-west-1');
      expect(bucket.attributes.tags).toEqual({ Name: bucket.id });
      expect(bucket.attributes.versioning).toEqual({ status: i % 3 === 0 ? 'Enabled' : 'Suspended', mfa_delete: null });
      expect(bucket.unknownAttributes).toBeUndefined();
    }
  });

  it('follows ContinuationToken through ListBuckets pages', async () => {
    const fake = new FakeAccount(fixtureAccount('count-foreach-modules'));
    fake.maxPageSize = 1;
    setUp(fake);
    const raw = await collectS3Buckets({ clients, region: 'us-east-1', regions: ['us-east-1'], bucketSettings: new Map() });
    expect(raw.buckets).toHaveLength(2);
    expect(fake.callsOf('ListBuckets').map((c) => [c.params['max-buckets'], c.params['continuation-token']])).toEqual([
      ['1000', undefined],
      ['1000', 'page-1'],
    ]);
  });

  it('leaves out an unmanaged bucket whose region cannot be read, and fails for a managed one', async () => {
    const data = fixtureAccount('count-foreach-modules');
    const fake = new FakeAccount(data);
    fake.fail({ service: 's3', operation: 'GetBucketLocation', times: Infinity, error: { code: 'AccessDenied', status: 403, message: 'Access Denied' } });
    setUp(fake);
    const unmanaged = await collectS3Buckets({ clients, region: 'us-east-1', regions: ['us-east-1'], bucketSettings: new Map() });
    expect(unmanaged.buckets).toEqual([]);
    const error = await collectS3Buckets({ clients, region: 'us-east-1', regions: ['us-east-1'], bucketSettings: everySetting(['granary-staging-exports']) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AccessDenied' });
  });
});
