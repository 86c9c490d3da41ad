// The syntax errors tree-sitter found in a configuration file, worded for a person:
// "syntax error: unexpected `}`" at the line and column where each happens. hcl2-parser rejects
// the same files but says neither what nor where.
import type { Node, Tree } from 'web-tree-sitter';
import type { HclError } from './types.js';

const CLOSERS: Record<string, string> = {
  block_end: '}',
  object_end: '}',
  tuple_end: ']',
  quoted_template_end: '"',
  template_interpolation_end: '}',
  heredoc_identifier: 'heredoc end marker',
};

const OPENERS: Record<string, string> = {
  block: 'block',
  object: 'object',
  tuple: 'list',
  string_lit: 'string',
  heredoc_template: 'heredoc',
  template_interpolation: 'interpolation',
};

/** Every syntax error of the tree (ERROR and MISSING nodes, outermost first, at most one per
 * line: tree-sitter's recovery can stack several on the line where one mistake is), as
 * HclErrors in file order; empty when the file parsed. */
export function syntaxErrors(tree: Tree, file: string): HclError[] {
  const errors: HclError[] = [];
  const lines = new Set<number>();
  for (const node of findProblems(tree.rootNode, [])) {
    const line = node.startPosition.row + 1;
    if (lines.has(line)) continue;
    lines.add(line);
    errors.push({ file, line, column: node.startPosition.column + 1, message: node.isMissing ? missingMessage(node) : unexpectedMessage(node) });
  }
  return errors;
}

function findProblems(node: Node, found: Node[]): Node[] {
  if (node.isError || node.isMissing) {
    found.push(node);
    return found;
  }
  if (!node.hasError) return found;
  for (const child of node.children) findProblems(child, found);
  return found;
}

function missingMessage(node: Node): string {
  const token = CLOSERS[node.type] ?? node.type;
  // The missing closer is reported where the parser gave up, often the end of the file; the
  // line where the unclosed construct starts is what the reader needs.
  let opener: Node | null = node.parent;
  while (opener && !(opener.type in OPENERS)) opener = opener.parent;
  const since = opener ? ` to close the ${OPENERS[opener.type]} that starts on line ${opener.startPosition.row + 1}` : '';
  return `syntax error: missing \`${token}\`${since}`;
}

function unexpectedMessage(node: Node): string {
  const text = node.text.trim();
  if (text.endsWith('=')) return 'syntax error: expected a value after `=`';
  const leaf = firstNonEmptyLeaf(node);
  if (!leaf) return 'syntax error: unexpected input';
  const token = leaf.split('\n')[0]!.slice(0, 40);
  return `syntax error: unexpected \`${token}\``;
}

function firstNonEmptyLeaf(node: Node): string | null {
  if (node.childCount === 0) return node.text.trim() || null;
  for (const child of node.children) {
    const found = firstNonEmptyLeaf(child);
    if (found) return found;
  }
  return null;
}
