// Security group rules as the diff reports them (one element per source) and as configurations
// write them: inline `ingress`/`egress` blocks with lists of sources, or one
// aws_vpc_security_group_*_rule resource per source.
import type { Node } from 'web-tree-sitter';
import { attributeExpression, attributeName, bodyItems, findNestedBlocks } from './hcl-syntax.js';
import { evaluateLiteral } from './hcl-literal.js';
import { isRecord } from './values.js';

export interface RuleElement {
  protocol: string;
  from_port: number | null;
  to_port: number | null;
  cidr_ipv4?: string | null;
  cidr_ipv6?: string | null;
  prefix_list_id?: string | null;
  referenced_security_group_id?: string | null;
  self?: boolean | null;
  description?: string | null;
  rule_id?: string | null;
}

export function asRuleElement(value: unknown): RuleElement | null {
  if (!isRecord(value) || value.protocol === undefined) return null;
  const port = (raw: unknown): number | null => (raw === null || raw === undefined || raw === '' ? null : Number(raw));
  return {
    protocol: String(value.protocol),
    from_port: port(value.from_port),
    to_port: port(value.to_port),
    cidr_ipv4: str(value.cidr_ipv4),
    cidr_ipv6: str(value.cidr_ipv6),
    prefix_list_id: str(value.prefix_list_id),
    referenced_security_group_id: str(value.referenced_security_group_id),
    self: value.self === true,
    description: str(value.description),
    rule_id: str(value.rule_id),
  };
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

const PROTOCOL_NUMBERS: Record<string, string> = { tcp: '6', udp: '17', icmp: '1', icmpv6: '58', all: '-1' };

export function sameProtocol(a: string, b: string): boolean {
  const norm = (p: string): string => PROTOCOL_NUMBERS[p.toLowerCase()] ?? p.toLowerCase();
  return norm(a) === norm(b);
}

function isAllProtocols(protocol: string): boolean {
  return sameProtocol(protocol, '-1');
}

function samePorts(a: RuleElement, b: { from_port: unknown; to_port: unknown }): boolean {
  // With protocol -1 AWS ignores ports; state writes 0, null or -1.
  const norm = (value: unknown): number | null => (value === null || value === undefined || value === -1 ? null : Number(value));
  const af = norm(a.from_port);
  const at = norm(a.to_port);
  const bf = norm(b.from_port);
  const bt = norm(b.to_port);
  if (isAllProtocols(a.protocol)) return (af ?? 0) === (bf ?? 0) && (at ?? 0) === (bt ?? 0);
  return af === bf && at === bt;
}

/** Same rule apart from its description. */
export function sameRule(a: RuleElement, b: RuleElement): boolean {
  return (
    sameProtocol(a.protocol, b.protocol) &&
    samePorts(a, b) &&
    (a.cidr_ipv4 ?? null) === (b.cidr_ipv4 ?? null) &&
    (a.cidr_ipv6 ?? null) === (b.cidr_ipv6 ?? null) &&
    (a.prefix_list_id ?? null) === (b.prefix_list_id ?? null) &&
    (a.referenced_security_group_id ?? null) === (b.referenced_security_group_id ?? null) &&
    (a.self ?? false) === (b.self ?? false)
  );
}

/** Where an element's source is written in an inline block. */
export interface InlineMatch {
  block: Node;
  /** The list element (or `self` attribute) that names the source. */
  source: Node;
  /** True when it is the block's only source: removing the source means removing the block. */
  onlySource: boolean;
  description: string | null;
}

const SOURCE_LISTS: [keyof RuleElement, string][] = [
  ['cidr_ipv4', 'cidr_blocks'],
  ['cidr_ipv6', 'ipv6_cidr_blocks'],
  ['prefix_list_id', 'prefix_list_ids'],
  ['referenced_security_group_id', 'security_groups'],
];

/** Finds the inline block (and the list element in it) that writes this rule element. */
export function findInlineRule(resource: Node, kind: string, element: RuleElement): InlineMatch | null {
  for (const block of findNestedBlocks(resource, kind)) {
    const attributes = literalAttributes(block);
    if (attributes === null) continue;
    const protocol = attributes.values.protocol;
    if (typeof protocol !== 'string' || !sameProtocol(protocol, element.protocol)) continue;
    if (!samePorts(element, { from_port: attributes.values.from_port, to_port: attributes.values.to_port })) continue;
    let total = attributes.values.self === true ? 1 : 0;
    let found: Node | null = null;
    for (const [field, list] of SOURCE_LISTS) {
      const node = attributes.nodes[list];
      const value = attributes.values[list];
      if (!node) continue;
      if (!Array.isArray(value)) {
        // Written with references (security_groups = [aws_security_group.web.id]): at least one
        // more source, so the block is never this element's alone.
        total += 1;
        continue;
      }
      total += value.length;
      const wanted = element[field];
      const index = typeof wanted === 'string' ? value.indexOf(wanted) : -1;
      if (index >= 0) found = elementNode(node, index);
    }
    if (element.self && attributes.values.self === true) found = attributes.nodes.self ?? null;
    if (!found) continue;
    const description = typeof attributes.values.description === 'string' ? attributes.values.description : null;
    return { block, source: found, onlySource: total === 1, description };
  }
  return null;
}

function literalAttributes(block: Node): { values: Record<string, unknown>; nodes: Record<string, Node> } | null {
  const values: Record<string, unknown> = {};
  const nodes: Record<string, Node> = {};
  for (const item of bodyItems(block)) {
    if (item.type !== 'attribute') continue;
    const name = attributeName(item);
    const expression = attributeExpression(item);
    if (!expression) continue;
    nodes[name] = name === 'self' ? item : expression;
    const result = evaluateLiteral(expression);
    values[name] = result.literal ? result.value : undefined;
  }
  return { values, nodes };
}

function elementNode(listExpression: Node, index: number): Node | null {
  const tuple = listExpression.descendantsOfType('tuple')[0];
  const elements = tuple?.namedChildren.filter((child) => child.type === 'expression') ?? [];
  return elements[index] ?? null;
}

/** The inline block that writes a rule element, as `name = value` pairs in the file's order. */
export function inlineRuleAttributes(element: RuleElement): [string, unknown][] {
  const out: [string, unknown][] = [];
  if (element.description) out.push(['description', element.description]);
  const all = isAllProtocols(element.protocol);
  out.push(['from_port', all ? 0 : element.from_port ?? 0]);
  out.push(['to_port', all ? 0 : element.to_port ?? 0]);
  out.push(['protocol', element.protocol]);
  if (element.cidr_ipv4) out.push(['cidr_blocks', [element.cidr_ipv4]]);
  if (element.cidr_ipv6) out.push(['ipv6_cidr_blocks', [element.cidr_ipv6]]);
  if (element.prefix_list_id) out.push(['prefix_list_ids', [element.prefix_list_id]]);
  if (element.referenced_security_group_id) out.push(['security_groups', [element.referenced_security_group_id]]);
  if (element.self) out.push(['self', true]);
  return out;
}

/** Every rule element an inline block (as hcl2-parser reads it) stands for. */
export function elementsOfInline(block: unknown): RuleElement[] {
  if (!isRecord(block)) return [];
  const base = {
    protocol: String(block.protocol ?? ''),
    from_port: block.from_port === undefined ? null : Number(block.from_port),
    to_port: block.to_port === undefined ? null : Number(block.to_port),
    description: typeof block.description === 'string' ? block.description : null,
  };
  const out: RuleElement[] = [];
  for (const [field, list] of SOURCE_LISTS) {
    const values = block[list];
    if (!Array.isArray(values)) continue;
    for (const value of values) out.push({ ...base, [field]: String(value) });
  }
  if (block.self === true) out.push({ ...base, self: true });
  return out;
}

export function isAllTraffic(element: RuleElement): boolean {
  return isAllProtocols(element.protocol);
}
