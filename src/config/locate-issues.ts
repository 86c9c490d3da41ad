// Where a configuration problem is written: which file and which line. The configuration may be
// merged from several files (the repository's own, then what it `_extends`), so the file that
// wrote a field is found the way the merge combined them (Probot's context.config: deepmerge,
// later files win, lists are concatenated), then the line is read from that file's YAML.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { fieldName, type ConfigIssue } from './zod-issues.js';

/** A problem as a check run, an annotation or the CLI shows it. */
export interface ConfigProblem {
  /** The file that defines the field: ".github/driftwatch.yml", or "acme/.github:.github/driftwatch.yml"
   * for a file of another repository. */
  file: string;
  /** 1-based; null when the file's text could not be had. */
  line: number | null;
  /** `workspaces[1].schedule`; null for the whole file. */
  field: string | null;
  message: string;
}

export interface ConfigText {
  file: string;
  /** The YAML text, or null when it could not be read (the problem then has no line). */
  text: string | null;
}

type Step = string | number;

interface ParsedText {
  file: string;
  doc: Document.Parsed | null;
  lines: LineCounter;
  value: unknown;
}

/** `texts` in merge order: the base first, the file that extends it after, the repository's own
 * file last (its values win). */
export function locateIssues(texts: readonly ConfigText[], issues: readonly ConfigIssue[]): ConfigProblem[] {
  const parsed = texts.map((text): ParsedText => {
    const lines = new LineCounter();
    if (text.text === null) return { file: text.file, doc: null, lines, value: undefined };
    const doc = parseDocument(text.text, { lineCounter: lines });
    return { file: text.file, doc, lines, value: doc.errors.length > 0 ? undefined : doc.toJS() };
  });
  return issues.map((issue) => {
    const field = issue.path.length > 0 ? fieldName(issue.path) : null;
    const owner = ownerOf(parsed, issue.path);
    if (!owner) return { file: parsed.at(-1)?.file ?? '.github/driftwatch.yml', line: null, field, message: issue.message };
    const source = parsed[owner.index]!;
    return { file: source.file, line: source.doc ? lineOf(source.doc, source.lines, owner.path) : null, field, message: issue.message };
  });
}

/** One line per problem: "file:line field: message". */
export function describeProblems(problems: readonly ConfigProblem[]): string {
  return problems
    .map((problem) => `${problem.file}${problem.line === null ? '' : `:${problem.line}`} ${problem.field ?? '(whole file)'}: ${problem.message}`)
    .join('\n');
}

interface Candidate {
  index: number;
  value: unknown;
  path: Step[];
}

/** The file (and the path within it) that wrote `path` of the merged configuration; when the
 * path does not exist (a required field left out), the deepest part of it that does. */
function ownerOf(texts: readonly ParsedText[], path: readonly Step[]): { index: number; path: Step[] } | null {
  let candidates: Candidate[] = texts.map((text, index) => ({ index, value: text.value, path: [] }));
  candidates = candidates.filter((candidate) => isRecord(candidate.value));
  if (candidates.length === 0) return texts.length > 0 ? { index: texts.length - 1, path: [] } : null;
  for (const step of path) {
    const next = typeof step === 'number' ? concatenatedItem(candidates, step) : mergedKey(candidates, step);
    if (next.length === 0) break;
    candidates = next;
  }
  const last = candidates.at(-1)!;
  return { index: last.index, path: last.path };
}

/** Lists of every file are concatenated in merge order: find the file holding item `index`. */
function concatenatedItem(candidates: Candidate[], index: number): Candidate[] {
  let offset = index;
  for (const candidate of candidates) {
    if (!Array.isArray(candidate.value)) continue;
    if (offset < candidate.value.length) return [{ index: candidate.index, value: candidate.value[offset], path: [...candidate.path, offset] }];
    offset -= candidate.value.length;
  }
  return [];
}

/** A key of merged maps: a later value that cannot merge with the earlier ones replaces them;
 * maps merge, and lists concatenate, with the run of their own kind before them. */
function mergedKey(candidates: Candidate[], key: string): Candidate[] {
  const withKey = candidates.filter((candidate) => isRecord(candidate.value) && Object.hasOwn(candidate.value, key));
  if (withKey.length === 0) return [];
  const valueOf = (candidate: Candidate) => (candidate.value as Record<string, unknown>)[key];
  const kind = (value: unknown) => (Array.isArray(value) ? 'list' : isRecord(value) ? 'map' : 'scalar');
  const lastKind = kind(valueOf(withKey.at(-1)!));
  let start = withKey.length - 1;
  if (lastKind !== 'scalar') while (start > 0 && kind(valueOf(withKey[start - 1]!)) === lastKind) start--;
  return withKey.slice(start).map((candidate) => ({ index: candidate.index, value: valueOf(candidate), path: [...candidate.path, key] }));
}

function lineOf(doc: Document.Parsed, lines: LineCounter, path: readonly Step[]): number {
  let node: unknown = doc.contents;
  let line = startLine(node, lines) ?? 1;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(step));
      if (!pair) break;
      line = startLine(pair.key, lines) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step];
      if (item === undefined) break;
      line = startLine(item, lines) ?? line;
      node = item;
    } else {
      break;
    }
  }
  return line;
}

function startLine(node: unknown, lines: LineCounter): number | null {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? lines.linePos(range[0]).line : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
