// `driftwatch scan` the way a user runs it: live AWS read through AWS_ENDPOINT_URL (LocalStack
// style, path-style S3), the state read from the S3 backend the root module declares, and the
// drift attributed from CloudTrail. AWS is the fake account behind nock at the HTTP layer.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeAccount } from '../aws/fake-aws/account.js';
import { fixtureAccount } from '../aws/fake-aws/fixtures.js';
import { interceptFakeAws } from '../aws/fake-aws/nock.js';
import { record, wireEvent } from '../aws/fixtures/cloudtrail-lookup.js';
import { runCli } from '../cli/run-cli.js';

const ENDPOINT = 'http://127.0.0.1:4566';
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/real-provider/legacy-inline');
const WEB = 'sg-7488d1103fb704de7';

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'driftwatch-live-'));
  cpSync(FIXTURE, dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}live`) && !source.endsWith('.tfstate') });
  writeFileSync(
    path.join(dir, 'backend.tf'),
    'terraform {\n  backend "s3" {\n    bucket = "millbrook-tfstate"\n    key    = "legacy/terraform.tfstate"\n    region = "us-east-1"\n  }\n}\n',
  );
  return dir;
}

beforeEach(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDDRIFTWATCHTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'not-a-secret');
});
afterEach(() => vi.unstubAllEnvs());

describe('driftwatch scan against live AWS', () => {
  it('reads the state from S3, collects live resources, and says who opened port 22', async () => {
    const state = readFileSync(path.join(FIXTURE, 'terraform.tfstate'), 'utf8');
    // Path-style: a custom endpoint puts the bucket in the path.
    const stateRead = nock(ENDPOINT).get('/millbrook-tfstate/legacy/terraform.tfstate').query(true).reply(200, state);
    const event = record('iam-user-console-authorize-ingress');
    const lookups: string[] = [];
    nock(ENDPOINT)
      .persist()
      .post('/', (body: { LookupAttributes?: { AttributeValue: string }[] }) => {
        lookups.push(body.LookupAttributes?.[0]?.AttributeValue ?? '');
        return true;
      })
      .matchHeader('x-amz-target', 'CloudTrail_20131101.LookupEvents')
      .reply(200, JSON.stringify({ Events: [wireEvent(event, [{ type: 'AWS::EC2::SecurityGroup', name: WEB }])] }), { 'content-type': 'application/x-amz-json-1.1' });

    const data = fixtureAccount('legacy-inline');
    const web = data.regions['us-east-1']!.securityGroups.find((g) => g.GroupId === WEB)!;
    web.IpPermissions!.push({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'temp debug' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] });
    const fake = new FakeAccount(data);
    interceptFakeAws(fake, ENDPOINT);

    const { code, stdout, stderr } = await runCli(['scan', '--dir', workspace(), '--format', 'json', '--quiet', '--lookback-days', '7'], {
      env: { AWS_ENDPOINT_URL: ENDPOINT, AWS_REGION: 'us-east-1' },
    });
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.status).toBe('complete');
    expect(report.drifts).toHaveLength(1);
    expect(report.drifts[0]).toMatchObject({
      address: 'aws_security_group.web',
      severity: 'critical',
      attribution: { actor: 'maria.garcia', actorType: 'iam-user', eventName: 'AuthorizeSecurityGroupIngress', sourceIp: '203.0.113.45', console: true },
    });
    expect(lookups).toEqual([WEB]);
    expect(stateRead.isDone()).toBe(true);
    // Every request went to the custom endpoint, none to AWS.
    expect(fake.calls.every((call) => call.host === '127.0.0.1:4566')).toBe(true);
    expect(fake.calls.map((call) => call.operation)).toContain('GetAccountAuthorizationDetails');
    // Bucket settings only of the state's buckets, and only those it compares: the v3 buckets
    // declare no public access block.
    const settingCalls = fake.calls.filter((call) => call.service === 's3' && /^Get(Bucket(Tagging|Versioning|Encryption|Policy|Acl)|PublicAccessBlock)$/.test(call.operation));
    expect(settingCalls.map((call) => `${String(call.params.Bucket)} ${call.operation}`).sort()).toEqual(
      ['millbrook-legacy-artifacts', 'millbrook-legacy-scratch'].flatMap((bucket) =>
        ['GetBucketAcl', 'GetBucketEncryption', 'GetBucketPolicy', 'GetBucketTagging', 'GetBucketVersioning'].map((operation) => `${bucket} ${operation}`),
      ),
    );
  });

  it('AccessDenied on one family makes the scan partial and reports nothing of that family as deleted', async () => {
    nock(ENDPOINT).get('/millbrook-tfstate/legacy/terraform.tfstate').query(true).reply(200, readFileSync(path.join(FIXTURE, 'terraform.tfstate'), 'utf8'));
    const fake = new FakeAccount(fixtureAccount('legacy-inline'));
    fake.failures.push({ service: 'rds', times: Number.POSITIVE_INFINITY, error: { code: 'AccessDenied', status: 403, message: 'User is not authorized to perform: rds:DescribeDBInstances' } });
    interceptFakeAws(fake, ENDPOINT);
    const { stdout } = await runCli(['scan', '--dir', workspace(), '--format', 'json', '--quiet', '--no-attribution'], { env: { AWS_ENDPOINT_URL: ENDPOINT } });
    const report = JSON.parse(stdout);
    expect(report.status).toBe('partial');
    expect(report.drifts).toEqual([]);
    expect(report.unknown).toHaveLength(1);
    expect(report.unknown[0]).toMatchObject({ type: 'aws_db_instance' });
    expect(report.unknown[0].reason).toContain('rds:DescribeDBInstances');
  });

  it('no state object under the workspace prefix: a clear error naming the key', async () => {
    nock(ENDPOINT).get(/.*/).query(true).reply(404, '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>', { 'content-type': 'application/xml' });
    const dir = workspace();
    mkdirConfig(dir);
    const { code, stderr } = await runCli(['scan', '--workspace', 'staging', '--quiet'], { cwd: dir, env: { AWS_ENDPOINT_URL: ENDPOINT } });
    expect(code).toBe(2);
    expect(stderr).toContain('env:/staging/legacy/terraform.tfstate');
  });
});

function mkdirConfig(dir: string): void {
  mkdirSync(path.join(dir, '.github'));
  writeFileSync(path.join(dir, '.github/driftwatch.yml'), 'workspaces:\n  - name: staging\n    dir: .\n    terraform_workspace: staging\n');
}
