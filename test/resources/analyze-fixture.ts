// Runs the whole pure pipeline (diff, risk, cost, fingerprints) on a real-provider fixture whose
// recorded live responses a test has edited to simulate a change made outside Terraform.
import { analyze } from '../../src/analyze.js';
import { loadPriceTable } from '../../src/cost/price.js';
import type { IgnoreRule } from '../../src/drift/ignore.js';
import type { ScanResult } from '../../src/report/types.js';
import { families } from '../../src/resources/index.js';
import type { LiveInventory } from '../../src/resources/live-types.js';
import type { ParsedState } from '../../src/terraform/types.js';
import { fixtureInventory, fixtureState, type LiveFiles } from './fixture-inventory.js';

export interface FixtureRun {
  edit?: (files: LiveFiles) => void;
  editState?: (state: ParsedState) => void;
  editInventory?: (inventory: LiveInventory) => void;
  ignore?: IgnoreRule[];
  managedElsewhere?: Set<string>;
  excluded?: Set<string>;
}

export function analyzeFixture(folder: string, run: FixtureRun = {}): ScanResult {
  const state = fixtureState(folder);
  run.editState?.(state);
  const inventory = fixtureInventory(folder, { edit: run.edit });
  run.editInventory?.(inventory);
  return analyze({
    workspace: 'default',
    state,
    inventory,
    model: null,
    families,
    context: { defaultRegion: 'us-east-1', regionByAlias: {} },
    prices: loadPriceTable(),
    now: new Date('2026-11-22T13:00:00Z'),
    ignore: run.ignore,
    managedElsewhere: run.managedElsewhere,
    excluded: run.excluded,
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function findInstance(files: LiveFiles, id: string): any {
  for (const reservation of files['ec2-DescribeInstances.json'].Reservations) {
    for (const instance of reservation.Instances) if (instance.InstanceId === id) return instance;
  }
  throw new Error(`no instance ${id} in the fixture`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function findGroup(files: LiveFiles, id: string): any {
  const group = files['ec2-DescribeSecurityGroups.json'].SecurityGroups.find((g: { GroupId: string }) => g.GroupId === id);
  if (!group) throw new Error(`no group ${id} in the fixture`);
  return group;
}
