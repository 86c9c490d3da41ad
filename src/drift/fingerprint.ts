// A drift's fingerprint: the same drift gives the same fingerprint on every run and machine, a
// changed drift a new one. Issues, fix PRs, alerts and the store key on it.
import { createHash } from 'node:crypto';
import type { Drift } from './types.js';
import { stableStringify } from './values.js';

export function fingerprint(workspace: string, drift: Pick<Drift, 'kind' | 'address' | 'type' | 'id' | 'changes'>): string {
  const changes = drift.changes.map((change) => stableStringify({ path: change.path, declared: change.declared, live: change.live })).sort();
  const subject = drift.address ?? `${drift.type}:${drift.id}`;
  return createHash('sha256').update(stableStringify([workspace, drift.kind, subject, changes])).digest('hex');
}
