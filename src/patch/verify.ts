// The safety net: a patched file must parse again (tree-sitter over the whole file, hcl2-parser
// over everything the patch changed) and every edited value must read back, through
// hcl2-parser, as the value the patch meant to write.
//
// hcl2-parser is slow (4 to 7 ms per kilobyte of HCL, plus a millisecond per call), so
// verification runs in two steps: prepareVerification collects, per drift, the changed items
// (attributes, nested blocks, new top-level blocks) and where each claim reads its value;
// runVerifications then parses the items of a whole batch of drifts in one call, through a reader
// that may run in another thread. The untouched rest of a file is byte-for-byte what the HCL model
// already parsed.
import type { Node, Tree } from 'web-tree-sitter';
import type { PathStep } from '../terraform/types.js';
import { diffLines, splitLines } from './unified-diff.js';
import type { Hcl2Body, Hcl2Reader } from './hcl2-parse.js';
import { blockBody, topLevelBlocks } from './hcl-syntax.js';
import { describeValue, NOT_NFC, readPath, sameWritten } from './values.js';
import type { Workspace } from './workspace.js';
import { treeOf } from './workspace.js';

/** Where to read a written value back: from the parse of an expression (`v = <expression>`)
 * or of a block, at `path` inside it. */
export type Probe = { expression: Node; path: PathStep[] } | { block: Node; path: PathStep[] };

export interface Claim {
  file: string;
  /** What the claim is about, for the reason of a drop ("`tags.Env`"). */
  what: string;
  /** Finds the value in the patched tree: a probe, 'absent' when nothing is written there,
   * 'held' when the tree alone shows the claim holds (the very text that was there before), or a
   * reason why the place could not be found. */
  probe(tree: Tree): Probe | 'absent' | 'held' | { failure: string };
  /** null/undefined: the value must be absent (or written as null). */
  expected: unknown;
  policy: boolean;
  /** Replaces the equality check: null when the value read back is right, else what is wrong. */
  check?: (value: unknown) => string | null;
}

/** One drift's verification, ready to run: snippets to parse and what to read from them. */
export interface PendingVerification {
  /** Found without hcl2-parser (a tree-sitter error, a claim whose place is gone). */
  failure: string | null;
  snippets: { text: string; where: string }[];
  checks: { claim: Claim; snippet: number; path: PathStep[] }[];
}

export function prepareVerification(ws: Workspace, claims: readonly Claim[]): PendingVerification {
  const pending: PendingVerification = { failure: null, snippets: [], checks: [] };
  const known = new Map<string, number>();
  const add = (text: string, where: string): number => {
    const index = known.get(text);
    if (index !== undefined) return index;
    pending.snippets.push({ text, where });
    known.set(text, pending.snippets.length - 1);
    return pending.snippets.length - 1;
  };

  for (const file of ws.files.values()) {
    if (file.text === file.start && file.existed) continue;
    const tree = treeOf(ws, file);
    if (tree.rootNode.hasError) {
      pending.failure = `${file.path} would not parse after the edit (${firstError(tree)})`;
      return pending;
    }
    for (const block of insertedBlocks(tree, file.start, file.text)) {
      add(blockText(file.text, block), `${file.path} line ${block.startPosition.row + 1}`);
    }
  }

  for (const claim of claims) {
    const file = ws.files.get(claim.file);
    if (!file) {
      pending.failure = `${claim.file} was not edited, so ${claim.what} could not be checked`;
      return pending;
    }
    const found = claim.probe(treeOf(ws, file));
    if (found === 'held') continue;
    if (found === 'absent') {
      const problem = claim.check
        ? claim.check(undefined)
        : claim.expected === null || claim.expected === undefined
          ? null
          : 'it is missing after the edit';
      if (problem !== null) {
        pending.failure = `${claim.what}: ${problem} (${claim.file})`;
        return pending;
      }
      continue;
    }
    if ('failure' in found) {
      pending.failure = found.failure;
      return pending;
    }
    const where = `${claim.what} in ${claim.file}`;
    if ('expression' in found) {
      const snippet = add(`v = ${found.expression.text}`, where);
      pending.checks.push({ claim, snippet, path: ['v', ...found.path] });
    } else {
      const snippet = add(blockText(file.text, found.block), where);
      pending.checks.push({ claim, snippet, path: found.path });
    }
  }
  return pending;
}

/** Runs every drift's verification with as few hcl2-parser calls as possible; resolves, per
 * drift, to null when everything holds, else the reason. The texts go to the reader before this
 * returns, so a reader in another thread starts on them while the caller goes on. */
export async function runVerifications(pendings: readonly PendingVerification[], reader: Hcl2Reader): Promise<(string | null)[]> {
  const unique = new Map<string, number>();
  const texts: string[] = [];
  const local = pendings.map((pending) =>
    pending.snippets.map((snippet) => {
      let index = unique.get(snippet.text);
      if (index === undefined) {
        index = texts.length;
        texts.push(snippet.text);
        unique.set(snippet.text, index);
      }
      return index;
    }),
  );
  const parsed = new Map<number, Hcl2Body | null>();
  await parseAll(reader, texts, texts.map((_, i) => i), parsed);

  return pendings.map((pending, p) => {
    if (pending.failure !== null) return pending.failure;
    const indexes = local[p] as number[];
    for (let s = 0; s < pending.snippets.length; s++) {
      if (parsed.get(indexes[s] as number) === null) return `hcl2-parser rejects ${pending.snippets[s]?.where ?? 'the edited text'} after the edit`;
    }
    for (const check of pending.checks) {
      const body = parsed.get(indexes[check.snippet] as number);
      const value = readPath(body, check.path);
      const { claim } = check;
      if (claim.check) {
        const problem = claim.check(value);
        if (problem !== null) return `${claim.what}: ${problem} (${claim.file})`;
        continue;
      }
      if (!sameWritten(value, claim.expected, claim.policy)) {
        if (sameWritten(value, normalized(claim.expected), claim.policy)) return `${claim.what}: ${NOT_NFC} (${claim.file})`;
        return `${claim.what} reads back as ${describeValue(value)} instead of ${describeValue(claim.expected)} (${claim.file})`;
      }
    }
    return null;
  });
}

/** Parses the snippets as one document; when that fails, halves the set until the bad ones are
 * found (both halves in one request). */
async function parseAll(reader: Hcl2Reader, texts: string[], indexes: number[], out: Map<number, Hcl2Body | null>): Promise<void> {
  let groups = indexes.length === 0 ? [] : [indexes];
  while (groups.length > 0) {
    const results = await reader.parse(groups.map((group) => group.map((index) => `${probeName(index)} {\n${texts[index] as string}\n}\n`).join('')));
    const failed: number[][] = [];
    groups.forEach((group, g) => {
      const result = results[g] ?? null;
      if (result !== null) {
        for (const index of group) {
          const body = readPath(result, [probeName(index), 0]);
          out.set(index, typeof body === 'object' && body !== null ? (body as Hcl2Body) : {});
        }
      } else if (group.length === 1) {
        out.set(group[0] as number, null);
      } else {
        const middle = Math.ceil(group.length / 2);
        failed.push(group.slice(0, middle), group.slice(middle));
      }
    });
    groups = failed;
  }
}

function normalized(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) return value.map(normalized);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.normalize('NFC'), normalized(item)]));
  }
  return value;
}

function probeName(index: number): string {
  return `driftwatch_probe_${index}`;
}

/** Blocks (top-level or nested) that the edit added whole: every line of them is new. */
function insertedBlocks(tree: Tree, before: string, after: string): Node[] {
  const added = diffLines(splitLines(before), splitLines(after))
    .filter((hunk) => hunk.afterEnd > hunk.afterStart)
    .map((hunk) => [hunk.afterStart, hunk.afterEnd - 1] as const);
  if (added.length === 0) return [];
  const inside = (node: Node): boolean => added.some(([from, to]) => node.startPosition.row >= from && node.endPosition.row <= to);
  const touches = (node: Node): boolean => added.some(([from, to]) => node.startPosition.row <= to && node.endPosition.row >= from);
  const found: Node[] = [];
  const visit = (blocks: Node[]): void => {
    for (const block of blocks) {
      if (!touches(block)) continue;
      if (inside(block)) {
        found.push(block);
        continue;
      }
      const body = blockBody(block);
      if (body) visit(body.namedChildren.filter((child) => child.type === 'block'));
    }
  };
  visit(topLevelBlocks(tree));
  return found;
}

/** A block's text from the start of its line (heredoc end markers keep their columns). */
function blockText(text: string, block: Node): string {
  const start = text.lastIndexOf('\n', block.startIndex - 1) + 1;
  return text.slice(start, block.endIndex);
}

function firstError(tree: Tree): string {
  const error = tree.rootNode.descendantsOfType('ERROR')[0];
  if (error) return `syntax error at line ${error.startPosition.row + 1}`;
  const stack: Node[] = [tree.rootNode];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (node.isMissing) return `missing ${node.type} at line ${node.startPosition.row + 1}`;
    for (const child of node.children) stack.push(child);
  }
  return 'syntax error';
}
