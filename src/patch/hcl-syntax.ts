// Navigation over the tree-sitter Terraform grammar: blocks, labels, bodies, attributes. Every
// place the patch engine edits is found here, by syntax, never by matching text.
import type { Node, Tree } from 'web-tree-sitter';

/** Top-level blocks of a file, in order. */
export function topLevelBlocks(tree: Tree): Node[] {
  const body = tree.rootNode.namedChildren.find((child) => child?.type === 'body');
  if (!body) return [];
  return body.namedChildren.filter((child): child is Node => child?.type === 'block');
}

export function blockKeyword(block: Node): string {
  const first = block.namedChildren[0];
  return first?.type === 'identifier' ? first.text : '';
}

/** Labels of a block (`resource "aws_instance" "web"` → ['aws_instance', 'web']). */
export function blockLabels(block: Node): string[] {
  const labels: string[] = [];
  let seenKeyword = false;
  for (const child of block.children) {
    if (!child) continue;
    if (child.type === 'block_start') break;
    if (child.type === 'identifier') {
      if (seenKeyword) labels.push(child.text);
      seenKeyword = true;
    } else if (child.type === 'string_lit') {
      labels.push(stringLitText(child));
    }
  }
  return labels;
}

function stringLitText(node: Node): string {
  // Block labels are plain strings; read between the quotes (the grammar drops edge spaces from
  // its template_literal nodes).
  return node.text.slice(1, -1);
}

export function blockBody(block: Node): Node | null {
  return block.namedChildren.find((child) => child?.type === 'body') ?? null;
}

export function blockStart(block: Node): Node | null {
  return block.namedChildren.find((child) => child?.type === 'block_start') ?? null;
}

export function blockEnd(block: Node): Node | null {
  return block.namedChildren.find((child) => child?.type === 'block_end') ?? null;
}

/** Attributes and nested blocks of a block's body, in order. */
export function bodyItems(block: Node): Node[] {
  const body = blockBody(block);
  if (!body) return [];
  return body.namedChildren.filter((child): child is Node => child?.type === 'attribute' || child?.type === 'block');
}

export function attributeName(attribute: Node): string {
  return attribute.namedChildren[0]?.text ?? '';
}

export function attributeExpression(attribute: Node): Node | null {
  return attribute.namedChildren.find((child) => child?.type === 'expression') ?? null;
}

export function findAttribute(block: Node, name: string): Node | null {
  return bodyItems(block).find((item) => item.type === 'attribute' && attributeName(item) === name) ?? null;
}

/** Nested blocks written as `name { ... }` (dynamic blocks are separate). */
export function findNestedBlocks(block: Node, name: string): Node[] {
  return bodyItems(block).filter((item) => item.type === 'block' && blockKeyword(item) === name && blockLabels(item).length === 0);
}

export function findDynamicBlocks(block: Node, name: string): Node[] {
  return bodyItems(block).filter(
    (item) => item.type === 'block' && blockKeyword(item) === 'dynamic' && blockLabels(item)[0] === name,
  );
}

const resourceIndex = new WeakMap<Tree, Map<string, Node>>();

/** The top-level `resource "<type>" "<name>"` block (indexed once per tree: trees never change). */
export function findResourceBlock(tree: Tree, type: string, name: string): Node | null {
  let index = resourceIndex.get(tree);
  if (!index) {
    index = new Map();
    for (const block of topLevelBlocks(tree)) {
      if (blockKeyword(block) !== 'resource') continue;
      const labels = blockLabels(block);
      const key = `${labels[0] ?? ''}.${labels[1] ?? ''}`;
      if (!index.has(key)) index.set(key, block);
    }
    resourceIndex.set(tree, index);
  }
  return index.get(`${type}.${name}`) ?? null;
}

/** Like findResourceBlock, looking first at the block that starts on `row` (cheap: no index of
 * the whole file is built for a tree that is edited again right after). */
export function findResourceBlockAt(tree: Tree, type: string, name: string, row: number): Node | null {
  let node: Node | null = tree.rootNode.descendantForPosition({ row, column: 0 });
  while (node && !(node.type === 'block' && node.parent?.parent?.type === 'config_file')) node = node.parent;
  if (node && blockKeyword(node) === 'resource') {
    const labels = blockLabels(node);
    if (labels[0] === type && labels[1] === name) return node;
  }
  return findResourceBlock(tree, type, name);
}

/** The single meaningful node inside `expression` wrappers and parentheses. */
export function unwrapExpression(node: Node): Node {
  let current = node;
  for (;;) {
    if (current.type !== 'expression') return current;
    const named = current.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
    if (named.length !== 1) return current;
    const only = named[0] as Node;
    if (current.childCount === 3 && current.child(0)?.type === '(') {
      current = only;
      continue;
    }
    if (current.childCount !== 1) return current;
    current = only;
  }
}

export function collectionOf(node: Node): Node | null {
  const inner = unwrapExpression(node);
  if (inner.type !== 'collection_value') return null;
  return inner.namedChildren[0] ?? null;
}

export function objectElements(object: Node): Node[] {
  return object.namedChildren.filter((child): child is Node => child?.type === 'object_elem');
}

export function tupleElements(tuple: Node): Node[] {
  return tuple.namedChildren.filter((child): child is Node => child?.type === 'expression');
}

/** Key and value expressions of an object element. */
export function objectElementParts(elem: Node): { key: Node; value: Node } | null {
  const parts = elem.namedChildren.filter((child): child is Node => child?.type === 'expression');
  const [key, value] = parts;
  if (!key || !value) return null;
  return { key, value };
}

export function functionName(call: Node): string {
  return call.namedChildren[0]?.type === 'identifier' ? (call.namedChildren[0] as Node).text : '';
}

export function functionArguments(call: Node): Node[] {
  const args = call.namedChildren.find((child) => child?.type === 'function_arguments');
  if (!args) return [];
  return args.namedChildren.filter((child): child is Node => child?.type === 'expression');
}

/** Every descendant of the given types (depth first). */
export function descendantsOfType(node: Node, types: readonly string[]): Node[] {
  return node.descendantsOfType([...types]).filter((child): child is Node => child !== null);
}
