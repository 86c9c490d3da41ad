import { describe, expect, it } from 'vitest';
import { attributeDrifts } from '../../src/aws/cloudtrail-attribution.js';
import { createCloudTrailLimiter } from '../../src/aws/token-bucket.js';
import type { TokenBucket } from '../../src/aws/token-bucket.js';
import type { Drift } from '../../src/drift/types.js';
import { DriftwatchError } from '../../src/errors.js';
import { cloudTrailClients, interceptLookup, record, wireEvent } from './fixtures/cloudtrail-lookup.js';
import type { LookupRequest } from './fixtures/cloudtrail-lookup.js';
import { createFakeClock } from './fixtures/fake-clock.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const GROUP = 'sg-0b2f4c6d8e0a1b3c5';
const SG_RESOURCE = { type: 'AWS::EC2::SecurityGroup', name: GROUP };

type TestDrift = Drift & { fingerprint: string };

function drift(fields: Pick<TestDrift, 'kind' | 'type' | 'id' | 'region' | 'fingerprint'> & Partial<TestDrift>): TestDrift {
  return { address: null, changes: [], signals: [], live: null, declared: null, ...fields } as TestDrift;
}

const sgIngressDrift = drift({
  fingerprint: 'fp-sg-ingress',
  kind: 'modified',
  address: 'aws_security_group.bastion',
  type: 'aws_security_group',
  id: GROUP,
  region: 'us-east-1',
  changes: [{ path: 'ingress', declared: null, live: { protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'] } }],
});

/** Lets every request through at once, remembering which key each one was taken for. */
function openLimiter(): TokenBucket & { keys: string[] } {
  const keys: string[] = [];
  return {
    keys,
    take: async (key) => {
      keys.push(key);
    },
  };
}

describe('attributeDrifts', () => {
  it('credits the IAM user who opened the port in the console, skipping read-only, unrelated and failed calls', async () => {
    const { lookup } = cloudTrailClients();
    const seen: LookupRequest[] = [];
    // Newest first, as LookupEvents returns them.
    const scope = interceptLookup(
      'us-east-1',
      GROUP,
      {
        events: [
          wireEvent(record('authorize-ingress-duplicate-error'), [SG_RESOURCE]),
          wireEvent(record('ci-create-tags-sg'), [SG_RESOURCE]),
          wireEvent(record('describe-security-group-rules'), [SG_RESOURCE]),
          wireEvent(record('iam-user-console-authorize-ingress'), [SG_RESOURCE, { type: 'AWS::EC2::SecurityGroupRule', name: 'sgr-0a9c8e7f6d5b4a3c2' }]),
          wireEvent(record('ci-revoke-ingress'), [SG_RESOURCE]),
        ],
      },
      { seen },
    );

    const result = await attributeDrifts([sgIngressDrift], { lookup, now: NOW, limiter: openLimiter() });

    expect(result.get('fp-sg-ingress')).toEqual({
      actor: 'maria.garcia',
      actorType: 'iam-user',
      role: null,
      sessionName: null,
      eventName: 'AuthorizeSecurityGroupIngress',
      eventTime: '2026-11-21T09:14:27.000Z',
      sourceIp: '203.0.113.45',
      console: true,
      eventId: 'b7c1d9e2-4f3a-4c5b-8d6e-0a1b2c3d4e5f',
    });
    expect(scope.isDone()).toBe(true);
    expect(seen).toEqual([
      {
        LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: GROUP }],
        StartTime: Date.parse('2026-11-15T12:00:00Z') / 1000,
        EndTime: NOW.getTime() / 1000,
        MaxResults: 50,
      },
    ]);
  });

  it('picks the most recent matching event even when the page is out of order', async () => {
    const { lookup } = cloudTrailClients();
    interceptLookup('us-east-1', GROUP, {
      events: [wireEvent(record('ci-revoke-ingress'), [SG_RESOURCE]), wireEvent(record('iam-user-console-authorize-ingress'), [SG_RESOURCE])],
    });

    const result = await attributeDrifts([sgIngressDrift], { lookup, now: NOW, limiter: openLimiter() });

    expect(result.get('fp-sg-ingress')?.eventName).toBe('AuthorizeSecurityGroupIngress');
  });

  it('credits an IAM Identity Center user by the session name on the AWSReservedSSO_ role', async () => {
    const { lookup, regions } = cloudTrailClients();
    interceptLookup('eu-west-1', 'acme-exports-eu', {
      events: [wireEvent(record('sso-user-put-bucket-policy'), [{ type: 'AWS::S3::Bucket', name: 'acme-exports-eu' }])],
    });
    const policyDrift = drift({
      fingerprint: 'fp-policy',
      kind: 'modified',
      address: 'aws_s3_bucket_policy.exports',
      type: 'aws_s3_bucket_policy',
      id: 'acme-exports-eu',
      region: 'eu-west-1',
      changes: [{ path: 'policy', declared: '{"Version":"2012-10-17","Statement":[]}', live: '{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead"}]}' }],
    });

    const result = await attributeDrifts([policyDrift], { lookup, now: NOW, limiter: openLimiter() });

    expect(result.get('fp-policy')).toEqual({
      actor: 'jane.doe@example.com',
      actorType: 'sso-user',
      role: 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_4c1a8f6e2b9d7035',
      sessionName: 'jane.doe@example.com',
      eventName: 'PutBucketPolicy',
      eventTime: '2026-11-20T14:07:55.000Z',
      sourceIp: '203.0.113.200',
      console: true,
      eventId: 'c4d5e6f7-a8b9-4c0d-1e2f-3a4b5c6d7e8f',
    });
    expect(regions).toEqual(['eu-west-1']);
  });

  it('credits a CI pipeline by its role and session name', async () => {
    const { lookup } = cloudTrailClients();
    interceptLookup('us-west-2', 'orders-prod', {
      events: [wireEvent(record('ci-modify-db-instance'), [{ type: 'AWS::RDS::DBInstance', name: 'orders-prod' }])],
    });
    const dbDrift = drift({
      fingerprint: 'fp-db',
      kind: 'modified',
      address: 'aws_db_instance.orders',
      type: 'aws_db_instance',
      id: 'orders-prod',
      region: 'us-west-2',
      changes: [{ path: 'instance_class', declared: 'db.r6g.large', live: 'db.r6g.xlarge' }],
    });

    const result = await attributeDrifts([dbDrift], { lookup, now: NOW, limiter: openLimiter() });

    expect(result.get('fp-db')).toEqual({
      actor: 'gha-acme-infra-8810417',
      actorType: 'assumed-role',
      role: 'arn:aws:iam::123456789012:role/github-actions-deploy',
      sessionName: 'gha-acme-infra-8810417',
      eventName: 'ModifyDBInstance',
      eventTime: '2026-11-18T22:11:47.000Z',
      sourceIp: '198.51.100.23',
      console: false,
      eventId: '5b6c7d8e-9f0a-4b1c-2d3e-4f5a6b7c8d9e',
    });
  });

  it('credits an AWS service with a deleted instance', async () => {
    const { lookup } = cloudTrailClients();
    interceptLookup('us-east-1', 'i-0c9d8e7f6a5b4c3d2', {
      events: [wireEvent(record('aws-service-terminate-instances'), [{ type: 'AWS::EC2::Instance', name: 'i-0c9d8e7f6a5b4c3d2' }])],
    });
    const deleted = drift({ fingerprint: 'fp-i', kind: 'deleted', address: 'aws_instance.worker', type: 'aws_instance', id: 'i-0c9d8e7f6a5b4c3d2', region: 'us-east-1' });

    const result = await attributeDrifts([deleted], { lookup, now: NOW, limiter: openLimiter() });

    expect(result.get('fp-i')).toMatchObject({
      actor: 'autoscaling.amazonaws.com',
      actorType: 'aws-service',
      role: null,
      eventName: 'TerminateInstances',
      sourceIp: 'autoscaling.amazonaws.com',
      console: false,
    });
  });

  it('queries IAM drifts in us-east-1 and follows NextToken until a match', async () => {
    const { lookup, regions } = cloudTrailClients();
    const seen: LookupRequest[] = [];
    const roleResource = { type: 'AWS::IAM::Role', name: 'kiln-worker' };
    const first = interceptLookup('us-east-1', 'kiln-worker', { events: [wireEvent(record('ci-create-tags-sg'), [roleResource])], nextToken: 'page-2-token' }, { seen });
    const second = interceptLookup(
      'us-east-1',
      'kiln-worker',
      { events: [wireEvent(record('iam-user-attach-role-policy'), [roleResource])], nextToken: 'page-3-token' },
      { nextToken: 'page-2-token', seen },
    );
    const roleDrift = drift({
      fingerprint: 'fp-role',
      kind: 'modified',
      address: 'aws_iam_role.worker',
      type: 'aws_iam_role',
      id: 'kiln-worker',
      region: 'global',
      changes: [{ path: 'managed_policy_arns', declared: [], live: ['arn:aws:iam::aws:policy/AdministratorAccess'] }],
    });
    const limiter = openLimiter();

    const result = await attributeDrifts([roleDrift], { lookup, now: NOW, limiter, lookbackDays: 30 });

    expect(result.get('fp-role')).toMatchObject({ actor: 'tom.okafor', actorType: 'iam-user', eventName: 'AttachRolePolicy' });
    expect(first.isDone() && second.isDone()).toBe(true);
    expect(seen.map((request) => request.NextToken)).toEqual([undefined, 'page-2-token']);
    expect(seen[0]?.StartTime).toBe(Date.parse('2026-10-23T12:00:00Z') / 1000);
    expect(regions.every((region) => region === 'us-east-1')).toBe(true);
    expect(limiter.keys).toEqual(['us-east-1', 'us-east-1']);
  });

  it('stops after the page cap without a match', async () => {
    const { lookup } = cloudTrailClients();
    const noise = [wireEvent(record('ci-create-tags-sg'), [SG_RESOURCE])];
    interceptLookup('us-east-1', GROUP, { events: noise, nextToken: 't2' });
    interceptLookup('us-east-1', GROUP, { events: noise, nextToken: 't3' }, { nextToken: 't2' });
    const errors: unknown[] = [];

    // A third request would reach no interceptor and be reported through onError.
    const result = await attributeDrifts([sgIngressDrift], { lookup, now: NOW, limiter: openLimiter(), maxPages: 2, onError: (e) => errors.push(e) });

    expect(result.get('fp-sg-ingress')).toBeNull();
    expect(errors).toEqual([]);
  });

  it('reads a resource once for all drifts on it', async () => {
    const { lookup } = cloudTrailClients();
    interceptLookup('us-east-1', GROUP, {
      events: [wireEvent(record('ci-create-tags-sg'), [SG_RESOURCE]), wireEvent(record('iam-user-console-authorize-ingress'), [SG_RESOURCE])],
    });
    const tagDrift = drift({
      fingerprint: 'fp-sg-tags',
      kind: 'modified',
      address: 'aws_security_group.bastion',
      type: 'aws_security_group',
      id: GROUP,
      region: 'us-east-1',
      changes: [{ path: 'tags.CostCenter', declared: null, live: 'payments' }],
    });
    const ruleDrift = drift({
      fingerprint: 'fp-rule',
      kind: 'modified',
      address: 'aws_vpc_security_group_ingress_rule.ssh',
      type: 'aws_vpc_security_group_ingress_rule',
      id: GROUP,
      region: 'us-east-1',
      changes: [{ path: 'cidr_ipv4', declared: '10.0.0.0/8', live: '0.0.0.0/0' }],
    });
    const limiter = openLimiter();

    const result = await attributeDrifts([sgIngressDrift, tagDrift, ruleDrift], { lookup, now: NOW, limiter });

    expect(result.get('fp-sg-ingress')?.eventName).toBe('AuthorizeSecurityGroupIngress');
    expect(result.get('fp-sg-tags')).toMatchObject({ eventName: 'CreateTags', actor: 'gha-acme-infra-8813002', actorType: 'assumed-role' });
    expect(result.get('fp-rule')?.eventName).toBe('AuthorizeSecurityGroupIngress');
    expect(limiter.keys).toEqual(['us-east-1']);
  });

  it('leaves drifts unattributed on AccessDenied, says so once, and carries on elsewhere', async () => {
    const { lookup } = cloudTrailClients();
    const denied = interceptLookup('us-east-1', GROUP, {
      status: 400,
      error: 'AccessDeniedException',
      message: 'User: arn:aws:sts::123456789012:assumed-role/driftwatch-reader/driftwatch is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action',
    });
    interceptLookup('eu-west-1', 'acme-exports-eu', { events: [wireEvent(record('sso-user-put-bucket-policy'), [])] });
    const otherGroup = drift({ fingerprint: 'fp-sg-2', kind: 'deleted', address: 'aws_security_group.old', type: 'aws_security_group', id: 'sg-0ffee0ffee0ffee01', region: 'us-east-1' });
    const policyDrift = drift({ fingerprint: 'fp-policy', kind: 'modified', type: 'aws_s3_bucket_policy', id: 'acme-exports-eu', region: 'eu-west-1', changes: [{ path: 'policy', declared: '{}', live: '{}' }] });
    const errors: unknown[] = [];

    const result = await attributeDrifts([sgIngressDrift, otherGroup, policyDrift], { lookup, now: NOW, limiter: openLimiter(), onError: (e) => errors.push(e) });

    expect(denied.isDone()).toBe(true);
    expect(result.get('fp-sg-ingress')).toBeNull();
    expect(result.get('fp-sg-2')).toBeNull();
    expect(result.get('fp-policy')?.actor).toBe('jane.doe@example.com');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(DriftwatchError);
    expect((errors[0] as DriftwatchError).code).toBe('aws');
    expect((errors[0] as DriftwatchError).message).toBe(
      'CloudTrail attribution skipped in us-east-1 (AccessDeniedException): allow cloudtrail:LookupEvents to the credentials driftwatch uses. Drifts are still reported, without who made them.',
    );
  });

  it.each([
    [
      'a server error',
      { status: 500, error: 'InternalFailure', message: 'An internal error occurred.' },
      'CloudTrail attribution skipped in us-east-1 (InternalFailure, HTTP 500): CloudTrail failed and is not asked again in this scan. Scan again later, or scan with --no-attribution. Drifts are still reported, without who made them.',
    ],
    [
      'an operation the endpoint does not know',
      { status: 400, error: 'UnknownOperationException', message: 'Unknown operation LookupEvents' },
      'CloudTrail attribution skipped in us-east-1 (UnknownOperationException): the CloudTrail endpoint does not answer LookupEvents. If AWS_ENDPOINT_URL points at an emulator without CloudTrail, point AWS_ENDPOINT_URL_CLOUDTRAIL at one that has it, or scan with --no-attribution. Drifts are still reported, without who made them.',
    ],
    [
      'AccessDenied',
      { status: 400, error: 'AccessDeniedException', message: 'not authorized to perform: cloudtrail:LookupEvents' },
      'CloudTrail attribution skipped in us-east-1 (AccessDeniedException): allow cloudtrail:LookupEvents to the credentials driftwatch uses. Drifts are still reported, without who made them.',
    ],
  ])('after %s, asks that region nothing more and says once what fixes it', async (_what, reply, message) => {
    const { lookup } = cloudTrailClients();
    const seen: LookupRequest[] = [];
    interceptLookup('us-east-1', GROUP, reply, { seen });
    interceptLookup('eu-west-1', 'acme-exports-eu', { events: [wireEvent(record('sso-user-put-bucket-policy'), [])] });
    // Any request for these would reach no interceptor, and nock would refuse it.
    const others = [1, 2, 3].map((n) => drift({ ...sgIngressDrift, fingerprint: `fp-sg-${n}`, id: `sg-0ffee0ffee0ffee0${n}` }));
    const policyDrift = drift({ fingerprint: 'fp-policy', kind: 'modified', type: 'aws_s3_bucket_policy', id: 'acme-exports-eu', region: 'eu-west-1', changes: [{ path: 'policy', declared: '{}', live: '{}' }] });
    const errors: unknown[] = [];

    const result = await attributeDrifts([sgIngressDrift, ...others, policyDrift], { lookup, now: NOW, limiter: openLimiter(), onError: (e) => errors.push(e) });

    expect(seen).toHaveLength(1);
    for (const fingerprint of ['fp-sg-ingress', 'fp-sg-1', 'fp-sg-2', 'fp-sg-3']) expect(result.get(fingerprint)).toBeNull();
    expect(result.get('fp-policy')?.actor).toBe('jane.doe@example.com');
    expect(errors.map((e) => (e as Error).message)).toEqual([message]);
  });

  it('keeps going after throttling that outlasts the retries: other resources of the region are still asked', async () => {
    const { lookup } = cloudTrailClients();
    interceptLookup('us-east-1', GROUP, { status: 400, error: 'ThrottlingException', message: 'Rate exceeded' });
    interceptLookup('us-east-1', 'sg-0ffee0ffee0ffee01', { events: [wireEvent(record('iam-user-console-authorize-ingress'), [SG_RESOURCE])] });
    const second = drift({ ...sgIngressDrift, fingerprint: 'fp-sg-2', id: 'sg-0ffee0ffee0ffee01' });
    const errors: unknown[] = [];

    const result = await attributeDrifts([sgIngressDrift, second], { lookup, now: NOW, limiter: openLimiter(), onError: (e) => errors.push(e) });

    expect(result.get('fp-sg-ingress')).toBeNull();
    expect(result.get('fp-sg-2')?.actor).toBe('maria.garcia');
    expect(errors).toHaveLength(1);
  });

  it('reads a resource once, page by page, however many of its attributes and parts drifted', async () => {
    const { lookup } = cloudTrailClients();
    const seen: LookupRequest[] = [];
    interceptLookup('us-east-1', GROUP, { events: [wireEvent(record('ci-create-tags-sg'), [SG_RESOURCE])], nextToken: 't2' }, { seen });
    interceptLookup('us-east-1', GROUP, { events: [wireEvent(record('iam-user-console-authorize-ingress'), [SG_RESOURCE])] }, { nextToken: 't2', seen });
    const many = drift({
      ...sgIngressDrift,
      fingerprint: 'fp-many',
      changes: [
        { path: 'ingress', declared: null, live: { protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '0.0.0.0/0' } },
        { path: 'egress', declared: { protocol: '-1', cidr_ipv4: '10.0.0.0/8' }, live: null },
        { path: 'tags.Owner', declared: 'ops', live: 'dev' },
      ],
    });
    const rule = drift({ fingerprint: 'fp-rule', kind: 'modified', type: 'aws_vpc_security_group_ingress_rule', id: GROUP, region: 'us-east-1', changes: [{ path: 'cidr_ipv4', declared: '10.0.0.0/8', live: '0.0.0.0/0' }] });
    const unmanagedRule = drift({
      fingerprint: 'fp-unmanaged-rule',
      kind: 'unmanaged',
      type: 'aws_vpc_security_group_ingress_rule',
      id: 'sgr-0c1d2e3f4a5b6c7d8',
      region: 'us-east-1',
      live: { type: 'aws_vpc_security_group_ingress_rule', id: 'sgr-0c1d2e3f4a5b6c7d8', region: 'us-east-1', attributes: { security_group_id: GROUP } },
    });
    const limiter = openLimiter();

    const result = await attributeDrifts([many, rule, unmanagedRule], { lookup, now: NOW, limiter });

    expect(seen.map((request) => request.NextToken)).toEqual([undefined, 't2']);
    expect(limiter.keys).toEqual(['us-east-1', 'us-east-1']);
    expect(result.get('fp-many')?.eventName).toBe('CreateTags');
    expect(result.get('fp-rule')?.eventName).toBe('AuthorizeSecurityGroupIngress');
    expect(result.get('fp-unmanaged-rule')?.eventName).toBe('AuthorizeSecurityGroupIngress');
  });

  it('matches a public access block change by the name CloudTrail logs it under', async () => {
    const { lookup } = cloudTrailClients();
    interceptLookup('eu-west-1', 'acme-exports-eu', {
      events: [wireEvent(record('sso-user-put-bucket-public-access-block'), [{ type: 'AWS::S3::Bucket', name: 'acme-exports-eu' }])],
    });
    const pab = drift({ fingerprint: 'fp-pab', kind: 'modified', type: 'aws_s3_bucket_public_access_block', id: 'acme-exports-eu', region: 'eu-west-1', changes: [{ path: 'block_public_policy', declared: true, live: false }] });

    const result = await attributeDrifts([pab], { lookup, now: NOW, limiter: openLimiter() });

    expect(result.get('fp-pab')).toMatchObject({ actor: 'jane.doe@example.com', eventName: 'PutBucketPublicAccessBlock', console: true });
  });

  it('looks a DB instance up by its identifier and by its ARN, and credits the newer event of either', async () => {
    const { lookup } = cloudTrailClients();
    const seen: LookupRequest[] = [];
    const arn = 'arn:aws:rds:us-west-2:123456789012:db:orders-prod';
    // ModifyDBInstance is indexed under the identifier, the later tag call under the ARN only.
    interceptLookup('us-west-2', 'orders-prod', { events: [wireEvent(record('ci-modify-db-instance'), [{ type: 'AWS::RDS::DBInstance', name: 'orders-prod' }])] }, { seen });
    interceptLookup('us-west-2', arn, { events: [wireEvent(record('ci-add-tags-db-instance'), [{ type: 'AWS::RDS::DBInstance', name: arn }])] }, { seen });
    const live = { type: 'aws_db_instance' as const, id: 'orders-prod', region: 'us-west-2', attributes: { identifier: 'orders-prod', arn } };
    const tags = drift({ fingerprint: 'fp-tags', kind: 'modified', type: 'aws_db_instance', id: 'db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U', region: 'us-west-2', live, changes: [{ path: 'tags.Team', declared: 'orders', live: 'payments' }] });
    const both = drift({
      fingerprint: 'fp-both',
      kind: 'modified',
      type: 'aws_db_instance',
      id: 'db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U',
      region: 'us-west-2',
      live,
      changes: [
        { path: 'instance_class', declared: 'db.r6g.large', live: 'db.r6g.xlarge' },
        { path: 'tags.Team', declared: 'orders', live: 'payments' },
      ],
    });
    const size = drift({ fingerprint: 'fp-size', kind: 'modified', type: 'aws_db_instance', id: 'orders-prod', region: 'us-west-2', live, changes: [{ path: 'instance_class', declared: 'db.r6g.large', live: 'db.r6g.xlarge' }] });

    const result = await attributeDrifts([tags, both, size], { lookup, now: NOW, limiter: openLimiter() });

    expect(seen.map((request) => request.LookupAttributes[0]?.AttributeValue)).toEqual(['orders-prod', arn]);
    expect(result.get('fp-tags')).toMatchObject({ eventName: 'AddTagsToResource', eventTime: '2026-11-19T07:30:02.000Z' });
    expect(result.get('fp-both')).toMatchObject({ eventName: 'AddTagsToResource' });
    expect(result.get('fp-size')).toMatchObject({ eventName: 'ModifyDBInstance' });
  });

  it('leaves a drift unattributed when throttling outlasts the retries', async () => {
    const { lookup } = cloudTrailClients();
    interceptLookup('us-east-1', GROUP, { status: 400, error: 'ThrottlingException', message: 'Rate exceeded' });
    const errors: unknown[] = [];

    const result = await attributeDrifts([sgIngressDrift], { lookup, now: NOW, limiter: openLimiter(), onError: (e) => errors.push(e) });

    expect(result.get('fp-sg-ingress')).toBeNull();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toContain('CloudTrail throttled LookupEvents in us-east-1 after retries');
  });

  it('leaves drifts unattributed when the matching event is malformed, reported once', async () => {
    const { lookup } = cloudTrailClients();
    const broken = wireEvent(record('iam-user-console-authorize-ingress'), [SG_RESOURCE], '{"eventVersion":"1.10","userIdentity":{"type":"IAMUser"');
    interceptLookup('us-east-1', GROUP, { events: [broken, wireEvent(record('ci-revoke-ingress'), [SG_RESOURCE])] });
    interceptLookup('us-east-1', 'sg-0ffee0ffee0ffee01', { events: [{ ...broken, CloudTrailEvent: '["not", "an", "object"]' }] });
    const secondGroup = drift({ ...sgIngressDrift, fingerprint: 'fp-sg-2', id: 'sg-0ffee0ffee0ffee01' });
    const errors: unknown[] = [];

    const result = await attributeDrifts([sgIngressDrift, secondGroup], { lookup, now: NOW, limiter: openLimiter(), onError: (e) => errors.push(e) });

    // Not the older revoke by CI: that would blame the wrong actor.
    expect(result.get('fp-sg-ingress')).toBeNull();
    expect(result.get('fp-sg-2')).toBeNull();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toContain('not a JSON object');
  });

  it('asks nothing for a type attribution does not cover, or a drift with no matching event name', async () => {
    const { lookup, regions } = cloudTrailClients();
    const vpc = drift({ fingerprint: 'fp-vpc', kind: 'modified', type: 'aws_vpc', id: 'vpc-0a1b2c3d', region: 'us-east-1', changes: [{ path: 'cidr_block', declared: 'a', live: 'b' }] });
    const bucketWebsite = drift({ fingerprint: 'fp-b', kind: 'modified', type: 'aws_s3_bucket', id: 'acme', region: 'us-east-1', changes: [{ path: 'request_payer', declared: 'BucketOwner', live: 'Requester' }] });

    const result = await attributeDrifts([vpc, bucketWebsite], { lookup, now: NOW, limiter: openLimiter() });

    expect([...result.entries()]).toEqual([
      ['fp-vpc', null],
      ['fp-b', null],
    ]);
    expect(regions).toEqual([]);
  });

  it('keeps to 2 LookupEvents requests per second per region with one shared limiter', async () => {
    const clock = createFakeClock(NOW.getTime());
    const limiter = createCloudTrailLimiter({ now: clock.now, sleep: clock.sleep });
    const taken: Record<string, number[]> = {};
    const recording: TokenBucket = {
      take: async (key) => {
        await limiter.take(key);
        (taken[key] ??= []).push(clock.now() - NOW.getTime());
      },
    };
    const { lookup } = cloudTrailClients();
    const drifts: TestDrift[] = [];
    for (let n = 1; n <= 5; n += 1) {
      const group = `sg-00000000000000${n}0`;
      interceptLookup('us-east-1', group, { events: [] });
      drifts.push(drift({ ...sgIngressDrift, fingerprint: `fp-use1-${n}`, id: group }));
    }
    for (let n = 1; n <= 3; n += 1) {
      const bucket = `acme-eu-${n}`;
      interceptLookup('eu-west-1', bucket, { events: [] });
      drifts.push(drift({ fingerprint: `fp-euw1-${n}`, kind: 'deleted', type: 'aws_s3_bucket', id: bucket, region: 'eu-west-1' }));
    }

    const result = await clock.run(attributeDrifts(drifts, { lookup, now: NOW, limiter: recording }));

    expect(result.size).toBe(8);
    // One token per request, every request in its drift's region ...
    expect(taken['us-east-1']).toHaveLength(5);
    expect(taken['eu-west-1']).toHaveLength(3);
    // ... never more than 2 in any second of a region, and the regions do not wait for each other.
    for (const times of Object.values(taken)) {
      for (const start of times) expect(times.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(2);
    }
    expect(taken['us-east-1']?.[0]).toBe(0);
    expect(taken['eu-west-1']?.[0]).toBe(0);
  });

  it.each([91, 365, 0, -1, Number.NaN])('rejects a lookback of %s days', async (lookbackDays) => {
    const { lookup, regions } = cloudTrailClients();

    const error = await attributeDrifts([sgIngressDrift], { lookup, now: NOW, lookbackDays, limiter: openLimiter() }).then(
      () => null,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(DriftwatchError);
    expect((error as DriftwatchError).code).toBe('config');
    expect((error as DriftwatchError).message).toContain('between 1 and 90 days');
    expect(regions).toEqual([]);
  });
});
