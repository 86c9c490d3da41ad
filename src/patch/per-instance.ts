// A value that differs per instance of a block with count or for_each, written inside the block:
// `count.index == 10 ? true : false`, `contains(["a", "b"], each.key) ? X : Y`, or
// `lookup({ "3" = X, "10" = Y }, count.index, Z)` — every instance not named reads the last
// value, the one the block wrote before. The patch engine writes these forms when a drift concerns
// some instances only, reads them back (to verify each instance's value, and to add an instance
// to a form already written), and reads nothing else as per-instance: any other expression stays
// an expression.
import type { Node } from 'web-tree-sitter';
import { stableStringify } from '../drift/values.js';
import { evaluateLiteral } from './hcl-literal.js';
import { functionArguments, functionName, objectElementParts, objectElements, tupleElements, unwrapExpression } from './hcl-syntax.js';
import { quoteString, renderKey, renderValue } from './render-hcl.js';

/** What a count or for_each block's instances are told apart by. */
export type KeyKind = 'count' | 'each';

export type InstanceKey = string | number;

export interface PerInstanceForm {
  kind: KeyKind;
  /** The instances a branch is written for, first match wins. */
  entries: { key: InstanceKey; node: Node }[];
  /** What every other instance reads. */
  fallback: Node;
}

/** Forms read per tree (trees never change): verification reads one expression once per instance. */
const readForms = new WeakMap<object, Map<string, PerInstanceForm | null>>();

/** The per-instance form of an expression, or null when it is not one of the forms above (with
 * `count.index` for count, `each.key` for for_each), or names a key of the wrong kind. */
export function readPerInstance(node: Node, kind: KeyKind): PerInstanceForm | null {
  let forms = readForms.get(node.tree);
  if (!forms) {
    forms = new Map();
    readForms.set(node.tree, forms);
  }
  const id = `${node.startIndex}:${node.endIndex}:${kind}`;
  let form = forms.get(id);
  if (form === undefined) {
    form = readForm(node, kind);
    forms.set(id, form);
  }
  return form;
}

function readForm(node: Node, kind: KeyKind): PerInstanceForm | null {
  const inner = unwrapExpression(node);
  let form: PerInstanceForm | null = null;
  if (inner.type === 'conditional') {
    const [condition, yes, no] = inner.namedChildren.filter((child): child is Node => child?.type === 'expression');
    const keys = condition && yes && no ? conditionKeys(condition, kind) : null;
    if (keys && yes && no) form = { kind, entries: keys.map((key) => ({ key, node: yes })), fallback: no };
  } else if (inner.type === 'function_call' && functionName(inner) === 'lookup') {
    const [map, key, fallback, extra] = functionArguments(inner);
    const object = map ? unwrapExpression(map).namedChildren[0] : undefined;
    if (object?.type === 'object' && key && isKeyReference(key, kind) && fallback && !extra) {
      const entries: { key: InstanceKey; node: Node }[] = [];
      for (const elem of objectElements(object)) {
        const parts = objectElementParts(elem);
        const name = parts ? lookupKey(parts.key, kind) : null;
        if (!parts || name === null) return null;
        entries.push({ key: name, node: parts.value });
      }
      form = { kind, entries, fallback };
    }
  }
  if (!form) return null;
  // A fallback in parentheses may itself pick per instance: its entries come after ours.
  const nested = readNested(form.fallback, kind);
  if (nested) return { kind, entries: [...form.entries, ...nested.entries], fallback: nested.fallback };
  return form;
}

function readNested(node: Node, kind: KeyKind): PerInstanceForm | null {
  // Only a parenthesized fallback: tree-sitter's grammar reads `a ? b : c ? d : e` the wrong way round.
  if (node.type !== 'expression' || node.child(0)?.type !== '(') return null;
  return readForm(node, kind);
}

/** The node an instance reads. */
export function branchFor(form: PerInstanceForm, key: InstanceKey): Node {
  return form.entries.find((entry) => sameKey(entry.key, key))?.node ?? form.fallback;
}

export function sameKey(a: InstanceKey, b: InstanceKey): boolean {
  return String(a) === String(b);
}

/** `count.index == 3`, `3 == count.index`, `contains([3, 10], count.index)` → the keys. */
function conditionKeys(condition: Node, kind: KeyKind): InstanceKey[] | null {
  const inner = unwrapExpression(condition);
  if (inner.type === 'operation') {
    const binary = inner.namedChildren[0];
    if (binary?.type !== 'binary_operation') return null;
    const operator = binary.children.findIndex((child) => child?.type === '==');
    if (operator < 0) return null;
    const left = binary.children.slice(0, operator).filter((child): child is Node => child !== null && child.isNamed);
    const right = binary.children.slice(operator + 1).filter((child): child is Node => child !== null && child.isNamed);
    const [reference, literal] = isKeyTraversal(left, kind) ? [left, right] : isKeyTraversal(right, kind) ? [right, left] : [null, null];
    if (!reference || !literal || literal.length !== 1) return null;
    const key = literalKey(literal[0] as Node, kind);
    return key === null ? null : [key];
  }
  if (inner.type === 'function_call' && functionName(inner) === 'contains') {
    const [list, key, extra] = functionArguments(inner);
    const tuple = list ? unwrapExpression(list).namedChildren[0] : undefined;
    if (tuple?.type !== 'tuple' || !key || !isKeyReference(key, kind) || extra) return null;
    const keys: InstanceKey[] = [];
    for (const element of tupleElements(tuple)) {
      const value = literalKey(element, kind);
      if (value === null) return null;
      keys.push(value);
    }
    return keys.length > 0 ? keys : null;
  }
  return null;
}

function isKeyReference(node: Node, kind: KeyKind): boolean {
  const inner = unwrapExpression(node);
  return inner.type === 'expression' && isKeyTraversal(inner.namedChildren.filter((child): child is Node => child !== null), kind);
}

/** `count.index` or `each.key` as the grammar writes it: a variable and one attribute access. */
function isKeyTraversal(parts: readonly Node[], kind: KeyKind): boolean {
  if (parts.length !== 2) return false;
  const [root, attribute] = parts as [Node, Node];
  const name = attribute.type === 'get_attr' ? attribute.namedChildren.find((child) => child?.type === 'identifier')?.text : undefined;
  return root.type === 'variable_expr' && (kind === 'count' ? root.text === 'count' && name === 'index' : root.text === 'each' && name === 'key');
}

/** A key written as a literal: a whole number for count, a string for each.key. */
function literalKey(node: Node, kind: KeyKind): InstanceKey | null {
  const result = evaluateLiteral(node);
  if (!result.literal) return null;
  if (kind === 'count') return typeof result.value === 'number' && Number.isInteger(result.value) && result.value >= 0 ? result.value : null;
  return typeof result.value === 'string' ? result.value : null;
}

/** A lookup map's key: a quoted whole number for count ("10"), a name or string for each.key. */
function lookupKey(node: Node, kind: KeyKind): InstanceKey | null {
  const inner = unwrapExpression(node);
  if (kind === 'each' && inner.type === 'variable_expr') return inner.text;
  const result = evaluateLiteral(node);
  if (!result.literal || typeof result.value !== 'string') return null;
  if (kind === 'each') return result.value;
  return /^(0|[1-9][0-9]*)$/.test(result.value) ? Number(result.value) : null;
}

/** Values the forms can hold for any instance: Terraform unifies the branches' types, so every
 * value must have the same simple type (a string, number or bool, or a flat list of one). */
export function perInstanceValueProblem(values: readonly unknown[]): string | null {
  const kinds = new Set<string>();
  for (const value of values) {
    if (value === null || value === undefined) continue;
    const kind = simpleKind(value);
    if (kind === null) return 'the value is not a string, number, bool or flat list, so it cannot be written per instance';
    kinds.add(kind);
  }
  if (kinds.size > 1) return `the instances' values have different types (${[...kinds].join(', ')}), so one expression cannot hold them`;
  return null;
}

function simpleKind(value: unknown): string | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return typeof value;
  if (!Array.isArray(value)) return null;
  const items = new Set(value.map((item) => (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean' ? typeof item : 'other')));
  if (items.has('other') || items.size > 1) return null;
  return `list of ${[...items][0] ?? 'any'}`;
}

/** The expression for `values` (one per instance that differs) and `fallback` (every other
 * instance); the fallback itself when no instance differs. Keys are written in order, numbers
 * ascending, on one line: a multi-line value would leave its attribute out of the aligned run
 * around it, which terraform fmt would re-align. */
export function renderPerInstance(kind: KeyKind, values: ReadonlyMap<string, { key: InstanceKey; value: unknown }>, fallback: unknown): { text: string } | { problem: string } {
  const render = (value: unknown): string | null => {
    const text = renderValue(value ?? null);
    return text === null || text.includes('\n') ? null : text;
  };
  const tooLong = { problem: 'the value does not fit on one line, which the per-instance expression needs' };
  const fallbackText = render(fallback);
  if (fallbackText === null) return tooLong;
  const entries = [...values.values()].sort((a, b) => compareKeys(a.key, b.key));
  if (entries.length === 0) return { text: fallbackText };
  const reference = kind === 'count' ? 'count.index' : 'each.key';
  const groups = new Map<string, { value: unknown; keys: InstanceKey[] }>();
  for (const entry of entries) {
    const id = stableStringify(entry.value ?? null);
    const group = groups.get(id) ?? { value: entry.value ?? null, keys: [] };
    group.keys.push(entry.key);
    groups.set(id, group);
  }
  if (groups.size === 1) {
    const [group] = [...groups.values()] as [{ value: unknown; keys: InstanceKey[] }];
    const valueText = render(group.value);
    if (valueText === null) return tooLong;
    const keys = group.keys.map((key) => keyLiteral(kind, key));
    const condition = keys.length === 1 ? `${reference} == ${keys[0] as string}` : `contains([${keys.join(', ')}], ${reference})`;
    return { text: `${condition} ? ${valueText} : ${fallbackText}` };
  }
  const pairs: string[] = [];
  for (const entry of entries) {
    if (entry.value === null || entry.value === undefined) return { problem: 'the instances would read several values, one of them unset, which no per-instance expression of this kind writes' };
    const valueText = render(entry.value);
    if (valueText === null) return tooLong;
    pairs.push(`${kind === 'count' ? quoteString(String(entry.key)) : renderKey(String(entry.key))} = ${valueText}`);
  }
  return { text: `lookup({ ${pairs.join(', ')} }, ${reference}, ${fallbackText})` };
}

function keyLiteral(kind: KeyKind, key: InstanceKey): string {
  return kind === 'count' ? String(key) : quoteString(String(key));
}

function compareKeys(a: InstanceKey, b: InstanceKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
