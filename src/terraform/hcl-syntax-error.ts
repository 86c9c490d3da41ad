// The first syntax error tree-sitter found in a configuration file, worded for a person:
// "syntax error: unexpected `}`" at the line and column where it happens. hcl2-parser rejects
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

/** The first ERROR or MISSING node of the tree, as an HclError; null when the file parsed. */
export function firstSyntaxError(tree: Tree, file: string): HclError | null {
  const node = findFirstProblem(tree.rootNode);
  if (!node) return null;
  const line = node.startPosition.row + 1;
  const column = node.startPosition.column + 1;
  return { file, line, column, message: node.isMissing ? missingMessage(node) : unexpectedMessage(node) };
}

function findFirstProblem(node: Node): Node | null {
  if (node.isError || node.isMissing) return node;
  if (!node.hasError) return null;
  for (const child of node.children) {
    const found = findFirstProblem(child);
    if (found) return found;
  }
  return null;
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
