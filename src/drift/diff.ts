// The diff: declared resources (state) against live resources (normalized inventory), family by
// family, in one pass over each side (keys in maps: O(n)). Pure: it returns drifts and makes no
// calls.
import { unmanagedDrift } from '../resources/drifts.js';
import { familiesByType } from '../resources/families-by-type.js';
import type { DeclareContext, ResourceFamily } from '../resources/family.js';
import type { LiveInventory, LiveResource } from '../resources/live-types.js';
import type { DeclaredResource, ParsedState } from '../terraform/types.js';
import type { Drift } from './types.js';

export interface DiffInput {
  state: ParsedState;
  inventory: LiveInventory;
  families: readonly ResourceFamily[];
  context: DeclareContext;
  /** Live keys (family.liveKey form) that other workspaces of the same repository manage. */
  managedElsewhere?: ReadonlySet<string>;
  /** Live keys that are never unmanaged: the workspace's own state bucket, say. */
  excluded?: ReadonlySet<string>;
  /** false: count unmanaged resources for coverage but do not report them. */
  reportUnmanaged?: boolean;
}

export interface DiffResult {
  drifts: Drift[];
  coverage: { managed: number; unmanaged: number; percent: number };
  unknown: { type: string; reason: string }[];
  notes: string[];
}

export function diff(input: DiffInput): DiffResult {
  const { state, inventory, families, context } = input;
  const managedElsewhere = input.managedElsewhere ?? new Set<string>();
  const excluded = input.excluded ?? new Set<string>();
  const reportUnmanaged = input.reportUnmanaged ?? true;
  const scanned = new Set(inventory.regions);

  const declaredByFamily = groupDeclared(state.resources, families);
  const liveByType = new Map<string, LiveResource[]>();
  for (const live of inventory.resources) {
    const list = liveByType.get(live.type);
    if (list) list.push(live);
    else liveByType.set(live.type, [live]);
  }

  const drifts: Drift[] = [];
  const unknown: { type: string; reason: string }[] = inventory.unknown.map((u) => ({ type: u.type, reason: u.region ? `${u.region}: ${u.reason}` : u.reason }));
  const notes: string[] = [];
  const notScanned = new Map<string, string[]>();
  let managed = 0;
  let unmanaged = 0;

  for (const family of families) {
    const failures = inventory.unknown.filter((u) => u.type === family.liveType);
    const isUnknown = (region: string) => failures.some((u) => u.region === undefined || u.region === region);
    const inScope = (region: string) => region === 'global' || scanned.has(region);
    const liveMap = new Map<string, LiveResource>();
    for (const live of liveByType.get(family.liveType) ?? []) liveMap.set(family.liveKey(live), live);
    const matched = new Set<string>();

    for (const object of family.declare(declaredByFamily.get(family) ?? [], context)) {
      // Unknown is not deleted: a family that could not be read reports nothing as gone.
      if (isUnknown(object.region)) continue;
      if (!inScope(object.region)) {
        const list = notScanned.get(object.region) ?? [];
        list.push(object.primary?.address ?? object.parts[0]?.address ?? object.id);
        notScanned.set(object.region, list);
        continue;
      }
      const live = liveMap.get(object.key);
      if (!live) {
        drifts.push(...family.deleted(object));
        continue;
      }
      matched.add(object.key);
      for (const [attribute, reason] of Object.entries(live.unknownAttributes ?? {})) {
        unknown.push({ type: family.liveType, reason: `${attribute} of ${live.id}: ${reason}` });
      }
      for (const drift of family.compare(object, live, { managedElsewhere })) {
        // An unmanaged part (a rule no resource owns) follows the rule for unmanaged resources.
        if (drift.kind === 'unmanaged' && !reportUnmanaged) continue;
        drifts.push(drift);
      }
    }
    managed += matched.size;

    for (const [key, live] of liveMap) {
      if (matched.has(key) || isUnknown(live.region)) continue;
      if (excluded.has(key) || family.isAwsDefault(live)) continue;
      if (managedElsewhere.has(key)) {
        managed += 1;
        continue;
      }
      unmanaged += 1;
      if (reportUnmanaged) drifts.push(unmanagedDrift(live));
    }
  }

  for (const [region, addresses] of notScanned) {
    notes.push(`${addresses.length} resource(s) in ${region} were not compared because that region was not scanned (${addresses.slice(0, 5).join(', ')}${addresses.length > 5 ? ', …' : ''}); name it in a provider "aws" block or the workspace's regions.`);
  }
  for (const resource of state.resources) {
    if (resource.tainted) notes.push(`${resource.address} is tainted: the next apply replaces it.`);
  }
  for (const deposed of state.deposed) {
    notes.push(`${deposed.address} has a deposed object (${deposed.deposedKey}) left by create_before_destroy: it is not compared; the next apply destroys it.`);
  }

  const total = managed + unmanaged;
  const percent = total === 0 ? 100 : Math.round((managed / total) * 1000) / 10;
  return { drifts: mergeSameAddress(drifts), coverage: { managed, unmanaged, percent }, unknown, notes };
}

function groupDeclared(resources: DeclaredResource[], families: readonly ResourceFamily[]): Map<ResourceFamily, DeclaredResource[]> {
  const byType = familiesByType(families);
  const grouped = new Map<ResourceFamily, DeclaredResource[]>();
  for (const resource of resources) {
    const family = byType.get(resource.type);
    if (!family) continue;
    const list = grouped.get(family);
    if (list) list.push(resource);
    else grouped.set(family, [resource]);
  }
  return grouped;
}

/** A resource related to several live objects (an exclusive policy attachment naming two roles)
 * can drift on each: one drift per address, with all its changes. */
function mergeSameAddress(drifts: Drift[]): Drift[] {
  const out: Drift[] = [];
  const seen = new Map<string, Drift>();
  for (const drift of drifts) {
    if (drift.address === null) {
      out.push(drift);
      continue;
    }
    const key = `${drift.kind}|${drift.address}`;
    const existing = seen.get(key);
    if (existing) {
      existing.changes.push(...drift.changes);
      continue;
    }
    seen.set(key, drift);
    out.push(drift);
  }
  return out;
}

/** Live keys a state declares: what other workspaces of the repository manage. */
export function declaredKeys(state: ParsedState, families: readonly ResourceFamily[], context: DeclareContext): Set<string> {
  const keys = new Set<string>();
  const grouped = groupDeclared(state.resources, families);
  for (const family of families) {
    for (const object of family.declare(grouped.get(family) ?? [], context)) {
      keys.add(object.key);
      for (const key of family.partKeys?.(object) ?? []) keys.add(key);
    }
  }
  return keys;
}
