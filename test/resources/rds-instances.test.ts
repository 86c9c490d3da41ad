import { describe, expect, it } from 'vitest';
import { analyzeFixture } from './analyze-fixture.js';
import type { LiveFiles } from './fixture-inventory.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const db = (f: LiveFiles): any => f['rds-DescribeDBInstances.json'].DBInstances[0];

describe('aws_db_instance', () => {
  it.each([
    {
      name: 'made publicly accessible: critical, CIS 2.3.3',
      edit: (f: LiveFiles) => (db(f).PubliclyAccessible = true),
      changes: [{ path: 'publicly_accessible', declared: false, live: true }],
      severity: 'critical',
      cis: ['2.3.3'],
    },
    {
      name: 'automated backups turned off',
      edit: (f: LiveFiles) => (db(f).BackupRetentionPeriod = 0),
      changes: [{ path: 'backup_retention_period', declared: 7, live: 0 }],
      severity: 'high',
      cis: [],
    },
    {
      name: 'auto minor version upgrade turned off: CIS 2.3.2',
      edit: (f: LiveFiles) => (db(f).AutoMinorVersionUpgrade = false),
      changes: [{ path: 'auto_minor_version_upgrade', declared: true, live: false }],
      severity: 'low',
      cis: ['2.3.2'],
    },
    {
      name: 'a major version upgrade is drift',
      edit: (f: LiveFiles) => (db(f).EngineVersion = '8.4.3'),
      changes: [{ path: 'engine_version', declared: '8.0.35', live: '8.4.3' }],
      severity: 'low',
      cis: [],
    },
  ])('$name', ({ edit, changes, severity, cis }) => {
    const result = analyzeFixture('legacy-inline', { edit });
    expect(result.drifts).toHaveLength(1);
    expect(result.drifts[0]).toMatchObject({ kind: 'modified', address: 'aws_db_instance.main', id: 'millbrook-mysql', changes, severity });
    for (const id of cis) expect(result.drifts[0]!.controls.cis).toContain(id);
  });

  it('a minor version applied by auto minor version upgrade is not drift', () => {
    expect(analyzeFixture('legacy-inline', { edit: (f) => (db(f).EngineVersion = '8.0.36') }).drifts).toEqual([]);
  });

  it('the clear-text password in state never reaches a change, and is never compared', () => {
    const result = analyzeFixture('legacy-inline', { edit: (f) => (db(f).DBInstanceClass = 'db.r5.large') });
    expect(JSON.stringify(result)).not.toContain('FIXTURE-not-a-secret');
  });

  it('an instance class change is priced: db.t3.micro → db.r5.large, MySQL, single-AZ', () => {
    const result = analyzeFixture('legacy-inline', { edit: (f) => (db(f).DBInstanceClass = 'db.r5.large') });
    expect(result.drifts[0]).toMatchObject({ changes: [{ path: 'instance_class', declared: 'db.t3.micro', live: 'db.r5.large' }], severity: 'low' });
    const delta = result.drifts[0]!.costDeltaMonthly;
    expect(delta).not.toBeNull();
    expect(delta!).toBeGreaterThan(100);
  });

  it('storage grown by storage autoscaling is not drift', () => {
    const result = analyzeFixture('legacy-inline', {
      edit: (f) => (db(f).AllocatedStorage = 40),
      editState: (state) => {
        const resource = state.resources.find((r) => r.address === 'aws_db_instance.main')!;
        resource.attributes.max_allocated_storage = 100;
      },
      editInventory: (inventory) => {
        const live = inventory.resources.find((r) => r.type === 'aws_db_instance')!;
        live.attributes.max_allocated_storage = 100;
      },
    });
    expect(result.drifts).toEqual([]);
  });

  it('deleted: high, and the bill goes down; unmanaged Aurora members are left to their cluster', () => {
    const result = analyzeFixture('legacy-inline', {
      edit: (f) => {
        const list = f['rds-DescribeDBInstances.json'].DBInstances;
        const aurora = { ...structuredClone(list[0]), DBInstanceIdentifier: 'reports-aurora-1', Engine: 'aurora-mysql', DBClusterIdentifier: 'reports' };
        list.splice(0, 1, aurora);
      },
    });
    expect(result.drifts.map((d) => [d.kind, d.address, d.severity])).toEqual([['deleted', 'aws_db_instance.main', 'high']]);
    expect(result.drifts[0]!.costDeltaMonthly).toBeLessThan(0);
  });

  it('an unmanaged public database is critical and priced', () => {
    const result = analyzeFixture('legacy-inline', {
      edit: (f) => {
        const list = f['rds-DescribeDBInstances.json'].DBInstances;
        list.push({ ...structuredClone(list[0]), DBInstanceIdentifier: 'tmp-restore', DbiResourceId: 'db-TMP', PubliclyAccessible: true, Engine: 'postgres', EngineVersion: '16.3' });
      },
    });
    expect(result.drifts).toHaveLength(1);
    expect(result.drifts[0]).toMatchObject({ kind: 'unmanaged', id: 'tmp-restore', severity: 'critical' });
    expect(result.drifts[0]!.costDeltaMonthly).toBeGreaterThan(0);
  });
});
