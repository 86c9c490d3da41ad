// The files one drift's patch works on: texts, their syntax trees, and edits that keep both in
// step (every edit re-parses, and re-aligns the lines around it).
import type { Parser, Tree } from 'web-tree-sitter';
import { Edit } from 'web-tree-sitter';
import { realign } from './realign.js';

export interface WorkingFile {
  path: string;
  /** Text when the workspace was opened. */
  start: string;
  text: string;
  /** False for a file this patch creates. */
  existed: boolean;
  tree: Tree | null;
  /** Trees from the shared cache are parsed once for every drift and must not be deleted here. */
  ownsTree: boolean;
  /** Row changes of each edit, in order, to map rows back to the text the workspace started from. */
  rowEdits: { start: number; removed: number; added: number }[];
}

/** Syntax trees of whole texts, shared by every drift of one buildPatchSet call. */
export interface TreeCache {
  parser: Parser;
  trees: Map<string, Tree>;
}

export interface Workspace {
  cache: TreeCache;
  /** Texts the workspace starts from, by path (absent paths are files that do not exist). */
  texts: ReadonlyMap<string, string>;
  files: Map<string, WorkingFile>;
}

export function openWorkspace(cache: TreeCache, texts: ReadonlyMap<string, string>): Workspace {
  return { cache, texts, files: new Map() };
}

export function parseText(parser: Parser, text: string): Tree {
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

export function cachedTree(cache: TreeCache, text: string): Tree {
  let tree = cache.trees.get(text);
  if (!tree) {
    tree = parseText(cache.parser, text);
    cache.trees.set(text, tree);
  }
  return tree;
}

export function disposeTreeCache(cache: TreeCache): void {
  for (const tree of cache.trees.values()) tree.delete();
  cache.trees.clear();
}

/** The working copy of a file, or null when it does not exist (and was not created). */
export function fileAt(ws: Workspace, path: string): WorkingFile | null {
  const open = ws.files.get(path);
  if (open) return open;
  const text = ws.texts.get(path);
  if (text === undefined) return null;
  const file: WorkingFile = { path, start: text, text, existed: true, tree: null, ownsTree: false, rowEdits: [] };
  ws.files.set(path, file);
  return file;
}

export function createFile(ws: Workspace, path: string): WorkingFile {
  const existing = fileAt(ws, path);
  if (existing) return existing;
  const file: WorkingFile = { path, start: '', text: '', existed: false, tree: null, ownsTree: false, rowEdits: [] };
  ws.files.set(path, file);
  return file;
}

export function treeOf(ws: Workspace, file: WorkingFile): Tree {
  if (!file.tree) {
    file.tree = cachedTree(ws.cache, file.text);
    file.ownsTree = false;
  }
  return file.tree;
}

export function closeWorkspace(ws: Workspace): void {
  for (const file of ws.files.values()) {
    if (file.ownsTree) file.tree?.delete();
    file.tree = null;
  }
}

/** Line break style of a text: CRLF files get CRLF in inserted lines. */
export function eolOf(text: string): string {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

/** How editText re-aligns: every run of aligned lines the edit touches; only the runs that reach
 * outside the inserted lines (they are formatter output already, and formatting is idempotent);
 * or nothing (the caller laid out whole blocks). */
export type Align = 'all' | 'outside' | 'none';

/** Replaces [start, end) with `insert`, re-parses, and re-aligns the lines around the edit. */
export function editText(ws: Workspace, file: WorkingFile, start: number, end: number, insert: string, align: Align = 'all'): void {
  const before = file.text;
  const beforeTree = treeOf(ws, file);
  const after = before.slice(0, start) + insert + before.slice(end);
  let afterTree = reparse(ws.cache.parser, beforeTree, before, after);
  let finalText = after;
  if (align !== 'none' && !alignmentUnchanged(before, start, end, insert)) {
    finalText = realign({ text: before, tree: beforeTree }, { text: after, tree: afterTree }, rowChange(before, start, end, insert), align === 'outside');
    if (finalText !== after) {
      const aligned = reparse(ws.cache.parser, afterTree, after, finalText);
      afterTree.delete();
      afterTree = aligned;
    }
  }
  if (file.ownsTree) beforeTree.delete();
  const rows = rowChange(before, start, end, insert);
  file.rowEdits.push({ start: rows.beforeStart, removed: rows.beforeEnd - rows.beforeStart, added: rows.afterEnd - rows.afterStart });
  file.text = finalText;
  file.tree = afterTree;
  file.ownsTree = true;
}

/** The row in the starting text that a row of the current text comes from (rows an edit
 * added map to where the edit is). */
export function originalRow(file: WorkingFile, row: number): number {
  let current = row;
  for (let i = file.rowEdits.length - 1; i >= 0; i--) {
    const edit = file.rowEdits[i] as { start: number; removed: number; added: number };
    if (current >= edit.start + edit.added) current = current - edit.added + edit.removed;
    else if (current >= edit.start) current = edit.start;
  }
  return current;
}

/** The row of the current text that a row of the starting text has moved to. */
export function currentRow(file: WorkingFile, row: number): number {
  let current = row;
  for (const edit of file.rowEdits) {
    if (current >= edit.start + edit.removed) current = current + edit.added - edit.removed;
    else if (current >= edit.start) current = edit.start;
  }
  return current;
}

/** A value replaced inside one line, with the text up to `=` unchanged: `terraform fmt` would
 * align nothing differently when the line has no comment (the `=` column depends on names, and a
 * line without a trailing comment is in no comment column), nor when the line keeps its length
 * (so a trailing comment's column is the same; ASCII only, so length means width). */
function alignmentUnchanged(text: string, start: number, end: number, insert: string): boolean {
  if (insert.includes('\n')) return false;
  const lineStart = lineStartOf(text, start);
  const lineEnd = text.indexOf('\n', start);
  const stop = lineEnd < 0 ? text.length : lineEnd;
  if (end > stop) return false;
  const line = text.slice(lineStart, stop);
  const equals = line.indexOf('=');
  if (equals < 0 || lineStart + equals >= start) return false;
  const edited = line.slice(0, start - lineStart) + insert + line.slice(end - lineStart);
  if (!COMMENT.test(line) && !COMMENT.test(edited)) return true;
  const replaced = text.slice(start, end);
  return insert.length === replaced.length && ASCII.test(insert + replaced) && !COMMENT.test(insert + replaced);
}

const COMMENT = /#|\/\/|\/\*/;
const ASCII = /^[\x20-\x7e]*$/;

/** Parses `newText` reusing the tree of `oldText` (tree-sitter's incremental parsing): the two
 * texts differ in one range, found from their common head and tail. */
export function reparse(parser: Parser, oldTree: Tree, oldText: string, newText: string): Tree {
  const shortest = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < shortest && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let oldEnd = oldText.length;
  let newEnd = newText.length;
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return reparseEdits(parser, oldTree, oldText, [{ start, end: oldEnd, insert: newText.slice(start, newEnd) }]);
}

/** Text [start, end) replaced by `insert`. */
export interface TextEdit {
  start: number;
  end: number;
  insert: string;
}

/** `text` with the edits applied. They must not overlap and come last first (descending
 * `start`), so each one's offsets are the same in `text` and in the text it applies to. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  let limit = text.length;
  for (const edit of edits) {
    if (edit.start > edit.end || edit.end > limit) throw new Error('text edits overlap or are out of order');
    result = result.slice(0, edit.start) + edit.insert + result.slice(edit.end);
    limit = edit.start;
  }
  return result;
}

/** Parses applyEdits(oldText, edits) reusing the tree of `oldText`, one tree edit per text edit:
 * far-apart changes (a tag near the top, an import at the end) leave everything between them to
 * be reused, which a single range from the first change to the last would not. */
export function reparseEdits(parser: Parser, oldTree: Tree, oldText: string, edits: readonly TextEdit[]): Tree {
  const newText = applyEdits(oldText, edits);
  const copy = oldTree.copy();
  for (const edit of edits) {
    const startPosition = pointAt(oldText, edit.start);
    copy.edit(
      new Edit({
        startIndex: edit.start,
        oldEndIndex: edit.end,
        newEndIndex: edit.start + edit.insert.length,
        startPosition,
        oldEndPosition: pointAt(oldText, edit.end),
        newEndPosition: advance(startPosition, edit.insert),
      }),
    );
  }
  const tree = parser.parse(newText, copy);
  copy.delete();
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** Where a point ends up after `text` is inserted at it. */
function advance(point: { row: number; column: number }, text: string): { row: number; column: number } {
  const rows = countNewlines(text, 0, text.length);
  if (rows === 0) return { row: point.row, column: point.column + text.length };
  return { row: point.row + rows, column: text.length - text.lastIndexOf('\n') - 1 };
}

function pointAt(text: string, index: number): { row: number; column: number } {
  const row = countNewlines(text, 0, index);
  return { row, column: index - lineStartOf(text, index) };
}

function rowChange(before: string, start: number, end: number, insert: string) {
  const beforeStart = countNewlines(before, 0, start);
  const atLineStart = (index: number): boolean => index === 0 || before[index - 1] === '\n';
  const insertedRows = countNewlines(insert, 0, insert.length);
  const wholeLines = atLineStart(start) && atLineStart(end) && (insert === '' || insert.endsWith('\n'));
  if (wholeLines) {
    return {
      beforeStart,
      beforeEnd: beforeStart + countNewlines(before, start, end),
      afterStart: beforeStart,
      afterEnd: beforeStart + insertedRows,
    };
  }
  return {
    beforeStart,
    beforeEnd: beforeStart + countNewlines(before, start, end) + 1,
    afterStart: beforeStart,
    afterEnd: beforeStart + insertedRows + 1,
  };
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Offset of the start of the line that holds `index`. */
export function lineStartOf(text: string, index: number): number {
  return text.lastIndexOf('\n', index - 1) + 1;
}

/** Offset just after the newline that ends the line holding `index` (or the text's end). */
export function nextLineStart(text: string, index: number): number {
  const newline = text.indexOf('\n', index);
  return newline < 0 ? text.length : newline + 1;
}

export function indentationAt(text: string, index: number): string {
  const start = lineStartOf(text, index);
  let end = start;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(start, end);
}
