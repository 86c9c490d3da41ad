import { describe, expect, it } from 'vitest';
import { analyzeFixture, findInstance } from './analyze-fixture.js';
import type { LiveFiles } from './fixture-inventory.js';

const COURIER_0 = 'i-e14b6705c7359bba9';
const COURIER_0_ADDRESS = 'module.app["courier"].aws_instance.this[0]';

describe('aws_instance', () => {
  it.each([
    {
      name: 'instance type resized in the console',
      edit: (f: LiveFiles) => (findInstance(f, COURIER_0).InstanceType = 'm5.4xlarge'),
      changes: [{ path: 'instance_type', declared: 't3.small', live: 'm5.4xlarge' }],
      severity: 'low',
      title: 'Instance type changed from t3.small to m5.4xlarge',
    },
    {
      name: 'a tag edited, compared with tags_all (default_tags included)',
      edit: (f: LiveFiles) => {
        const tags = findInstance(f, COURIER_0).Tags;
        tags.find((t: { Key: string }) => t.Key === 'Environment').Value = 'prod';
        tags.push({ Key: 'aws:autoscaling:groupName', Value: 'ignored-reserved-tag' });
      },
      changes: [{ path: 'tags.Environment', declared: 'staging', live: 'prod' }],
      severity: 'low',
      title: undefined,
    },
    {
      name: 'security groups swapped',
      edit: (f: LiveFiles) => (findInstance(f, COURIER_0).SecurityGroups = [{ GroupId: 'sg-0rogue', GroupName: 'rogue' }]),
      changes: [{ path: 'vpc_security_group_ids', declared: ['sg-be9d1f3adc8ce9bbc'], live: ['sg-0rogue'] }],
      severity: 'medium',
      title: undefined,
    },
    {
      name: 'an instance profile attached',
      edit: (f: LiveFiles) => (findInstance(f, COURIER_0).IamInstanceProfile = { Arn: 'arn:aws:iam::123456789012:instance-profile/admin-profile', Id: 'AIPAEXAMPLE' }),
      changes: [{ path: 'iam_instance_profile', declared: null, live: 'admin-profile' }],
      severity: 'high',
      title: undefined,
    },
  ])('$name', ({ edit, changes, severity, title }) => {
    const result = analyzeFixture('count-foreach-modules', { edit });
    expect(result.drifts).toHaveLength(1);
    const [drift] = result.drifts;
    expect(drift).toMatchObject({ kind: 'modified', address: COURIER_0_ADDRESS, type: 'aws_instance', id: COURIER_0, changes, severity });
    if (title) expect(drift!.title).toBe(title);
  });

  it('prices a resize: the monthly delta from the on-demand table', () => {
    const result = analyzeFixture('count-foreach-modules', { edit: (f) => (findInstance(f, COURIER_0).InstanceType = 't3.large') });
    // t3.small $0.0208/h → t3.large $0.0832/h in us-east-1, 730 h a month: $15.18 → $60.74.
    expect(result.drifts[0]!.costDeltaMonthly).toBe(45.56);
  });

  it('IMDSv1 allowed again is high and maps to CIS 5.6', () => {
    const result = analyzeFixture('vpc-rules-new-style', {
      edit: (f) => (findInstance(f, 'i-b527d07d0716a0a46').MetadataOptions.HttpTokens = 'optional'),
    });
    const drift = result.drifts.find((d) => d.address === 'aws_instance.worker')!;
    expect(drift.changes).toEqual([{ path: 'metadata_options[0].http_tokens', declared: 'required', live: 'optional' }]);
    expect(drift.severity).toBe('high');
    expect(drift.controls.cis).toContain('5.6');
  });

  it('a root volume grown outside Terraform', () => {
    const result = analyzeFixture('count-foreach-modules', {
      edit: (f) => {
        const volume = f['ec2-DescribeVolumes.json'].Volumes.find((v: { VolumeId: string }) => v.VolumeId === 'vol-3ca0edd4');
        volume.Size = 50;
      },
    });
    expect(result.drifts[0]).toMatchObject({ address: COURIER_0_ADDRESS, changes: [{ path: 'root_block_device[0].volume_size', declared: 8, live: 50 }] });
  });

  it('a terminated instance is deleted, and the bill goes down', () => {
    const result = analyzeFixture('count-foreach-modules', { edit: (f) => (findInstance(f, COURIER_0).State = { Code: 48, Name: 'terminated' }) });
    expect(result.drifts).toHaveLength(1);
    expect(result.drifts[0]).toMatchObject({ kind: 'deleted', address: COURIER_0_ADDRESS, severity: 'medium', changes: [] });
    expect(result.drifts[0]!.costDeltaMonthly).toBeCloseTo(-0.0208 * 730, 2);
  });

  it('an instance launched by hand is unmanaged; one an Auto Scaling group launched is not', () => {
    const result = analyzeFixture('count-foreach-modules', {
      edit: (f) => {
        const template = findInstance(f, COURIER_0);
        const rogue = { ...structuredClone(template), InstanceId: 'i-0cafe', InstanceType: 'c5.2xlarge', Tags: [{ Key: 'Name', Value: 'crypto' }], PublicIpAddress: '198.51.100.7' };
        const scaled = { ...structuredClone(template), InstanceId: 'i-0asg', Tags: [{ Key: 'aws:autoscaling:groupName', Value: 'web-asg' }] };
        f['ec2-DescribeInstances.json'].Reservations.push({ Instances: [rogue, scaled] });
      },
    });
    expect(result.drifts).toHaveLength(1);
    expect(result.drifts[0]).toMatchObject({ kind: 'unmanaged', address: null, type: 'aws_instance', id: 'i-0cafe', severity: 'high' });
    expect(result.drifts[0]!.title).toContain('198.51.100.7');
    expect(result.drifts[0]!.costDeltaMonthly).toBeCloseTo(0.34 * 730, 1);
    expect(result.coverage).toEqual({ managed: 8, unmanaged: 1, percent: 88.9 });
  });

  it('no drift when the emulator leaves out metadata options the state has none of', () => {
    const result = analyzeFixture('count-foreach-modules');
    expect(result.drifts).toEqual([]);
    expect(result.postureScore).toBe(100);
  });
});
