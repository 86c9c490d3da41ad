// The `source` of every module call in one file, read cheaply (tree-sitter for native syntax,
// JSON for .tf.json) so that the loader knows which local directories to read next.
import { parse } from 'jsonc-parser';
import type { Node, Parser } from 'web-tree-sitter';

export function moduleSources(path: string, text: string, parser: Parser): string[] {
  return path.endsWith('.json') ? jsonModuleSources(text) : nativeModuleSources(text, parser);
}

/** The word `module` other than in a reference (`module.vpc.id`): a file without one has no
 * module block, and is not parsed. The loader reads whole root modules, on the app's main thread
 * too (which workspaces a push touched), and their large files are all resources. */
const MAYBE_MODULE_BLOCK = /\bmodule\b(?!\s*\.)/;

function nativeModuleSources(text: string, parser: Parser): string[] {
  if (!MAYBE_MODULE_BLOCK.test(text)) return [];
  const tree = parser.parse(text);
  if (!tree) return [];
  try {
    const sources: string[] = [];
    const body = tree.rootNode.namedChildren.find((child) => child.type === 'body');
    for (const block of body?.namedChildren ?? []) {
      if (block.type !== 'block' || block.namedChildren[0]?.text !== 'module') continue;
      const source = sourceAttribute(block);
      if (source !== null) sources.push(source);
    }
    return sources;
  } finally {
    tree.delete();
  }
}

function sourceAttribute(block: Node): string | null {
  const body = block.namedChildren.find((child) => child.type === 'body');
  for (const attribute of body?.namedChildren ?? []) {
    if (attribute.type !== 'attribute' || attribute.namedChildren[0]?.text !== 'source') continue;
    const strings = attribute.descendantsOfType('string_lit');
    const literal = strings[0];
    // Only a plain quoted string: a template or an expression is not a path we can follow.
    if (!literal || literal.descendantsOfType('template_interpolation').length > 0) return null;
    const inner = literal.text.slice(1, -1);
    try {
      return JSON.parse(`"${inner}"`) as string;
    } catch {
      return inner;
    }
  }
  return null;
}

function jsonModuleSources(text: string): string[] {
  const root: unknown = parse(text);
  const modules = root !== null && typeof root === 'object' ? (root as Record<string, unknown>).module : undefined;
  const sources: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (depth === 1) {
      if (typeof record.source === 'string') sources.push(record.source);
      return;
    }
    for (const [name, body] of Object.entries(record)) if (name !== '//') visit(body, depth + 1);
  };
  visit(modules, 0);
  return sources;
}
