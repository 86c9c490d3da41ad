import { describe, expect, it } from 'vitest';
import { SEVERITIES, assessRisk, compareSeverity, severityRank } from '../../src/risk/assess-risk.js';
import { signalTitle } from '../../src/risk/signal-title.js';
import type { Signal } from '../../src/risk/types.js';
import type { Severity } from '../../src/drift/types.js';

const sshOpen: Signal = { id: 'sg.world_open_admin_port', params: { cidr: '0.0.0.0/0', port: 22 } };
const rdpOpenV6: Signal = { id: 'sg.world_open_admin_port_ipv6', params: { cidr: '::/0', port: 3389 } };
const ingressAdded: Signal = { id: 'sg.ingress_added', params: { rule: 'tcp 22 from 0.0.0.0/0' } };
const tagsChanged: Signal = { id: 'generic.tags_changed', params: { keys: 'Owner, CostCenter' } };

describe('assessRisk', () => {
  it('grades by the most severe signal and takes its title', () => {
    const result = assessRisk([ingressAdded, tagsChanged, sshOpen]);
    expect(result.severity).toBe('critical');
    expect(result.title).toBe('Opened to the entire internet (0.0.0.0/0) on port 22');
  });

  it('breaks a tie with the first signal in input order', () => {
    expect(assessRisk([rdpOpenV6, sshOpen]).title).toBe('Opened to the entire internet (::/0) on port 3389');
    expect(assessRisk([sshOpen, rdpOpenV6]).title).toBe('Opened to the entire internet (0.0.0.0/0) on port 22');
  });

  it('unions the controls of every signal, sorted and without repeats', () => {
    const result = assessRisk([ingressAdded, rdpOpenV6, sshOpen, tagsChanged]);
    expect(result.controls).toEqual({ cis: ['5.2', '5.3'], mitre: ['T1133', 'T1562.007'] });
  });

  it('sorts CIS controls across sections', () => {
    const result = assessRisk([
      { id: 'ec2.imdsv1_enabled' },
      { id: 's3.public_access_block_removed' },
      { id: 'iam.admin_statement' },
    ]);
    expect(result.controls.cis).toEqual(['1.16', '2.1.4', '5.6']);
    expect(result.controls.mitre).toEqual(['T1098.003', 'T1530', 'T1552.005']);
  });

  it('returns the signals most severe first, keeping input order among equals', () => {
    const medium2: Signal = { id: 'sg.egress_added', params: { rule: 'all to 0.0.0.0/0' } };
    const input = [tagsChanged, ingressAdded, sshOpen, medium2, rdpOpenV6];
    const result = assessRisk(input);
    expect(result.signals).toEqual([sshOpen, rdpOpenV6, ingressAdded, medium2, tagsChanged]);
    expect(input).toEqual([tagsChanged, ingressAdded, sshOpen, medium2, rdpOpenV6]);
  });

  it('grades a drift with no signal as low', () => {
    expect(assessRisk([])).toEqual({
      severity: 'low',
      title: 'Changed outside Terraform',
      controls: { cis: [], mitre: [] },
      signals: [],
    });
  });

  it('throws on a signal id the catalog does not know', () => {
    expect(() => assessRisk([sshOpen, { id: 'sg.world_open_everything' }])).toThrow(/Unknown risk signal id "sg.world_open_everything"/);
  });

  it('throws when a signal lacks a param its title needs, even if it is not the worst', () => {
    expect(() => assessRisk([{ id: 'sg.world_open_admin_port', params: { cidr: '0.0.0.0/0' } }])).toThrow(/missing title params: port/);
    expect(() => assessRisk([sshOpen, { id: 'generic.tags_changed' }])).toThrow(/generic.tags_changed.*missing title params: keys/);
  });
});

describe('signalTitle', () => {
  it.each<[Signal, string]>([
    [sshOpen, 'Opened to the entire internet (0.0.0.0/0) on port 22'],
    [rdpOpenV6, 'Opened to the entire internet (::/0) on port 3389'],
    [{ id: 'sg.world_open_all_ports', params: { cidr: '0.0.0.0/0' } }, 'Opened to the entire internet (0.0.0.0/0) on all ports'],
    [{ id: 'sg.world_open_database_port', params: { cidr: '0.0.0.0/0', port: 5432, service: 'PostgreSQL' } }, 'PostgreSQL port 5432 opened to the entire internet (0.0.0.0/0)'],
    [{ id: 'sg.rule_changed', params: { rule: 'tcp/443', from: '10.0.0.0/8', to: '0.0.0.0/0' } }, 'Rule tcp/443 changed from 10.0.0.0/8 to 0.0.0.0/0'],
    [{ id: 'ec2.instance_type_changed', params: { declared: 't3.micro', live: 'm5.2xlarge' } }, 'Instance type changed from t3.micro to m5.2xlarge'],
    [{ id: 'ec2.imdsv1_enabled' }, 'Instance metadata service accepts IMDSv1 (session tokens not required)'],
    [{ id: 'rds.backup_retention_reduced', params: { declared: 7, live: 1 } }, 'Backup retention reduced from 7 to 1 days'],
    [{ id: 'iam.admin_policy_attached', params: { policy: 'AdministratorAccess', role: 'ci-deployer' } }, 'Full-admin policy AdministratorAccess attached to role ci-deployer'],
    [{ id: 'iam.trust_cross_account', params: { account: '999988887777', role: 'audit' } }, 'Role audit can be assumed from another AWS account (999988887777)'],
    [{ id: 'sg.unmanaged_world_open', params: { name: 'debug', cidr: '0.0.0.0/0', port: 'tcp/22' } }, 'Security group debug, created outside Terraform, lets in tcp/22 from the entire internet (0.0.0.0/0)'],
    [{ id: 's3.acl_public', params: { permission: 'READ', grantee: 'AllUsers' } }, 'Bucket ACL grants READ to AllUsers'],
  ])('renders %j', (signal, title) => {
    expect(signalTitle(signal)).toBe(title);
  });

  it('prints a param value that looks like a placeholder as is', () => {
    expect(signalTitle({ id: 'sg.deleted', params: { name: '{name}' } })).toBe('Security group {name} was deleted outside Terraform');
  });

  it('ignores params the title does not use', () => {
    expect(signalTitle({ id: 'ec2.imdsv1_enabled', params: { hop_limit: 2 } })).toBe('Instance metadata service accepts IMDSv1 (session tokens not required)');
  });

  it('prints a falsy param value instead of treating it as missing', () => {
    expect(signalTitle({ id: 'rds.backup_retention_reduced', params: { declared: 7, live: 0 } })).toBe('Backup retention reduced from 7 to 0 days');
    expect(signalTitle({ id: 'generic.tags_changed', params: { keys: '' } })).toBe('Tags changed: ');
  });
});

describe('severity order', () => {
  it('lists severities from critical to low', () => {
    expect(SEVERITIES).toEqual(['critical', 'high', 'medium', 'low']);
  });

  it('ranks worse severities higher', () => {
    expect(SEVERITIES.map(severityRank)).toEqual([4, 3, 2, 1]);
  });

  it('sorts most severe first', () => {
    const input: Severity[] = ['low', 'critical', 'medium', 'high', 'low'];
    expect([...input].sort(compareSeverity)).toEqual(['critical', 'high', 'medium', 'low', 'low']);
  });
});
