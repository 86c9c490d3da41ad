// A synthetic workspace for benchmarks: a state of N resources shaped like the real-provider
// fixtures (each resource a copy of a real one with its own ids), the matching live inventory,
// and drift on a given share of the live objects.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LiveInventory, LiveResource } from '../src/resources/live-types.js';
import { fixtureInventory } from '../test/resources/fixture-inventory.js';

const FIXTURES = path.resolve(import.meta.dirname, '../test/fixtures/real-provider');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function fixtureState(folder: string): Json {
  return JSON.parse(readFileSync(path.join(FIXTURES, folder, 'terraform.tfstate'), 'utf8'));
}

/** One "unit" per live object: the state resources it takes and its live counterpart. */
interface Template {
  resources: Json[];
  live: LiveResource;
}

function templates(): Template[] {
  const out: Template[] = [];
  for (const folder of ['count-foreach-modules', 'legacy-inline', 'vpc-rules-new-style']) {
    const state = fixtureState(folder);
    const inventory = fixtureInventory(folder);
    for (const live of inventory.resources) {
      const belongs = (r: Json, a: Json) =>
        a.id === live.id || a.bucket === live.id || a.security_group_id === live.id || a.identifier === live.id || a.role === live.id || a.arn === live.id || (a.name === live.id && r.type === 'aws_iam_role');
      // Only the instances of this live object: a count or for_each resource is split per instance.
      const resources = state.resources
        .filter((r: Json) => r.mode === 'managed')
        .map((r: Json) => ({ ...r, instances: r.instances.filter((i: Json) => belongs(r, i.attributes)) }))
        .filter((r: Json) => r.instances.length > 0);
      if (resources.length === 0) continue;
      // DescribeSecurityGroupRules drops the description of rules that reference a group, and the
      // provider stored null (vpc-rules-new-style NOTES.md, artifact 1): take the same view live, so
      // the template itself has no drift.
      if (live.type === 'aws_security_group' && Array.isArray(live.attributes.rules)) {
        for (const rule of live.attributes.rules as Json[]) {
          const owner = resources.find((r: Json) => r.type.startsWith('aws_vpc_security_group_') && r.instances[0].attributes.id === rule.rule_id);
          if (owner && owner.instances[0].attributes.description === null) rule.description = null;
        }
      }
      out.push({ resources, live });
    }
  }
  return out;
}

export interface SyntheticWorkspace {
  state: Json;
  inventory: LiveInventory;
  drifted: number;
}

/** About `size` state resources; `driftShare` of the live objects changed outside Terraform. */
export function syntheticWorkspace(size: number, driftShare: number): SyntheticWorkspace {
  const units = templates();
  const resources: Json[] = [];
  const live: LiveResource[] = [];
  let drifted = 0;
  let count = 0;
  for (let n = 0; count < size; n += 1) {
    const unit = units[n % units.length]!;
    const suffix = n.toString(36).padStart(6, '0');
    const oldId = unit.live.id;
    const newId = retag(oldId, suffix);
    const swap = (text: string) => text.split(oldId).join(newId);
    for (const resource of unit.resources) {
      const copy = JSON.parse(swap(JSON.stringify(resource)));
      copy.name = `${copy.name}_${suffix}`;
      resources.push(copy);
      count += copy.instances.length;
    }
    const object: LiveResource = JSON.parse(swap(JSON.stringify(unit.live)));
    // Customer-managed policies carry no tags in the inventory (GetAccountAuthorizationDetails
    // leaves them out): plant the drift on the next object instead.
    if (n % Math.round(1 / driftShare) === 0 && object.attributes.tags !== undefined) {
      object.attributes.tags = { ...(object.attributes.tags as Record<string, string>), Owner: 'changed-by-hand' };
      drifted += 1;
    }
    live.push(object);
  }
  const state = { version: 4, terraform_version: '1.11.4', serial: 1, lineage: '00000000-0000-4000-8000-000000000000', outputs: {}, resources, check_results: null };
  const inventory: LiveInventory = { version: 1, account: '123456789012', collectedAt: new Date(0).toISOString(), regions: ['us-east-1'], resources: live, unknown: [] };
  return { state, inventory, drifted };
}

/** A new id of the same shape, so keys and ARNs stay realistic. */
function retag(id: string, suffix: string): string {
  if (id.startsWith('arn:')) return `${id}-${suffix}`;
  if (/^(i|sg|vol|sgr)-[0-9a-f]+$/.test(id)) return `${id.slice(0, id.length - suffix.length)}${suffix}`;
  return `${id}-${suffix}`;
}
