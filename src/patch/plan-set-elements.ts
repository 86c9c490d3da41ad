// Set-valued attributes the diff reports one element at a time: security group rules
// (`ingress`/`egress` on aws_security_group), managed policies and inline policies
// (`managed_policy_arns`/`inline_policy` on aws_iam_role). Terraform owns such a set only when
// the block writes it; otherwise a live-only element is something apply never removes.
import type { Node, Tree } from 'web-tree-sitter';
import type { Change } from '../drift/types.js';
import { stableStringify } from '../drift/values.js';
import { appendListElement, insertAfterBlock, insertAttribute, insertMultiline, removeNode, rewriteLiteral } from './edit-ops.js';
import {
  attributeExpression,
  collectionOf,
  findAttribute,
  findDynamicBlocks,
  findNestedBlocks,
  findResourceBlock,
  tupleElements,
} from './hcl-syntax.js';
import { evaluateLiteral, jsonencodeArgument } from './hcl-literal.js';
import {
  anchorAfter,
  appendToImportsFile,
  existingImport,
  importBlockText,
  importClaim,
  importVersionNote,
  IMPORTS_FILE,
  reserveName,
  resourceBlockText,
  resourceClaims,
} from './new-resources.js';
import { planResolved } from './plan-attribute.js';
import { parsePolicyText, renderBlock, renderJsonencode, renderValue } from './render-hcl.js';
import { resolvePath } from './resolve-path.js';
import type { RuleElement } from './sg-rules.js';
import { asRuleElement, elementsOfInline, findInlineRule, inlineRuleAttributes, isAllTraffic, sameRule } from './sg-rules.js';
import type { ChangeResult, TargetContext } from './target-context.js';
import { blockAddress, resourceNode, site } from './target-context.js';
import { reachOf } from './instance-scope.js';
import { editScope } from './plan-per-instance.js';
import type { Claim } from './verify.js';
import { describeValue, isRecord } from './values.js';
import { fileAt } from './workspace.js';

export const SET_ATTRIBUTES: Record<string, readonly string[]> = {
  aws_security_group: ['ingress', 'egress'],
  aws_iam_role: ['managed_policy_arns', 'inline_policy'],
};

export function isSetElementChange(type: string, path: string): boolean {
  return SET_ATTRIBUTES[type]?.includes(path) ?? false;
}

/** What makes two instances' set element changes the same (instance-scope.ts). */
export function setElementIdentity(attribute: string, declared: unknown, live: unknown): string {
  return `${attribute}[set]|${stableStringify(declared ?? null)}|${stableStringify(live ?? null)}`;
}

/** One element added, removed, or (paired) changed in place. */
export interface ElementChange {
  attribute: string;
  declared: unknown;
  live: unknown;
}

/** Pairs a removed and an added element that are the same rule/policy with a new description or
 * document, so accept rewrites it in place instead of deleting and re-adding it. */
export function pairElements(type: string, changes: Change[]): ElementChange[] {
  const out: ElementChange[] = [];
  const used = new Set<number>();
  changes.forEach((change, i) => {
    if (used.has(i)) return;
    if (change.declared !== null && change.live === null) {
      const partner = changes.findIndex(
        (other, j) => j > i && !used.has(j) && other.path === change.path && other.declared === null && samePair(type, change.declared, other.live),
      );
      if (partner >= 0) {
        used.add(partner);
        out.push({ attribute: change.path, declared: change.declared, live: (changes[partner] as Change).live });
        return;
      }
    }
    if (change.declared === null && change.live !== null) {
      const partner = changes.findIndex(
        (other, j) => j > i && !used.has(j) && other.path === change.path && other.live === null && samePair(type, other.declared, change.live),
      );
      if (partner >= 0) {
        used.add(partner);
        out.push({ attribute: change.path, declared: (changes[partner] as Change).declared, live: change.live });
        return;
      }
    }
    out.push({ attribute: change.path, declared: change.declared, live: change.live });
  });
  return out;
}

function samePair(type: string, declared: unknown, live: unknown): boolean {
  if (type === 'aws_security_group') {
    const a = asRuleElement(declared);
    const b = asRuleElement(live);
    return a !== null && b !== null && sameRule(a, b);
  }
  return isRecord(declared) && isRecord(live) && typeof declared.name === 'string' && declared.name === live.name;
}

export function planSetElement(ctx: TargetContext, change: ElementChange): ChangeResult {
  // Accept edits the block; that is right only for what every instance reading it has.
  const scope = ctx.direction === 'accept' ? sharedScope(ctx, change) : null;
  if (scope && scope.kind !== 'shared') return scope.result;
  const result = planElement(ctx, change);
  return scope && result.status === 'edit' ? { ...result, note: `${result.note}${scope.note}` } : result;
}

function planElement(ctx: TargetContext, change: ElementChange): ChangeResult {
  switch (change.attribute) {
    case 'ingress':
    case 'egress':
      return planRule(ctx, change.attribute, asRuleElement(change.declared), asRuleElement(change.live));
    case 'managed_policy_arns':
      return planManagedPolicy(ctx, str(change.declared), str(change.live));
    default:
      return planInlinePolicy(ctx, policyElement(change.declared), policyElement(change.live));
  }
}

/** Whether an edit of the block for this element reaches other instances that lack it. */
function sharedScope(ctx: TargetContext, change: ElementChange): { kind: 'shared'; note: string } | { kind: 'blocked'; result: ChangeResult } | null {
  const located = resourceNode(ctx);
  if (!located) return null;
  const label = elementLabel(change);
  const scope = editScope(ctx, located.node, located.file, setElementIdentity(change.attribute, change.declared, change.live), false, label);
  if (scope.kind === 'shared') return scope;
  // A live-only element can still be removed with the family's command.
  const remediation = change.declared === null && change.live !== null;
  if (scope.kind === 'explain') return { kind: 'blocked', result: { status: 'explain', note: scope.note, remediation } };
  return {
    kind: 'blocked',
    result: {
      status: 'explain',
      note: `${label}: ${site(located.file, located.node)} declares every instance of ${blockAddress(ctx)} (${ctx.target.block?.hasCount ? 'count' : 'for_each'}), so an element of ${ctx.target.address ?? 'one instance'} alone cannot be written there; change it by hand.`,
      remediation,
    },
  };
}

function elementLabel(change: ElementChange): string {
  if (change.attribute === 'ingress' || change.attribute === 'egress') {
    const rule = asRuleElement(change.live ?? change.declared);
    return rule ? `\`${change.attribute}\` (${describeRule(change.attribute, rule)})` : `\`${change.attribute}\``;
  }
  if (change.attribute === 'managed_policy_arns') return `\`managed_policy_arns\` (${str(change.live) ?? str(change.declared) ?? 'a policy'})`;
  const policy = policyElement(change.live ?? change.declared);
  return policy ? `\`inline_policy\` "${policy.name}"` : '`inline_policy`';
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function policyElement(value: unknown): { name: string; policy: string } | null {
  if (!isRecord(value) || typeof value.name !== 'string') return null;
  return { name: value.name, policy: typeof value.policy === 'string' ? value.policy : '' };
}

function describeRule(kind: string, rule: RuleElement): string {
  const source =
    rule.cidr_ipv4 ?? rule.cidr_ipv6 ?? rule.prefix_list_id ?? rule.referenced_security_group_id ?? (rule.self ? 'self' : 'unknown source');
  const ports = isAllTraffic(rule) ? 'all traffic' : `${rule.protocol} ${rule.from_port ?? ''}${rule.to_port !== rule.from_port ? `-${rule.to_port ?? ''}` : ''}`;
  return `${kind} rule ${ports} ${kind === 'ingress' ? 'from' : 'to'} ${source}`;
}

function planRule(ctx: TargetContext, kind: 'ingress' | 'egress', declared: RuleElement | null, live: RuleElement | null): ChangeResult {
  const located = resourceNode(ctx);
  const rule = (live ?? declared) as RuleElement | null;
  if (!located || !rule) return { status: 'explain', note: `\`${kind}\`: the rule or its group block could not be read.` };
  const label = `\`${kind}\` (${describeRule(kind, rule)})`;
  const { node, file } = located;
  const dynamic = findDynamicBlocks(node, kind)[0];
  if (dynamic) {
    return {
      status: 'explain',
      note: `${label}: the group writes its ${kind} rules with a dynamic block (${site(file, dynamic)}); change the collection it iterates over by hand.`,
    };
  }
  const inline = findNestedBlocks(node, kind);
  const listForm = findAttribute(node, kind);
  const owned = inline.length > 0 || listForm !== null;
  const where = site(file, (inline[0] ?? listForm ?? node) as Node);
  const restore = ctx.direction === 'restore';

  if (restore) {
    if (owned) {
      const what = declared && live ? 'restores its description' : declared ? 'adds it back' : 'removes it';
      return { status: 'none', note: `${label}: Terraform owns every ${kind} rule of this group (written inline at ${where}), so the next apply ${what}.` };
    }
    if (live && !declared) {
      return {
        status: 'explain',
        note: `${label} exists only in AWS. The group writes no inline ${kind} rules, so Terraform does not remove a rule it does not manage: remove it with the command below, or accept it into the configuration.`,
        remediation: true,
      };
    }
    return { status: 'none', note: `${label} is declared by its own rule resource, which the next apply recreates or updates.` };
  }

  if (owned) {
    if (listForm) {
      return { status: 'explain', note: `${label}: the group writes its rules as a \`${kind} = [...]\` list (${where}); edit the list by hand.` };
    }
    if (declared && live) return acceptRuleDescription(ctx, kind, declared, live, label);
    if (live) {
      const text = renderBlock(
        kind,
        inlineRuleAttributes(live).map(([name, value]) => [name, renderValue(value) ?? 'null']),
      );
      const failure = insertMultiline(ctx.ws, file, node, text, kind);
      if (failure) return { status: 'explain', note: `${label}: ${failure} (${where}).` };
      ctx.claims.push(ruleClaim(ctx, file.path, kind, live, true, label));
      return { status: 'edit', note: `${label}: added as an inline ${kind} block (${site(file, node)}).` };
    }
    const match = declared ? findInlineRule(node, kind, declared) : null;
    if (!match || !declared) {
      return { status: 'explain', note: `${label} no longer exists in AWS, but no literal inline block writes it (${where}); remove it by hand.` };
    }
    removeNode(ctx.ws, file, match.onlySource ? match.block : match.source);
    ctx.claims.push(ruleClaim(ctx, file.path, kind, declared, false, label));
    const what = match.onlySource ? `removed its ${kind} block` : 'removed its source from the block';
    return { status: 'edit', note: `${label} no longer exists in AWS: ${what} (${site(file, match.block)}).` };
  }

  if (declared && !live) {
    return { status: 'explain', note: `${label} no longer exists in AWS; it is declared by its own rule resource: remove that resource block (reported as its own drift).` };
  }
  if (declared && live) {
    return { status: 'explain', note: `${label}: its description changed in AWS; it is declared by its own rule resource: change the description there.` };
  }
  return acceptRuleResource(ctx, kind, live as RuleElement, label);
}

function acceptRuleDescription(ctx: TargetContext, kind: string, declared: RuleElement, live: RuleElement, label: string): ChangeResult {
  const located = resourceNode(ctx);
  if (!located) return { status: 'explain', note: `${label}: the group block could not be found.` };
  const { node, file } = located;
  const match = findInlineRule(node, kind, declared);
  if (!match) return { status: 'explain', note: `${label}: its description changed, but no literal inline block writes the rule; change it by hand.` };
  if (!match.onlySource) {
    return {
      status: 'explain',
      note: `${label}: its description changed to ${describeValue(live.description)}, but its block (${site(file, match.block)}) has other sources that share one description; split the block by hand.`,
    };
  }
  const description = findAttribute(match.block, 'description');
  const expression = description ? attributeExpression(description) : null;
  if (description && expression) {
    if (!live.description) removeNode(ctx.ws, file, description);
    else {
      const failure = rewriteLiteral(ctx.ws, file, expression, 'plain', live.description, false);
      if (failure) return { status: 'explain', note: `${label}: ${failure}.` };
    }
  } else if (live.description) {
    const failure = insertAttribute(ctx.ws, file, match.block, 'description', renderValue(live.description) as string);
    if (failure) return { status: 'explain', note: `${label}: ${failure}.` };
  }
  ctx.claims.push(ruleClaim(ctx, file.path, kind, live, true, label, true));
  return { status: 'edit', note: `${label}: description ${describeValue(declared.description)} → ${describeValue(live.description)} (${site(file, match.block)}).` };
}

/** The group's inline blocks (re-read after the edit) do, or do not, write this element: the
 * block that writes it is read back through hcl2-parser; a removal is checked on the tree. */
function ruleClaim(ctx: TargetContext, file: string, kind: string, element: RuleElement, present: boolean, what: string, withDescription = false): Claim {
  const block = ctx.target.block;
  return {
    file,
    what,
    expected: null,
    policy: false,
    probe(tree: Tree) {
      const node = block ? findResourceBlock(tree, block.type, block.name) : null;
      if (!node) return { failure: 'the group block is missing after the edit' };
      const match = findInlineRule(node, kind, element);
      if (!match) return 'absent';
      return { block: match.block, path: [kind, 0] };
    },
    check(value) {
      if (value === undefined) return present ? 'the rule is not written after the edit' : null;
      const found = elementsOfInline(value).some(
        (candidate) => sameRule(candidate, element) && (!withDescription || (candidate.description ?? null) === (element.description ?? null)),
      );
      if (found === present) return null;
      return present ? 'the rule is not written after the edit' : 'the rule is still written after the edit';
    },
  };
}

function acceptRuleResource(ctx: TargetContext, kind: 'ingress' | 'egress', live: RuleElement, label: string): ChangeResult {
  const located = resourceNode(ctx);
  const block = ctx.target.block;
  if (!located || !block) return { status: 'explain', note: `${label}: the group block could not be found.` };
  if (!live.rule_id) {
    return { status: 'explain', note: `${label} has no rule id to import; add it by hand or remove it with the command below.`, remediation: true };
  }
  if (reachOf(ctx, located.node).others !== 0) {
    return {
      status: 'explain',
      note: `${label}: ${site(located.file, located.node)} declares several groups (count, for_each or a module used more than once), and a rule resource written beside it would be one per group; add it by hand.`,
      remediation: true,
    };
  }
  const already = existingImport(ctx, live.rule_id);
  if (already) return { status: 'none', note: `${label} is already imported (${already}).` };
  const type = kind === 'ingress' ? 'aws_vpc_security_group_ingress_rule' : 'aws_vpc_security_group_egress_rule';
  const portPart = isAllTraffic(live) ? 'all' : `${live.protocol}_${live.from_port ?? ''}`;
  const name = reserveName(ctx, block.moduleDir, type, `${block.name}_${kind}_${portPart}`);
  const group = `${block.type}.${block.name}.id`;
  const attributes: [string, string][] = [['security_group_id', group]];
  const expected: Record<string, unknown> = { security_group_id: `\${${group}}` };
  const add = (key: string, value: unknown): void => {
    attributes.push([key, renderValue(value) as string]);
    expected[key] = value;
  };
  if (live.description) add('description', live.description);
  add('ip_protocol', live.protocol);
  if (!isAllTraffic(live)) {
    if (live.from_port !== null) add('from_port', live.from_port);
    if (live.to_port !== null) add('to_port', live.to_port);
  }
  if (live.cidr_ipv4) add('cidr_ipv4', live.cidr_ipv4);
  if (live.cidr_ipv6) add('cidr_ipv6', live.cidr_ipv6);
  if (live.prefix_list_id) add('prefix_list_id', live.prefix_list_id);
  if (live.referenced_security_group_id) add('referenced_security_group_id', live.referenced_security_group_id);
  if (live.self) {
    attributes.push(['referenced_security_group_id', group]);
    expected.referenced_security_group_id = `\${${group}}`;
  }
  const resource = resourceBlockText(type, name, attributes);
  const moduleAddress = block.modulePath.map((step) => `module.${step}.`).join('');
  const to = `${moduleAddress}${type}.${name}`;
  const importText = importBlockText(to, live.rule_id);
  const file = located.file;
  const anchor = anchorAfter(ctx, file, located.node);
  ctx.generated.push(`${type}.${name}`);
  if (block.modulePath.length === 0) {
    insertAfterBlock(ctx.ws, file, anchor, `${resource}\n\n${importText}`);
    ctx.claims.push(importClaim(file.path, to, live.rule_id));
  } else {
    insertAfterBlock(ctx.ws, file, anchor, resource);
    appendToImportsFile(ctx, importText);
    ctx.claims.push(importClaim(IMPORTS_FILE, to, live.rule_id));
  }
  ctx.claims.push(...resourceClaims(file.path, type, name, expected, {}));
  const where = block.modulePath.length === 0 ? file.path : `${file.path} (import in ${IMPORTS_FILE})`;
  return {
    status: 'edit',
    note: `${label} exists only in AWS: added as ${type}.${name} with an import block for ${live.rule_id} (${where}).${importVersionNote(ctx)}`,
  };
}

function planManagedPolicy(ctx: TargetContext, declared: string | null, live: string | null): ChangeResult {
  const arn = (live ?? declared) as string | null;
  const located = resourceNode(ctx);
  if (!located || !arn) return { status: 'explain', note: '`managed_policy_arns`: the role block or the policy could not be read.' };
  const label = `\`managed_policy_arns\` (${arn})`;
  const { node, file } = located;
  const attribute = findAttribute(node, 'managed_policy_arns');
  const restore = ctx.direction === 'restore';
  if (attribute) {
    const expression = attributeExpression(attribute) as Node;
    const tuple = collectionOf(expression);
    const literal = evaluateLiteral(expression).literal && tuple?.type === 'tuple';
    const where = site(file, attribute);
    if (restore) {
      if (!literal) {
        return { status: 'explain', note: `${label}: the role's managed_policy_arns is an expression (${where}); the next apply sets exactly what it evaluates to.` };
      }
      return { status: 'none', note: `${label}: the role writes managed_policy_arns (${where}), so the next apply ${live ? 'detaches' : 'attaches'} it.` };
    }
    if (!literal || !tuple) return { status: 'explain', note: `${label}: managed_policy_arns is an expression (${where}); change it by hand.` };
    if (live) {
      const failure = appendListElement(ctx.ws, file, tuple, live);
      if (failure) return { status: 'explain', note: `${label}: ${failure}.` };
    } else {
      const element = tupleElements(tuple).find((item) => {
        const value = evaluateLiteral(item);
        return value.literal && value.value === declared;
      });
      if (!element) return { status: 'explain', note: `${label}: not found in managed_policy_arns (${where}); remove it by hand.` };
      removeNode(ctx.ws, file, element);
    }
    ctx.claims.push(listClaim(ctx, file.path, 'managed_policy_arns', arn, live !== null, label));
    return { status: 'edit', note: `${label}: ${live ? 'added to' : 'removed from'} managed_policy_arns (${where}).` };
  }
  if (restore) {
    if (live && !declared) {
      return {
        status: 'explain',
        note: `${label} is attached only in AWS. The role does not write managed_policy_arns, so Terraform does not detach a policy it does not manage: detach it with the command below, or accept it.`,
        remediation: true,
      };
    }
    return { status: 'none', note: `${label} is attached by its own attachment resource, which the next apply recreates.` };
  }
  if (declared && !live) {
    return { status: 'explain', note: `${label} was detached in AWS; it is attached by its own attachment resource: remove that resource block (reported as its own drift).` };
  }
  return acceptAttachment(ctx, arn, label);
}

function acceptAttachment(ctx: TargetContext, arn: string, label: string): ChangeResult {
  const located = resourceNode(ctx);
  const block = ctx.target.block;
  if (!located || !block) return { status: 'explain', note: `${label}: the role block could not be found.` };
  if (reachOf(ctx, located.node).others !== 0) {
    return { status: 'explain', note: `${label}: the role block declares several roles (count, for_each or a module used more than once); attach it by hand.`, remediation: true };
  }
  const roleName = ctx.target.id;
  const importId = `${roleName}/${arn}`;
  const already = existingImport(ctx, importId);
  if (already) return { status: 'none', note: `${label} is already imported (${already}).` };
  const type = 'aws_iam_role_policy_attachment';
  const policyName = arn.slice(arn.lastIndexOf('/') + 1);
  const name = reserveName(ctx, block.moduleDir, type, `${block.name}_${policyName}`);
  const role = `${block.type}.${block.name}.name`;
  const resource = resourceBlockText(type, name, [
    ['role', role],
    ['policy_arn', renderValue(arn) as string],
  ]);
  return writeWithImport(ctx, located.node, located.file.path, type, name, resource, importId, { role: `\${${role}}`, policy_arn: arn }, {}, label);
}

function writeWithImport(
  ctx: TargetContext,
  anchor: Node,
  path: string,
  type: string,
  name: string,
  resource: string,
  importId: string,
  expected: Record<string, unknown>,
  policies: Record<string, string>,
  label: string,
): ChangeResult {
  const block = ctx.target.block;
  const file = fileAt(ctx.ws, path);
  if (!block || !file) return { status: 'explain', note: `${label}: the block could not be found.` };
  const to = `${block.modulePath.map((step) => `module.${step}.`).join('')}${type}.${name}`;
  const importText = importBlockText(to, importId);
  const after = anchorAfter(ctx, file, anchor);
  ctx.generated.push(`${type}.${name}`);
  if (block.modulePath.length === 0) {
    insertAfterBlock(ctx.ws, file, after, `${resource}\n\n${importText}`);
    ctx.claims.push(importClaim(path, to, importId));
  } else {
    insertAfterBlock(ctx.ws, file, after, resource);
    appendToImportsFile(ctx, importText);
    ctx.claims.push(importClaim(IMPORTS_FILE, to, importId));
  }
  ctx.claims.push(...resourceClaims(path, type, name, expected, policies));
  return {
    status: 'edit',
    note: `${label} exists only in AWS: added as ${type}.${name} with an import block (${path}).${importVersionNote(ctx)}`,
  };
}

function listClaim(ctx: TargetContext, file: string, attribute: string, value: string, present: boolean, what: string): Claim {
  const block = ctx.target.block;
  return {
    file,
    what,
    expected: null,
    policy: false,
    probe(tree: Tree) {
      const node = block ? findResourceBlock(tree, block.type, block.name) : null;
      const found = node ? findAttribute(node, attribute) : null;
      const expression = found ? attributeExpression(found) : null;
      if (!expression) return { failure: `${attribute} is missing after the edit` };
      return { expression, path: [] };
    },
    check(list) {
      const has = Array.isArray(list) && list.includes(value);
      if (has === present) return null;
      return present ? 'it is not in the list after the edit' : 'it is still in the list after the edit';
    },
  };
}

function planInlinePolicy(ctx: TargetContext, declared: { name: string; policy: string } | null, live: { name: string; policy: string } | null): ChangeResult {
  const policy = live ?? declared;
  const located = resourceNode(ctx);
  if (!located || !policy) return { status: 'explain', note: '`inline_policy`: the role block or the policy could not be read.' };
  const label = `\`inline_policy\` "${policy.name}"`;
  const { node, file } = located;
  const dynamic = findDynamicBlocks(node, 'inline_policy')[0];
  if (dynamic) {
    return { status: 'explain', note: `${label}: the role writes inline policies with a dynamic block (${site(file, dynamic)}); change its collection by hand.` };
  }
  const blocks = findNestedBlocks(node, 'inline_policy');
  const restore = ctx.direction === 'restore';
  if (restore) {
    if (blocks.length > 0) {
      const what = declared && live ? 'puts the declared document back' : declared ? 'adds it back' : 'deletes it';
      return { status: 'none', note: `${label}: the role writes its inline policies (${site(file, blocks[0] as Node)}), so the next apply ${what}.` };
    }
    if (live && !declared) {
      return {
        status: 'explain',
        note: `${label} exists only in AWS. The role writes no inline_policy blocks, so Terraform does not delete a policy it does not manage: delete it with the command below, or accept it.`,
        remediation: true,
      };
    }
    return { status: 'none', note: `${label} is declared by its own aws_iam_role_policy resource, which the next apply recreates or updates.` };
  }
  if (blocks.length > 0) {
    const index = blocks.findIndex((block) => {
      const name = findAttribute(block, 'name');
      const expression = name ? attributeExpression(name) : null;
      const value = expression ? evaluateLiteral(expression) : null;
      return value?.literal === true && value.value === policy.name;
    });
    if (declared && live) {
      if (index < 0) return { status: 'explain', note: `${label}: no literal inline_policy block names it; change it by hand.` };
      const steps = ['inline_policy', index, 'policy'];
      return planResolved(ctx, file, steps, { path: 'inline_policy.policy', declared: declared.policy, live: live.policy }, label, resolvePath(node, steps, ctx.instanceKey));
    }
    if (declared) {
      if (index < 0) return { status: 'explain', note: `${label} was deleted in AWS, but no literal inline_policy block names it; remove it by hand.` };
      removeNode(ctx.ws, file, blocks[index] as Node);
      ctx.claims.push(inlinePolicyClaim(ctx, file.path, policy.name, null, label));
      return { status: 'edit', note: `${label} was deleted in AWS: removed its inline_policy block (${site(file, blocks[index] as Node)}).` };
    }
    const document = parsePolicyText(policy.policy);
    const policyText = document ? renderJsonencode(document) : renderValue(policy.policy);
    if (!policyText) return { status: 'explain', note: `${label}: the document cannot be written in HCL.` };
    const text = renderBlock('inline_policy', [
      ['name', renderValue(policy.name) as string],
      ['policy', policyText],
    ]);
    const failure = insertMultiline(ctx.ws, file, node, text, 'inline_policy');
    if (failure) return { status: 'explain', note: `${label}: ${failure}.` };
    ctx.claims.push(inlinePolicyClaim(ctx, file.path, policy.name, policy.policy, label));
    return { status: 'edit', note: `${label} exists only in AWS: added as an inline_policy block (${site(file, node)}).` };
  }
  if (declared && !live) {
    return { status: 'explain', note: `${label} was deleted in AWS; it is declared by its own aws_iam_role_policy resource: remove that resource block (reported as its own drift).` };
  }
  if (declared && live) {
    return { status: 'explain', note: `${label} changed in AWS; it is declared by its own aws_iam_role_policy resource: change the document there.` };
  }
  return acceptRolePolicy(ctx, policy, label);
}

function acceptRolePolicy(ctx: TargetContext, policy: { name: string; policy: string }, label: string): ChangeResult {
  const located = resourceNode(ctx);
  const block = ctx.target.block;
  if (!located || !block) return { status: 'explain', note: `${label}: the role block could not be found.` };
  if (reachOf(ctx, located.node).others !== 0) {
    return { status: 'explain', note: `${label}: the role block declares several roles (count, for_each or a module used more than once); add it by hand.`, remediation: true };
  }
  const importId = `${ctx.target.id}:${policy.name}`;
  const already = existingImport(ctx, importId);
  if (already) return { status: 'none', note: `${label} is already imported (${already}).` };
  const document = parsePolicyText(policy.policy);
  const policyText = document ? renderJsonencode(document) : null;
  if (!policyText) return { status: 'explain', note: `${label}: the document is not JSON; add it by hand.` };
  const type = 'aws_iam_role_policy';
  const name = reserveName(ctx, block.moduleDir, type, `${block.name}_${policy.name}`);
  const role = `${block.type}.${block.name}.id`;
  const resource = resourceBlockText(type, name, [
    ['name', renderValue(policy.name) as string],
    ['role', role],
    ['policy', policyText],
  ]);
  return writeWithImport(ctx, located.node, located.file.path, type, name, resource, importId, { name: policy.name, role: `\${${role}}` }, { policy: policy.policy }, label);
}

function inlinePolicyClaim(ctx: TargetContext, file: string, name: string, document: string | null, what: string): Claim {
  const block = ctx.target.block;
  const locate = (tree: Tree): Node | null => {
    const node = block ? findResourceBlock(tree, block.type, block.name) : null;
    if (!node) return null;
    return (
      findNestedBlocks(node, 'inline_policy').find((candidate) => {
        const attribute = findAttribute(candidate, 'name');
        const expression = attribute ? attributeExpression(attribute) : null;
        const value = expression ? evaluateLiteral(expression) : null;
        return value?.literal === true && value.value === name;
      }) ?? null
    );
  };
  return {
    file,
    what,
    expected: document,
    policy: true,
    probe(tree: Tree) {
      const found = locate(tree);
      if (!found) return 'absent';
      const attribute = findAttribute(found, 'policy');
      const expression = attribute ? attributeExpression(attribute) : null;
      if (!expression) return { failure: `${what} has no policy after the edit` };
      const encoded = jsonencodeArgument(expression);
      return { expression: encoded ? encoded.argument : expression, path: [] };
    },
  };
}
