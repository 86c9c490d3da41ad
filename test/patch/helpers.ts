// Test helpers: .tf files read from a directory, and patch targets resolved against the HCL model
// the way the scan pipeline resolves them (the block of the address, the module calls on the way).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Change, DriftKind } from '../../src/drift/types.js';
import type { GeneratedResource } from '../../src/resources/family.js';
import { parseAddress } from '../../src/terraform/address.js';
import type { HclModel, HclModuleCall, HclResourceBlock, SourceFile } from '../../src/terraform/types.js';
import type { PatchTarget } from '../../src/patch/types.js';

/** Every .tf file under `dir`, paths relative to it (posix). */
export function readTfFiles(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(dir, relative)).sort()) {
      const path = relative === '' ? entry : `${relative}/${entry}`;
      if (statSync(join(dir, path)).isDirectory()) {
        if (entry !== 'live' && !entry.startsWith('.')) walk(path);
      } else if (entry.endsWith('.tf')) {
        out.push({ path, text: readFileSync(join(dir, path), 'utf8') });
      }
    }
  };
  walk('');
  return out;
}

export interface TargetSpec {
  kind?: DriftKind;
  address?: string | null;
  type?: string;
  id?: string;
  changes?: Change[];
  generated?: GeneratedResource | null;
  remediation?: string | null;
  fingerprint?: string;
  /** Every instance the state holds of the block (see PatchTarget.instances); null: not known. */
  instances?: string[] | null;
}

/** A target resolved against the model: the block for the address, the module calls on the way. */
export function target(model: HclModel, spec: TargetSpec): PatchTarget {
  const address = spec.address === undefined ? null : spec.address;
  let block: HclResourceBlock | null = null;
  const calls: HclModuleCall[] = [];
  let type = spec.type ?? '';
  if (address !== null) {
    const parsed = parseAddress(address);
    type = parsed.type;
    let parentPath: string[] = [];
    let remote = false;
    for (const step of parsed.modules) {
      const call = model.modules.find((m) => m.name === step.name && m.parentPath.join('.') === parentPath.join('.'));
      if (!call) break;
      calls.push(call);
      if (!call.local) remote = true;
      parentPath = [...parentPath, step.name];
    }
    if (!remote) {
      block =
        model.resources.find(
          (r) => r.mode === parsed.mode && r.type === parsed.type && r.name === parsed.name && r.modulePath.join('.') === parentPath.join('.'),
        ) ?? null;
    }
  }
  return {
    fingerprint: spec.fingerprint ?? `fp-${address ?? `${type}-${spec.id ?? ''}`}`,
    kind: spec.kind ?? 'modified',
    address,
    type,
    id: spec.id ?? 'id-unknown',
    changes: spec.changes ?? [],
    block,
    moduleCalls: calls,
    instances: spec.instances ?? null,
    generated: spec.generated ?? null,
    remediation: spec.remediation ?? null,
  };
}
