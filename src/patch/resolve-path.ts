// Where a Change path is written in a resource block: a literal (editable), nowhere (a default
// or computed value: insert it), or an expression, dynamic block or module input (explain).
import type { Node } from 'web-tree-sitter';
import type { PathStep } from '../terraform/types.js';
import {
  attributeExpression,
  collectionOf,
  findAttribute,
  findDynamicBlocks,
  findNestedBlocks,
  functionArguments,
  functionName,
  objectElementParts,
  objectElements,
  tupleElements,
  unwrapExpression,
} from './hcl-syntax.js';
import { evaluateLiteral, jsonencodeArgument, objectKey } from './hcl-literal.js';
import type { KeyKind, PerInstanceForm } from './per-instance.js';
import { branchFor, readPerInstance } from './per-instance.js';

export type Container = { kind: 'block'; block: Node } | { kind: 'object'; object: Node };

/** A literal reached through a per-instance expression (per-instance.ts): `node` is the branch
 * this instance reads. */
export interface PerInstanceSite {
  /** The whole expression, what an edit of the per-instance values replaces. */
  expression: Node;
  form: PerInstanceForm;
}

export type Resolution =
  | {
      kind: 'literal';
      /** The expression that holds the value (for jsonencode: the call). */
      node: Node;
      value: unknown;
      form: 'plain' | 'heredoc' | 'jsonencode';
      /** The attribute or object element that owns the expression (what a removal removes). */
      owner: Node;
      /** for_each key whose entry holds the value, when reached through `each.value`. */
      forEachKey: string | null;
      /** Set when the value is one branch of a per-instance expression. */
      perInstance: PerInstanceSite | null;
    }
  | {
      kind: 'absent';
      container: Container;
      steps: PathStep[];
      /** for_each key whose entry the container is, when reached through `each.value`. */
      forEachKey: string | null;
    }
  | { kind: 'expression'; node: Node }
  | { kind: 'dynamic'; node: Node; name: string }
  | { kind: 'blocks'; blocks: Node[] }
  | { kind: 'unsupported'; reason: string };

export function resolvePath(resource: Node, steps: readonly PathStep[], instanceKey: string | number | null): Resolution {
  let current = resource;
  let i = 0;
  while (i < steps.length) {
    const step = steps[i];
    if (typeof step !== 'string') return { kind: 'unsupported', reason: `the path has an index where a name was expected` };
    const attribute = findAttribute(current, step);
    if (attribute) {
      const expression = attributeExpression(attribute);
      if (!expression) return { kind: 'unsupported', reason: `\`${step}\` has no value` };
      return resolveExpression(resource, expression, attribute, steps, i + 1, instanceKey, null);
    }
    const dynamic = findDynamicBlocks(current, step)[0];
    if (dynamic) return { kind: 'dynamic', node: dynamic, name: step };
    const nested = findNestedBlocks(current, step);
    const next = steps[i + 1];
    if (nested.length === 0) return { kind: 'absent', container: { kind: 'block', block: current }, steps: steps.slice(i), forEachKey: null };
    if (next === undefined) return { kind: 'blocks', blocks: nested };
    if (typeof next === 'number') {
      const chosen = nested[next];
      if (!chosen) {
        return {
          kind: 'unsupported',
          reason: `the configuration writes ${nested.length} \`${step}\` block(s), not one at index ${next}`,
        };
      }
      current = chosen;
      i += 2;
      if (i === steps.length) return { kind: 'blocks', blocks: [chosen] };
      continue;
    }
    if (nested.length !== 1) return { kind: 'unsupported', reason: `\`${step}\` is written more than once` };
    current = nested[0] as Node;
    i += 1;
  }
  return { kind: 'unsupported', reason: 'the change has an empty path' };
}

function resolveExpression(
  resource: Node,
  start: Node,
  startOwner: Node,
  steps: readonly PathStep[],
  from: number,
  instanceKey: string | number | null,
  startKey: string | null,
): Resolution {
  let node = start;
  let owner = startOwner;
  let forEachKey = startKey;
  let i = from;
  for (;;) {
    if (i === steps.length) return leaf(resource, node, owner, instanceKey, forEachKey);
    const step = steps[i] as PathStep;
    const collection = collectionOf(node);
    if (collection?.type === 'object' && typeof step === 'string') {
      const found = findObjectElement(collection, step);
      if (found === 'computed') return { kind: 'expression', node };
      if (!found) return { kind: 'absent', container: { kind: 'object', object: collection }, steps: steps.slice(i), forEachKey };
      node = found.value;
      owner = found.elem;
      i++;
      continue;
    }
    if (collection?.type === 'tuple' && typeof step === 'number') {
      const element = tupleElements(collection)[step];
      if (!element) return { kind: 'unsupported', reason: `the list has no element ${step}` };
      node = element;
      owner = element;
      i++;
      continue;
    }
    const inner = unwrapExpression(node);
    if (inner.type === 'function_call' && functionName(inner) === 'merge' && typeof step === 'string') {
      const merged = resolveMerge(inner, step, forEachKey);
      if (merged.kind !== 'found') return merged.resolution;
      node = merged.value;
      owner = merged.elem;
      i++;
      continue;
    }
    const entry = forEachEntry(resource, node, instanceKey);
    if (entry) {
      node = entry.node;
      owner = entry.owner;
      forEachKey = entry.key;
      continue;
    }
    return { kind: 'expression', node };
  }
}

function leaf(resource: Node, node: Node, owner: Node, instanceKey: string | number | null, forEachKey: string | null): Resolution {
  const entry = forEachEntry(resource, node, instanceKey);
  if (entry) return leaf(resource, entry.node, entry.owner, instanceKey, entry.key);
  const encoded = jsonencodeArgument(node);
  if (encoded) return { kind: 'literal', node, value: encoded.value, form: 'jsonencode', owner, forEachKey, perInstance: null };
  const result = evaluateLiteral(node);
  if (!result.literal) {
    const kind = instanceKey === null ? null : keyKindOf(resource, instanceKey);
    const form = kind ? readPerInstance(node, kind) : null;
    if (!form || instanceKey === null) return { kind: 'expression', node };
    const branch = branchFor(form, instanceKey);
    const value = evaluateLiteral(branch);
    if (!value.literal || jsonencodeArgument(branch)) return { kind: 'expression', node };
    return { kind: 'literal', node: branch, value: value.value, form: 'plain', owner, forEachKey, perInstance: { expression: node, form } };
  }
  const inner = unwrapExpression(node);
  const heredoc = inner.type === 'template_expr' && inner.namedChildren[0]?.type === 'heredoc_template';
  return { kind: 'literal', node, value: result.value, form: heredoc ? 'heredoc' : 'plain', owner, forEachKey, perInstance: null };
}

/** What the block's instances are told apart by, if the instance key fits its repetition. */
export function keyKindOf(resource: Node, instanceKey: string | number): KeyKind | null {
  if (typeof instanceKey === 'number') return findAttribute(resource, 'count') ? 'count' : null;
  return findAttribute(resource, 'for_each') ? 'each' : null;
}

/** `merge(a, b, { k = v })`: the last literal object that has the key wins; an argument that is
 * not a literal object, met first, may hold it, so the key's source is unknown. */
function resolveMerge(
  call: Node,
  key: string,
  forEachKey: string | null,
): { kind: 'found'; value: Node; elem: Node } | { kind: 'other'; resolution: Resolution } {
  const args = functionArguments(call);
  for (let a = args.length - 1; a >= 0; a--) {
    const arg = args[a] as Node;
    const object = collectionOf(arg);
    if (object?.type !== 'object') return { kind: 'other', resolution: { kind: 'expression', node: arg } };
    const found = findObjectElement(object, key);
    if (found === 'computed') return { kind: 'other', resolution: { kind: 'expression', node: arg } };
    if (found) return { kind: 'found', value: found.value, elem: found.elem };
  }
  const last = args[args.length - 1];
  const object = last ? collectionOf(last) : null;
  if (!object) return { kind: 'other', resolution: { kind: 'expression', node: call } };
  return { kind: 'other', resolution: { kind: 'absent', container: { kind: 'object', object }, steps: [key], forEachKey } };
}

/** The element with `key` in an object literal; 'computed' when a computed key could be it. */
export function findObjectElement(object: Node, key: string): { elem: Node; value: Node } | 'computed' | null {
  let computed = false;
  let found: { elem: Node; value: Node } | null = null;
  for (const elem of objectElements(object)) {
    const parts = objectElementParts(elem);
    if (!parts) continue;
    const name = objectKey(parts.key);
    if (name === null) computed = true;
    else if (name === key) found = { elem, value: parts.value };
  }
  if (found) return found;
  return computed ? 'computed' : null;
}

/** For `each.value.x` in a block whose for_each is a literal map: the map entry's node. */
function forEachEntry(
  resource: Node,
  node: Node,
  instanceKey: string | number | null,
): { node: Node; owner: Node; key: string } | null {
  if (typeof instanceKey !== 'string') return null;
  const chain = eachValueChain(node);
  if (!chain) return null;
  const forEach = findAttribute(resource, 'for_each');
  const expression = forEach ? attributeExpression(forEach) : null;
  const map = expression ? collectionOf(expression) : null;
  if (!forEach || map?.type !== 'object') return null;
  const entry = findObjectElement(map, instanceKey);
  if (!entry || entry === 'computed') return null;
  let current = entry.value;
  let owner = entry.elem;
  for (const step of chain) {
    const object = collectionOf(current);
    if (object?.type !== 'object') return null;
    const found = findObjectElement(object, step);
    if (!found || found === 'computed') return null;
    current = found.value;
    owner = found.elem;
  }
  return { node: current, owner, key: instanceKey };
}

/** `each.value`, `each.value.a.b`, `each.value["a"]` → the steps after each.value. */
function eachValueChain(node: Node): string[] | null {
  const expression = node.type === 'expression' ? node : null;
  if (!expression) return null;
  const parts = expression.namedChildren;
  const head = parts[0];
  if (head?.type !== 'variable_expr' || head.text !== 'each') return null;
  const steps: string[] = [];
  for (const part of parts.slice(1)) {
    if (part.type === 'get_attr') {
      const name = part.namedChildren.find((child) => child.type === 'identifier');
      if (!name) return null;
      steps.push(name.text);
    } else if (part.type === 'index') {
      const inner = part.namedChildren[0]?.namedChildren.find((child) => child.type === 'expression');
      const result = inner ? evaluateLiteral(inner) : null;
      if (!result?.literal || typeof result.value !== 'string') return null;
      steps.push(result.value);
    } else {
      return null;
    }
  }
  if (steps[0] !== 'value') return null;
  return steps.slice(1);
}

/** The for_each or count expression of a block, for notes. */
export function repetitionOf(resource: Node): { kind: 'count' | 'for_each'; node: Node } | null {
  for (const kind of ['for_each', 'count'] as const) {
    const attribute = findAttribute(resource, kind);
    const expression = attribute ? attributeExpression(attribute) : null;
    if (expression) return { kind, node: expression };
  }
  return null;
}
