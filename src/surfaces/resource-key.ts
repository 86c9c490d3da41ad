// A drifted resource's stable key inside its workspace: what issues, the store and the dashboard
// key on. `type:id` for an unmanaged resource, which has no address.
import type { Drift } from '../drift/types.js';
import { keyOf } from '../resources/drifts.js';
import type { IssueIdentity } from './types.js';

export function resourceKey(drift: Pick<Drift, 'address' | 'type' | 'id'>): string {
  return drift.address ?? keyOf(drift.type, drift.id);
}

/** One string per workspace and resource, for maps keyed by issue identity (issue numbers). */
export function identityKey(identity: IssueIdentity): string {
  return `${identity.workspace}\n${identity.resource}`;
}
