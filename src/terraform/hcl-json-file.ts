// One configuration file in Terraform's JSON syntax (.tf.json, .tfvars.json). Values are the JSON
// itself (expressions are already "${...}" strings, as hcl2-parser gives them); positions come
// from jsonc-parser's offsets.
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { HclNestedBlock, HclTopBlock, ParsedHclFile } from './hcl-file.js';
import type { HclError } from './types.js';

/** How many labels each top-level block type takes in JSON syntax. */
const LABELS: Record<string, number> = {
  resource: 2,
  data: 2,
  module: 1,
  provider: 1,
  variable: 1,
  output: 1,
  terraform: 0,
  locals: 0,
};

/** Nested blocks of `terraform` whose position matters. */
const NESTED_LABELS: Record<string, number> = { backend: 1, cloud: 0 };

export function parseHclJsonFile(path: string, text: string): ParsedHclFile {
  const lineOf = lineIndex(text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0) return failed(path, syntaxErrors(path, text, errors, lineOf));
  if (!root || root.type !== 'object') {
    return failed(path, [{ file: path, ...lineOf(root?.offset ?? 0), message: 'a Terraform JSON file must hold one JSON object' }]);
  }
  if (/\.tfvars\.json$/.test(path)) {
    return { path, blocks: [], attributes: withoutComments(getNodeValue(root)), errors: [] };
  }
  const blocks: HclTopBlock[] = [];
  for (const property of root.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    const type = keyNode?.value as string;
    const labelCount = LABELS[type];
    if (labelCount === undefined || !valueNode) continue;
    for (const found of collect(valueNode, labelCount, [])) {
      const body = withoutComments(getNodeValue(found.node));
      blocks.push({
        type,
        labels: found.labels,
        ...span(found.node, lineOf),
        attributeNames: Object.keys(body),
        body,
        nested: type === 'terraform' ? nestedBlocks(found.node, lineOf) : [],
      });
    }
  }
  return { path, blocks, attributes: {}, errors: [] };
}

function failed(path: string, errors: HclError[]): ParsedHclFile {
  return { path, blocks: [], attributes: {}, errors };
}

/** Every syntax error, at most one per line: the parser's recovery reports several for one
 * mistake (a trailing comma is "property name expected" and "value expected" at once). */
function syntaxErrors(path: string, text: string, errors: ParseError[], lineOf: (offset: number) => { line: number; column: number }): HclError[] {
  const out: HclError[] = [];
  const lines = new Set<number>();
  for (const error of errors) {
    const comma = trailingComma(text, error);
    const at = lineOf(comma ?? error.offset);
    if (lines.has(at.line)) continue;
    lines.add(at.line);
    const message = comma !== null ? 'JSON syntax error: trailing comma (JSON allows none before `}` or `]`)' : `JSON syntax error: ${describe(error)}`;
    out.push({ file: path, ...at, message });
  }
  return out;
}

/** Offset of the comma when the error is a comma right before a closing `}` or `]`. */
function trailingComma(text: string, error: ParseError): number | null {
  if (text[error.offset] !== '}' && text[error.offset] !== ']') return null;
  let i = error.offset - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return text[i] === ',' ? i : null;
}

function describe(error: ParseError): string {
  return printParseErrorCode(error.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * Walks `{"label": {"label2": body}}` down to the bodies. At every level Terraform also accepts an
 * array of objects, which stands for several of them.
 */
function collect(node: Node, labelsLeft: number, labels: string[]): { node: Node; labels: string[] }[] {
  if (node.type === 'array') return (node.children ?? []).flatMap((child) => collect(child, labelsLeft, labels));
  if (node.type !== 'object') return [];
  if (labelsLeft === 0) return [{ node, labels }];
  const out: { node: Node; labels: string[] }[] = [];
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    const label = keyNode?.value as string;
    if (label === '//' || !valueNode) continue;
    out.push(...collect(valueNode, labelsLeft - 1, [...labels, label]));
  }
  return out;
}

function nestedBlocks(body: Node, lineOf: (offset: number) => { line: number; column: number }): HclNestedBlock[] {
  const nested: HclNestedBlock[] = [];
  for (const property of body.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    const type = keyNode?.value as string;
    const labelCount = NESTED_LABELS[type];
    if (labelCount === undefined || !valueNode) continue;
    for (const found of collect(valueNode, labelCount, [])) nested.push({ type, labels: found.labels, ...span(found.node, lineOf) });
  }
  return nested;
}

/** Lines of a block: from its innermost label (`"web": {`) to its closing brace. */
function span(node: Node, lineOf: (offset: number) => { line: number; column: number }): { startLine: number; endLine: number } {
  const start = node.parent?.type === 'property' ? node.parent.offset : node.offset;
  return { startLine: lineOf(start).line, endLine: lineOf(node.offset + Math.max(node.length - 1, 0)).line };
}

function withoutComments(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const out = { ...(value as Record<string, unknown>) };
  delete out['//'];
  return out;
}

/** offset → 1-based line and column, by binary search over line starts. */
function lineIndex(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  };
}
