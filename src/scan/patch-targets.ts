// What the patch engine needs for each drift: its block, the module calls on the way to it, every
// instance the state holds of that block, the generated block for an unmanaged resource, and the
// family's removal command.
import { parseAddress } from '../terraform/address.js';
import { locateResource } from '../terraform/locate-resource.js';
import type { HclModel, HclModuleCall, HclResourceBlock, ParsedState } from '../terraform/types.js';
import type { AssessedDrift } from '../drift/types.js';
import type { PatchTarget } from '../patch/types.js';
import type { ResourceFamily } from '../resources/family.js';

export function patchTargets(
  drifts: readonly AssessedDrift[],
  model: HclModel,
  familyFor: (type: string) => ResourceFamily | undefined,
  state: ParsedState,
): PatchTarget[] {
  const blocks = drifts.map((drift) => (drift.address ? locateResource(model, drift.address) : null));
  const instances = instancesOfBlocks(state, model, blocks);
  return drifts.map((drift, i) => {
    const family = familyFor(drift.type);
    const block = blocks[i] ?? null;
    return {
      fingerprint: drift.fingerprint,
      kind: drift.kind,
      address: drift.address,
      type: drift.type,
      id: drift.id,
      changes: drift.changes,
      block,
      moduleCalls: drift.address ? moduleCalls(model, drift.address) : [],
      instances: instances[i] ?? null,
      generated: drift.kind === 'unmanaged' && drift.live && family ? family.generate(drift.live) : null,
      remediation: family ? family.remediation(drift) : null,
    };
  });
}

/** For each block, the addresses of every resource instance of the state written by its text:
 * the instances of its count or for_each, and of every module instance and module call that uses
 * its file (one block text, however many times it is instantiated); null for no block. */
export function instancesOfBlocks(state: ParsedState, model: HclModel, blocks: readonly (HclResourceBlock | null)[]): (string[] | null)[] {
  const wanted = new Set<string>();
  for (const block of blocks) if (block) wanted.add(`${block.type}.${block.name}`);
  const out = new Map<string, string[]>();
  // The instances of one count or for_each share their module instance: one lookup for them all.
  const located = new Map<string, HclResourceBlock | null>();
  for (const resource of state.resources) {
    // Only resources that can be one of the blocks are located.
    if (!wanted.has(`${resource.type}.${resource.name}`)) continue;
    const where = `${resource.module}|${resource.type}.${resource.name}`;
    let block = located.get(where);
    if (block === undefined) {
      block = locateResource(model, resource.address);
      located.set(where, block);
    }
    if (!block) continue;
    const key = textKey(block);
    const list = out.get(key);
    if (list) list.push(resource.address);
    else out.set(key, [resource.address]);
  }
  return blocks.map((block) => (block ? (out.get(textKey(block)) ?? []) : null));
}

function textKey(block: HclResourceBlock): string {
  return `${block.file}|${block.type}.${block.name}`;
}

function moduleCalls(model: HclModel, address: string): HclModuleCall[] {
  let steps: string[];
  try {
    steps = parseAddress(address).modules.map((m) => m.name);
  } catch {
    return [];
  }
  const calls: HclModuleCall[] = [];
  for (let i = 0; i < steps.length; i += 1) {
    const parent = steps.slice(0, i);
    const call = model.modules.find((m) => m.name === steps[i] && m.parentPath.length === parent.length && m.parentPath.every((p, j) => p === parent[j]));
    if (!call) break;
    calls.push(call);
    if (!call.local) break;
  }
  return calls;
}
