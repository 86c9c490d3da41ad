// One configuration file in native syntax (.tf, .tfvars): tree-sitter says where each top-level
// block is and whether the file is well formed; hcl2-parser says what the blocks contain.
import type { Node, Parser } from 'web-tree-sitter';
import { syntaxErrors } from './hcl-syntax-error.js';
import { readHclValues } from './hcl-values.js';
import type { HclError } from './types.js';

/** A block nested directly in a top-level block (`backend "s3"` in `terraform`). */
export interface HclNestedBlock {
  type: string;
  labels: string[];
  startLine: number;
  endLine: number;
}

export interface HclTopBlock extends HclNestedBlock {
  /** Names of the attributes written directly in the block, known even when values are not. */
  attributeNames: string[];
  /** Block body as hcl2-parser returns it; {} when its values could not be read. */
  body: Record<string, unknown>;
  nested: HclNestedBlock[];
}

export interface ParsedHclFile {
  path: string;
  blocks: HclTopBlock[];
  /** Top-level attributes (the content of a .tfvars file). */
  attributes: Record<string, unknown>;
  errors: HclError[];
}

/** Parses a native-syntax file. A file with syntax errors yields those errors and nothing else.
 * `values`: what hcl2-parser made of the whole text, when it was read elsewhere (a worker thread);
 * otherwise it is read here. */
export function parseHclFile(path: string, text: string, parser: Parser, values?: Record<string, unknown> | null): ParsedHclFile {
  const tree = parser.parse(text);
  if (!tree) {
    return { path, blocks: [], attributes: {}, errors: [{ file: path, line: 1, column: 1, message: 'the file could not be parsed' }] };
  }
  try {
    const errors = syntaxErrors(tree, path);
    if (errors.length > 0) return { path, blocks: [], attributes: {}, errors };
    const body = tree.rootNode.namedChildren.find((child) => child.type === 'body');
    const nodes = body ? body.namedChildren : [];
    return readValues(path, text, nodes, values === undefined ? readHclValues(text) : values);
  } finally {
    tree.delete();
  }
}

function readValues(path: string, text: string, nodes: Node[], whole: Record<string, unknown> | null): ParsedHclFile {
  const blocks: HclTopBlock[] = [];
  const attributes: Record<string, unknown> = {};
  const errors: HclError[] = [];
  // One hcl2-parser call for the whole file (`whole`); if it refuses the file (syntax newer than
  // its HCL version, such as provider-defined functions), each block is read on its own so that
  // only the block it cannot read loses its values.
  const seen = new Map<string, number>();
  for (const node of nodes) {
    if (node.type === 'attribute') {
      const name = node.namedChildren[0]?.text ?? '';
      const values = whole ?? readHclValues(node.text);
      if (values && name in values) attributes[name] = values[name];
      else if (!whole) errors.push(unreadable(path, node, `attribute \`${name}\``));
      continue;
    }
    if (node.type !== 'block') continue;
    const block = describeBlock(node);
    const key = JSON.stringify([block.type, ...block.labels]);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    let found = whole ? pickBlock(whole, block.type, block.labels, occurrence) : undefined;
    if (!whole) {
      const alone = readHclValues(node.text);
      found = alone ? pickBlock(alone, block.type, block.labels, 0) : undefined;
      if (!found) errors.push(unreadable(path, node, blockTitle(block)));
    }
    blocks.push({ ...block, body: found ?? {} });
  }
  return { path, blocks, attributes, errors };
}

function unreadable(path: string, node: Node, what: string): HclError {
  return {
    file: path,
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    message:
      `cannot read the values of ${what}: it is invalid HCL or uses syntax driftwatch cannot evaluate ` +
      '(such as provider-defined functions); `terraform validate` shows the exact problem',
  };
}

function blockTitle(block: HclNestedBlock): string {
  return `\`${[block.type, ...block.labels.map((label) => JSON.stringify(label))].join(' ')}\``;
}

/** hcl2-parser nests labelled blocks by label and gives each (type, labels) an array of bodies. */
function pickBlock(values: Record<string, unknown>, type: string, labels: string[], occurrence: number): Record<string, unknown> | undefined {
  let current: unknown = values[type];
  for (const label of labels) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[label];
  }
  const body = Array.isArray(current) ? current[occurrence] : undefined;
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

function describeBlock(node: Node): Omit<HclTopBlock, 'body'> {
  const { type, labels } = blockHeader(node);
  const attributeNames: string[] = [];
  const nested: HclNestedBlock[] = [];
  const body = node.namedChildren.find((child) => child.type === 'body');
  for (const child of body?.namedChildren ?? []) {
    if (child.type === 'attribute') attributeNames.push(child.namedChildren[0]?.text ?? '');
    else if (child.type === 'block') nested.push({ ...blockHeader(child), ...lines(child) });
  }
  return { type, labels, ...lines(node), attributeNames, nested };
}

function blockHeader(node: Node): { type: string; labels: string[] } {
  const [first, ...rest] = node.namedChildren;
  const labels: string[] = [];
  for (const child of rest) {
    if (child.type === 'string_lit') labels.push(unquoteLabel(child.text));
    else if (child.type === 'identifier') labels.push(child.text);
    else break;
  }
  return { type: first?.text ?? '', labels };
}

function lines(node: Node): { startLine: number; endLine: number } {
  return { startLine: node.startPosition.row + 1, endLine: node.endPosition.row + 1 };
}

function unquoteLabel(text: string): string {
  const inner = text.slice(1, -1);
  if (!inner.includes('\\')) return inner;
  try {
    return JSON.parse(`"${inner}"`) as string;
  } catch {
    return inner;
  }
}
