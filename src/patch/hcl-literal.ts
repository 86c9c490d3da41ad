// Values of literal HCL expressions, read from the tree-sitter tree: what a block writes when it
// writes a constant. Anything that depends on evaluation (references, functions, templates with
// interpolation, for expressions, conditionals) is reported as not literal.
import type { Node } from 'web-tree-sitter';
import { functionArguments, functionName, objectElementParts, objectElements, tupleElements, unwrapExpression } from './hcl-syntax.js';

export type LiteralResult = { literal: true; value: unknown } | { literal: false; node: Node };

export function evaluateLiteral(node: Node): LiteralResult {
  const inner = unwrapExpression(node);
  switch (inner.type) {
    case 'literal_value':
      return literalValue(inner);
    case 'collection_value':
      return collection(inner);
    case 'template_expr':
      return template(inner);
    case 'operation':
      return operation(inner);
    default:
      return { literal: false, node: inner };
  }
}

function literalValue(node: Node): LiteralResult {
  const child = node.namedChildren[0];
  if (!child) return { literal: false, node };
  switch (child.type) {
    case 'numeric_lit': {
      const value = Number(child.text);
      return Number.isFinite(value) ? { literal: true, value } : { literal: false, node };
    }
    case 'bool_lit':
      return { literal: true, value: child.text === 'true' };
    case 'null_lit':
      return { literal: true, value: null };
    case 'string_lit':
      return { literal: true, value: decodeQuoted(templateText(child)) };
    default:
      return { literal: false, node };
  }
}

function collection(node: Node): LiteralResult {
  const inner = node.namedChildren[0];
  if (!inner) return { literal: false, node };
  if (inner.type === 'tuple') {
    const values: unknown[] = [];
    for (const element of tupleElements(inner)) {
      const result = evaluateLiteral(element);
      if (!result.literal) return result;
      values.push(result.value);
    }
    return { literal: true, value: values };
  }
  if (inner.type === 'object') {
    const out: Record<string, unknown> = {};
    for (const elem of objectElements(inner)) {
      const parts = objectElementParts(elem);
      if (!parts) return { literal: false, node: elem };
      const key = objectKey(parts.key);
      if (key === null) return { literal: false, node: parts.key };
      const result = evaluateLiteral(parts.value);
      if (!result.literal) return result;
      out[key] = result.value;
    }
    return { literal: true, value: out };
  }
  return { literal: false, node };
}

/** An object key written as a bare name or a literal string; null for computed keys. */
export function objectKey(key: Node): string | null {
  const inner = unwrapExpression(key);
  if (inner.type === 'variable_expr' && key.namedChildren.length === 1) return inner.text;
  if (key.namedChildren.length !== 1) return null;
  const result = evaluateLiteral(key);
  if (result.literal && typeof result.value === 'string') return result.value;
  return null;
}

function template(node: Node): LiteralResult {
  const inner = node.namedChildren[0];
  if (!inner) return { literal: false, node };
  if (inner.type === 'quoted_template') {
    const plain = (type: string): boolean => type === 'template_literal' || type === 'escape_sequence' || type.startsWith('quoted_template');
    if (inner.namedChildren.some((child) => !plain(child.type))) {
      return { literal: false, node };
    }
    return { literal: true, value: decodeQuoted(templateText(inner)) };
  }
  if (inner.type === 'heredoc_template') {
    const content = heredocContent(inner);
    return content === null ? { literal: false, node } : { literal: true, value: content };
  }
  return { literal: false, node };
}

function operation(node: Node): LiteralResult {
  const unary = node.namedChildren[0];
  if (unary?.type !== 'unary_operation' || unary.child(0)?.type !== '-') return { literal: false, node };
  const operand = unary.namedChildren[0];
  if (!operand) return { literal: false, node };
  const result = evaluateLiteral(operand);
  if (result.literal && typeof result.value === 'number') return { literal: true, value: -result.value };
  return { literal: false, node };
}

/** The raw text between the quotes. (The grammar leaves leading and trailing spaces out of its
 * template_literal nodes, so the source text is read directly.) */
function templateText(node: Node): string {
  const open = node.namedChildren.find((child) => child.type === 'quoted_template_start');
  const close = node.namedChildren.find((child) => child.type === 'quoted_template_end');
  if (!open || !close) return node.text.slice(1, -1);
  return node.text.slice(open.endIndex - node.startIndex, close.startIndex - node.startIndex);
}

/** A heredoc's string value, or null when it interpolates or has directives. */
export function heredocContent(heredoc: Node): string | null {
  if (heredoc.namedChildren.some((child) => child.type === 'template_interpolation' || child.type === 'template_directive')) {
    return null;
  }
  const layout = heredocLayout(heredoc);
  if (!layout) return null;
  const source = heredoc.tree.rootNode.text;
  let content = source.slice(layout.contentStart, layout.contentEnd);
  if (layout.flush) content = stripCommonIndent(content);
  return unescapeTemplate(content.replace(/\r\n/g, '\n'));
}

export interface HeredocLayout {
  flush: boolean;
  marker: string;
  /** Offsets in the file: the first content character and the start of the closing line. */
  contentStart: number;
  contentEnd: number;
}

export function heredocLayout(heredoc: Node): HeredocLayout | null {
  const start = heredoc.namedChildren.find((child) => child.type === 'heredoc_start');
  const identifiers = heredoc.namedChildren.filter((child) => child.type === 'heredoc_identifier');
  const open = identifiers[0];
  const close = identifiers[identifiers.length - 1];
  if (!start || !open || !close || open.equals(close)) return null;
  const source = heredoc.tree.rootNode.text;
  const newline = source.indexOf('\n', open.endIndex);
  if (newline < 0) return null;
  const contentStart = newline + 1;
  const contentEnd = source.lastIndexOf('\n', close.startIndex - 1) + 1;
  if (contentEnd < contentStart) return null;
  return { flush: start.text === '<<-', marker: open.text, contentStart, contentEnd };
}

function stripCommonIndent(content: string): string {
  const lines = content.split('\n');
  let min = Infinity;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    if (indent < min) min = indent;
  }
  if (!Number.isFinite(min) || min === 0) return content;
  return lines.map((line) => line.slice(Math.min(min, line.length - line.trimStart().length))).join('\n');
}

function unescapeTemplate(text: string): string {
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** The value of a quoted string's body: HCL escapes, then template escapes ($${ and %%{). */
export function decodeQuoted(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i] as string;
    if ((char === '$' || char === '%') && raw[i + 1] === char && raw[i + 2] === '{') {
      out += `${char}{`;
      i += 2;
      continue;
    }
    if (char !== '\\') {
      out += char;
      continue;
    }
    const kind = raw[i + 1];
    i += 1;
    switch (kind) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case 'u':
      case 'U': {
        const length = kind === 'u' ? 4 : 8;
        const code = Number.parseInt(raw.slice(i + 1, i + 1 + length), 16);
        out += Number.isFinite(code) ? String.fromCodePoint(code) : '';
        i += length;
        break;
      }
      default:
        out += `\\${kind ?? ''}`;
    }
  }
  return out;
}

/** For `jsonencode(<literal>)`: the literal argument node and its value. */
export function jsonencodeArgument(node: Node): { argument: Node; value: unknown } | null {
  const inner = unwrapExpression(node);
  if (inner.type !== 'function_call' || functionName(inner) !== 'jsonencode') return null;
  const args = functionArguments(inner);
  if (args.length !== 1) return null;
  const argument = args[0] as Node;
  const result = evaluateLiteral(argument);
  if (!result.literal) return null;
  return { argument, value: result.value };
}

