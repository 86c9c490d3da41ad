// Re-alignment after an edit, the way `terraform fmt` would do it, touching only the lines whose
// alignment the edit changed.
//
// `terraform fmt` aligns the `=` of consecutive lines that each hold a whole `name = value` (a
// heredoc counts as one line; a blank line, a comment line, a nested block or a multi-line value
// ends the run), and the trailing comments of consecutive lines. A run ("window") is formatted
// twice by the real formatter: as it was before the edit and as it is after. A line that is
// formatted the same way both times keeps its original bytes, even if it was never fmt-clean;
// a line whose formatting depends on the edit takes the formatter's output.
import type { Node, Tree } from 'web-tree-sitter';
import { formatHcl } from './hcl-formatter.js';

export interface Snapshot {
  text: string;
  tree: Tree;
}

/** Rows [beforeStart, beforeEnd) of the old text became rows [afterStart, afterEnd) of the new. */
export interface RowChange {
  beforeStart: number;
  beforeEnd: number;
  afterStart: number;
  afterEnd: number;
}

interface Window {
  /** Rows that start an item, in order. */
  rows: number[];
  /** Every row the window's items cover (heredoc bodies included), first to last. */
  firstRow: number;
  lastRow: number;
}

/** The text after the edit with the alignment of the windows around the change redone.
 * `insertedFormatted`: the changed rows are the formatter's output, so a window made only of them
 * is left as it is. */
export function realign(before: Snapshot, after: Snapshot, change: RowChange, insertedFormatted = false): string {
  const afterLines = after.text.split('\n');
  const beforeLines = before.text.split('\n');
  const candidates = new Map<number, Window>();
  for (let row = change.afterStart - 1; row <= change.afterEnd; row++) {
    const window = windowAt(after.tree, afterLines, row);
    if (!window) continue;
    if (insertedFormatted && window.firstRow >= change.afterStart && window.lastRow < change.afterEnd) continue;
    candidates.set(window.firstRow, window);
  }
  if (candidates.size === 0) return after.text;

  const mapRow = (row: number): number =>
    row < change.afterStart ? row : row - (change.afterEnd - change.afterStart) + (change.beforeEnd - change.beforeStart);
  const changed = (row: number): boolean => row >= change.afterStart && row < change.afterEnd;

  // Pair every window after the edit with the windows its unchanged rows were in before.
  const jobs: { window: Window; lines: string[] }[] = [];
  const beforeWindows = new Map<number, Window>();
  const beforeWindowOf = new Map<number, Window>();
  for (const window of candidates.values()) {
    jobs.push({ window, lines: windowText(afterLines, window) });
    for (const row of window.rows) {
      if (changed(row)) continue;
      const old = mapRow(row);
      const found = windowAt(before.tree, beforeLines, old);
      if (!found) continue;
      // One object per window, so its formatted text is found from any of its rows.
      const previous = beforeWindows.get(found.firstRow) ?? found;
      beforeWindowOf.set(old, previous);
      beforeWindows.set(previous.firstRow, previous);
    }
  }
  const oldJobs = [...beforeWindows.values()].map((window) => ({ window, lines: windowText(beforeLines, window) }));

  if (!needsFormatter(jobs, oldJobs)) return after.text;

  const all = [...jobs, ...oldJobs];
  const input = all.map((job) => job.lines.join('\n')).join('\n\n');
  const output = formatHcl(`${input}\n`).replace(/\n$/, '').split('\n');
  const expected = all.reduce((sum, job) => sum + job.lines.length, 0) + all.length - 1;
  // hclwrite never adds or removes lines; if it did, give up on alignment rather than guess.
  if (output.length !== expected) return after.text;
  const formatted = new Map<Window, string[]>();
  let cursor = 0;
  for (const job of all) {
    formatted.set(job.window, output.slice(cursor, cursor + job.lines.length));
    cursor += job.lines.length + 1;
  }

  const result = [...afterLines];
  for (const job of jobs) {
    const newLines = formatted.get(job.window) ?? [];
    for (const row of job.window.rows) {
      const offset = row - job.window.firstRow;
      const fresh = newLines[offset];
      if (fresh === undefined) continue;
      if (!changed(row)) {
        const old = mapRow(row);
        const previous = beforeWindowOf.get(old);
        if (!previous) continue;
        const oldFormatted = formatted.get(previous)?.[old - previous.firstRow];
        if (oldFormatted === fresh) continue;
      }
      const line = afterLines[row] ?? '';
      const carriage = line.endsWith('\r') ? '\r' : '';
      result[row] = `${leadingSpace(line)}${fresh.trimStart()}${carriage}`;
    }
  }
  return result.join('\n');
}

function needsFormatter(jobs: { window: Window; lines: string[] }[], oldJobs: { window: Window; lines: string[] }[]): boolean {
  // A value replaced in a window without trailing comments changes no alignment: the `=` column
  // depends only on the names, so the formatter is needed only when the names or comments move.
  // Only the rows that start an item count: a heredoc's body is not HCL.
  const starts = (job: { window: Window; lines: string[] }): string[] => job.window.rows.map((row) => job.lines[row - job.window.firstRow] ?? '');
  const hasComment = (lines: string[]): boolean => lines.some((line) => /#|\/\/|\/\*/.test(line));
  if (jobs.some((job) => hasComment(starts(job))) || oldJobs.some((job) => hasComment(starts(job)))) return true;
  const key = (lines: string[]): string =>
    lines.map((line) => line.slice(0, line.indexOf('=') + 1).replace(/\s+/g, ' ')).join('\n');
  const oldKeys = new Set(oldJobs.map((job) => key(starts(job))));
  return !jobs.every((job) => oldKeys.has(key(starts(job))));
}

function windowText(lines: string[], window: Window): string[] {
  const out: string[] = [];
  const starts = new Set(window.rows);
  for (let row = window.firstRow; row <= window.lastRow; row++) {
    const line = (lines[row] ?? '').replace(/\r$/, '');
    out.push(starts.has(row) ? line.trimStart() : line);
  }
  return out;
}

function leadingSpace(line: string): string {
  return line.slice(0, line.length - line.trimStart().length);
}

const ITEM_TYPES = new Set(['attribute', 'object_elem']);

/** The run of aligned items that contains the item starting on `row`, if any. */
export function windowAt(tree: Tree, lines: string[], row: number): Window | null {
  if (row < 0 || row >= lines.length) return null;
  const line = lines[row] ?? '';
  const column = line.length - line.trimStart().length;
  if (column === line.length) return null;
  let node: Node | null = tree.rootNode.descendantForPosition({ row, column });
  while (node && !(ITEM_TYPES.has(node.type) && node.startPosition.row === row && node.startPosition.column === column)) {
    if (node.startPosition.row !== row) return null;
    node = node.parent;
  }
  if (!node || !isChainItem(node, lines)) return null;
  const parent = node.parent;
  if (!parent) return null;
  const siblings = parent.namedChildren.filter((child) => child.type === node.type);
  const index = siblings.findIndex((child) => child.equals(node));
  let first = index;
  while (first > 0) {
    const previous = siblings[first - 1] as Node;
    const current = siblings[first] as Node;
    if (previous.endPosition.row + 1 !== current.startPosition.row || !isChainItem(previous, lines)) break;
    first--;
  }
  let last = index;
  while (last < siblings.length - 1) {
    const next = siblings[last + 1] as Node;
    const current = siblings[last] as Node;
    if (current.endPosition.row + 1 !== next.startPosition.row || !isChainItem(next, lines)) break;
    last++;
  }
  const items = siblings.slice(first, last + 1);
  return {
    rows: items.map((item) => item.startPosition.row),
    firstRow: (items[0] as Node).startPosition.row,
    lastRow: (items[items.length - 1] as Node).endPosition.row,
  };
}

/** One whole `name = value` on its own line(s): single-line, or a value that is a heredoc. */
function isChainItem(item: Node, lines: string[]): boolean {
  const row = item.startPosition.row;
  const line = lines[row] ?? '';
  if (item.startPosition.column !== line.length - line.trimStart().length) return false;
  const endLine = lines[item.endPosition.row] ?? '';
  const rest = endLine.slice(item.endPosition.column).replace(/\r$/, '').trim();
  if (rest !== '' && rest !== ',' && !/^,?\s*(#|\/\/|\/\*)/.test(rest)) return false;
  if (item.endPosition.row === row) return true;
  return isHeredocValue(item);
}

function isHeredocValue(item: Node): boolean {
  const value = item.namedChildren.filter((child) => child.type === 'expression').pop();
  if (!value || value.childCount !== 1) return false;
  const template = value.namedChildren[0];
  return template?.type === 'template_expr' && template.namedChildren[0]?.type === 'heredoc_template';
}
