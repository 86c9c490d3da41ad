// State-shaped JSON values written as HCL expressions. Layout is plain (two-space nesting, one
// item per line); alignment is left to the HCL formatter.

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(['true', 'false', 'null', 'for', 'in', 'if', 'endif', 'endfor', 'else']);
const SINGLE_LINE_LIMIT = 100;

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/**
 * A quoted HCL string for any text. Template introducers are escaped the HCL way (`$${`, `%%{`);
 * a `$` or `%` followed by the same character is written as a \u escape, so that no run such as
 * `$$${` is left for parsers to read differently (tree-sitter's grammar and HCL disagree there).
 */
export function quoteString(value: string): string {
  let out = '"';
  const chars = [...value];
  chars.forEach((char, i) => {
    const next = chars[i + 1];
    switch (char) {
      case '"':
        out += '\\"';
        return;
      case '\\':
        out += '\\\\';
        return;
      case '\n':
        out += '\\n';
        return;
      case '\r':
        out += '\\r';
        return;
      case '\t':
        out += '\\t';
        return;
      case '$':
      case '%':
        if (next === '{') out += char + char;
        else if (next === char) out += char === '$' ? '\\u0024' : '\\u0025';
        else out += char;
        return;
      default: {
        if (PRINTABLE.test(char)) {
          out += char;
          return;
        }
        const code = char.codePointAt(0) ?? 0;
        out += code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
      }
    }
  });
  return `${out}"`;
}

/** The value as an HCL expression, or null when HCL cannot write it (NaN, functions...). */
export function renderValue(value: unknown): string | null {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quoteString(value);
    case 'number':
      return Number.isFinite(value) ? renderNumber(value) : null;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return Array.isArray(value) ? renderList(value) : renderObject(value as Record<string, unknown>);
    default:
      return null;
  }
}

/** JavaScript's shortest form, with a fraction before any exponent ("1.0e-7"): tree-sitter's
 * grammar reads an exponent only after a decimal point. */
function renderNumber(value: number): string {
  const text = String(value);
  return /e/.test(text) && !text.includes('.') ? text.replace('e', '.0e') : text;
}

export function renderKey(key: string): string {
  return BARE_KEY.test(key) && !RESERVED.has(key) ? key : quoteString(key);
}

function renderList(list: unknown[]): string | null {
  const items: string[] = [];
  for (const item of list) {
    const text = renderValue(item);
    if (text === null) return null;
    items.push(text);
  }
  if (items.length === 0) return '[]';
  const single = `[${items.join(', ')}]`;
  if (!single.includes('\n') && single.length <= SINGLE_LINE_LIMIT && list.every((item) => typeof item !== 'object' || item === null)) {
    return single;
  }
  return `[\n${items.map((item) => `${indent(item)},`).join('\n')}\n]`;
}

function renderObject(object: Record<string, unknown>): string | null {
  const lines: string[] = [];
  for (const [key, item] of Object.entries(object)) {
    if (item === undefined) continue;
    const text = renderValue(item);
    if (text === null) return null;
    lines.push(indent(`${renderKey(key)} = ${text}`));
  }
  if (lines.length === 0) return '{}';
  return `{\n${lines.join('\n')}\n}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
}

/** A policy document given as JSON text, parsed; null when the text is not a JSON object. */
export function parsePolicyText(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'string') return null;
  let text = value.trim();
  // IAM returns documents URL-encoded.
  if (/^%7B/i.test(text)) {
    try {
      text = decodeURIComponent(text).trim();
    } catch {
      return null;
    }
  }
  if (!text.startsWith('{')) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** `jsonencode({...})` for a JSON policy text, the way current Terraform code writes policies. */
export function renderJsonencode(document: Record<string, unknown>): string | null {
  const body = renderValue(document);
  return body === null ? null : `jsonencode(${body})`;
}

/** `name = value` or `name { ... }` lines for a generated block body. */
export function renderBlock(header: string, attributes: [string, string][], blocks: string[] = [], separate = true): string {
  const lines: string[] = [`${header} {`];
  for (const [name, value] of attributes) lines.push(indent(`${name} = ${value}`));
  for (const block of blocks) {
    if (lines.length > 1 && separate) lines.push('');
    lines.push(indent(block));
  }
  lines.push('}');
  return lines.join('\n');
}
