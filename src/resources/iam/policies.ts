// Customer-managed IAM policies: aws_iam_policy. Only the document can change in place
// (a new default version); name, path and description cannot.
import type { Drift } from '../../drift/types.js';
import { str } from '../../drift/values.js';
import type { Signal } from '../../risk/types.js';
import type { DeclaredResource } from '../../terraform/types.js';
import { compareFields, deletedObject, keyOf, modifiedDrift } from '../drifts.js';
import type { DeclaredObject, GeneratedResource, ResourceFamily } from '../family.js';
import { genericSignals, shellQuote, terraformName } from '../generic-signals.js';
import type { LiveResource } from '../live-types.js';
import { hasAdminStatement, policyName } from './policy-risk.js';

const POLICY = 'aws_iam_policy';

export const iamPolicies: ResourceFamily = {
  name: 'iam-policies',
  liveType: POLICY,
  terraformTypes: [POLICY],
  declare,
  liveKey: (live) => keyOf(POLICY, live.id),
  compare,
  deleted: deletedObject,
  // AWS-managed policies (arn:aws:iam::aws:policy/…) are never collected as live objects.
  isAwsDefault: (live) => live.id.includes(':iam::aws:policy/'),
  signals,
  cost: () => undefined,
  remediation: (drift) => (drift.kind === 'unmanaged' ? `aws iam delete-policy --policy-arn ${shellQuote(drift.id)}` : null),
  generate,
};

function declare(resources: DeclaredResource[]): DeclaredObject[] {
  const objects: DeclaredObject[] = [];
  for (const resource of resources) {
    const arn = str(resource.attributes.arn) ?? str(resource.attributes.id);
    if (arn === null) continue;
    objects.push({ key: keyOf(POLICY, arn), type: POLICY, id: arn, region: 'global', primary: resource, parts: [] });
  }
  return objects;
}

function compare(object: DeclaredObject, live: LiveResource): Drift[] {
  if (!object.primary || live.unknownAttributes?.policy) return [];
  const changes = compareFields([{ path: 'policy', declared: object.primary.attributes.policy, live: live.attributes.policy, compare: 'policy' }]);
  return modifiedDrift(object.primary, object, live, changes);
}

function signals(drift: Drift): Signal[] {
  const policy = policyName(drift.id);
  if (drift.kind === 'deleted') return [{ id: 'iam.policy_deleted', params: { policy } }];
  if (drift.kind === 'unmanaged') return [{ id: hasAdminStatement(drift.live?.attributes.policy) ? 'iam.unmanaged_policy_admin' : 'iam.unmanaged_policy', params: { policy } }];
  const out: Signal[] = [];
  const change = drift.changes.find((c) => c.path === 'policy');
  if (change) out.push(hasAdminStatement(change.live) && !hasAdminStatement(change.declared) ? { id: 'iam.admin_statement' } : { id: 'iam.policy_changed' });
  return [...out, ...genericSignals(drift.changes, (c) => c.path === 'policy')];
}

function generate(live: LiveResource): GeneratedResource {
  const a = live.attributes;
  const attributes: Record<string, unknown> = { name: a.name, policy: a.policy };
  if (a.path && a.path !== '/') attributes.path = a.path;
  if (a.description) attributes.description = a.description;
  return { type: POLICY, name: terraformName(str(a.name), live.id), importId: live.id, attributes, blocks: {} };
}
