import { readFileSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import nock from 'nock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DriftwatchError } from '../../src/errors.js';
import { parseS3Url, readS3State, stateObjectKey } from '../../src/terraform/backend-s3.js';

// A real state Terraform 1.11.4 wrote; S3 serves it back byte for byte.
const STATE_TEXT = readFileSync(new URL('../fixtures/real-provider/count-foreach-modules/terraform.tfstate', import.meta.url), 'utf8');

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function s3Factory(): { s3: (region: string) => S3Client; regions: string[] } {
  const regions: string[] = [];
  return {
    regions,
    s3: (region) => {
      regions.push(region);
      return new S3Client({
        region,
        credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
        maxAttempts: 1,
      });
    },
  };
}

function s3Host(bucket: string, region: string): nock.Scope {
  return nock(`https://${bucket}.s3.${region}.amazonaws.com`);
}

function errorXml(code: string, message: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>4442587FB7D0A2F9</RequestId><HostId>vS2ZxV0kVx1nJ0vS5jD7y4fBH0n8EXAMPLE=</HostId></Error>`;
}

function location(region: string | null): string {
  return region === null
    ? `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_NS}"/>`
    : `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_NS}">${region}</LocationConstraint>`;
}

async function backendError(promise: Promise<unknown>): Promise<DriftwatchError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DriftwatchError);
  expect((error as DriftwatchError).code).toBe('backend');
  return error as DriftwatchError;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parseS3Url', () => {
  it.each([
    ['s3://acme-tfstate/app.tfstate', 'acme-tfstate', 'app.tfstate'],
    ['s3://acme-tfstate/env:/staging/network/terraform.tfstate', 'acme-tfstate', 'env:/staging/network/terraform.tfstate'],
    ['s3://acme.tfstate.eu/prod/app.tfstate', 'acme.tfstate.eu', 'prod/app.tfstate'],
    ['S3://acme-tfstate/app.tfstate', 'acme-tfstate', 'app.tfstate'],
    ['  s3://acme-tfstate/with space%20kept.tfstate ', 'acme-tfstate', 'with space%20kept.tfstate'],
  ])('%s → bucket %s, key %s', (url, bucket, key) => {
    expect(parseS3Url(url)).toEqual({ bucket, key });
  });

  it.each([
    ['acme-tfstate/app.tfstate', 'is not an s3:// URL'],
    ['https://acme-tfstate.s3.amazonaws.com/app.tfstate', 'is not an s3:// URL'],
    ['s3:/acme-tfstate/app.tfstate', 'is not an s3:// URL'],
    ['s3:///app.tfstate', 'does not name a valid bucket'],
    ['s3://ab/app.tfstate', 'does not name a valid bucket'],
    ['s3://acme tfstate/app.tfstate', 'does not name a valid bucket'],
    ['s3://acme-tfstate', 'names no state object'],
    ['s3://acme-tfstate/', 'names no state object'],
    ['s3://acme-tfstate/states/', 'names no state object'],
  ])('rejects %s (%s)', (url, reason) => {
    let error: unknown = null;
    try {
      parseS3Url(url);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DriftwatchError);
    expect((error as DriftwatchError).code).toBe('usage');
    expect((error as DriftwatchError).message).toContain(reason);
    expect((error as DriftwatchError).message).toContain('s3://');
  });
});

describe('stateObjectKey', () => {
  it.each([
    [{ key: 'app.tfstate' }, 'app.tfstate'],
    [{ key: 'app.tfstate', workspace: null }, 'app.tfstate'],
    [{ key: 'app.tfstate', workspace: 'default', workspaceKeyPrefix: 'teams' }, 'app.tfstate'],
    [{ key: 'app.tfstate', workspace: 'staging' }, 'env:/staging/app.tfstate'],
    [{ key: 'network/app.tfstate', workspace: 'staging', workspaceKeyPrefix: null }, 'env:/staging/network/app.tfstate'],
    [{ key: 'app.tfstate', workspace: 'staging', workspaceKeyPrefix: 'workspaces' }, 'workspaces/staging/app.tfstate'],
    [{ key: 'app.tfstate', workspace: 'prod', workspaceKeyPrefix: 'team/platform' }, 'team/platform/prod/app.tfstate'],
    // Terraform joins with path.Join: an empty prefix disappears, doubled slashes collapse.
    [{ key: 'app.tfstate', workspace: 'prod', workspaceKeyPrefix: '' }, 'prod/app.tfstate'],
    [{ key: 'states//app.tfstate', workspace: 'prod', workspaceKeyPrefix: 'tenant:' }, 'tenant:/prod/states/app.tfstate'],
  ])('%o → %s', (config, expected) => {
    expect(stateObjectKey(config)).toBe(expected);
  });
});

describe('readS3State', () => {
  it('reads the default workspace from the configured region without asking where the bucket is', async () => {
    const { s3, regions } = s3Factory();
    const scope = s3Host('acme-tfstate', 'us-west-2').get('/prod/app.tfstate').query({ 'x-id': 'GetObject' }).reply(200, STATE_TEXT, {
      'content-type': 'application/json',
    });

    const result = await readS3State({ bucket: 'acme-tfstate', key: 'prod/app.tfstate', region: 'us-west-2', s3, defaultRegion: 'us-east-1' });

    expect(result).toEqual({ text: STATE_TEXT, source: 's3://acme-tfstate/prod/app.tfstate', region: 'us-west-2' });
    expect(regions).toEqual(['us-west-2']);
    expect(scope.isDone()).toBe(true);
  });

  it('reads a workspace under the default env: prefix', async () => {
    const { s3 } = s3Factory();
    s3Host('acme-tfstate', 'us-east-1').get('/env%3A/staging/app.tfstate').query({ 'x-id': 'GetObject' }).reply(200, STATE_TEXT);

    const result = await readS3State({
      bucket: 'acme-tfstate',
      key: 'app.tfstate',
      region: 'us-east-1',
      workspace: 'staging',
      s3,
      defaultRegion: 'us-east-1',
    });

    expect(result.source).toBe('s3://acme-tfstate/env:/staging/app.tfstate');
    expect(result.text).toBe(STATE_TEXT);
  });

  it('reads a workspace under a custom workspace_key_prefix', async () => {
    const { s3 } = s3Factory();
    s3Host('acme-tfstate', 'eu-central-1').get('/teams/payments/prod/app.tfstate').query({ 'x-id': 'GetObject' }).reply(200, STATE_TEXT);

    const result = await readS3State({
      bucket: 'acme-tfstate',
      key: 'app.tfstate',
      region: 'eu-central-1',
      workspace: 'prod',
      workspaceKeyPrefix: 'teams/payments',
      s3,
      defaultRegion: 'us-east-1',
    });

    expect(result.source).toBe('s3://acme-tfstate/teams/payments/prod/app.tfstate');
    expect(result.region).toBe('eu-central-1');
  });

  it('resolves a bucket in another region with GetBucketLocation and reads from there', async () => {
    const { s3, regions } = s3Factory();
    s3Host('acme-tfstate-eu', 'us-east-1').get('/').query({ location: '' }).reply(200, location('eu-west-2'));
    s3Host('acme-tfstate-eu', 'eu-west-2').get('/app.tfstate').query({ 'x-id': 'GetObject' }).reply(200, STATE_TEXT);

    const result = await readS3State({ bucket: 'acme-tfstate-eu', key: 'app.tfstate', s3, defaultRegion: 'us-east-1' });

    expect(result.region).toBe('eu-west-2');
    expect(result.text).toBe(STATE_TEXT);
    expect(regions).toEqual(['us-east-1', 'eu-west-2']);
  });

  it.each([
    ['an empty LocationConstraint', 'us-east-1', location(null)],
    ['the legacy EU constraint', 'eu-west-1', location('EU')],
  ])('reads %s as %s', async (_what, region, body) => {
    const { s3 } = s3Factory();
    s3Host('acme-legacy', 'ap-southeast-2').get('/').query({ location: '' }).reply(200, body);
    s3Host('acme-legacy', region).get('/app.tfstate').query({ 'x-id': 'GetObject' }).reply(200, STATE_TEXT);

    const result = await readS3State({ bucket: 'acme-legacy', key: 'app.tfstate', s3, defaultRegion: 'ap-southeast-2' });

    expect(result.region).toBe(region);
  });

  it("falls back to HeadBucket's region header when GetBucketLocation is denied", async () => {
    const { s3 } = s3Factory();
    s3Host('acme-tfstate-ap', 'us-east-1').get('/').query({ location: '' }).reply(403, errorXml('AccessDenied', 'Access Denied'));
    s3Host('acme-tfstate-ap', 'us-east-1').head('/').reply(301, '', { 'x-amz-bucket-region': 'ap-northeast-1' });
    s3Host('acme-tfstate-ap', 'ap-northeast-1').get('/app.tfstate').query({ 'x-id': 'GetObject' }).reply(200, STATE_TEXT);

    const result = await readS3State({ bucket: 'acme-tfstate-ap', key: 'app.tfstate', s3, defaultRegion: 'us-east-1' });

    expect(result.region).toBe('ap-northeast-1');
  });

  it('follows a PermanentRedirect once when the configured region is wrong', async () => {
    const { s3, regions } = s3Factory();
    s3Host('acme-tfstate', 'us-east-1')
      .get('/app.tfstate')
      .query({ 'x-id': 'GetObject' })
      .reply(
        301,
        errorXml(
          'PermanentRedirect',
          'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
          '<Endpoint>acme-tfstate.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>acme-tfstate</Bucket>',
        ),
        { 'x-amz-bucket-region': 'eu-west-1', 'content-type': 'application/xml' },
      );
    s3Host('acme-tfstate', 'eu-west-1').get('/app.tfstate').query({ 'x-id': 'GetObject' }).reply(200, STATE_TEXT);

    const result = await readS3State({ bucket: 'acme-tfstate', key: 'app.tfstate', region: 'us-east-1', s3, defaultRegion: 'us-east-1' });

    expect(result.region).toBe('eu-west-1');
    expect(regions).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('takes the region from an AuthorizationHeaderMalformed body when there is no header', async () => {
    const { s3 } = s3Factory();
    s3Host('acme-tfstate', 'us-east-1')
      .get('/app.tfstate')
      .query({ 'x-id': 'GetObject' })
      .reply(
        400,
        errorXml(
          'AuthorizationHeaderMalformed',
          "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'sa-east-1'",
          '<Region>sa-east-1</Region>',
        ),
      );
    s3Host('acme-tfstate', 'sa-east-1').get('/app.tfstate').query({ 'x-id': 'GetObject' }).reply(200, STATE_TEXT);

    const result = await readS3State({ bucket: 'acme-tfstate', key: 'app.tfstate', region: 'us-east-1', s3, defaultRegion: 'us-east-1' });

    expect(result.region).toBe('sa-east-1');
  });

  it("takes the region from a PermanentRedirect's Endpoint when there is no header", async () => {
    const { s3 } = s3Factory();
    s3Host('acme-tfstate', 'us-east-1')
      .get('/app.tfstate')
      .query({ 'x-id': 'GetObject' })
      .reply(
        301,
        errorXml('PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint.', '<Endpoint>acme-tfstate.s3.ca-central-1.amazonaws.com</Endpoint>'),
      );
    s3Host('acme-tfstate', 'ca-central-1').get('/app.tfstate').query({ 'x-id': 'GetObject' }).reply(200, STATE_TEXT);

    const result = await readS3State({ bucket: 'acme-tfstate', key: 'app.tfstate', region: 'us-east-1', s3, defaultRegion: 'us-east-1' });

    expect(result.region).toBe('ca-central-1');
  });

  it('reports a missing bucket found by HeadBucket when GetBucketLocation is denied', async () => {
    const { s3 } = s3Factory();
    s3Host('acme-gone', 'us-east-1').get('/').query({ location: '' }).reply(403, errorXml('AccessDenied', 'Access Denied'));
    s3Host('acme-gone', 'us-east-1').head('/').reply(404);

    const error = await backendError(readS3State({ bucket: 'acme-gone', key: 'app.tfstate', s3, defaultRegion: 'us-east-1' }));

    expect(error.message).toContain('the bucket acme-gone does not exist');
  });

  it('names the workspace and its prefix when a workspace has no state', async () => {
    const { s3 } = s3Factory();
    // A one-letter bucket is not a DNS name: the SDK addresses it path-style.
    nock('https://s3.us-east-1.amazonaws.com')
      .get('/b/env%3A/staging/app.tfstate')
      .query({ 'x-id': 'GetObject' })
      .reply(404, errorXml('NoSuchKey', 'The specified key does not exist.', '<Key>env:/staging/app.tfstate</Key>'));

    const error = await backendError(
      readS3State({ bucket: 'b', key: 'app.tfstate', region: 'us-east-1', workspace: 'staging', s3, defaultRegion: 'us-east-1' }),
    );

    expect(error.message).toContain('no state for workspace staging at s3://b/env:/staging/app.tfstate');
    expect(error.message).toContain('workspace_key_prefix (not set, so "env:")');
  });

  it('names a custom workspace_key_prefix when a workspace has no state', async () => {
    const { s3 } = s3Factory();
    s3Host('acme-tfstate', 'us-east-1')
      .get('/tenants/blue/app.tfstate')
      .query({ 'x-id': 'GetObject' })
      .reply(404, errorXml('NoSuchKey', 'The specified key does not exist.'));

    const error = await backendError(
      readS3State({
        bucket: 'acme-tfstate',
        key: 'app.tfstate',
        region: 'us-east-1',
        workspace: 'blue',
        workspaceKeyPrefix: 'tenants',
        s3,
        defaultRegion: 'us-east-1',
      }),
    );

    expect(error.message).toContain('no state for workspace blue at s3://acme-tfstate/tenants/blue/app.tfstate');
    expect(error.message).toContain('workspace_key_prefix ("tenants")');
  });

  it('says what to check when the default workspace has no state', async () => {
    const { s3 } = s3Factory();
    s3Host('acme-tfstate', 'us-east-1').get('/prod/app.tfstate').query({ 'x-id': 'GetObject' }).reply(404, errorXml('NoSuchKey', 'The specified key does not exist.'));

    const error = await backendError(readS3State({ bucket: 'acme-tfstate', key: 'prod/app.tfstate', region: 'us-east-1', s3, defaultRegion: 'us-east-1' }));

    expect(error.message).toBe(
      "no state at s3://acme-tfstate/prod/app.tfstate: check the backend's bucket and key (or the --state URL), and that terraform apply has written a state there",
    );
  });

  it('names s3:GetObject on the object ARN when access is denied', async () => {
    const { s3 } = s3Factory();
    s3Host('acme-tfstate', 'us-east-1')
      .get('/prod/app.tfstate')
      .query({ 'x-id': 'GetObject' })
      .reply(
        403,
        errorXml(
          'AccessDenied',
          'User: arn:aws:sts::123456789012:assumed-role/driftwatch-reader/driftwatch is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::acme-tfstate/prod/app.tfstate" because no identity-based policy allows the s3:GetObject action',
        ),
      );

    const error = await backendError(readS3State({ bucket: 'acme-tfstate', key: 'prod/app.tfstate', region: 'us-east-1', s3, defaultRegion: 'us-east-1' }));

    expect(error.message).toContain('access denied reading s3://acme-tfstate/prod/app.tfstate');
    expect(error.message).toContain('allow s3:GetObject on arn:aws:s3:::acme-tfstate/prod/app.tfstate');
    expect(error.message).toContain('kms:Decrypt');
  });

  it('uses the partition of the region in the ARN', async () => {
    const { s3 } = s3Factory();
    nock('https://acme-tfstate.s3.cn-north-1.amazonaws.com.cn')
      .get('/app.tfstate')
      .query({ 'x-id': 'GetObject' })
      .reply(403, errorXml('AccessDenied', 'Access Denied'));

    const error = await backendError(readS3State({ bucket: 'acme-tfstate', key: 'app.tfstate', region: 'cn-north-1', s3, defaultRegion: 'cn-north-1' }));

    expect(error.message).toContain('arn:aws-cn:s3:::acme-tfstate/app.tfstate');
  });

  it('reports a bucket that does not exist', async () => {
    const { s3 } = s3Factory();
    s3Host('acme-tfstat', 'us-east-1')
      .get('/')
      .query({ location: '' })
      .reply(404, errorXml('NoSuchBucket', 'The specified bucket does not exist', '<BucketName>acme-tfstat</BucketName>'));

    const error = await backendError(readS3State({ bucket: 'acme-tfstat', key: 'app.tfstate', s3, defaultRegion: 'us-east-1' }));

    expect(error.message).toContain('the bucket acme-tfstat does not exist (reading s3://acme-tfstat/app.tfstate)');
  });

  it('rejects an empty state object', async () => {
    const { s3 } = s3Factory();
    s3Host('acme-tfstate', 'us-east-1').get('/env%3A/dev/app.tfstate').query({ 'x-id': 'GetObject' }).reply(200, '', { 'content-length': '0' });

    const error = await backendError(
      readS3State({ bucket: 'acme-tfstate', key: 'app.tfstate', region: 'us-east-1', workspace: 'dev', s3, defaultRegion: 'us-east-1' }),
    );

    expect(error.message).toBe(
      "the state object s3://acme-tfstate/env:/dev/app.tfstate is empty: run terraform apply (or terraform state push) for this workspace (dev), or check the backend's key",
    );
  });

  it('retries a wrong region only once', async () => {
    const { s3, regions } = s3Factory();
    s3Host('acme-tfstate', 'us-east-1').get('/app.tfstate').query({ 'x-id': 'GetObject' }).reply(301, errorXml('PermanentRedirect', 'moved'), {
      'x-amz-bucket-region': 'eu-west-1',
    });
    s3Host('acme-tfstate', 'eu-west-1').get('/app.tfstate').query({ 'x-id': 'GetObject' }).reply(301, errorXml('PermanentRedirect', 'moved'), {
      'x-amz-bucket-region': 'us-east-1',
    });

    const error = await backendError(readS3State({ bucket: 'acme-tfstate', key: 'app.tfstate', region: 'us-east-1', s3, defaultRegion: 'us-east-1' }));

    expect(regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(error.message).toContain('cannot read the state at s3://acme-tfstate/app.tfstate from eu-west-1');
  });

  it('never writes the state to the console', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => vi.spyOn(console, method).mockImplementation(() => undefined));
    const { s3 } = s3Factory();
    s3Host('acme-tfstate', 'us-east-1').get('/app.tfstate').query({ 'x-id': 'GetObject' }).reply(200, STATE_TEXT);

    await readS3State({ bucket: 'acme-tfstate', key: 'app.tfstate', region: 'us-east-1', s3, defaultRegion: 'us-east-1' });

    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
