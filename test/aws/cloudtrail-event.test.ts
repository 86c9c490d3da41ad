import type { Event } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import { parseCloudTrailEvent } from '../../src/aws/cloudtrail-event.js';
import { record } from './fixtures/cloudtrail-lookup.js';

/** A LookupEvents element as the SDK hands it over (EventTime already a Date). */
function sdkEvent(cloudTrailEvent: unknown, fields: Partial<Event> = {}): Event {
  return {
    EventId: 'fallback-id',
    EventName: 'PutBucketVersioning',
    ReadOnly: 'false',
    EventTime: new Date('2026-11-20T10:00:00Z'),
    Username: 'fallback-user',
    CloudTrailEvent: typeof cloudTrailEvent === 'string' ? cloudTrailEvent : JSON.stringify(cloudTrailEvent),
    ...fields,
  };
}

const base = {
  eventVersion: '1.10',
  eventTime: '2026-11-20T10:00:00Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'PutBucketVersioning',
  awsRegion: 'us-east-1',
  sourceIPAddress: '192.0.2.10',
  userAgent: 'aws-cli/2.22.35',
  eventID: 'e-1',
  readOnly: false,
  eventType: 'AwsApiCall',
  managementEvent: true,
  eventCategory: 'Management',
};

describe('parseCloudTrailEvent', () => {
  it.each([
    ['iam-user-console-authorize-ingress', { actor: 'maria.garcia', actorType: 'iam-user', role: null, sessionName: null, console: true }],
    [
      'sso-user-put-bucket-policy',
      {
        actor: 'jane.doe@example.com',
        actorType: 'sso-user',
        role: 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_4c1a8f6e2b9d7035',
        sessionName: 'jane.doe@example.com',
        console: true,
      },
    ],
    [
      'ci-revoke-ingress',
      {
        actor: 'gha-acme-infra-8812345',
        actorType: 'assumed-role',
        role: 'arn:aws:iam::123456789012:role/github-actions-deploy',
        sessionName: 'gha-acme-infra-8812345',
        console: false,
      },
    ],
    ['aws-service-terminate-instances', { actor: 'autoscaling.amazonaws.com', actorType: 'aws-service', role: null, sessionName: null, console: false }],
  ])('reads the actor of %s', (name, expected) => {
    const parsed = parseCloudTrailEvent(sdkEvent(record(name)));

    expect(parsed.kind).toBe('attribution');
    expect(parsed.kind === 'attribution' ? parsed.attribution : null).toMatchObject(expected);
  });

  it.each([
    ['a Root user', { type: 'Root', principalId: '123456789012', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' }, { actor: 'root', actorType: 'root' }],
    [
      'an Identity Center user calling directly',
      { type: 'IdentityCenterUser', accountId: '123456789012', onBehalfOf: { userId: '94482488-3041-7026-18f3-be45837cd0e4', identityStoreArn: 'arn:aws:identitystore::123456789012:identitystore/d-9067642ac7' }, credentialId: 'EXAMPLE' },
      { actor: 'fallback-user', actorType: 'unknown' },
    ],
    [
      'a federated user',
      { type: 'FederatedUser', principalId: '123456789012:build-bot', arn: 'arn:aws:sts::123456789012:federated-user/build-bot', accountId: '123456789012' },
      { actor: '123456789012:build-bot', actorType: 'unknown' },
    ],
    [
      'an assumed role known only by its principal id',
      { type: 'AssumedRole', principalId: 'AROAEXAMPLE:ops-session', sessionContext: { sessionIssuer: {} } },
      { actor: 'ops-session', actorType: 'assumed-role', role: null, sessionName: 'ops-session' },
    ],
  ])('reads %s', (_what, userIdentity, expected) => {
    const parsed = parseCloudTrailEvent(sdkEvent({ ...base, userIdentity }));

    expect(parsed.kind === 'attribution' ? parsed.attribution : parsed).toMatchObject(expected);
  });

  it.each([
    ['the console host', { userAgent: 'console.amazonaws.com' }, true],
    ['the sign-in host', { userAgent: 'signin.amazonaws.com' }, true],
    ['a per-service console host', { userAgent: 'console.ec2.amazonaws.com' }, true],
    ['AWS Internal', { userAgent: 'AWS Internal' }, true],
    ['the session flag inside sessionContext', { userAgent: 'Mozilla/5.0', userIdentity: { type: 'IAMUser', userName: 'x', sessionContext: { sessionCredentialFromConsole: 'true' } } }, true],
    ['the CLI', { userAgent: 'aws-cli/2.22.35 md/command#s3api.put-bucket-versioning' }, false],
    ['a look-alike host', { userAgent: 'notconsole.amazonaws.com.example.net' }, false],
    ['Terraform', { userAgent: 'APN/1.0 HashiCorp/1.0 Terraform/1.11.4 (+https://www.terraform.io) terraform-provider-aws/5.100.0' }, false],
  ])('tells console from %s', (_what, fields, console) => {
    const parsed = parseCloudTrailEvent(sdkEvent({ ...base, userIdentity: { type: 'IAMUser', userName: 'x' }, ...fields }));

    expect(parsed.kind === 'attribution' && parsed.attribution.console).toBe(console);
  });

  it.each([
    ['a read-only call (LookupEvents flag)', sdkEvent({ ...base, userIdentity: { type: 'IAMUser', userName: 'x' } }, { ReadOnly: 'true' })],
    ['a read-only call (event JSON)', sdkEvent({ ...base, readOnly: true, userIdentity: { type: 'IAMUser', userName: 'x' } })],
    ['a failed call', sdkEvent(record('authorize-ingress-duplicate-error'))],
    ['a data event', sdkEvent({ ...base, managementEvent: false, eventCategory: 'Data', userIdentity: { type: 'IAMUser', userName: 'x' } })],
  ])('says %s changed nothing', (_what, event) => {
    expect(parseCloudTrailEvent(event)).toEqual({ kind: 'not-a-change' });
  });

  it.each([
    ['truncated JSON', '{"eventVersion":"1.10","userIdentity":'],
    ['a JSON array', '[1,2,3]'],
    ['JSON null', 'null'],
    ['a JSON string', '"hello"'],
  ])('calls %s malformed', (_what, json) => {
    expect(parseCloudTrailEvent(sdkEvent(json))).toEqual({ kind: 'malformed' });
  });

  it('calls an event without CloudTrailEvent malformed', () => {
    expect(parseCloudTrailEvent({ EventName: 'PutBucketPolicy', ReadOnly: 'false' })).toEqual({ kind: 'malformed' });
  });

  it.each([
    ['userIdentity is a string', { userIdentity: 'IAMUser' }],
    ['userIdentity is an array', { userIdentity: [{ type: 'IAMUser' }] }],
    ['fields of the wrong types', { userIdentity: { type: 7, userName: { first: 'x' }, arn: null }, eventTime: 12, sourceIPAddress: ['1.2.3.4'], eventID: false }],
    ['sessionContext of the wrong shape', { userIdentity: { type: 'AssumedRole', arn: 42, sessionContext: 'x' } }],
    ['an unparseable time', { userIdentity: { type: 'IAMUser', userName: 'x' }, eventTime: 'yesterday' }],
  ])('never throws when %s', (_what, fields) => {
    const parsed = parseCloudTrailEvent(sdkEvent({ ...base, ...fields }));

    expect(parsed.kind).toBe('attribution');
    if (parsed.kind !== 'attribution') return;
    expect(typeof parsed.attribution.actor).toBe('string');
    expect(parsed.attribution.eventTime).toBe('2026-11-20T10:00:00.000Z');
  });

  it('falls back to the LookupEvents fields when the record lacks them', () => {
    const parsed = parseCloudTrailEvent(sdkEvent({ userIdentity: { type: 'IAMUser', userName: 'x' } }, { EventId: 'ev-9', EventName: 'PutBucketAcl' }));

    expect(parsed).toEqual({
      kind: 'attribution',
      attribution: {
        actor: 'x',
        actorType: 'iam-user',
        role: null,
        sessionName: null,
        eventName: 'PutBucketAcl',
        eventTime: '2026-11-20T10:00:00.000Z',
        sourceIp: null,
        console: false,
        eventId: 'ev-9',
      },
    });
  });

  it('keeps untrusted text as text, capped in length, without escaping it', () => {
    const actor = '<script>@channel</script>'.padEnd(2000, 'x');
    const parsed = parseCloudTrailEvent(sdkEvent({ ...base, userIdentity: { type: 'IAMUser', userName: actor } }));

    const attribution = parsed.kind === 'attribution' ? parsed.attribution : null;
    expect(attribution?.actor.startsWith('<script>@channel</script>')).toBe(true);
    expect(attribution?.actor).toHaveLength(512);
  });
});
