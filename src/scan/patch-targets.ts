// What the patch engine needs for each drift: its block, the module calls on the way to it, the
// generated block for an unmanaged resource, and the family's removal command.
import { parseAddress } from '../terraform/address.js';
import { locateResource } from '../terraform/locate-resource.js';
import type { HclModel, HclModuleCall } from '../terraform/types.js';
import type { AssessedDrift } from '../drift/types.js';
import type { PatchTarget } from '../patch/types.js';
import type { ResourceFamily } from '../resources/family.js';

export function patchTargets(drifts: readonly AssessedDrift[], model: HclModel, familyFor: (type: string) => ResourceFamily | undefined): PatchTarget[] {
  return drifts.map((drift) => {
    const family = familyFor(drift.type);
    return {
      fingerprint: drift.fingerprint,
      kind: drift.kind,
      address: drift.address,
      type: drift.type,
      id: drift.id,
      changes: drift.changes,
      block: drift.address ? locateResource(model, drift.address) : null,
      moduleCalls: drift.address ? moduleCalls(model, drift.address) : [],
      generated: drift.kind === 'unmanaged' && drift.live && family ? family.generate(drift.live) : null,
      remediation: family ? family.remediation(drift) : null,
    };
  });
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
