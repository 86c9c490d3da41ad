// Security groups and their rules: aws_security_group (inline ingress/egress blocks),
// aws_security_group_rule, aws_vpc_security_group_ingress_rule and _egress_rule.
import type { Change, Drift } from '../../drift/types.js';
import { compareResourceTags, compareTags } from '../../drift/tags.js';
import { isRecord, sameScalar, str } from '../../drift/values.js';
import type { Signal } from '../../risk/types.js';
import type { DeclaredResource } from '../../terraform/types.js';
import { compareFields, deletedDrift, deletedObject, keyOf, modifiedDrift, resourceRegion } from '../drifts.js';
import type { CompareContext, DeclareContext, DeclaredObject, GeneratedResource, ResourceFamily } from '../family.js';
import { genericSignals, shellQuote, terraformName } from '../generic-signals.js';
import type { LiveResource } from '../live-types.js';
import { pairRules, type DeclaredAtom } from './compare-rules.js';
import { worldOpenSignal } from './exposure.js';
import {
  atomFromVpcRule,
  atomsFromInlineRules,
  atomsFromRuleResource,
  atomView,
  describePorts,
  describeSource,
  makeAtom,
  normalizeProtocol,
  ruleKey,
  type Direction,
  type RuleAtom,
} from './rules.js';
import {
  generateRule,
  isUnmanagedRuleType,
  revokeCommand,
  revokeRuleCommand,
  ruleContentKey,
  unmanagedRuleDirection,
  unmanagedRuleDrift,
  unmanagedRuleView,
} from './unmanaged-rule.js';

const GROUP = 'aws_security_group';
const RULE = 'aws_security_group_rule';
const INGRESS_RULE = 'aws_vpc_security_group_ingress_rule';
const EGRESS_RULE = 'aws_vpc_security_group_egress_rule';
const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];
const ALL_COMPUTED: ReadonlySet<string> = new Set(DIRECTIONS);
const NONE_COMPUTED: ReadonlySet<string> = new Set();

export const securityGroups: ResourceFamily = {
  name: 'security-groups',
  liveType: GROUP,
  terraformTypes: [GROUP, RULE, INGRESS_RULE, EGRESS_RULE],
  declare,
  liveKey: (live) => keyOf(GROUP, live.id),
  compare,
  partKeys,
  deleted: deletedObject,
  // Every VPC's "default" group is created by AWS; groups other services create carry their tags.
  isAwsDefault: (live) => live.attributes.name === 'default' || typeof live.attributes.launched_by === 'string',
  signals,
  cost: () => undefined,
  remediation,
  generate,
};

function declare(resources: DeclaredResource[], ctx: DeclareContext): DeclaredObject[] {
  const byGroup = new Map<string, DeclaredObject>();
  const objectFor = (groupId: string, resource: DeclaredResource): DeclaredObject => {
    let object = byGroup.get(groupId);
    if (!object) {
      object = { key: keyOf(GROUP, groupId), type: GROUP, id: groupId, region: resourceRegion(resource, ctx), primary: null, parts: [] };
      byGroup.set(groupId, object);
    }
    return object;
  };
  for (const resource of resources) {
    if (resource.type === GROUP) {
      const id = str(resource.attributes.id);
      if (id === null) continue;
      const object = objectFor(id, resource);
      object.primary = resource;
      object.region = resourceRegion(resource, ctx);
      continue;
    }
    const groupId = str(resource.attributes.security_group_id);
    if (groupId !== null) objectFor(groupId, resource).parts.push(resource);
  }
  for (const object of byGroup.values()) if (object.primary) object.computedAttributes = computedDirections(object, object.primary, ctx);
  return [...byGroup.values()];
}

/**
 * The rule directions a group leaves to the provider: `ingress` and `egress` are Optional and
 * Computed, so a block that writes neither blocks nor a list for one (nor a `dynamic` block) has
 * Terraform read that direction from AWS and never change it; its rules belong to rule resources
 * or to nobody.
 */
function computedDirections(object: DeclaredObject, group: DeclaredResource, ctx: DeclareContext): ReadonlySet<string> {
  const written = ctx.configuredArguments?.(group.address) ?? null;
  if (written) return new Set(DIRECTIONS.filter((direction) => !written.has(direction)));
  // Without the block (no configuration, or its file could not be read) the state decides. The
  // provider documents that inline rules and rule resources must not be mixed on one group (each
  // overwrites the other), so a group with rule resources writes no inline rules. A group with
  // none is read as writing the rules its state lists: reading those as computed instead would
  // hide every change made to a group that does declare its rules inline.
  return object.parts.length > 0 ? ALL_COMPUTED : NONE_COMPUTED;
}

function declaredAtoms(object: DeclaredObject): DeclaredAtom[] {
  const atoms: DeclaredAtom[] = [];
  const claimed = new Set<string>();
  for (const part of object.parts) {
    if (part.type === RULE) {
      const list = atomsFromRuleResource(part.attributes);
      // A rule with several sources has no single AWS rule id.
      if (list.length > 1) for (const atom of list) atom.rule_id = null;
      for (const atom of list) atoms.push({ atom, owner: part, ownerKind: 'rule' });
    } else {
      atoms.push({ atom: atomFromVpcRule(part.type, part.attributes), owner: part, ownerKind: 'vpc-rule' });
    }
  }
  for (const d of atoms) claimed.add(ruleKey(d.atom));
  if (object.primary) {
    for (const direction of DIRECTIONS) {
      // A computed direction's state is a copy of AWS at the last refresh, not a declaration.
      if (object.computedAttributes?.has(direction)) continue;
      // The group's state lists every rule of the group, those of rule resources included: the
      // rule resources own those, the group owns the rest (its inline blocks).
      for (const atom of atomsFromInlineRules(object.primary.attributes[direction], direction, object.id)) {
        if (claimed.has(ruleKey(atom))) continue;
        atoms.push({ atom, owner: object.primary, ownerKind: 'group' });
      }
    }
  }
  return atoms;
}

const PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'icmpv6', '-1']);

function isNormalizedAtom(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const protocol = value.protocol;
  return (
    (value.direction === 'ingress' || value.direction === 'egress') &&
    typeof protocol === 'string' &&
    PROTOCOLS.has(protocol) &&
    (protocol === 'tcp' || protocol === 'udp' || protocol === 'icmp' || protocol === 'icmpv6' ? typeof value.from_port === 'number' : value.from_port === null) &&
    'cidr_ipv4' in value &&
    'cidr_ipv6' in value &&
    'prefix_list_id' in value &&
    'referenced_security_group_id' in value &&
    'rule_id' in value &&
    isRecord(value.tags) &&
    (typeof value.cidr_ipv6 !== 'string' || value.cidr_ipv6 === value.cidr_ipv6.toLowerCase()) &&
    (typeof value.referenced_security_group_id !== 'string' || !value.referenced_security_group_id.includes('/'))
  );
}

function sameRuleSets(declared: DeclaredAtom[], live: RuleAtom[]): boolean {
  if (declared.length !== live.length) return false;
  const counts = new Map<string, number>();
  for (const d of declared) {
    const key = fullKey(d.atom);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const atom of live) {
    const key = fullKey(atom);
    const count = counts.get(key);
    if (!count) return false;
    counts.set(key, count - 1);
  }
  return true;
}

/** Everything compared about a rule: identity, description and its own tags. */
function fullKey(atom: RuleAtom): string {
  let tags = '';
  const keys = Object.keys(atom.tags);
  if (keys.length > 0) for (const key of keys.sort()) tags += `${key}=${atom.tags[key]};`;
  return `${ruleKey(atom)}|${atom.description ?? ''}|${tags}`;
}

function liveAtoms(live: LiveResource): RuleAtom[] {
  const rules = Array.isArray(live.attributes.rules) ? live.attributes.rules : [];
  // Rules the normalizer wrote are used as they are; anything else (an inventory written by hand
  // or by an older version) is normalized again, so it compares the same way.
  if (rules.every(isNormalizedAtom)) return rules as RuleAtom[];
  return rules.filter(isRecord).map((r) =>
    makeAtom(
      r.direction === 'egress' ? 'egress' : 'ingress',
      r.protocol,
      r.from_port,
      r.to_port,
      { cidr_ipv4: str(r.cidr_ipv4), cidr_ipv6: str(r.cidr_ipv6), prefix_list_id: str(r.prefix_list_id), referenced_security_group_id: str(r.referenced_security_group_id) },
      { description: r.description, rule_id: r.rule_id, tags: r.tags },
    ),
  );
}

/** Other workspaces' rules on a group are known by what they are, whatever declares them. */
function partKeys(object: DeclaredObject): string[] {
  return declaredAtoms(object).map((d) => ruleContentKey(d.atom, object.id));
}

function compare(object: DeclaredObject, live: LiveResource, ctx?: CompareContext): Drift[] {
  const unknown = live.unknownAttributes ?? {};
  const drifts: Drift[] = [];
  const groupChanges: Change[] = [];
  const unmanagedRules: Drift[] = [];
  const declared = unknown.rules ? [] : declaredAtoms(object);
  const actual = unknown.rules ? [] : liveAtoms(live);
  // Most groups have not drifted: when both sides hold the same rules, there is nothing to pair.
  if (!unknown.rules && !sameRuleSets(declared, actual)) {
    const { pairs, extra } = pairRules(declared, actual);
    const view = (atom: RuleAtom) => atomView(atom, object.id);
    const byOwner = new Map<DeclaredResource, { declared: DeclaredAtom; live: RuleAtom | null }[]>();
    for (const pair of pairs) {
      if (pair.declared.ownerKind === 'group') {
        const d = pair.declared.atom;
        if (!pair.live) groupChanges.push({ path: d.direction, declared: view(d), live: null });
        else if (ruleKey(d) !== ruleKey(pair.live) || !sameScalar(d.description, pair.live.description)) {
          groupChanges.push({ path: d.direction, declared: view(d), live: view(pair.live) });
        }
        continue;
      }
      const list = byOwner.get(pair.declared.owner) ?? [];
      list.push(pair);
      byOwner.set(pair.declared.owner, list);
    }
    for (const [owner, ownerPairs] of byOwner) {
      const matched = ownerPairs.flatMap((p) => (p.live ? [p.live] : []));
      if (matched.length === 0) {
        drifts.push(deletedDrift(owner, object, live));
        continue;
      }
      const changes = owner.type === RULE ? compareRuleResource(owner, matched, object.id) : compareVpcRule(ownerPairs[0]!.declared.atom, matched[0]!);
      drifts.push(...modifiedDrift(owner, object, live, changes));
    }
    // Rules of a group this state does not hold are that state's business.
    if (object.primary) {
      for (const atom of extra) {
        if (!object.computedAttributes?.has(atom.direction)) groupChanges.push({ path: atom.direction, declared: null, live: view(atom) });
        else if (!ctx?.managedElsewhere.has(ruleContentKey(atom, object.id))) unmanagedRules.push(unmanagedRuleDrift(atom, live));
      }
    }
  }
  if (object.primary && !unknown.tags) {
    groupChanges.push(...compareResourceTags(object.primary.attributes, live.attributes.tags));
  }
  if (object.primary) drifts.unshift(...modifiedDrift(object.primary, object, live, groupChanges));
  drifts.push(...unmanagedRules);
  return drifts;
}

/** An aws_security_group_rule read back from the live atoms it matched. */
function compareRuleResource(owner: DeclaredResource, matched: RuleAtom[], groupId: string): Change[] {
  const a = owner.attributes;
  const first = matched[0]!;
  const declaredProtocol = normalizeProtocol(a.protocol);
  const ported = first.from_port !== null || declaredProtocol === 'tcp' || declaredProtocol === 'udp';
  const others = matched.filter((atom) => atom.referenced_security_group_id !== groupId);
  return compareFields([
    { path: 'protocol', declared: declaredProtocol, live: first.protocol },
    { path: 'from_port', declared: a.from_port, live: first.from_port, when: ported },
    { path: 'to_port', declared: a.to_port, live: first.to_port, when: ported },
    { path: 'cidr_blocks', declared: a.cidr_blocks, live: others.map((x) => x.cidr_ipv4), compare: 'set' },
    { path: 'ipv6_cidr_blocks', declared: a.ipv6_cidr_blocks, live: others.map((x) => x.cidr_ipv6), compare: 'set' },
    { path: 'prefix_list_ids', declared: a.prefix_list_ids, live: others.map((x) => x.prefix_list_id), compare: 'set' },
    { path: 'source_security_group_id', declared: a.source_security_group_id, live: others.find((x) => x.referenced_security_group_id)?.referenced_security_group_id ?? null },
    { path: 'self', declared: a.self === true || a.self === 'true', live: matched.some((x) => x.referenced_security_group_id === groupId) },
    { path: 'description', declared: a.description, live: first.description },
  ]);
}

function compareVpcRule(declared: RuleAtom, live: RuleAtom): Change[] {
  const changes = compareFields([
    { path: 'ip_protocol', declared: declared.protocol, live: live.protocol },
    { path: 'from_port', declared: declared.from_port, live: live.from_port },
    { path: 'to_port', declared: declared.to_port, live: live.to_port },
    { path: 'cidr_ipv4', declared: declared.cidr_ipv4, live: live.cidr_ipv4 },
    { path: 'cidr_ipv6', declared: declared.cidr_ipv6, live: live.cidr_ipv6 },
    { path: 'prefix_list_id', declared: declared.prefix_list_id, live: live.prefix_list_id },
    { path: 'referenced_security_group_id', declared: declared.referenced_security_group_id, live: live.referenced_security_group_id },
    { path: 'description', declared: declared.description, live: live.description },
  ]);
  // Rule tags are only known when DescribeSecurityGroupRules returned this rule.
  if (live.rule_id) changes.push(...compareTags(declared.tags, live.tags));
  return changes;
}

function signals(drift: Drift): Signal[] {
  const declared = drift.declared ?? {};
  if (drift.kind === 'deleted') {
    if (drift.type === GROUP) return [{ id: 'sg.deleted', params: { name: String(declared.name ?? drift.id) } }];
    const view = ruleResourceView(drift.type, declared, []);
    return [{ id: view.direction === 'egress' ? 'sg.egress_removed' : 'sg.ingress_removed', params: { rule: describeRule(view) } }];
  }
  if (drift.kind === 'unmanaged' && isUnmanagedRuleType(drift.type)) return unmanagedRuleSignals(drift);
  if (drift.kind === 'unmanaged') {
    const name = String(drift.live?.attributes.name ?? drift.id);
    for (const atom of liveAtoms(drift.live!)) {
      if (atom.direction !== 'ingress') continue;
      const exposure = worldOpenSignal(atomView(atom, drift.id));
      if (exposure) return [{ id: 'sg.unmanaged_world_open', params: { name, cidr: String(exposure.params?.cidr), port: describePorts(atomView(atom, drift.id)) } }];
    }
    return [{ id: 'sg.unmanaged', params: { name } }];
  }
  if (drift.type === GROUP) return [...groupRuleSignals(drift.changes), ...genericSignals(drift.changes, (c) => c.path === 'ingress' || c.path === 'egress')];
  const rulePaths = new Set(['protocol', 'ip_protocol', 'from_port', 'to_port', 'cidr_blocks', 'ipv6_cidr_blocks', 'prefix_list_ids', 'source_security_group_id', 'self', 'cidr_ipv4', 'cidr_ipv6', 'prefix_list_id', 'referenced_security_group_id', 'description']);
  const ruleChanges = drift.changes.filter((c) => rulePaths.has(c.path));
  const out: Signal[] = [];
  if (ruleChanges.length > 0) {
    const before = ruleResourceView(drift.type, declared, []);
    const after = ruleResourceView(drift.type, declared, ruleChanges);
    const onlyDescription = ruleChanges.every((c) => c.path === 'description');
    if (onlyDescription) out.push({ id: 'sg.rule_description_changed', params: { rule: describeRule(before) } });
    else {
      const beforeKeys = new Set(before.views.map(viewKey));
      const afterKeys = new Set(after.views.map(viewKey));
      const added = after.views.filter((view) => !beforeKeys.has(viewKey(view)));
      const removed = before.views.filter((view) => !afterKeys.has(viewKey(view)));
      const exposures = after.direction === 'ingress' ? added.map(worldOpenSignal).filter((s): s is Signal => s !== null) : [];
      if (exposures.length > 0) out.push(...exposures);
      else if (added.length === 0 && removed.length > 0) {
        // Only sources taken away: the rule lets less in than declared.
        out.push({ id: after.direction === 'egress' ? 'sg.egress_removed' : 'sg.ingress_removed', params: { rule: describeRule({ direction: after.direction, views: removed }) } });
      } else out.push({ id: 'sg.rule_changed', params: { rule: describePorts(after.views[0] ?? {}), from: describeSources(before.views), to: describeSources(after.views) } });
    }
  }
  return [...out, ...genericSignals(drift.changes, (c) => rulePaths.has(c.path))];
}

function unmanagedRuleSignals(drift: Drift): Signal[] {
  const direction = unmanagedRuleDirection(drift);
  const view = unmanagedRuleView(drift);
  const exposure = direction === 'ingress' ? worldOpenSignal(view) : null;
  if (exposure) return [exposure];
  const attributes = drift.live?.attributes ?? {};
  const group = str(attributes.group_name) ?? str(attributes.security_group_id) ?? 'its group';
  return [{ id: direction === 'ingress' ? 'sg.ingress_added' : 'sg.egress_added', params: { rule: `${describeRule({ direction, views: [view] })} on ${group}` } }];
}

function groupRuleSignals(changes: Change[]): Signal[] {
  const out: Signal[] = [];
  for (const change of changes) {
    if (change.path !== 'ingress' && change.path !== 'egress') continue;
    const direction = change.path as Direction;
    const before = isRecord(change.declared) ? change.declared : null;
    const after = isRecord(change.live) ? change.live : null;
    const exposure = after && direction === 'ingress' ? worldOpenSignal(after) : null;
    if (after && !before) {
      out.push(exposure ?? { id: direction === 'ingress' ? 'sg.ingress_added' : 'sg.egress_added', params: { rule: describeRule({ direction, views: [after] }) } });
    } else if (before && !after) {
      out.push({ id: direction === 'ingress' ? 'sg.ingress_removed' : 'sg.egress_removed', params: { rule: describeRule({ direction, views: [before] }) } });
    } else if (before && after) {
      const sameRule = describeRule({ direction, views: [before] }) === describeRule({ direction, views: [after] });
      if (sameRule) out.push({ id: 'sg.rule_description_changed', params: { rule: describeRule({ direction, views: [after] }) } });
      else out.push(exposure ?? { id: 'sg.rule_changed', params: { rule: describePorts(after), from: describeSource(before), to: describeSource(after) } });
    }
  }
  return out;
}

interface RuleViews {
  direction: Direction;
  views: Record<string, unknown>[];
}

/** A rule resource's sources as views, with the changes' live values applied. */
function ruleResourceView(type: string, declared: Record<string, unknown>, changes: Change[]): RuleViews {
  const attributes = { ...declared };
  for (const change of changes) attributes[change.path] = change.live;
  const groupId = String(attributes.security_group_id ?? '');
  const atoms = type === RULE ? atomsFromRuleResource(attributes) : [atomFromVpcRule(type, attributes)];
  const direction: Direction = type === RULE ? (attributes.type === 'egress' ? 'egress' : 'ingress') : type === EGRESS_RULE ? 'egress' : 'ingress';
  return { direction, views: atoms.map((atom) => atomView(atom, groupId)) };
}

function viewKey(view: Record<string, unknown>): string {
  return `${describePorts(view)}|${describeSource(view)}`;
}

function describeRule(rule: RuleViews): string {
  const first = rule.views[0] ?? {};
  const preposition = rule.direction === 'egress' ? 'to' : 'from';
  return `${describePorts(first)} ${preposition} ${describeSources(rule.views)}`;
}

function describeSources(views: Record<string, unknown>[]): string {
  return views.length === 0 ? 'nowhere' : views.map(describeSource).join(', ');
}

function remediation(drift: Drift): string | null {
  if (drift.kind === 'unmanaged' && isUnmanagedRuleType(drift.type)) return revokeRuleCommand(drift);
  if (drift.kind === 'unmanaged') return `aws ec2 delete-security-group --region ${shellQuote(drift.region)} --group-id ${shellQuote(drift.id)}`;
  if (drift.kind !== 'modified' || drift.type !== GROUP) return null;
  const commands: string[] = [];
  for (const change of drift.changes) {
    if ((change.path !== 'ingress' && change.path !== 'egress') || change.declared !== null || !isRecord(change.live)) continue;
    commands.push(revokeCommand(change.path, drift.region, drift.id, change.live));
  }
  return commands.length > 0 ? commands.join('\n') : null;
}

function generate(live: LiveResource): GeneratedResource {
  if (isUnmanagedRuleType(live.type)) return generateRule(live);
  const a = live.attributes;
  const tags = isRecord(a.tags) ? a.tags : {};
  const attributes: Record<string, unknown> = { name: a.name, description: a.description };
  if (a.vpc_id) attributes.vpc_id = a.vpc_id;
  if (Object.keys(tags).length > 0) attributes.tags = tags;
  const blocks: Record<string, Record<string, unknown>[]> = { ingress: [], egress: [] };
  for (const atom of liveAtoms(live)) {
    blocks[atom.direction]!.push({
      protocol: atom.protocol,
      from_port: atom.from_port ?? 0,
      to_port: atom.to_port ?? 0,
      cidr_blocks: atom.cidr_ipv4 ? [atom.cidr_ipv4] : [],
      ipv6_cidr_blocks: atom.cidr_ipv6 ? [atom.cidr_ipv6] : [],
      prefix_list_ids: atom.prefix_list_id ? [atom.prefix_list_id] : [],
      security_groups: atom.referenced_security_group_id && atom.referenced_security_group_id !== live.id ? [atom.referenced_security_group_id] : [],
      self: atom.referenced_security_group_id === live.id,
      description: atom.description ?? '',
    });
  }
  return { type: GROUP, name: terraformName(str(a.name), live.id), importId: live.id, attributes, blocks };
}
