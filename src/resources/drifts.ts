// Building blocks every family uses to turn a comparison into Drift values.
import type { Change, Drift } from '../drift/types.js';
import { samePolicy } from '../drift/policy-document.js';
import { isEmpty, sameScalar, sameSet, sameValue, sortedStrings } from '../drift/values.js';
import type { DeclaredResource } from '../terraform/types.js';
import type { DeclareContext, DeclaredObject } from './family.js';
import type { LiveResource } from './live-types.js';

export type FieldCompare = 'scalar' | 'set' | 'policy' | 'caseless' | 'value';

export interface FieldSpec {
  path: string;
  declared: unknown;
  live: unknown;
  compare?: FieldCompare;
  /** Skip when false: the attribute is not declared, or live did not report it. */
  when?: boolean;
}

/** Changes for the fields that differ. Sets are reported as sorted lists. */
export function compareFields(specs: FieldSpec[]): Change[] {
  const changes: Change[] = [];
  for (const spec of specs) {
    if (spec.when === false) continue;
    const compare = spec.compare ?? 'scalar';
    if (compare === 'set') {
      if (sameSet(spec.declared, spec.live)) continue;
      changes.push({ path: spec.path, declared: sortedStrings(spec.declared), live: sortedStrings(spec.live) });
      continue;
    }
    const same =
      compare === 'policy'
        ? samePolicy(spec.declared, spec.live)
        : compare === 'caseless'
          ? sameScalar(lower(spec.declared), lower(spec.live))
          : compare === 'value'
            ? sameValue(spec.declared, spec.live)
            : sameScalar(spec.declared, spec.live);
    if (same) continue;
    changes.push({ path: spec.path, declared: present(spec.declared), live: present(spec.live) });
  }
  return changes;
}

export function modifiedDrift(resource: DeclaredResource, object: DeclaredObject, live: LiveResource, changes: Change[]): Drift[] {
  if (changes.length === 0) return [];
  return [{ kind: 'modified', address: resource.address, type: resource.type, id: object.id, region: object.region, changes, signals: [], live, declared: resource.attributes }];
}

export function deletedDrift(resource: DeclaredResource, object: DeclaredObject, live: LiveResource | null = null): Drift {
  return { kind: 'deleted', address: resource.address, type: resource.type, id: object.id, region: object.region, changes: [], signals: [], live, declared: resource.attributes };
}

export function unmanagedDrift(live: LiveResource): Drift {
  return { kind: 'unmanaged', address: null, type: live.type, id: live.id, region: live.region, changes: [], signals: [], live, declared: null };
}

/** Default `deleted`: the primary resource if it is in state, else every related resource. */
export function deletedObject(object: DeclaredObject): Drift[] {
  if (object.primary) return [deletedDrift(object.primary, object)];
  return object.parts.map((part) => deletedDrift(part, object));
}

/** Region of a state resource: its ARN, else a region attribute, else its provider's region. */
export function resourceRegion(resource: DeclaredResource, ctx: DeclareContext): string {
  const arn = resource.attributes.arn;
  if (typeof arn === 'string') {
    // arn:partition:service:region:…, read without splitting the whole ARN.
    const start = nthColon(arn, 3);
    const end = start === -1 ? -1 : arn.indexOf(':', start + 1);
    if (end > start + 1) return arn.slice(start + 1, end);
  }
  const region = resource.attributes.region;
  if (typeof region === 'string' && region !== '') return region;
  if (resource.providerAlias !== null) return ctx.regionByAlias[resource.providerAlias] ?? ctx.defaultRegion;
  return ctx.defaultRegion;
}

export function keyOf(type: string, id: string): string {
  return `${type}:${id}`;
}

function lower(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

function present(value: unknown): unknown {
  return value === undefined || (isEmpty(value) && value !== false && value !== 0) ? null : value;
}

function nthColon(text: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i += 1) {
    at = text.indexOf(':', at + 1);
    if (at === -1) return -1;
  }
  return at;
}
