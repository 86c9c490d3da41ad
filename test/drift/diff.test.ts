import { describe, expect, it } from 'vitest';
import { declaredKeys, diff } from '../../src/drift/diff.js';
import { families } from '../../src/resources/index.js';
import type { LiveInventory } from '../../src/resources/live-types.js';
import { fixtureInventory, fixtureState } from '../resources/fixture-inventory.js';

const context = { defaultRegion: 'us-east-1', regionByAlias: {} };

function run(folder: string, change: (inventory: LiveInventory) => void) {
  const inventory = fixtureInventory(folder);
  change(inventory);
  return diff({ state: fixtureState(folder), inventory, families, context });
}

describe('diff: unknown is not deleted', () => {
  it('a type that could not be collected reports none of its resources deleted or unmanaged', () => {
    const result = run('count-foreach-modules', (inventory) => {
      inventory.resources = inventory.resources.filter((r) => r.type !== 'aws_s3_bucket' && r.type !== 'aws_instance');
      inventory.unknown.push({ type: 'aws_s3_bucket', reason: 'AccessDenied: s3:ListAllMyBuckets' });
      inventory.unknown.push({ type: 'aws_instance', region: 'us-east-1', reason: 'retries exhausted (ThrottlingException)' });
    });
    expect(result.drifts).toEqual([]);
    expect(result.unknown).toEqual([
      { type: 'aws_s3_bucket', reason: 'AccessDenied: s3:ListAllMyBuckets' },
      { type: 'aws_instance', reason: 'us-east-1: retries exhausted (ThrottlingException)' },
    ]);
  });

  it('a failure in another region leaves this region compared', () => {
    const result = run('count-foreach-modules', (inventory) => {
      inventory.regions.push('eu-west-1');
      inventory.unknown.push({ type: 'aws_instance', region: 'eu-west-1', reason: 'AccessDenied' });
      inventory.resources = inventory.resources.filter((r) => r.id !== 'i-e14b6705c7359bba9');
    });
    expect(result.drifts.map((d) => [d.kind, d.address])).toEqual([['deleted', 'module.app["courier"].aws_instance.this[0]']]);
  });

  it('a resource in a region that was not scanned is noted, never deleted', () => {
    const state = fixtureState('legacy-inline');
    const db = state.resources.find((r) => r.type === 'aws_db_instance')!;
    db.attributes = { ...db.attributes, arn: 'arn:aws:rds:eu-central-1:123456789012:db:millbrook-mysql' };
    const inventory = fixtureInventory('legacy-inline');
    inventory.resources = inventory.resources.filter((r) => r.type !== 'aws_db_instance');
    const result = diff({ state, inventory, families, context });
    expect(result.drifts).toEqual([]);
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toContain('eu-central-1');
    expect(result.notes[0]).toContain('aws_db_instance.main');
  });
});

describe('diff: what is never unmanaged', () => {
  it('resources another workspace of the repository manages count as managed', () => {
    const other = fixtureState('legacy-inline');
    const inventory = fixtureInventory('count-foreach-modules');
    inventory.resources.push(...fixtureInventory('legacy-inline').resources);
    const alone = diff({ state: fixtureState('count-foreach-modules'), inventory, families, context });
    expect(alone.drifts.filter((d) => d.kind === 'unmanaged').map((d) => d.id).sort()).toEqual(
      ['arn:aws:iam::123456789012:policy/millbrook-deploy', 'millbrook-app', 'millbrook-legacy-artifacts', 'millbrook-legacy-scratch', 'millbrook-mysql', 'sg-7488d1103fb704de7', 'sg-dee119dc20281bbca'],
    );
    const together = diff({ state: fixtureState('count-foreach-modules'), inventory, families, context, managedElsewhere: declaredKeys(other, families, context) });
    expect(together.drifts).toEqual([]);
    expect(together.coverage).toEqual({ managed: 15, unmanaged: 0, percent: 100 });
  });

  it('counts unmanaged resources without reporting them when unmanaged reporting is off', () => {
    const inventory = fixtureInventory('count-foreach-modules');
    inventory.resources.push(...fixtureInventory('legacy-inline').resources);
    const result = diff({ state: fixtureState('count-foreach-modules'), inventory, families, context, reportUnmanaged: false });
    expect(result.drifts).toEqual([]);
    expect(result.coverage).toEqual({ managed: 8, unmanaged: 7, percent: 53.3 });
  });
});

describe('diff: scale', () => {
  it('matches by key, not by scanning: 5,000 instances diff in one pass', () => {
    const state = fixtureState('count-foreach-modules');
    const template = state.resources.find((r) => r.type === 'aws_instance')!;
    const live = fixtureInventory('count-foreach-modules').resources.find((r) => r.id === template.attributes.id)!;
    const inventory = fixtureInventory('count-foreach-modules');
    for (let i = 0; i < 5_000; i += 1) {
      const id = `i-${i.toString(16).padStart(17, '0')}`;
      state.resources.push({ ...template, address: `aws_instance.fleet[${i}]`, index: i, attributes: { ...template.attributes, id } });
      inventory.resources.push({ ...live, id, attributes: { ...live.attributes, instance_type: i % 100 === 0 ? 'm5.large' : live.attributes.instance_type } });
    }
    const result = diff({ state, inventory, families, context });
    expect(result.drifts).toHaveLength(50);
    expect(result.drifts.every((d) => d.changes[0]?.path === 'instance_type')).toBe(true);
  });
});
