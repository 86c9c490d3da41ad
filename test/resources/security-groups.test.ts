import { describe, expect, it } from 'vitest';
import { declaredKeys } from '../../src/drift/diff.js';
import type { AssessedDrift } from '../../src/drift/types.js';
import { families } from '../../src/resources/index.js';
import { securityGroups } from '../../src/resources/security-groups/index.js';
import type { SourceFile } from '../../src/terraform/types.js';
import { analyzeFixture, findGroup, fixtureModel } from './analyze-fixture.js';
import { fixtureState, type LiveFiles } from './fixture-inventory.js';

const WEB = 'sg-7488d1103fb704de7'; // legacy-inline: inline ingress/egress blocks
const COURIER = 'sg-be9d1f3adc8ce9bbc'; // count-foreach-modules: aws_security_group_rule resources
const LEDGER = 'sg-6f57d8653711be775';
const WORKER = 'sg-124b72811ce5d552e'; // vpc-rules-new-style: aws_vpc_security_group_*_rule
const DB = 'sg-dee119dc20281bbca'; // legacy-inline
const context = { defaultRegion: 'us-east-1', regionByAlias: {} };

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

/** A rule added in the console: in the group's permissions and, with its own id, in
 * DescribeSecurityGroupRules, as AWS lists it. */
function addRule(files: LiveFiles, groupId: string, rule: { ruleId: string; egress?: boolean; protocol: string; port: number; cidr: string; description?: string }): void {
  const range = rule.description ? { CidrIp: rule.cidr, Description: rule.description } : { CidrIp: rule.cidr };
  const permission = { IpProtocol: rule.protocol, FromPort: rule.port, ToPort: rule.port, IpRanges: [range], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
  const group = findGroup(files, groupId);
  (rule.egress ? group.IpPermissionsEgress : group.IpPermissions).push(permission);
  files['ec2-DescribeSecurityGroupRules.json'].SecurityGroupRules.push({
    SecurityGroupRuleId: rule.ruleId,
    GroupId: groupId,
    GroupOwnerId: '123456789012',
    IsEgress: rule.egress === true,
    IpProtocol: rule.protocol,
    FromPort: rule.port,
    ToPort: rule.port,
    CidrIpv4: rule.cidr,
    ...(rule.description ? { Description: rule.description } : {}),
    Tags: [],
  });
}

function editFile(files: SourceFile[], name: string, edit: (text: string) => string): void {
  const file = files.find((f) => f.path === name);
  if (!file) throw new Error(`no ${name} in the fixture`);
  const before = file.text;
  file.text = edit(before);
  if (file.text === before) throw new Error(`the edit left ${name} unchanged`);
}

const MYSQL_FROM_ANYWHERE = { ruleId: 'sgr-0c1d2e3f4a5b6c7d8', protocol: 'tcp', port: 3306, cidr: '0.0.0.0/0', description: 'debug' };

function sources(drifts: AssessedDrift[]): string[] {
  return drifts.flatMap((drift) => {
    const values = drift.changes.flatMap((change) => [change.declared, change.live]).flatMap((value) => (Array.isArray(value) ? value : [value]));
    return values.flatMap((value) => (typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).filter((v): v is string => typeof v === 'string' && v.includes('/')) : []));
  });
}

describe('rules on a group whose configuration writes no ingress/egress', () => {
  it('a rule nobody declares is an unmanaged rule with its own import and revoke command, never a change of the group', async () => {
    const model = await fixtureModel('count-foreach-modules');
    const result = analyzeFixture('count-foreach-modules', { model, edit: (f) => addRule(f, COURIER, MYSQL_FROM_ANYWHERE) });
    expect(result.drifts).toHaveLength(1);
    const drift = result.drifts[0]!;
    expect(drift).toMatchObject({
      kind: 'unmanaged',
      address: null,
      type: 'aws_vpc_security_group_ingress_rule',
      id: 'sgr-0c1d2e3f4a5b6c7d8',
      region: 'us-east-1',
      severity: 'critical',
      title: 'MySQL port 3306 opened to the entire internet (0.0.0.0/0)',
      location: null,
    });
    expect(drift.changes).toEqual([
      { path: 'ingress', declared: null, live: { protocol: 'tcp', from_port: 3306, to_port: 3306, cidr_ipv4: '0.0.0.0/0', description: 'debug', rule_id: 'sgr-0c1d2e3f4a5b6c7d8' } },
    ]);
    expect(securityGroups.remediation(drift)).toBe(
      "aws ec2 revoke-security-group-ingress --region us-east-1 --group-id sg-be9d1f3adc8ce9bbc --security-group-rule-ids sgr-0c1d2e3f4a5b6c7d8",
    );
    expect(securityGroups.generate(drift.live!)).toEqual({
      type: 'aws_vpc_security_group_ingress_rule',
      name: 'courier-app_ingress_tcp_3306',
      importId: 'sgr-0c1d2e3f4a5b6c7d8',
      attributes: { security_group_id: COURIER, description: 'debug', ip_protocol: 'tcp', from_port: 3306, to_port: 3306, cidr_ipv4: '0.0.0.0/0' },
      blocks: {},
    });
  });

  it('without the configuration, a group with rule resources in the state is read as writing no inline rules', () => {
    const result = analyzeFixture('count-foreach-modules', { edit: (f) => addRule(f, COURIER, MYSQL_FROM_ANYWHERE) });
    expect(result.drifts.map((d) => [d.kind, d.type, d.id])).toEqual([['unmanaged', 'aws_vpc_security_group_ingress_rule', 'sgr-0c1d2e3f4a5b6c7d8']]);
  });

  it('an outbound rule nobody declares is unmanaged when the group writes ingress blocks only; an added inbound rule stays a change of the group', async () => {
    // The db group's egress block taken out of the configuration: egress is computed from then on,
    // and the rule the state still lists (from the last refresh) is no longer Terraform's.
    const model = await fixtureModel('legacy-inline', (files) =>
      editFile(files, 'security_groups.tf', (text) => text.replace(/\n {2}egress \{\n {4}description = "Inside the VPC only"[^}]*\}\n/, '\n')),
    );
    const result = analyzeFixture('legacy-inline', {
      model,
      edit: (f) => addRule(f, DB, { ruleId: 'sgr-0aa11bb22cc33dd44', protocol: 'tcp', port: 22, cidr: '10.0.0.0/8' }),
    });
    expect(result.drifts.map((d) => [d.kind, d.address, d.type, d.id, d.changes])).toEqual([
      ['modified', 'aws_security_group.db', 'aws_security_group', DB, [{ path: 'ingress', declared: null, live: { protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '10.0.0.0/8', rule_id: 'sgr-0aa11bb22cc33dd44' } }]],
      ['unmanaged', null, 'aws_vpc_security_group_egress_rule', 'sgr-2af3460fef874481c', [{ path: 'egress', declared: null, live: { protocol: '-1', from_port: null, to_port: null, cidr_ipv4: '172.31.0.0/16', description: 'Inside the VPC only', rule_id: 'sgr-2af3460fef874481c' } }]],
    ]);
    expect(result.drifts[1]!.title).toBe('Outbound rule added outside Terraform: all traffic to 172.31.0.0/16 on millbrook-db');
  });

  it('a group that writes its rules inline owns an added rule, read from the configuration too', async () => {
    const model = await fixtureModel('legacy-inline');
    const result = analyzeFixture('legacy-inline', { model, edit: (f) => addRule(f, WEB, { ruleId: 'sgr-0ssh', protocol: 'tcp', port: 22, cidr: '0.0.0.0/0' }) });
    expect(result.drifts.map((d) => [d.kind, d.address, d.changes.map((c) => c.path)])).toEqual([['modified', 'aws_security_group.web', ['ingress']]]);
  });

  it('a dynamic block writes the rules of its direction: the group owns an added rule there', async () => {
    const model = await fixtureModel('vpc-rules-new-style', (files) =>
      editFile(files, 'security.tf', (text) =>
        text.replace(
          /resource "aws_security_group" "worker" \{\n/,
          (head) => `${head}  dynamic "egress" {\n    for_each = var.extra_egress\n    content {\n      from_port   = egress.value\n      to_port     = egress.value\n      protocol    = "tcp"\n      cidr_blocks = ["10.0.0.0/8"]\n    }\n  }\n`,
        ),
      ),
    );
    const result = analyzeFixture('vpc-rules-new-style', { model, edit: (f) => addRule(f, WORKER, { ruleId: 'sgr-0dyn', egress: true, protocol: 'tcp', port: 5432, cidr: '10.9.0.0/16' }) });
    const added = result.drifts.filter((d) => d.changes.some((c) => JSON.stringify(c.live).includes('10.9.0.0/16')));
    expect(added.map((d) => [d.kind, d.address, d.changes.length])).toEqual([['modified', 'aws_security_group.worker', 1]]);
  });

  it('a rule another workspace of the repository declares is not unmanaged here', async () => {
    const model = await fixtureModel('count-foreach-modules');
    const other = fixtureState('vpc-rules-new-style');
    const rule = other.resources.find((r) => r.address === 'aws_vpc_security_group_ingress_rule.worker_ssh')!;
    Object.assign(rule.attributes, { security_group_id: COURIER, from_port: 3306, to_port: 3306, cidr_ipv4: '0.0.0.0/0', id: 'sgr-0c1d2e3f4a5b6c7d8' });
    const managedElsewhere = declaredKeys(other, families, context);
    const result = analyzeFixture('count-foreach-modules', { model, managedElsewhere, edit: (f) => addRule(f, COURIER, MYSQL_FROM_ANYWHERE) });
    expect(result.drifts).toEqual([]);
  });

  it('unmanaged rules are not reported when unmanaged resources are not (another workspace unread)', async () => {
    const model = await fixtureModel('count-foreach-modules');
    const result = analyzeFixture('count-foreach-modules', { model, reportUnmanaged: false, edit: (f) => addRule(f, COURIER, MYSQL_FROM_ANYWHERE) });
    expect(result.drifts).toEqual([]);
  });

  it.each(['count-foreach-modules', 'legacy-inline'])('%s with its configuration: no drift', async (folder) => {
    const result = analyzeFixture(folder, { model: await fixtureModel(folder) });
    expect(result.drifts).toEqual([]);
  });

  it('vpc-rules-new-style with its configuration: only the descriptions the two rule APIs disagree on', async () => {
    const result = analyzeFixture('vpc-rules-new-style', { model: await fixtureModel('vpc-rules-new-style') });
    expect(result.drifts.map((d) => [d.kind, d.address]).sort()).toEqual([
      ['modified', 'aws_vpc_security_group_egress_rule.lb_to_workers'],
      ['modified', 'aws_vpc_security_group_ingress_rule.worker_from_lb'],
    ]);
  });
});

describe('rule ids that disagree with rule contents', () => {
  // The emulator, like other APIs that group the sources of one port under one rule, lists the
  // ledger group's port 22 once, under the declared rule's id, with the first source only.
  function sshOpenedToo(files: LiveFiles): void {
    permission(findGroup(files, LEDGER), 22).IpRanges.unshift({ CidrIp: '0.0.0.0/0' });
    const entry = files['ec2-DescribeSecurityGroupRules.json'].SecurityGroupRules.find((r: { SecurityGroupRuleId: string }) => r.SecurityGroupRuleId === 'sgr-98b4ee9b0cec14049');
    entry.CidrIpv4 = '0.0.0.0/0';
  }

  it('the live source identical to the declared rule is that rule, unchanged; the other is one unmanaged rule, without the declared rule id', async () => {
    const result = analyzeFixture('count-foreach-modules', { model: await fixtureModel('count-foreach-modules'), edit: sshOpenedToo });
    expect(result.drifts).toHaveLength(1);
    const drift = result.drifts[0]!;
    expect(drift).toMatchObject({ kind: 'unmanaged', type: 'aws_security_group_rule', id: 'sg-6f57d8653711be775_ingress_tcp_22_22_0.0.0.0/0', severity: 'critical' });
    expect(drift.changes).toEqual([{ path: 'ingress', declared: null, live: { protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '0.0.0.0/0' } }]);
    // Revoking by the id would take the declared source away too.
    expect(securityGroups.remediation(drift)).toBe(
      `aws ec2 revoke-security-group-ingress --region us-east-1 --group-id ${LEDGER} --ip-permissions '{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}'`,
    );
    expect(securityGroups.generate(drift.live!)).toMatchObject({ type: 'aws_security_group_rule', importId: 'sg-6f57d8653711be775_ingress_tcp_22_22_0.0.0.0/0' });
  });

  it('on a group that owns its rules inline, no live source is reported twice', () => {
    // legacy-inline's web group: port 80 from two CIDRs, listed once under one rule id.
    const result = analyzeFixture('legacy-inline', {
      edit: (f) => {
        permission(findGroup(f, WEB), 80).IpRanges.unshift({ CidrIp: '0.0.0.0/0' });
        const entry = f['ec2-DescribeSecurityGroupRules.json'].SecurityGroupRules.find((r: { SecurityGroupRuleId: string }) => r.SecurityGroupRuleId === 'sgr-3352a15635ef0e63d');
        entry.CidrIpv4 = '0.0.0.0/0';
      },
    });
    expect(result.drifts.map((d) => [d.kind, d.address, d.changes])).toEqual([
      ['modified', 'aws_security_group.web', [{ path: 'ingress', declared: null, live: { protocol: 'tcp', from_port: 80, to_port: 80, cidr_ipv4: '0.0.0.0/0' } }]],
    ]);
    const listed = sources(result.drifts);
    expect(listed.filter((cidr) => cidr === '0.0.0.0/0')).toHaveLength(1);
    expect(listed).not.toContain('172.31.16.0/20');
  });
});
