import { describe, expect, it } from 'vitest';
import raw from '../../src/risk/catalog.json' with { type: 'json' };
import { CATALOG, SIGNAL_IDS, catalogRule, parseCatalog, titlePlaceholders } from '../../src/risk/catalog.js';
import { SEVERITIES } from '../../src/risk/severity.js';
import type { Severity } from '../../src/drift/types.js';

// The grading the resource families were designed against: id, severity, CIS v3.0.0 controls.
const INTENDED: [string, Severity, string[]][] = [
  ['sg.world_open_admin_port', 'critical', ['5.2']],
  ['sg.world_open_admin_port_ipv6', 'critical', ['5.3']],
  ['sg.world_open_all_ports', 'critical', ['5.2']],
  ['sg.world_open_all_ports_ipv6', 'critical', ['5.3']],
  ['sg.world_open_database_port', 'critical', []],
  ['sg.world_open_web_port', 'medium', []],
  ['sg.world_open_port', 'high', []],
  ['sg.ingress_added', 'medium', []],
  ['sg.ingress_removed', 'low', []],
  ['sg.egress_added', 'medium', []],
  ['sg.egress_removed', 'low', []],
  ['sg.rule_changed', 'medium', []],
  ['sg.rule_description_changed', 'low', []],
  ['sg.deleted', 'medium', []],
  ['sg.unmanaged', 'low', []],
  ['sg.unmanaged_world_open', 'high', []],
  ['ec2.instance_type_changed', 'low', []],
  ['ec2.imdsv1_enabled', 'high', ['5.6']],
  ['ec2.metadata_changed', 'low', []],
  ['ec2.security_groups_changed', 'medium', []],
  ['ec2.instance_profile_changed', 'high', []],
  ['ec2.root_volume_changed', 'low', []],
  ['ec2.monitoring_changed', 'low', []],
  ['ec2.deleted', 'medium', []],
  ['ec2.unmanaged', 'medium', []],
  ['ec2.unmanaged_public', 'high', []],
  ['s3.public_access_block_removed', 'high', ['2.1.4']],
  ['s3.public_access_block_weakened', 'high', ['2.1.4']],
  ['s3.policy_public', 'critical', []],
  ['s3.policy_cross_account', 'high', []],
  ['s3.policy_secure_transport_removed', 'high', ['2.1.1']],
  ['s3.policy_changed', 'medium', []],
  ['s3.policy_removed', 'medium', []],
  ['s3.acl_public', 'critical', []],
  ['s3.acl_changed', 'medium', []],
  ['s3.encryption_removed', 'high', []],
  ['s3.encryption_changed', 'medium', []],
  ['s3.versioning_suspended', 'medium', []],
  ['s3.versioning_changed', 'low', []],
  ['s3.mfa_delete_disabled', 'medium', ['2.1.2']],
  ['s3.deleted', 'high', []],
  ['s3.unmanaged', 'medium', []],
  ['rds.publicly_accessible', 'critical', ['2.3.3']],
  ['rds.instance_class_changed', 'low', []],
  ['rds.storage_changed', 'low', []],
  ['rds.deletion_protection_disabled', 'medium', []],
  ['rds.backups_disabled', 'high', []],
  ['rds.backup_retention_reduced', 'medium', []],
  ['rds.auto_minor_upgrade_disabled', 'low', ['2.3.2']],
  ['rds.multi_az_disabled', 'medium', []],
  ['rds.security_groups_changed', 'medium', []],
  ['rds.iam_auth_disabled', 'low', []],
  ['rds.deleted', 'high', []],
  ['rds.unmanaged', 'medium', []],
  ['rds.unmanaged_public', 'critical', ['2.3.3']],
  ['iam.admin_policy_attached', 'critical', ['1.16']],
  ['iam.policy_attached', 'medium', []],
  ['iam.policy_detached', 'low', []],
  ['iam.admin_statement', 'critical', ['1.16']],
  ['iam.policy_changed', 'medium', []],
  ['iam.inline_policy_added', 'medium', []],
  ['iam.inline_policy_removed', 'low', []],
  ['iam.trust_wildcard', 'critical', []],
  ['iam.trust_cross_account', 'high', []],
  ['iam.trust_changed', 'medium', []],
  ['iam.permissions_boundary_removed', 'high', []],
  ['iam.role_deleted', 'medium', []],
  ['iam.policy_deleted', 'medium', []],
  ['iam.unmanaged_role', 'medium', []],
  ['iam.unmanaged_role_admin', 'critical', ['1.16']],
  ['iam.unmanaged_policy', 'low', []],
  ['iam.unmanaged_policy_admin', 'high', ['1.16']],
  ['generic.tags_changed', 'low', []],
  ['generic.attribute_changed', 'low', []],
  ['generic.deleted', 'medium', []],
];

const ENTRIES = raw as unknown as Record<string, unknown>[];

describe('risk catalog data', () => {
  it('grades exactly the signal ids the families emit', () => {
    expect([...SIGNAL_IDS].sort()).toEqual(INTENDED.map(([id]) => id).sort());
  });

  it.each(INTENDED)('%s is %s with CIS %j', (id, severity, cis) => {
    const rule = catalogRule(id);
    expect(rule?.severity).toBe(severity);
    expect(rule?.cis).toEqual(cis);
  });

  it.each(ENTRIES.map((entry) => [String(entry.id), entry] as const))('%s is well-formed', (_id, entry) => {
    expect(SEVERITIES).toContain(entry.severity);
    expect(typeof entry.title).toBe('string');
    const title = entry.title as string;
    expect(title.trim()).not.toBe('');
    expect(title).not.toMatch(/[\r\n]/);
    for (const control of entry.cis as string[]) expect(control).toMatch(/^\d+(\.\d+)+$/);
    for (const technique of entry.mitre as string[]) expect(technique).toMatch(/^T\d{4}(\.\d{3})?$/);
    // every placeholder the title uses is a documented param, and every documented param is used
    expect([...titlePlaceholders(title)].sort()).toEqual([...(entry.params as string[])].sort());
  });

  it('has one entry per id', () => {
    expect(new Set(ENTRIES.map((entry) => entry.id)).size).toBe(ENTRIES.length);
    expect(CATALOG).toHaveLength(ENTRIES.length);
  });

  it('maps an admin port open to the world to CIS 5.2 and External Remote Services', () => {
    expect(catalogRule('sg.world_open_admin_port')).toMatchObject({ cis: ['5.2'], mitre: ['T1133', 'T1562.007'] });
  });

  it('returns undefined for an id it does not know', () => {
    expect(catalogRule('sg.no_such_signal')).toBeUndefined();
  });
});

describe('parseCatalog', () => {
  const good = { id: 'x.thing_changed', severity: 'low', title: 'Thing {name} changed', cis: ['5.2'], mitre: ['T1098'], params: ['name'] };

  it('accepts a well-formed entry', () => {
    expect(parseCatalog([good])).toEqual([good]);
  });

  it.each([
    ['a non-array', { ...good }, /JSON array/],
    ['an unknown severity', [{ ...good, severity: 'severe' }], /invalid severity/],
    ['an id without a family prefix', [{ ...good, id: 'thing_changed' }], /invalid id/],
    ['a CIS id that is not dotted numbers', [{ ...good, cis: ['CIS-5.2'] }], /CIS control/],
    ['a single-number CIS id', [{ ...good, cis: ['5'] }], /CIS control/],
    ['a malformed MITRE id', [{ ...good, mitre: ['T1098.3'] }], /MITRE/],
    ['a tactic id instead of a technique', [{ ...good, mitre: ['TA0001'] }], /MITRE/],
    ['a repeated control', [{ ...good, mitre: ['T1098', 'T1098'] }], /twice/],
    ['an undocumented placeholder', [{ ...good, title: 'Thing {name} on {port}' }], /undocumented params: port/],
    ['a documented param the title never uses', [{ ...good, params: ['name', 'port'] }], /does not use: port/],
    ['a two-line title', [{ ...good, title: 'Thing {name}\nchanged' }], /one-line title/],
    ['an empty title', [{ ...good, title: '  ', params: [] }], /one-line title/],
    ['a duplicated id', [good, { ...good }], /twice/],
    ['missing params', [{ ...good, params: undefined }], /param names/],
  ])('rejects %s', (_label, input, message) => {
    expect(() => parseCatalog(input)).toThrow(message);
  });
});
