// A rule no resource owns, on a group whose configuration leaves its rules to the provider: an
// unmanaged part of the group, reported as the rule resource that would import it. With the
// rule's own id, that is aws_vpc_security_group_ingress_rule/_egress_rule (the provider's
// current practice); without one (an API that lists several sources under one id), the older
// aws_security_group_rule, whose import id spells the rule out.
import type { Drift } from '../../drift/types.js';
import { isRecord, num, str } from '../../drift/values.js';
import { keyOf } from '../drifts.js';
import type { GeneratedResource } from '../family.js';
import { shellQuote, terraformName } from '../generic-signals.js';
import type { LiveResource } from '../live-types.js';
import { atomView, type Direction, type RuleAtom } from './rules.js';

const RULE = 'aws_security_group_rule';
const VPC_RULE: Record<Direction, 'aws_vpc_security_group_ingress_rule' | 'aws_vpc_security_group_egress_rule'> = {
  ingress: 'aws_vpc_security_group_ingress_rule',
  egress: 'aws_vpc_security_group_egress_rule',
};

export function isUnmanagedRuleType(type: string): boolean {
  return type === RULE || type === VPC_RULE.ingress || type === VPC_RULE.egress;
}

/** The unmanaged drift of a live rule on `group`. */
export function unmanagedRuleDrift(atom: RuleAtom, group: LiveResource): Drift {
  const type = atom.rule_id ? VPC_RULE[atom.direction] : RULE;
  const id = atom.rule_id ?? ruleImportId(atom, group.id);
  const live: LiveResource = {
    type,
    id,
    region: group.region,
    attributes: {
      security_group_id: group.id,
      group_name: str(group.attributes.name),
      direction: atom.direction,
      ip_protocol: atom.protocol,
      from_port: atom.from_port,
      to_port: atom.to_port,
      cidr_ipv4: atom.cidr_ipv4,
      cidr_ipv6: atom.cidr_ipv6,
      prefix_list_id: atom.prefix_list_id,
      referenced_security_group_id: atom.referenced_security_group_id,
      description: atom.description,
      rule_id: atom.rule_id,
      tags: atom.tags,
    },
  };
  // The rule itself is the change: its content is in the fingerprint, so a rule edited in place
  // (same id, new source) is a new drift.
  const changes = [{ path: atom.direction, declared: null, live: atomView(atom, group.id) }];
  return { kind: 'unmanaged', address: null, type, id, region: group.region, changes, signals: [], live, declared: null };
}

/** Identifies a rule by what it is, whatever declares it: how other workspaces' rules are known. */
export function ruleContentKey(atom: RuleAtom, groupId: string): string {
  return keyOf(RULE, ruleImportId(atom, groupId));
}

/** aws_security_group_rule's import id: `<group>_<direction>_<protocol>_<from>_<to>_<source>`. */
export function ruleImportId(atom: RuleAtom, groupId: string): string {
  const protocol = atom.protocol === '-1' ? 'all' : atom.protocol;
  const source =
    atom.cidr_ipv4 ??
    atom.cidr_ipv6 ??
    atom.prefix_list_id ??
    (atom.referenced_security_group_id === groupId ? 'self' : atom.referenced_security_group_id) ??
    'none';
  return `${groupId}_${atom.direction}_${protocol}_${atom.from_port ?? 0}_${atom.to_port ?? 0}_${source}`;
}

/** The view a drift of an unmanaged rule shows (its one change's live side). */
export function unmanagedRuleView(drift: Drift): Record<string, unknown> {
  const live = drift.changes[0]?.live;
  return isRecord(live) ? live : {};
}

export function unmanagedRuleDirection(drift: Drift): Direction {
  return drift.changes[0]?.path === 'egress' ? 'egress' : 'ingress';
}

/** revoke-security-group-ingress/egress, by the rule's id when it has one of its own. */
export function revokeRuleCommand(drift: Drift): string | null {
  const attributes = drift.live?.attributes ?? {};
  const groupId = str(attributes.security_group_id);
  if (!groupId) return null;
  return revokeCommand(unmanagedRuleDirection(drift), drift.region, groupId, unmanagedRuleView(drift));
}

export function revokeCommand(direction: Direction, region: string, groupId: string, view: Record<string, unknown>): string {
  const verb = direction === 'ingress' ? 'revoke-security-group-ingress' : 'revoke-security-group-egress';
  const ruleId = str(view.rule_id);
  const target = ruleId ? `--security-group-rule-ids ${shellQuote(ruleId)}` : `--ip-permissions ${shellQuote(JSON.stringify(ipPermission(view, groupId)))}`;
  return `aws ec2 ${verb} --region ${shellQuote(region)} --group-id ${shellQuote(groupId)} ${target}`;
}

function ipPermission(view: Record<string, unknown>, groupId: string): Record<string, unknown> {
  const permission: Record<string, unknown> = { IpProtocol: view.protocol };
  if (view.from_port !== null && view.from_port !== undefined) permission.FromPort = view.from_port;
  if (view.to_port !== null && view.to_port !== undefined) permission.ToPort = view.to_port;
  if (view.cidr_ipv4) permission.IpRanges = [{ CidrIp: view.cidr_ipv4 }];
  if (view.cidr_ipv6) permission.Ipv6Ranges = [{ CidrIpv6: view.cidr_ipv6 }];
  if (view.prefix_list_id) permission.PrefixListIds = [{ PrefixListId: view.prefix_list_id }];
  if (view.self === true) permission.UserIdGroupPairs = [{ GroupId: groupId }];
  else if (view.referenced_security_group_id) permission.UserIdGroupPairs = [{ GroupId: view.referenced_security_group_id }];
  return permission;
}

/** The rule resource (and import id) that codifies an unmanaged rule. */
export function generateRule(live: LiveResource): GeneratedResource {
  const a = live.attributes;
  const direction: Direction = a.direction === 'egress' ? 'egress' : 'ingress';
  const protocol = String(a.ip_protocol ?? '-1');
  const allTraffic = protocol === '-1';
  const ports = allTraffic ? 'all' : `${protocol}_${num(a.from_port) ?? ''}`;
  const name = terraformName(`${str(a.group_name) ?? str(a.security_group_id) ?? 'group'}_${direction}_${ports}`, live.id);
  const groupId = str(a.security_group_id);
  const self = groupId !== null && a.referenced_security_group_id === groupId;
  const attributes: Record<string, unknown> = {};
  if (live.type === RULE) {
    // Every argument the provider requires, written the way its import reads the rule back.
    Object.assign(attributes, {
      type: direction,
      security_group_id: groupId,
      description: a.description,
      protocol,
      from_port: num(a.from_port) ?? 0,
      to_port: num(a.to_port) ?? 0,
      cidr_blocks: a.cidr_ipv4 ? [a.cidr_ipv4] : null,
      ipv6_cidr_blocks: a.cidr_ipv6 ? [a.cidr_ipv6] : null,
      prefix_list_ids: a.prefix_list_id ? [a.prefix_list_id] : null,
      source_security_group_id: self ? null : a.referenced_security_group_id,
      self: self ? true : null,
    });
  } else {
    Object.assign(attributes, {
      security_group_id: groupId,
      description: a.description,
      ip_protocol: protocol,
      from_port: allTraffic ? null : a.from_port,
      to_port: allTraffic ? null : a.to_port,
      cidr_ipv4: a.cidr_ipv4,
      cidr_ipv6: a.cidr_ipv6,
      prefix_list_id: a.prefix_list_id,
      referenced_security_group_id: a.referenced_security_group_id,
    });
    if (isRecord(a.tags) && Object.keys(a.tags).length > 0) attributes.tags = a.tags;
  }
  for (const key of Object.keys(attributes)) if (attributes[key] === null || attributes[key] === undefined) delete attributes[key];
  return { type: live.type, name, importId: live.id, attributes, blocks: {} };
}
