// Every registered family keeps the interface's promises. A new family is covered the moment it is
// registered in src/resources/index.ts.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/drift/diff.js';
import { assessRisk } from '../../src/risk/assess-risk.js';
import { SIGNAL_IDS } from '../../src/risk/catalog.js';
import { loadPriceTable } from '../../src/cost/price.js';
import { families } from '../../src/resources/index.js';
import type { LiveResource, LiveType } from '../../src/resources/live-types.js';
import { fixtureInventory, fixtureState } from './fixture-inventory.js';

const LIVE_TYPES: LiveType[] = ['aws_instance', 'aws_security_group', 'aws_s3_bucket', 'aws_db_instance', 'aws_iam_role', 'aws_iam_policy'];
const FOLDERS = ['count-foreach-modules', 'legacy-inline', 'vpc-rules-new-style'];
const context = { defaultRegion: 'us-east-1', regionByAlias: {} };

const samples = new Map<string, LiveResource>();
for (const folder of FOLDERS) for (const live of fixtureInventory(folder).resources) if (!samples.has(live.type)) samples.set(live.type, live);

describe('resource family registry', () => {
  it('covers every live type exactly once, and no Terraform type twice', () => {
    expect(families.map((f) => f.liveType).sort()).toEqual([...LIVE_TYPES].sort());
    const types = families.flatMap((f) => f.terraformTypes);
    expect(new Set(types).size).toBe(types.length);
  });
});

describe.each(families.map((family) => [family.name, family] as const))('family %s', (_name, family) => {
  const live = samples.get(family.liveType)!;

  it('lives in its own folder, named like the family, and lists its live type first', () => {
    expect(family.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const folder = family.name.startsWith('iam-') ? 'iam' : family.name;
    expect(existsSync(path.resolve(import.meta.dirname, '../../src/resources', folder))).toBe(true);
    expect(family.terraformTypes[0]).toBe(family.liveType);
  });

  it('has a real live sample to check against', () => {
    expect(live).toBeDefined();
    expect(family.liveKey(live)).toContain(live.id);
  });

  it('declares every state resource it covers under the key its live counterpart has', () => {
    for (const folder of FOLDERS) {
      const resources = fixtureState(folder).resources.filter((r) => family.terraformTypes.includes(r.type));
      const liveKeys = new Set(fixtureInventory(folder).resources.filter((r) => r.type === family.liveType).map((r) => family.liveKey(r)));
      for (const object of family.declare(resources, context)) expect(liveKeys.has(object.key)).toBe(true);
    }
  });

  it('grades deleted and unmanaged drifts with catalog signals', () => {
    const unmanaged = { kind: 'unmanaged' as const, address: null, type: live.type, id: live.id, region: live.region, changes: [], signals: [], live, declared: null };
    for (const signal of family.signals(unmanaged)) expect(SIGNAL_IDS).toContain(signal.id);
    expect(() => assessRisk(family.signals(unmanaged))).not.toThrow();
    for (const folder of FOLDERS) {
      const state = fixtureState(folder);
      const inventory = fixtureInventory(folder);
      inventory.resources = inventory.resources.filter((r) => r.type !== family.liveType);
      for (const drift of diff({ state, inventory, families: [family], context }).drifts) {
        expect(drift.kind).toBe('deleted');
        const signals = family.signals(drift);
        expect(signals.length).toBeGreaterThan(0);
        for (const signal of signals) expect(SIGNAL_IDS).toContain(signal.id);
        expect(() => assessRisk(signals)).not.toThrow();
        const cost = family.cost(drift, loadPriceTable());
        expect(cost === undefined || cost === null || cost <= 0).toBe(true);
      }
    }
  });

  it('gives a removal command and an import block for an unmanaged resource', () => {
    const unmanaged = { kind: 'unmanaged' as const, address: null, type: live.type, id: live.id, region: live.region, changes: [], signals: [], live, declared: null };
    const command = family.remediation(unmanaged);
    expect(command).toMatch(/^aws /);
    expect(command).toContain(live.id.includes(':') ? live.id : live.id.split('/').pop()!);
    const generated = family.generate(live);
    expect(family.terraformTypes).toContain(generated.type);
    expect(generated.name).toMatch(/^[a-z_][a-z0-9_-]*$/);
    expect(generated.importId).toBe(live.id);
  });
});
