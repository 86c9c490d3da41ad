// Security group rules as a set of atoms: one rule per direction, protocol, port range and single
// source. All three Terraform shapes (inline ingress/egress blocks, aws_security_group_rule,
// aws_vpc_security_group_ingress_rule/_egress_rule) and both EC2 APIs reduce to it, so the same
// rule compares equal whichever way it was declared.
import type { IpPermission, SecurityGroupRule } from '@aws-sdk/client-ec2';
import { cleanTags } from '../../drift/tags.js';
import { isRecord, num, str, stringList } from '../../drift/values.js';

export type Direction = 'ingress' | 'egress';

export interface RuleAtom {
  direction: Direction;
  protocol: string;
  from_port: number | null;
  to_port: number | null;
  cidr_ipv4: string | null;
  cidr_ipv6: string | null;
  prefix_list_id: string | null;
  referenced_security_group_id: string | null;
  description: string | null;
  rule_id: string | null;
  tags: Record<string, string>;
}

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: '-1' };
const PORTED = new Set(['tcp', 'udp', 'icmp', 'icmpv6']);
// Shared, never mutated: most rules have no tags of their own.
const NO_TAGS: Record<string, string> = Object.freeze({}) as Record<string, string>;

export function normalizeProtocol(value: unknown): string {
  const text = String(value ?? '-1').toLowerCase();
  return PROTOCOL_NAMES[text] ?? text;
}

interface Source {
  cidr_ipv4?: string | null;
  cidr_ipv6?: string | null;
  prefix_list_id?: string | null;
  referenced_security_group_id?: string | null;
}

export function makeAtom(
  direction: Direction,
  protocolValue: unknown,
  fromPort: unknown,
  toPort: unknown,
  source: Source,
  extra: { description?: unknown; rule_id?: unknown; tags?: unknown } = {},
): RuleAtom {
  const protocol = normalizeProtocol(protocolValue);
  // Ports mean nothing for "all traffic" (and other unported protocols): Terraform writes 0/0 or
  // null, AWS answers -1 or nothing.
  const ported = PORTED.has(protocol);
  return {
    direction,
    protocol,
    from_port: ported ? num(fromPort) : null,
    to_port: ported ? num(toPort) : null,
    cidr_ipv4: str(source.cidr_ipv4),
    cidr_ipv6: str(source.cidr_ipv6)?.toLowerCase() ?? null,
    prefix_list_id: str(source.prefix_list_id),
    referenced_security_group_id: groupIdOf(source.referenced_security_group_id),
    description: str(extra.description),
    rule_id: str(extra.rule_id),
    tags: extra.tags === undefined || extra.tags === null ? NO_TAGS : cleanTags(extra.tags),
  };
}

/** Cross-account references are written `123456789012/sg-…`; the group id identifies them. */
function groupIdOf(value: unknown): string | null {
  const text = str(value);
  if (text === null) return null;
  const slash = text.lastIndexOf('/');
  return slash === -1 ? text : text.slice(slash + 1);
}

export function sourceKey(atom: RuleAtom): string {
  if (atom.cidr_ipv4) return `cidr4:${atom.cidr_ipv4}`;
  if (atom.cidr_ipv6) return `cidr6:${atom.cidr_ipv6}`;
  if (atom.prefix_list_id) return `pl:${atom.prefix_list_id}`;
  if (atom.referenced_security_group_id) return `sg:${atom.referenced_security_group_id}`;
  return 'none';
}

/** Direction, protocol and ports: what a rule is for, whatever its source. */
export function portKey(atom: RuleAtom): string {
  return `${atom.direction}|${atom.protocol}|${atom.from_port ?? ''}|${atom.to_port ?? ''}`;
}

/** Identity of a rule: two atoms with the same key are the same rule (description aside). */
export function ruleKey(atom: RuleAtom): string {
  return `${portKey(atom)}|${sourceKey(atom)}`;
}

/** DescribeSecurityGroups permissions → atoms (one per source). */
export function atomsFromPermissions(permissions: IpPermission[] | undefined, direction: Direction): RuleAtom[] {
  const atoms: RuleAtom[] = [];
  for (const p of permissions ?? []) {
    const make = (source: Source, description: unknown) => atoms.push(makeAtom(direction, p.IpProtocol, p.FromPort, p.ToPort, source, { description }));
    for (const range of p.IpRanges ?? []) make({ cidr_ipv4: range.CidrIp }, range.Description);
    for (const range of p.Ipv6Ranges ?? []) make({ cidr_ipv6: range.CidrIpv6 }, range.Description);
    for (const list of p.PrefixListIds ?? []) make({ prefix_list_id: list.PrefixListId }, list.Description);
    for (const pair of p.UserIdGroupPairs ?? []) make({ referenced_security_group_id: pair.GroupId }, pair.Description);
  }
  return atoms;
}

/** DescribeSecurityGroupRules entry → atom (carries the rule id and the rule's tags). */
export function atomFromSecurityGroupRule(rule: SecurityGroupRule): RuleAtom {
  return makeAtom(
    rule.IsEgress ? 'egress' : 'ingress',
    rule.IpProtocol,
    rule.FromPort,
    rule.ToPort,
    { cidr_ipv4: rule.CidrIpv4, cidr_ipv6: rule.CidrIpv6, prefix_list_id: rule.PrefixListId, referenced_security_group_id: rule.ReferencedGroupInfo?.GroupId },
    { description: rule.Description, rule_id: rule.SecurityGroupRuleId, tags: Object.fromEntries((rule.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])) },
  );
}

/** State `aws_security_group.ingress` / `.egress` entries → atoms. */
export function atomsFromInlineRules(value: unknown, direction: Direction, groupId: string): RuleAtom[] {
  const atoms: RuleAtom[] = [];
  if (!Array.isArray(value)) return atoms;
  for (const rule of value) {
    if (!isRecord(rule)) continue;
    const make = (source: Source) => atoms.push(makeAtom(direction, rule.protocol, rule.from_port, rule.to_port, source, { description: rule.description }));
    for (const cidr of stringList(rule.cidr_blocks)) make({ cidr_ipv4: cidr });
    for (const cidr of stringList(rule.ipv6_cidr_blocks)) make({ cidr_ipv6: cidr });
    for (const list of stringList(rule.prefix_list_ids)) make({ prefix_list_id: list });
    for (const group of stringList(rule.security_groups)) make({ referenced_security_group_id: group });
    if (rule.self === true || rule.self === 'true') make({ referenced_security_group_id: groupId });
  }
  return atoms;
}

/** State `aws_security_group_rule` → atoms. */
export function atomsFromRuleResource(attributes: Record<string, unknown>): RuleAtom[] {
  const direction: Direction = attributes.type === 'egress' ? 'egress' : 'ingress';
  const groupId = str(attributes.security_group_id) ?? '';
  const extra = { description: attributes.description, rule_id: attributes.security_group_rule_id };
  const atoms: RuleAtom[] = [];
  const make = (source: Source) => atoms.push(makeAtom(direction, attributes.protocol, attributes.from_port, attributes.to_port, source, extra));
  for (const cidr of stringList(attributes.cidr_blocks)) make({ cidr_ipv4: cidr });
  for (const cidr of stringList(attributes.ipv6_cidr_blocks)) make({ cidr_ipv6: cidr });
  for (const list of stringList(attributes.prefix_list_ids)) make({ prefix_list_id: list });
  if (str(attributes.source_security_group_id)) make({ referenced_security_group_id: attributes.source_security_group_id as string });
  if (attributes.self === true || attributes.self === 'true') make({ referenced_security_group_id: groupId });
  return atoms;
}

/** State `aws_vpc_security_group_ingress_rule` / `_egress_rule` → atom. */
export function atomFromVpcRule(type: string, attributes: Record<string, unknown>): RuleAtom {
  return makeAtom(
    type.endsWith('egress_rule') ? 'egress' : 'ingress',
    attributes.ip_protocol,
    attributes.from_port,
    attributes.to_port,
    {
      cidr_ipv4: str(attributes.cidr_ipv4),
      cidr_ipv6: str(attributes.cidr_ipv6),
      prefix_list_id: str(attributes.prefix_list_id),
      referenced_security_group_id: str(attributes.referenced_security_group_id),
    },
    { description: attributes.description, rule_id: attributes.id, tags: isRecord(attributes.tags_all) ? attributes.tags_all : attributes.tags },
  );
}

/** The compact form a change shows: only the fields that are set; `self` for a self-reference. */
export function atomView(atom: RuleAtom, groupId: string): Record<string, unknown> {
  const view: Record<string, unknown> = { protocol: atom.protocol, from_port: atom.from_port, to_port: atom.to_port };
  if (atom.cidr_ipv4) view.cidr_ipv4 = atom.cidr_ipv4;
  if (atom.cidr_ipv6) view.cidr_ipv6 = atom.cidr_ipv6;
  if (atom.prefix_list_id) view.prefix_list_id = atom.prefix_list_id;
  if (atom.referenced_security_group_id === groupId) view.self = true;
  else if (atom.referenced_security_group_id) view.referenced_security_group_id = atom.referenced_security_group_id;
  if (atom.description) view.description = atom.description;
  if (atom.rule_id) view.rule_id = atom.rule_id;
  return view;
}

export function describeSource(view: Record<string, unknown>): string {
  if (typeof view.cidr_ipv4 === 'string') return view.cidr_ipv4;
  if (typeof view.cidr_ipv6 === 'string') return view.cidr_ipv6;
  if (typeof view.prefix_list_id === 'string') return view.prefix_list_id;
  if (view.self === true) return 'itself';
  if (typeof view.referenced_security_group_id === 'string') return view.referenced_security_group_id;
  return 'nowhere';
}

/** "tcp/22", "udp/7946-7950", "all traffic", "icmp". */
export function describePorts(view: Record<string, unknown>): string {
  const protocol = String(view.protocol ?? '-1');
  if (protocol === '-1') return 'all traffic';
  const from = num(view.from_port);
  const to = num(view.to_port);
  if (from === null || to === null || from === -1) return protocol;
  return from === to ? `${protocol}/${from}` : `${protocol}/${from}-${to}`;
}
