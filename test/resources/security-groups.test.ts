import { describe, expect, it } from 'vitest';
import { analyzeFixture, findGroup } from './analyze-fixture.js';
import type { LiveFiles } from './fixture-inventory.js';

const WEB = 'sg-7488d1103fb704de7'; // legacy-inline: inline ingress/egress blocks
const COURIER = 'sg-be9d1f3adc8ce9bbc'; // count-foreach-modules: aws_security_group_rule resources
const LEDGER = 'sg-6f57d8653711be775';
const WORKER = 'sg-124b72811ce5d552e'; // vpc-rules-new-style: aws_vpc_security_group_*_rule

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function permission(group: any, port: number): any {
  return group.IpPermissions.find((p: { FromPort?: number }) => p.FromPort === port);
}

describe('security groups, whichever shape declares the rules', () => {
  it('inline group: SSH opened to the world is critical, CIS 5.2', () => {
    const result = analyzeFixture('legacy-inline', {
      edit: (f) => findGroup(f, WEB).IpPermissions.push({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }),
    });
    expect(result.drifts).toHaveLength(1);
    const drift = result.drifts[0]!;
    expect(drift).toMatchObject({ kind: 'modified', address: 'aws_security_group.web', id: WEB, severity: 'critical' });
    expect(drift.changes).toEqual([{ path: 'ingress', declared: null, live: { protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '0.0.0.0/0' } }]);
    expect(drift.title).toBe('Opened to the entire internet (0.0.0.0/0) on port 22');
    expect(drift.controls.cis).toEqual(['5.2']);
    expect(drift.controls.mitre.length).toBeGreaterThan(0);
  });

  it('inline group: one source removed from a two-CIDR block is one removed rule, low', () => {
    const result = analyzeFixture('legacy-inline', {
      edit: (f) => (permission(findGroup(f, WEB), 80).IpRanges = [{ CidrIp: '172.31.0.0/20', Description: 'HTTP from the load balancer subnets' }]),
    });
    expect(result.drifts).toHaveLength(1);
    expect(result.drifts[0]).toMatchObject({
      address: 'aws_security_group.web',
      severity: 'low',
      changes: [{ path: 'ingress', declared: { protocol: 'tcp', from_port: 80, to_port: 80, cidr_ipv4: '172.31.16.0/20', description: 'HTTP from the load balancer subnets' }, live: null }],
    });
  });

  it('inline group: a description edited is a low change of that rule', () => {
    const result = analyzeFixture('legacy-inline', {
      edit: (f) => (permission(findGroup(f, WEB), 7946).UserIdGroupPairs[0].Description = 'gossip (temporary)'),
    });
    expect(result.drifts[0]).toMatchObject({ address: 'aws_security_group.web', severity: 'low' });
    expect(result.drifts[0]!.changes).toEqual([
      {
        path: 'ingress',
        declared: { protocol: 'udp', from_port: 7946, to_port: 7946, self: true, description: 'Cluster gossip between web nodes' },
        live: { protocol: 'udp', from_port: 7946, to_port: 7946, self: true, description: 'gossip (temporary)' },
      },
    ]);
  });

  it('aws_security_group_rule: the SSH source swapped to 0.0.0.0/0 is a change of that rule, critical', () => {
    const result = analyzeFixture('count-foreach-modules', {
      edit: (f) => (permission(findGroup(f, LEDGER), 22).IpRanges = [{ CidrIp: '0.0.0.0/0', Description: 'SSH from the admin network' }]),
    });
    expect(result.drifts).toHaveLength(1);
    expect(result.drifts[0]).toMatchObject({
      kind: 'modified',
      address: 'module.app["ledger"].aws_security_group_rule.ssh',
      id: LEDGER,
      severity: 'critical',
      title: 'Opened to the entire internet (0.0.0.0/0) on port 22',
      changes: [{ path: 'cidr_blocks', declared: ['203.0.113.64/27'], live: ['0.0.0.0/0'] }],
    });
  });

  it('aws_security_group_rule: a multi-CIDR rule losing one CIDR', () => {
    const result = analyzeFixture('count-foreach-modules', {
      edit: (f) => (permission(findGroup(f, COURIER), 9090).IpRanges.length = 1),
    });
    expect(result.drifts).toHaveLength(1);
    expect(result.drifts[0]).toMatchObject({
      address: 'module.app["courier"].aws_security_group_rule.service',
      severity: 'low',
      changes: [{ path: 'cidr_blocks', declared: ['10.30.0.0/16', '192.168.50.0/24'], live: ['10.30.0.0/16'] }],
    });
  });

  it('a rule added by hand to a group whose rules are separate resources belongs to the group, with a revoke command', () => {
    const result = analyzeFixture('count-foreach-modules', {
      edit: (f) => findGroup(f, COURIER).IpPermissions.push({ IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }),
    });
    expect(result.drifts).toHaveLength(1);
    const drift = result.drifts[0]!;
    expect(drift).toMatchObject({ address: 'module.app["courier"].aws_security_group.this', severity: 'critical' });
    expect(drift.title).toContain('port 3306');
    expect(drift.changes).toEqual([{ path: 'ingress', declared: null, live: { protocol: 'tcp', from_port: 3306, to_port: 3306, cidr_ipv4: '0.0.0.0/0' } }]);
  });

  it('aws_vpc_security_group_ingress_rule edited in place (same rule id): attribute change on that resource', () => {
    const result = analyzeFixture('vpc-rules-new-style', {
      edit: (f: LiveFiles) => {
        permission(findGroup(f, WORKER), 22).IpRanges[0].CidrIp = '0.0.0.0/0';
        const rule = f['ec2-DescribeSecurityGroupRules.json'].SecurityGroupRules.find((r: { SecurityGroupRuleId: string }) => r.SecurityGroupRuleId === 'sgr-146cb49bc30872227');
        rule.CidrIpv4 = '0.0.0.0/0';
      },
    });
    const drift = result.drifts.find((d) => d.address === 'aws_vpc_security_group_ingress_rule.worker_ssh')!;
    expect(drift).toMatchObject({ kind: 'modified', severity: 'critical', changes: [{ path: 'cidr_ipv4', declared: '198.51.100.0/24', live: '0.0.0.0/0' }] });
  });

  it('aws_vpc_security_group_ingress_rule revoked: deleted, low', () => {
    const result = analyzeFixture('vpc-rules-new-style', {
      edit: (f: LiveFiles) => {
        const group = findGroup(f, WORKER);
        group.IpPermissions = group.IpPermissions.filter((p: { FromPort?: number }) => p.FromPort !== 22);
        const rules = f['ec2-DescribeSecurityGroupRules.json'];
        rules.SecurityGroupRules = rules.SecurityGroupRules.filter((r: { SecurityGroupRuleId: string }) => r.SecurityGroupRuleId !== 'sgr-146cb49bc30872227');
      },
    });
    const drift = result.drifts.find((d) => d.address === 'aws_vpc_security_group_ingress_rule.worker_ssh')!;
    expect(drift).toMatchObject({ kind: 'deleted', severity: 'low', title: 'Inbound rule removed outside Terraform: tcp/22 from 198.51.100.0/24' });
  });

  it('a deleted group is one deleted drift, not one per rule', () => {
    const result = analyzeFixture('count-foreach-modules', {
      edit: (f) => {
        const file = f['ec2-DescribeSecurityGroups.json'];
        file.SecurityGroups = file.SecurityGroups.filter((g: { GroupId: string }) => g.GroupId !== LEDGER);
      },
    });
    expect(result.drifts.map((d) => [d.kind, d.address])).toEqual([['deleted', 'module.app["ledger"].aws_security_group.this']]);
  });

  it('an unmanaged group open to the world is high; a VPC default group is never unmanaged', () => {
    const result = analyzeFixture('legacy-inline', {
      edit: (f) =>
        f['ec2-DescribeSecurityGroups.json'].SecurityGroups.push(
          { GroupId: 'sg-0debug', GroupName: 'debug-temp', Description: 'temp', VpcId: 'vpc-0c66c6e5', IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }], IpPermissionsEgress: [] },
          { GroupId: 'sg-0default2', GroupName: 'default', Description: 'default VPC security group', VpcId: 'vpc-0other', IpPermissions: [], IpPermissionsEgress: [] },
        ),
    });
    expect(result.drifts).toHaveLength(1);
    expect(result.drifts[0]).toMatchObject({ kind: 'unmanaged', id: 'sg-0debug', severity: 'high' });
  });
});
