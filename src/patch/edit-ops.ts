// The edits themselves: replace a value, insert an attribute, map key, list element or block,
// remove one. Each works on positions from the syntax tree, writes only the lines it must, and
// lets the formatter lay out what it inserts.
import type { Node } from 'web-tree-sitter';
import type { PathStep } from '../terraform/types.js';
import { formatHcl } from './hcl-formatter.js';
import {
  blockEnd,
  blockKeyword,
  blockStart,
  bodyItems,
  attributeName,
  objectElements,
  tupleElements,
} from './hcl-syntax.js';
import { heredocLayout } from './hcl-literal.js';
import { parsePolicyText, renderKey, renderValue } from './render-hcl.js';
import type { Align, WorkingFile, Workspace } from './workspace.js';
import { editText, eolOf, indentationAt, lineStartOf, nextLineStart } from './workspace.js';

/** Lays out generated HCL with the formatter and indents every line after the first by `indent`. */
export function layout(text: string, indent: string, eol: string): string {
  // One line of `name = value` is already laid out the way the formatter would.
  if (!text.includes('\n')) return text;
  const formatted = formatHcl(`${text}\n`).replace(/\n+$/, '');
  return formatted
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : `${indent}${line}`))
    .join(eol);
}

export type EditFailure = string;

/** Replaces an expression with a rendered value (multi-line values are laid out in place). */
export function replaceExpression(ws: Workspace, file: WorkingFile, node: Node, valueText: string): void {
  const eol = eolOf(file.text);
  let text = valueText;
  if (valueText.includes('\n')) {
    const laid = layout(`v = ${valueText}`, indentationAt(file.text, node.startIndex), eol);
    text = laid.slice(laid.indexOf('=') + 2);
  }
  // A multi-line value makes its attribute multi-line (in no run of aligned lines), and the runs
  // inside the value are the formatter's.
  editText(ws, file, node.startIndex, node.endIndex, text, formattedAlign(valueText));
}

/** Rewrites a literal in the form it is written in (plain, heredoc, jsonencode). */
export function rewriteLiteral(
  ws: Workspace,
  file: WorkingFile,
  node: Node,
  form: 'plain' | 'heredoc' | 'jsonencode',
  value: unknown,
  policy: boolean,
): EditFailure | null {
  if (form === 'heredoc') return rewriteHeredoc(ws, file, node, value, policy);
  if (form === 'jsonencode') {
    const document = typeof value === 'string' ? parseJsonText(value) : value;
    if (document === undefined) return 'the value is not JSON, so it cannot be written with jsonencode()';
    const argument = node.descendantsOfType('function_arguments')[0]?.namedChildren[0];
    if (!argument) return 'the jsonencode() call has no argument';
    const text = renderValue(document);
    if (text === null) return 'the document has a value HCL cannot write';
    replaceExpression(ws, file, argument, text);
    return null;
  }
  const text = renderValue(value);
  if (text === null) return 'the value cannot be written in HCL';
  replaceExpression(ws, file, node, text);
  return null;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function rewriteHeredoc(ws: Workspace, file: WorkingFile, node: Node, value: unknown, policy: boolean): EditFailure | null {
  if (typeof value !== 'string') return 'a heredoc can only hold a string';
  const heredoc = node.descendantsOfType('heredoc_template')[0];
  const place = heredoc ? heredocLayout(heredoc) : null;
  if (!place) return 'the heredoc could not be read';
  const old = file.text.slice(place.contentStart, place.contentEnd);
  const eol = eolOf(file.text);
  const indent = minimumIndent(old);
  const document = policy ? parsePolicyText(value) : null;
  let body = document ? JSON.stringify(document, null, 2) : value.replace(/\n$/, '');
  body = body.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  // A plain heredoc keeps leading spaces in its value: indent only where whitespace is free.
  const pad = place.flush || document ? indent : '';
  const lines = body.split('\n').map((line) => (line === '' ? line : `${pad}${line}`));
  if (lines.some((line) => line.trim() === place.marker)) return `the value contains a line that ends the heredoc (${place.marker})`;
  editText(ws, file, place.contentStart, place.contentEnd, `${lines.join(eol)}${eol}`);
  return null;
}

function minimumIndent(text: string): string {
  let best: string | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const indent = line.slice(0, line.length - line.trimStart().length);
    if (best === null || indent.length < best.length) best = indent;
  }
  return best ?? '';
}

/** Removes an attribute, object element, list element or nested block (with the comment lines
 * attached above it and one blank line, so no double blank line is left behind). */
export function removeNode(ws: Workspace, file: WorkingFile, node: Node): void {
  const text = file.text;
  const lineStart = lineStartOf(text, node.startIndex);
  const ownLine = text.slice(lineStart, node.startIndex).trim() === '';
  const after = nextLineStart(text, node.endIndex);
  const rest = text.slice(node.endIndex, after).trim();
  const ownEnd = rest === '' || rest === ',' || /^,?\s*(#|\/\/|\/\*.*\*\/\s*$)/.test(rest);
  if (ownLine && ownEnd) {
    let start = attachedCommentStart(text, lineStart);
    let end = after;
    const previousBlank = start > 0 && isBlankLine(text, lineStartOf(text, start - 1));
    const nextBlank = end < text.length && isBlankLine(text, end);
    const nextClose = /^\s*[}\]]/.test(text.slice(end, nextLineStart(text, end)));
    if (nextBlank && (previousBlank || lineIsOpening(text, start))) end = nextLineStart(text, end);
    else if (previousBlank && (nextBlank || nextClose || end >= text.length)) start = lineStartOf(text, start - 1);
    editText(ws, file, start, end, '');
    return;
  }
  // Inline element of a one-line collection: take a neighbouring comma with it.
  const following = /^\s*,\s*/.exec(text.slice(node.endIndex));
  if (following) {
    editText(ws, file, node.startIndex, node.endIndex + following[0].length, '');
    return;
  }
  const preceding = /,\s*$/.exec(text.slice(lineStart, node.startIndex));
  const start = preceding ? node.startIndex - preceding[0].length : node.startIndex;
  editText(ws, file, start, node.endIndex, '');
}

function attachedCommentStart(text: string, lineStart: number): number {
  let start = lineStart;
  while (start > 0) {
    const previous = lineStartOf(text, start - 1);
    const line = text.slice(previous, start).trim();
    if (!/^(#|\/\/)/.test(line)) break;
    start = previous;
  }
  return start;
}

function lineIsOpening(text: string, lineStart: number): boolean {
  if (lineStart === 0) return true;
  const previous = text.slice(lineStartOf(text, lineStart - 1), lineStart).trim();
  return previous.endsWith('{') || previous.endsWith('[');
}

function isBlankLine(text: string, lineStart: number): boolean {
  return text.slice(lineStart, nextLineStart(text, lineStart)).trim() === '';
}

const META = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle']);
const TAIL = new Set(['tags', 'tags_all', 'lifecycle', 'depends_on', 'provisioner', 'connection', 'timeouts']);

/** Inserts `name = value` (one line) into a block body, at the end of the first run of aligned
 * arguments, so it joins that run's alignment. */
export function insertAttribute(ws: Workspace, file: WorkingFile, block: Node, name: string, valueText: string): EditFailure | null {
  if (valueText.includes('\n') || TAIL.has(name)) return insertMultiline(ws, file, block, `${renderKey(name)} = ${valueText}`, name);
  const eol = eolOf(file.text);
  const items = bodyItems(block);
  if (items.length === 0 || blockIsOneLine(block)) return insertIntoEmpty(ws, file, block, `${renderKey(name)} = ${valueText}`);
  const indent = indentationAt(file.text, (items[0] as Node).startIndex);
  const line = `${indent}${renderKey(name)} = ${valueText}${eol}`;
  const runs = attributeRuns(items);
  const run = runs.find((candidate) => candidate.some((item) => !META.has(attributeName(item))));
  if (run) {
    const last = run[run.length - 1] as Node;
    editText(ws, file, nextLineStart(file.text, last.endIndex), nextLineStart(file.text, last.endIndex), line);
    return null;
  }
  const metaRun = runs[0] && items[0] && runs[0][0]?.equals(items[0]) ? runs[0] : null;
  if (metaRun) {
    const last = metaRun[metaRun.length - 1] as Node;
    insertLines(ws, file, nextLineStart(file.text, last.endIndex), line, true);
    return null;
  }
  insertLines(ws, file, lineStartOf(file.text, (items[0] as Node).startIndex), line, false);
  return null;
}

/** Runs of consecutive one-line attributes. */
function attributeRuns(items: Node[]): Node[][] {
  const runs: Node[][] = [];
  let current: Node[] = [];
  for (const item of items) {
    const single = item.type === 'attribute' && item.startPosition.row === item.endPosition.row;
    const previous = current[current.length - 1];
    if (single && previous && previous.endPosition.row + 1 === item.startPosition.row) {
      current.push(item);
      continue;
    }
    if (current.length > 0) runs.push(current);
    current = single ? [item] : [];
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

/** Inserts a multi-line item (a map attribute or a nested block) as its own paragraph: after the
 * last block of the same name, else before the trailing tags/lifecycle group, else at the end. */
export function insertMultiline(ws: Workspace, file: WorkingFile, block: Node, itemText: string, name: string): EditFailure | null {
  const eol = eolOf(file.text);
  const items = bodyItems(block);
  if (items.length === 0 || blockIsOneLine(block)) return insertIntoEmpty(ws, file, block, itemText);
  const indent = indentationAt(file.text, (items[0] as Node).startIndex);
  const text = `${indent}${layout(itemText, indent, eol)}${eol}`;
  const align = formattedAlign(itemText);
  const sameName = items.filter((item) => itemName(item) === name).pop();
  if (sameName) {
    insertLines(ws, file, nextLineStart(file.text, sameName.endIndex), text, true, align);
    return null;
  }
  let tailStart = items.length;
  while (tailStart > 0 && TAIL.has(itemName(items[tailStart - 1] as Node))) tailStart--;
  if (name === 'tags') {
    // Tags go after everything else but before lifecycle and depends_on.
    while (tailStart < items.length && itemName(items[tailStart] as Node) === 'tags_all') tailStart++;
  }
  const anchor = items[tailStart];
  if (anchor) {
    insertLines(ws, file, attachedCommentStart(file.text, lineStartOf(file.text, anchor.startIndex)), text, true, align);
    return null;
  }
  const last = items[items.length - 1] as Node;
  insertLines(ws, file, nextLineStart(file.text, last.endIndex), text, true, align);
  return null;
}

/** Lines that layout() passed through the formatter need no second pass of their own. */
function formattedAlign(itemText: string): Align {
  return itemText.includes('\n') ? 'outside' : 'all';
}

function itemName(item: Node): string {
  return item.type === 'attribute' ? attributeName(item) : blockKeyword(item);
}

/** Inserts whole lines at a line start, adding blank lines to keep a paragraph separate. */
function insertLines(ws: Workspace, file: WorkingFile, offset: number, lines: string, paragraph: boolean, align: Align = 'all'): void {
  const eol = eolOf(file.text);
  let text = lines;
  if (paragraph) {
    const previousLine = offset > 0 ? file.text.slice(lineStartOf(file.text, offset - 1), offset).trim() : '';
    const nextLine = file.text.slice(offset, nextLineStart(file.text, offset)).trim();
    if (previousLine !== '' && !previousLine.endsWith('{')) text = `${eol}${text}`;
    if (nextLine !== '' && !nextLine.startsWith('}')) text = `${text}${eol}`;
  } else {
    const nextLine = file.text.slice(offset, nextLineStart(file.text, offset)).trim();
    if (nextLine !== '' && !nextLine.startsWith('}') && lines.split('\n').length === 1) text = `${text}${eol}`;
  }
  editText(ws, file, offset, offset, text, align);
}

function blockIsOneLine(block: Node): boolean {
  const open = blockStart(block);
  const close = blockEnd(block);
  return !!open && !!close && open.startPosition.row === close.startPosition.row;
}

/** Inserts into a block with no items (or a one-line block), opening it onto several lines. */
function insertIntoEmpty(ws: Workspace, file: WorkingFile, block: Node, itemText: string): EditFailure | null {
  const open = blockStart(block);
  const close = blockEnd(block);
  if (!open || !close) return 'the block has no braces';
  const eol = eolOf(file.text);
  const outer = indentationAt(file.text, block.startIndex);
  const inner = `${outer}  `;
  if (open.startPosition.row === close.startPosition.row) {
    const existing = file.text.slice(open.endIndex, close.startIndex).trim();
    const lines = existing === '' ? [] : [`${inner}${existing}`];
    lines.push(`${inner}${layout(itemText, inner, eol)}`);
    editText(ws, file, open.endIndex, close.startIndex, `${eol}${lines.join(eol)}${eol}${outer}`);
    return null;
  }
  const closeLine = lineStartOf(file.text, close.startIndex);
  editText(ws, file, closeLine, closeLine, `${inner}${layout(itemText, inner, eol)}${eol}`, formattedAlign(itemText));
  return null;
}

/** Adds `key = value` to an object literal, on its own line when the object spans lines. */
export function insertObjectKey(ws: Workspace, file: WorkingFile, object: Node, key: string, value: unknown): EditFailure | null {
  const valueText = renderValue(value);
  if (valueText === null) return 'the value cannot be written in HCL';
  const close = object.namedChildren.find((child) => child.type === 'object_end');
  const open = object.namedChildren.find((child) => child.type === 'object_start');
  if (!close || !open) return 'the map could not be read';
  const elements = objectElements(object);
  const eol = eolOf(file.text);
  const entry = `${renderKey(key)} = ${valueText}`;
  if (open.startPosition.row !== close.startPosition.row) {
    const first = elements[0];
    const indent = first ? indentationAt(file.text, first.startIndex) : `${indentationAt(file.text, close.startIndex)}  `;
    const commas = elements.length > 0 && elements.every((elem) => /^\s*,/.test(file.text.slice(elem.endIndex)));
    const lineStart = lineStartOf(file.text, close.startIndex);
    if (file.text.slice(lineStart, close.startIndex).trim() !== '') {
      // `}` shares its line with the last element: open a line before it.
      editText(ws, file, close.startIndex, close.startIndex, `${eol}${indent}${layout(entry, indent, eol)}${commas ? ',' : ''}${eol}${indentationAt(file.text, open.startIndex)}`);
      return null;
    }
    editText(ws, file, lineStart, lineStart, `${indent}${layout(entry, indent, eol)}${commas ? ',' : ''}${eol}`);
    return null;
  }
  if (valueText.includes('\n')) return 'a multi-line value cannot go into a one-line map';
  const last = elements[elements.length - 1];
  if (!last) {
    editText(ws, file, open.endIndex, close.startIndex, ` ${entry} `);
    return null;
  }
  const trailing = /^\s*,/.exec(file.text.slice(last.endIndex));
  const at = trailing ? last.endIndex + trailing[0].length : last.endIndex;
  editText(ws, file, at, at, trailing ? ` ${entry},` : `, ${entry}`);
  return null;
}

/** Appends a value to a list literal. */
export function appendListElement(ws: Workspace, file: WorkingFile, tuple: Node, value: unknown): EditFailure | null {
  const valueText = renderValue(value);
  if (valueText === null || valueText.includes('\n')) return 'the value cannot be written as a list element';
  const open = tuple.namedChildren.find((child) => child.type === 'tuple_start');
  const close = tuple.namedChildren.find((child) => child.type === 'tuple_end');
  if (!open || !close) return 'the list could not be read';
  const elements = tupleElements(tuple);
  const last = elements[elements.length - 1];
  const eol = eolOf(file.text);
  if (!last) {
    editText(ws, file, open.endIndex, close.startIndex, valueText);
    return null;
  }
  const trailing = /^\s*,/.exec(file.text.slice(last.endIndex));
  if (open.startPosition.row !== close.startPosition.row) {
    const indent = indentationAt(file.text, last.startIndex);
    const at = nextLineStart(file.text, last.endIndex);
    if (lineStartOf(file.text, close.startIndex) >= at) {
      const prefix = trailing ? '' : ',';
      editText(ws, file, last.endIndex, last.endIndex, `${prefix}`);
      const after = nextLineStart(file.text, last.endIndex + prefix.length);
      editText(ws, file, after, after, `${indent}${valueText}${trailing ? ',' : ''}${eol}`);
      return null;
    }
  }
  const at = trailing ? last.endIndex + trailing[0].length : last.endIndex;
  editText(ws, file, at, at, trailing ? ` ${valueText},` : `, ${valueText}`);
  return null;
}

/** Text for a new item at `steps` below a container: `a = v`, `a = { k = v }`, `a { b = v }`. */
export function itemForSteps(steps: readonly PathStep[], value: unknown): { name: string; text: string; multiline: boolean } | EditFailure {
  const [name, ...rest] = steps;
  if (typeof name !== 'string') return 'the path has an index where a name was expected';
  if (rest.length === 0) {
    const valueText = renderValue(value);
    if (valueText === null) return 'the value cannot be written in HCL';
    return { name, text: `${renderKey(name)} = ${valueText}`, multiline: valueText.includes('\n') };
  }
  const [next, ...deeper] = rest;
  if (typeof next === 'number') {
    if (next !== 0) return `\`${name}\` is not written, so there is no block at index ${next} to add to`;
    if (deeper.length === 0) {
      const body = blockBodyText(value);
      if (body === null) return 'the block cannot be written in HCL';
      return { name, text: `${name} {\n${body}\n}`, multiline: true };
    }
    const inner = itemForSteps(deeper, value);
    if (typeof inner === 'string') return inner;
    return { name, text: `${name} {\n${indentText(inner.text)}\n}`, multiline: true };
  }
  // A map attribute: nest the value under its keys.
  let nested: unknown = value;
  for (let i = rest.length - 1; i >= 0; i--) {
    const key = rest[i];
    if (typeof key !== 'string') return 'a list index inside a map that is not written';
    nested = { [key]: nested };
  }
  const valueText = renderValue(nested);
  if (valueText === null) return 'the value cannot be written in HCL';
  return { name, text: `${renderKey(name)} = ${valueText}`, multiline: true };
}

function blockBodyText(value: unknown): string | null {
  const object = Array.isArray(value) ? value[0] : value;
  if (typeof object !== 'object' || object === null) return null;
  const lines: string[] = [];
  for (const [key, item] of Object.entries(object as Record<string, unknown>)) {
    if (item === null || item === undefined) continue;
    const text = renderValue(item);
    if (text === null) return null;
    lines.push(indentText(`${renderKey(key)} = ${text}`));
  }
  return lines.join('\n');
}

function indentText(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
}

/** Appends top-level text (blocks) at the end of a file, one blank line after what is there. */
export function appendTopLevel(ws: Workspace, file: WorkingFile, text: string): void {
  const eol = file.text === '' ? '\n' : eolOf(file.text);
  const body = layout(text, '', eol);
  let prefix = '';
  if (file.text !== '' && !file.text.endsWith('\n')) prefix = `${eol}${eol}`;
  else if (file.text !== '' && !/\n\s*\n$/.test(file.text)) prefix = eol;
  editText(ws, file, file.text.length, file.text.length, `${prefix}${body}${eol}`, 'none');
}

/** Inserts top-level text right after a top-level block, as its own paragraph. */
export function insertAfterBlock(ws: Workspace, file: WorkingFile, block: Node, text: string): void {
  const eol = eolOf(file.text);
  const body = layout(text, '', eol);
  const at = nextLineStart(file.text, block.endIndex);
  const atEnd = at >= file.text.length;
  const lead = file.text.endsWith('\n') || !atEnd ? '' : eol;
  editText(ws, file, at, at, `${lead}${eol}${body}${eol}`, 'none');
}

/** Replaces a whole top-level block (and its attached comments) with `replacement`, or removes it. */
export function replaceTopLevelBlock(ws: Workspace, file: WorkingFile, block: Node, replacement: string | null): void {
  if (replacement === null) {
    removeNode(ws, file, block);
    return;
  }
  const eol = eolOf(file.text);
  const start = attachedCommentStart(file.text, lineStartOf(file.text, block.startIndex));
  editText(ws, file, start, block.endIndex, layout(replacement, '', eol), 'none');
}
