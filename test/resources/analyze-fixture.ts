// Runs the whole pure pipeline (diff, risk, cost, fingerprints) on a real-provider fixture whose
// recorded live responses a test has edited to simulate a change made outside Terraform.
import path from 'node:path';
import { analyze } from '../../src/analyze.js';
import { loadPriceTable } from '../../src/cost/price.js';
import type { IgnoreRule } from '../../src/drift/ignore.js';
import type { ScanResult } from '../../src/report/types.js';
import { families } from '../../src/resources/index.js';
import type { LiveInventory } from '../../src/resources/live-types.js';
import { buildHclModel } from '../../src/terraform/hcl-model.js';
import { loadModuleFiles } from '../../src/terraform/load-module.js';
import { loadTerraformParser } from '../../src/terraform/tree-sitter.js';
import type { HclModel, ParsedState, SourceFile } from '../../src/terraform/types.js';
import { FIXTURES, fixtureInventory, fixtureState, type LiveFiles } from './fixture-inventory.js';

export interface FixtureRun {
  edit?: (files: LiveFiles) => void;
  editState?: (state: ParsedState) => void;
  editInventory?: (inventory: LiveInventory) => void;
  ignore?: IgnoreRule[];
  managedElsewhere?: Set<string>;
  excluded?: Set<string>;
  /** The fixture's configuration (fixtureModel); without it the scan has none, as with --live
   * and a configuration that could not be read. */
  model?: HclModel;
  reportUnmanaged?: boolean;
}

/** The HCL model of a fixture folder's configuration, after `edit` changed its files. */
export async function fixtureModel(folder: string, edit?: (files: SourceFile[]) => void): Promise<HclModel> {
  const files = await loadModuleFiles(path.join(FIXTURES, folder));
  edit?.(files);
  return buildHclModel(files, await loadTerraformParser());
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
    model: run.model ?? null,
    families,
    context: { defaultRegion: 'us-east-1', regionByAlias: {} },
    prices: loadPriceTable(),
    now: new Date('2026-11-22T13:00:00Z'),
    ignore: run.ignore,
    managedElsewhere: run.managedElsewhere,
    excluded: run.excluded,
    reportUnmanaged: run.reportUnmanaged,
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
