import { describe, expect, it } from 'vitest';
import { actorLine, atLeast, formatTime, resourceName } from '../../src/notify/finding-text.js';
import { securityGroupFinding, tanakaOpensSsh } from './findings.js';

describe('resourceName', () => {
  it.each([
    ['a root-module resource', 'aws_security_group.web-sg', 'aws_security_group', 'web-sg'],
    ['a counted resource', 'aws_instance.api[1]', 'aws_instance', 'api[1]'],
    ['a for_each resource', 'aws_s3_bucket.logs["eu-west-1"]', 'aws_s3_bucket', 'logs["eu-west-1"]'],
    ['a resource in a module', 'module.network.aws_security_group.web', 'aws_security_group', 'module.network.web'],
    ['a module named like the type', 'module.aws_security_group.aws_security_group.db', 'aws_security_group', 'module.aws_security_group.db'],
  ])('%s is named by its address without the type', (_name, address, type, expected) => {
    expect(resourceName({ address, type, cloudId: 'sg-0a1b2c3d4e5f60718' })).toBe(expected);
  });

  it('names an unmanaged resource, which has no address, by its cloud id', () => {
    expect(resourceName({ address: null, type: 'aws_instance', cloudId: 'i-0123456789abcdef0' })).toBe('i-0123456789abcdef0');
  });
});

describe('actorLine', () => {
  it.each([
    ['modified', 'changed by tanaka via AuthorizeSecurityGroupIngress'],
    ['deleted', 'deleted by tanaka via AuthorizeSecurityGroupIngress'],
    ['unmanaged', 'created by tanaka via AuthorizeSecurityGroupIngress'],
  ] as const)('a %s drift', (kind, expected) => {
    expect(actorLine({ kind, attribution: tanakaOpensSsh })).toBe(expected);
  });

  it('says when CloudTrail named nobody', () => {
    expect(actorLine(securityGroupFinding({ attribution: null }))).toBe('changed by an unknown actor');
  });
});

describe('atLeast', () => {
  it.each([
    ['critical', 'high', true],
    ['high', 'high', true],
    ['medium', 'high', false],
    ['low', 'low', true],
  ] as const)('%s at or above %s: %s', (severity, min, expected) => {
    expect(atLeast(severity, min)).toBe(expected);
  });
});

describe('formatTime', () => {
  it.each([
    ['UTC', '2024-03-31T00:30:00.000Z', '2024-03-31 00:30 UTC'],
    ['Europe/Berlin', '2024-03-31T00:30:00.000Z', '2024-03-31 01:30 (Europe/Berlin)'],
    ['Europe/Berlin', '2024-03-31T01:30:00.000Z', '2024-03-31 03:30 (Europe/Berlin)'],
    ['Asia/Tokyo', '2024-05-12T23:00:00.000Z', '2024-05-13 08:00 (Asia/Tokyo)'],
    ['Mars/Olympus_Mons', '2024-05-12T23:00:00.000Z', '2024-05-12 23:00 UTC'],
  ])('in %s', (zone, iso, expected) => {
    expect(formatTime(iso, zone)).toBe(expected);
  });
});
