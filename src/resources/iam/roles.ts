// IAM roles with what hangs off them: aws_iam_role, its inline policies (aws_iam_role_policy or
// the role's inline_policy), and its managed policy attachments (aws_iam_role_policy_attachment,
// the exclusive aws_iam_policy_attachment, or the role's managed_policy_arns). After a refresh
// the provider mirrors attachments and inline policies onto the role in state; each is compared
// once, on the resource that owns it.
import type { Change, Drift } from '../../drift/types.js';
import { samePolicy } from '../../drift/policy-document.js';
import { compareResourceTags } from '../../drift/tags.js';
import { isRecord, str, stringList } from '../../drift/values.js';
import type { Signal } from '../../risk/types.js';
import type { DeclaredResource } from '../../terraform/types.js';
import { compareFields, deletedDrift, deletedObject, keyOf, modifiedDrift } from '../drifts.js';
import type { DeclaredObject, GeneratedResource, ResourceFamily } from '../family.js';
import { genericSignals, shellQuote, terraformName } from '../generic-signals.js';
import type { LiveResource } from '../live-types.js';
import { hasAdminStatement, isAdminPolicyArn, policyName, trustedAccounts, trustsEveryone } from './policy-risk.js';

const ROLE = 'aws_iam_role';
const ROLE_POLICY = 'aws_iam_role_policy';
const ROLE_ATTACHMENT = 'aws_iam_role_policy_attachment';
const POLICY_ATTACHMENT = 'aws_iam_policy_attachment';

export const iamRoles: ResourceFamily = {
  name: 'iam-roles',
  liveType: ROLE,
  terraformTypes: [ROLE, ROLE_POLICY, ROLE_ATTACHMENT, POLICY_ATTACHMENT],
  declare,
  liveKey: (live) => keyOf(ROLE, live.id),
  compare,
  deleted: deletedObject,
  // Service-linked roles and IAM Identity Center's reserved roles are created by AWS.
  isAwsDefault: (live) => /^\/(aws-service-role|aws-reserved)\//.test(String(live.attributes.path ?? '')),
  signals,
  cost: () => undefined,
  remediation,
  generate,
};

function declare(resources: DeclaredResource[]): DeclaredObject[] {
  const byRole = new Map<string, DeclaredObject>();
  const objectFor = (role: string): DeclaredObject => {
    let object = byRole.get(role);
    if (!object) {
      object = { key: keyOf(ROLE, role), type: ROLE, id: role, region: 'global', primary: null, parts: [] };
      byRole.set(role, object);
    }
    return object;
  };
  for (const resource of resources) {
    const a = resource.attributes;
    if (resource.type === ROLE) {
      const name = str(a.name) ?? str(a.id);
      if (name !== null) objectFor(name).primary = resource;
    } else if (resource.type === POLICY_ATTACHMENT) {
      // Users and groups it attaches to are outside the families driftwatch covers.
      for (const role of stringList(a.roles)) objectFor(role).parts.push(resource);
    } else {
      // aws_iam_role_policy ids are "role:policy".
      const role = str(a.role) ?? str(a.id)?.split(':')[0] ?? null;
      if (role !== null) objectFor(role).parts.push(resource);
    }
  }
  return [...byRole.values()];
}

interface Owned<T> {
  value: T;
  owner: DeclaredResource | null;
}

function compare(object: DeclaredObject, live: LiveResource): Drift[] {
  const a = live.attributes;
  const unknown = live.unknownAttributes ?? {};
  const role = object.primary;
  const drifts: Drift[] = [];
  const roleChanges: Change[] = [];
  const partChanges = new Map<DeclaredResource, Change[]>();
  const addPartChange = (part: DeclaredResource, change: Change) => partChanges.set(part, [...(partChanges.get(part) ?? []), change]);

  if (role) {
    const d = role.attributes;
    roleChanges.push(
      ...compareFields([
        { path: 'assume_role_policy', declared: d.assume_role_policy, live: a.assume_role_policy, compare: 'policy' },
        { path: 'description', declared: d.description, live: a.description, when: a.description !== undefined },
        { path: 'max_session_duration', declared: d.max_session_duration, live: a.max_session_duration, when: a.max_session_duration !== undefined && a.max_session_duration !== null },
        { path: 'permissions_boundary', declared: d.permissions_boundary, live: a.permissions_boundary },
      ]),
    );
    if (!unknown.tags) roleChanges.push(...compareResourceTags(d, a.tags));
  }

  if (!unknown.managed_policy_arns) {
    const declared = new Map<string, Owned<string>>();
    if (role) for (const arn of stringList(role.attributes.managed_policy_arns)) declared.set(arn, { value: arn, owner: null });
    for (const part of object.parts) {
      if (part.type === ROLE_ATTACHMENT || part.type === POLICY_ATTACHMENT) {
        const arn = str(part.attributes.policy_arn);
        if (arn !== null) declared.set(arn, { value: arn, owner: part });
      }
    }
    const liveArns = new Set(stringList(a.managed_policy_arns));
    const lost = new Set<DeclaredResource>();
    for (const [arn, { owner }] of declared) {
      if (liveArns.has(arn)) continue;
      if (owner?.type === ROLE_ATTACHMENT) lost.add(owner);
      else if (owner?.type === POLICY_ATTACHMENT) addPartChange(owner, { path: 'roles', declared: object.id, live: null });
      else roleChanges.push({ path: 'managed_policy_arns', declared: arn, live: null });
    }
    for (const owner of lost) drifts.push(deletedDrift(owner, object, live));
    if (role) for (const arn of [...liveArns].sort()) if (!declared.has(arn)) roleChanges.push({ path: 'managed_policy_arns', declared: null, live: arn });
  }

  if (!unknown.inline_policies) {
    const declared = new Map<string, Owned<string | null>>();
    if (role) {
      for (const entry of Array.isArray(role.attributes.inline_policy) ? role.attributes.inline_policy : []) {
        // The provider can write an empty placeholder entry when there is no inline policy.
        if (isRecord(entry) && str(entry.name) !== null) declared.set(String(entry.name), { value: str(entry.policy), owner: null });
      }
    }
    for (const part of object.parts) {
      if (part.type !== ROLE_POLICY) continue;
      const name = str(part.attributes.name) ?? str(part.attributes.id)?.split(':')[1] ?? null;
      if (name !== null) declared.set(name, { value: str(part.attributes.policy), owner: part });
    }
    const livePolicies = new Map<string, string | null>();
    for (const entry of Array.isArray(a.inline_policies) ? a.inline_policies : []) {
      if (isRecord(entry) && str(entry.name) !== null) livePolicies.set(String(entry.name), str(entry.policy));
    }
    for (const [name, { value, owner }] of declared) {
      const liveValue = livePolicies.get(name);
      if (liveValue === undefined) {
        if (owner) drifts.push(deletedDrift(owner, object, live));
        else roleChanges.push({ path: 'inline_policy', declared: { name, policy: value }, live: null });
      } else if (!samePolicy(value, liveValue)) {
        if (owner) addPartChange(owner, { path: 'policy', declared: value, live: liveValue });
        else roleChanges.push({ path: 'inline_policy', declared: { name, policy: value }, live: { name, policy: liveValue } });
      }
    }
    if (role) for (const [name, policy] of livePolicies) if (!declared.has(name)) roleChanges.push({ path: 'inline_policy', declared: null, live: { name, policy } });
  }

  if (role) drifts.unshift(...modifiedDrift(role, object, live, roleChanges));
  for (const [part, changes] of partChanges) drifts.push(...modifiedDrift(part, object, live, changes));
  return drifts;
}

function signals(drift: Drift): Signal[] {
  const role = drift.id;
  const declared = drift.declared ?? {};
  if (drift.kind === 'deleted') {
    switch (drift.type) {
      case ROLE:
        return [{ id: 'iam.role_deleted', params: { role } }];
      case ROLE_POLICY:
        return [{ id: 'iam.inline_policy_removed', params: { policy: String(declared.name ?? ''), role } }];
      default:
        return [{ id: 'iam.policy_detached', params: { policy: policyName(String(declared.policy_arn ?? '')), role } }];
    }
  }
  const live = drift.live?.attributes ?? {};
  if (drift.kind === 'unmanaged') {
    const admin = stringList(live.managed_policy_arns).some(isAdminPolicyArn) || (Array.isArray(live.inline_policies) && live.inline_policies.some((p) => isRecord(p) && hasAdminStatement(p.policy)));
    return [{ id: admin ? 'iam.unmanaged_role_admin' : 'iam.unmanaged_role', params: { role } }];
  }
  const out: Signal[] = [];
  const handled = (change: Change): boolean => {
    switch (change.path) {
      case 'managed_policy_arns':
        if (typeof change.live === 'string') {
          out.push({ id: isAdminPolicyArn(change.live) ? 'iam.admin_policy_attached' : 'iam.policy_attached', params: { policy: policyName(change.live), role } });
        } else out.push({ id: 'iam.policy_detached', params: { policy: policyName(String(change.declared)), role } });
        return true;
      case 'roles':
        out.push({ id: 'iam.policy_detached', params: { policy: policyName(String(declared.policy_arn ?? '')), role } });
        return true;
      case 'inline_policy': {
        const after = isRecord(change.live) ? change.live : null;
        const before = isRecord(change.declared) ? change.declared : null;
        if (after && hasAdminStatement(after.policy) && !(before && hasAdminStatement(before.policy))) out.push({ id: 'iam.admin_statement' });
        if (after && !before) out.push({ id: 'iam.inline_policy_added', params: { policy: String(after.name), role } });
        else if (before && !after) out.push({ id: 'iam.inline_policy_removed', params: { policy: String(before.name), role } });
        else out.push({ id: 'iam.policy_changed' });
        return true;
      }
      case 'policy':
        out.push(hasAdminStatement(change.live) && !hasAdminStatement(change.declared) ? { id: 'iam.admin_statement' } : { id: 'iam.policy_changed' });
        return true;
      case 'assume_role_policy': {
        if (trustsEveryone(change.live) && !trustsEveryone(change.declared)) out.push({ id: 'iam.trust_wildcard', params: { role } });
        const known = trustedAccounts(change.declared);
        const added = [...trustedAccounts(change.live)].filter((account) => !known.has(account)).sort();
        for (const account of added) out.push({ id: 'iam.trust_cross_account', params: { account, role } });
        if (out.length === 0 || (!trustsEveryone(change.live) && added.length === 0)) out.push({ id: 'iam.trust_changed', params: { role } });
        return true;
      }
      case 'permissions_boundary':
        if (str(change.live) === null) out.push({ id: 'iam.permissions_boundary_removed', params: { role } });
        return str(change.live) === null;
      default:
        return false;
    }
  };
  const generic = genericSignals(drift.changes, handled);
  return [...out, ...generic];
}

function remediation(drift: Drift): string | null {
  const role = shellQuote(drift.id);
  const live = drift.live?.attributes ?? {};
  const commands: string[] = [];
  if (drift.kind === 'unmanaged') {
    for (const arn of stringList(live.managed_policy_arns)) commands.push(`aws iam detach-role-policy --role-name ${role} --policy-arn ${shellQuote(arn)}`);
    for (const entry of Array.isArray(live.inline_policies) ? live.inline_policies.filter(isRecord) : []) commands.push(`aws iam delete-role-policy --role-name ${role} --policy-name ${shellQuote(String(entry.name))}`);
    commands.push(`aws iam delete-role --role-name ${role}`);
    return commands.join('\n');
  }
  if (drift.kind !== 'modified' || drift.type !== ROLE) return null;
  // Attachments and inline policies only the live role has: apply does not remove them unless
  // the role block declares managed_policy_arns / inline_policy exclusively.
  for (const change of drift.changes) {
    if (change.declared !== null) continue;
    if (change.path === 'managed_policy_arns' && typeof change.live === 'string') commands.push(`aws iam detach-role-policy --role-name ${role} --policy-arn ${shellQuote(change.live)}`);
    if (change.path === 'inline_policy' && isRecord(change.live)) commands.push(`aws iam delete-role-policy --role-name ${role} --policy-name ${shellQuote(String(change.live.name))}`);
  }
  return commands.length > 0 ? commands.join('\n') : null;
}

function generate(live: LiveResource): GeneratedResource {
  const a = live.attributes;
  const attributes: Record<string, unknown> = { name: live.id, assume_role_policy: a.assume_role_policy };
  if (a.path && a.path !== '/') attributes.path = a.path;
  if (a.description) attributes.description = a.description;
  if (typeof a.max_session_duration === 'number' && a.max_session_duration !== 3600) attributes.max_session_duration = a.max_session_duration;
  if (a.permissions_boundary) attributes.permissions_boundary = a.permissions_boundary;
  if (isRecord(a.tags) && Object.keys(a.tags).length > 0) attributes.tags = a.tags;
  return { type: ROLE, name: terraformName(live.id, live.id), importId: live.id, attributes, blocks: {} };
}
