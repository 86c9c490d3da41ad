// The patch engine's entry point: every drift patched on its own against the configuration as it
// is (that is each DriftPatch), then all edits merged into one change per file (what a fix PR
// commits). Pure: file texts in, patches out.
import type { Node, Parser, Tree } from 'web-tree-sitter';
import { parseAddress } from '../terraform/address.js';
import type { HclModel, SourceFile } from '../terraform/types.js';
import { parsePath } from '../drift/path.js';
import { loadTerraformParser } from '../terraform/tree-sitter.js';
import type { DriftPatch, FileEdit, PatchDirection, PatchSet, PatchTarget } from './types.js';
import { formatHcl, isHclFormatterReady, prepareHclFormatter } from './hcl-formatter.js';
import { attributeName, findResourceBlock } from './hcl-syntax.js';
import type { Hcl2Reader } from './hcl2-parse.js';
import { startHcl2Worker } from './hcl2-worker.js';
import { expandChanges, planTarget } from './plan-target.js';
import { isSetElementChange, pairElements, setElementIdentity } from './plan-set-elements.js';
import type { ChangeResult, RunState, TargetContext } from './target-context.js';
import type { DriftedChanges } from './instance-scope.js';
import { changeIdentity, mayBeShared, recordDrift } from './instance-scope.js';
import { unifiedDiffAvoiding, diffLines, splitLines } from './unified-diff.js';
import { secretLineTest, secretNote } from './secret-lines.js';
import type { PendingVerification } from './verify.js';
import { prepareVerification, runVerifications } from './verify.js';
import type { TextEdit, TreeCache } from './workspace.js';
import { applyEdits, cachedTree, closeWorkspace, disposeTreeCache, openWorkspace, parseText, reparse, reparseEdits } from './workspace.js';

export interface BuildPatchSetInput {
  direction: PatchDirection;
  files: SourceFile[];
  model: HclModel;
  targets: PatchTarget[];
  engine: PatchEngine;
  /** Secret values from the state (collectSecrets): no diff shows a line that holds one. */
  secrets?: readonly string[];
}

/** What buildPatchSet reads with: tree-sitter (places to edit) and hcl2-parser (verification). */
export interface PatchEngine {
  parser: Parser;
  hcl2: Hcl2Reader;
}

/** A patch engine with its own hcl2-parser worker thread: whoever loads it closes it. */
export interface LoadedPatchEngine extends PatchEngine {
  /** Stops the worker thread. */
  close(): Promise<void>;
}

/** A patch engine on its way: closing it stops its worker at once, loaded or not. */
export interface StartedPatchEngine {
  ready: Promise<PatchEngine>;
  close(): Promise<void>;
}

let readers: Promise<Parser> | undefined;

/** Starts what buildPatchSet needs: hcl2-parser in a worker thread of this engine's own (which
 * may still be loading when `ready` resolves: the first verification waits for it, while planning
 * goes on), and, once per process, the tree-sitter grammar and the HCL formatter in this thread
 * (WebAssembly modules, which hold no thread or handle). A scan starts one and closes it when it
 * ends, so a long-running process keeps no worker between scans. */
export function startPatchEngine(): StartedPatchEngine {
  const hcl2 = startHcl2Worker();
  readers ??= (async () => {
    const [parser] = await Promise.all([loadTerraformParser(), prepareHclFormatter()]);
    warmUp(parser);
    return parser;
  })();
  readers.catch(() => (readers = undefined));
  return { ready: readers.then((parser) => ({ parser, hcl2 })), close: () => hcl2.close() };
}

/** startPatchEngine, awaited: for callers that build patches straight away. */
export async function loadPatchEngine(): Promise<LoadedPatchEngine> {
  const started = startPatchEngine();
  try {
    return { ...(await started.ready), close: started.close };
  } catch (error) {
    await started.close();
    throw error;
  }
}

/** The first calls into the formatter (Go WebAssembly) are several times slower than later
 * ones; a few calls at load time keep that out of the first patch. */
function warmUp(parser: Parser): void {
  for (let i = 0; i < 20; i++) formatHcl(`a${i} = 1\nbb = [${i}]\n`);
  parser.parse('resource "aws_instance" "warm" {\n  ami = "ami-1"\n  tags = { Name = "warm" }\n}\n')?.delete();
}

/** Drifts whose edits are verified together: small enough that verification keeps pace with
 * planning, large enough that hcl2-parser's cost per call does not matter. */
const VERIFY_BATCH = 50;

/** Patches for every target, in target order, and the merged file edits. */
export async function buildPatchSet(input: BuildPatchSetInput): Promise<PatchSet> {
  if (!isHclFormatterReady()) {
    throw new Error('buildPatchSet needs the HCL formatter: await loadPatchEngine() first');
  }
  const { parser, hcl2 } = input.engine;
  const cache: TreeCache = { parser, trees: new Map() };
  const originals = new Map(input.files.map((file) => [file.path, file.text]));
  const run: RunState = {
    names: new Set(input.model.resources.map((r) => `${r.moduleDir}|${r.type}.${r.name}`)),
    handed: new Map(),
    hidden: secretLineTest(input.secrets ?? []),
    drifted: driftedChanges(input),
  };
  try {
    // 1. Each drift patched on its own against the configuration as it is; every batch of edits
    //    goes to verification (2.) while the next drifts are planned.
    const planned: Planned[] = [];
    const verifying: Promise<void>[] = [];
    let batch: Planned[] = [];
    for (const target of input.targets) {
      const entry = planOne(input, target, originals, cache, run);
      planned.push(entry);
      if (entry.pending === null) continue;
      batch.push(entry);
      if (batch.length >= VERIFY_BATCH) {
        verifying.push(settle(batch, hcl2, run));
        batch = [];
      }
    }
    verifying.push(settle(batch, hcl2, run));
    await Promise.all(verifying);
    // 3. All edits merged into one change per file.
    const merged = new Map<string, MergedFile>();
    for (const entry of planned) {
      if (entry.patch.status === 'edit') await mergePatch(input, entry.target, entry.patch, originals, merged, cache, run);
    }
    const patches = planned.map((entry) => entry.patch);
    return { direction: input.direction, patches, files: finishMerge(merged, patches, parser, cache, run) };
  } finally {
    disposeTreeCache(cache);
  }
}

interface Planned {
  target: PatchTarget;
  patch: DriftPatch;
  /** Set while an edit waits for verification. */
  pending: PendingVerification | null;
}

function planOne(
  input: BuildPatchSetInput,
  target: PatchTarget,
  texts: ReadonlyMap<string, string>,
  cache: TreeCache,
  run: RunState,
): Planned {
  const ws = openWorkspace(cache, texts);
  const ctx: TargetContext = {
    direction: input.direction,
    target,
    model: input.model,
    ws,
    claims: [],
    run,
    instanceKey: instanceKeyOf(target.address),
    nameCursor: { index: 0 },
    generated: [],
  };
  const base = { fingerprint: target.fingerprint, direction: input.direction };
  try {
    const results = planTarget(ctx);
    const note = composeNote(results);
    const remediation = results.some((result) => result.remediation) ? target.remediation : null;
    const edited = [...ws.files.values()].filter((file) => file.text !== file.start || !file.existed);
    if (results.some((result) => result.status === 'edit') && edited.length > 0) {
      const files: FileEdit[] = edited.map((file) => ({
        path: file.path,
        before: file.start,
        after: file.text,
        diff: file.existed ? '' : NEW_FILE,
      }));
      const patch: DriftPatch = { ...base, status: 'edit', note, files, remediation };
      return { target, patch, pending: prepareVerification(ws, ctx.claims) };
    }
    const status = results.some((result) => result.status === 'explain') ? 'explain' : 'none';
    return { target, patch: { ...base, status, note, files: [], remediation }, pending: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const patch: DriftPatch = { ...base, status: 'dropped', note: `The edit was dropped: it could not be computed (${reason}).`, files: [], remediation: null };
    return { target, patch, pending: null };
  } finally {
    closeWorkspace(ws);
  }
}

/** Marks a new file in a FileEdit until its diff is rendered. */
const NEW_FILE = '\u0000new';

/** Runs the pending verifications: verified edits get their diffs, the others are dropped; an
 * edit whose diff cannot keep a secret's line out is not offered. The texts reach the reader
 * before this returns its promise. */
async function settle(planned: Planned[], hcl2: Hcl2Reader, run: RunState): Promise<void> {
  const waiting = planned.filter((entry) => entry.pending !== null);
  const outcomes = await runVerifications(waiting.map((entry) => entry.pending as PendingVerification), hcl2);
  waiting.forEach((entry, i) => {
    const failure = outcomes[i] ?? null;
    entry.pending = null;
    if (failure !== null) {
      entry.patch = { ...entry.patch, status: 'dropped', note: `The edit was dropped: ${failure}.\n${entry.patch.note}`, files: [] };
      return;
    }
    const files: FileEdit[] = [];
    for (const file of entry.patch.files) {
      const result = unifiedDiffAvoiding(file.path, file.before, file.after, run.hidden, { newFile: file.diff === NEW_FILE });
      if ('blockedAt' in result) {
        entry.patch = { ...entry.patch, status: 'explain', note: `${secretNote(file.path, result.blockedAt, file.before)}\n${entry.patch.note}`, files: [] };
        return;
      }
      files.push({ ...file, diff: result.diff });
    }
    entry.patch.files = files;
  });
}

function composeNote(results: ChangeResult[]): string {
  return results.map((result) => result.note).join('\n');
}

/** Which instances of each block text have each change: an edit of the text they share is
 * right only for a change every one of them has. */
function driftedChanges(input: BuildPatchSetInput): DriftedChanges {
  const drifted: DriftedChanges = new Map();
  for (const target of input.targets) {
    if (target.kind !== 'modified' || !mayBeShared(target)) continue;
    const restore = input.direction === 'restore';
    const identities: string[] = [];
    const setChanges = target.changes.filter((change) => isSetElementChange(target.type, change.path));
    for (const element of pairElements(target.type, setChanges)) identities.push(setElementIdentity(element.attribute, element.declared, element.live));
    for (const change of expandChanges(target.changes.filter((c) => !isSetElementChange(target.type, c.path)))) {
      try {
        identities.push(changeIdentity(parsePath(change.path), restore ? change.declared : change.live));
      } catch {
        // A path that cannot be read is explained where it is planned.
      }
    }
    recordDrift(drifted, target, identities);
  }
  return drifted;
}

function instanceKeyOf(address: string | null): string | number | null {
  if (address === null) return null;
  try {
    return parseAddress(address).index;
  } catch {
    return null;
  }
}

interface AppliedHunk {
  beforeStart: number;
  beforeEnd: number;
  lines: string[];
}

interface MergedFile {
  path: string;
  original: string;
  existed: boolean;
  text: string;
  hunks: AppliedHunk[];
  /** Recomputed edits went in: later drifts touching the file are recomputed too. */
  dirty: boolean;
  fingerprints: Set<string>;
  /** `type.name` of the resource blocks of this file that drifts' hunks went into, with the
   * drifts: where two drifts' edits sit side by side in one block. */
  blocks: Map<string, Set<string>>;
}

async function mergePatch(
  input: BuildPatchSetInput,
  target: PatchTarget,
  patch: DriftPatch,
  originals: ReadonlyMap<string, string>,
  merged: Map<string, MergedFile>,
  cache: TreeCache,
  run: RunState,
): Promise<void> {
  const stateOf = (path: string): MergedFile => {
    let state = merged.get(path);
    if (!state) {
      const original = originals.get(path);
      state = { path, original: original ?? '', existed: original !== undefined, text: original ?? '', hunks: [], dirty: false, fingerprints: new Set(), blocks: new Map() };
      merged.set(path, state);
    }
    return state;
  };
  const planned: { state: MergedFile; hunks: AppliedHunk[] }[] = [];
  let clash = false;
  for (const file of patch.files) {
    const state = stateOf(file.path);
    if (state.dirty) {
      clash = true;
      break;
    }
    const after = splitLines(file.after);
    const originalLines = splitLines(state.original);
    const hunks: AppliedHunk[] = [];
    for (const hunk of diffLines(originalLines, after)) {
      const candidate = { beforeStart: hunk.beforeStart, beforeEnd: hunk.beforeEnd, lines: after.slice(hunk.afterStart, hunk.afterEnd) };
      const same = state.hunks.find((applied) => sameHunk(applied, candidate));
      if (same) continue;
      // Blocks appended at the end of a file (imports) go one after another, in drift order.
      const append = candidate.beforeStart === originalLines.length && candidate.beforeEnd === originalLines.length && endsWithNewline(state.original);
      if (state.hunks.some((applied) => overlaps(applied, candidate) && !(append && applied.beforeStart === candidate.beforeStart && applied.beforeEnd === applied.beforeStart))) {
        clash = true;
        break;
      }
      hunks.push(candidate);
    }
    if (clash) break;
    planned.push({ state, hunks });
  }
  if (!clash) {
    for (const { state, hunks } of planned) {
      state.hunks.push(...hunks);
      state.text = applyHunks(state.original, state.hunks).text;
      state.fingerprints.add(patch.fingerprint);
      if (target.block?.file === state.path) {
        const key = `${target.block.type}.${target.block.name}`;
        state.blocks.set(key, (state.blocks.get(key) ?? new Set()).add(patch.fingerprint));
      }
    }
    return;
  }
  // Overlapping edits (two drifts of one block, two imports appended to one file): patch this
  // drift again on top of the merged text.
  const texts = new Map(originals);
  for (const state of merged.values()) texts.set(state.path, state.text);
  const entry = planOne(input, target, texts, cache, run);
  await settle([entry], input.engine.hcl2, run);
  const again = entry.patch;
  if (again.status === 'edit') {
    for (const file of again.files) {
      const state = stateOf(file.path);
      state.text = file.after;
      state.dirty = true;
      state.fingerprints.add(patch.fingerprint);
    }
    return;
  }
  if (again.status === 'dropped') {
    patch.status = 'dropped';
    patch.files = [];
    patch.note = `${again.note}\n(The edit conflicts with another drift's edit of the same lines.)`;
    return;
  }
  patch.note = `${patch.note}\n(In the combined patch another drift's edit already covers this.)`;
}

function sameHunk(a: AppliedHunk, b: AppliedHunk): boolean {
  return a.beforeStart === b.beforeStart && a.beforeEnd === b.beforeEnd && a.lines.length === b.lines.length && a.lines.every((line, i) => line === b.lines[i]);
}

function overlaps(a: AppliedHunk, b: AppliedHunk): boolean {
  if (a.beforeStart === b.beforeStart) return true;
  // Lines inserted right after another drift's edited lines may write the same item (two
  // instances' pins of one attribute): patched again on top, the second finds the first.
  if (b.beforeStart === b.beforeEnd && b.beforeStart === a.beforeEnd) return true;
  if (a.beforeStart === a.beforeEnd && a.beforeStart === b.beforeEnd) return true;
  return a.beforeStart < b.beforeEnd && b.beforeStart < a.beforeEnd;
}

function endsWithNewline(text: string): boolean {
  return text === '' || text.endsWith('\n');
}

/** Applies non-overlapping hunks (in original line numbers); insertions at the same place keep
 * their order, a blank line apart. Also returns the applied hunks as text edits, last first, so
 * the merged text can be re-parsed incrementally from the original's tree. */
function applyHunks(original: string, hunks: AppliedHunk[]): { text: string; edits: TextEdit[] } {
  const lines = splitLines(original);
  const offsets = [0];
  for (const line of lines) offsets.push((offsets[offsets.length - 1] as number) + line.length);
  const order = hunks.map((hunk, index) => ({ hunk, index }));
  order.sort((a, b) => b.hunk.beforeStart - a.hunk.beforeStart || b.index - a.index);
  const edits: TextEdit[] = [];
  let previousStart = -1;
  let previousLines: string[] = [];
  for (const { hunk } of order) {
    let inserted = hunk.lines;
    if (hunk.beforeStart === previousStart && hunk.beforeEnd === hunk.beforeStart && previousLines.length > 0) {
      const last = inserted[inserted.length - 1] ?? '';
      if (last.trim() !== '' && (previousLines[0] ?? '').trim() !== '') inserted = [...inserted, last.endsWith('\r\n') ? '\r\n' : '\n'];
    }
    edits.push({ start: offsets[hunk.beforeStart] as number, end: offsets[hunk.beforeEnd] as number, insert: inserted.join('') });
    previousStart = hunk.beforeStart;
    previousLines = inserted;
  }
  return { text: applyEdits(original, edits), edits };
}

/** Two drifts' edits merged side by side in one block could each write the same attribute
 * (Terraform rejects a block that sets one twice): "would set `x` twice (line N)", or null. */
function repeatedAttribute(tree: Tree, state: MergedFile): string | null {
  for (const [key, fingerprints] of state.blocks) {
    if (fingerprints.size < 2) continue;
    const [type = '', name = ''] = key.split('.');
    const block = findResourceBlock(tree, type, name);
    const problem = block ? repeatedIn(block) : null;
    if (problem) return problem;
  }
  return null;
}

function repeatedIn(block: Node): string | null {
  for (const body of block.descendantsOfType('body')) {
    const seen = new Set<string>();
    for (const item of body?.namedChildren ?? []) {
      if (item?.type !== 'attribute') continue;
      const name = attributeName(item);
      if (seen.has(name)) return `would set \`${name}\` twice (line ${item.startPosition.row + 1})`;
      seen.add(name);
    }
  }
  return null;
}

function finishMerge(merged: Map<string, MergedFile>, patches: DriftPatch[], parser: Parser, cache: TreeCache, run: RunState): FileEdit[] {
  const out: FileEdit[] = [];
  for (const state of [...merged.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    if (state.existed && state.text === state.original) continue;
    // A dirty file's text replaced its hunks; the others re-parse one hunk at a time.
    const tree = !state.existed
      ? parseText(parser, state.text)
      : state.dirty
        ? reparse(parser, cachedTree(cache, state.original), state.original, state.text)
        : reparseEdits(parser, cachedTree(cache, state.original), state.original, applyHunks(state.original, state.hunks).edits);
    const broken = tree.rootNode.hasError ? 'would not parse' : state.dirty ? null : repeatedAttribute(tree, state);
    tree.delete();
    if (broken !== null) {
      for (const patch of patches) {
        if (!state.fingerprints.has(patch.fingerprint) || patch.status !== 'edit') continue;
        patch.status = 'dropped';
        patch.files = [];
        patch.note = `The edit was dropped: combined with other drifts' edits, ${state.path} ${broken}.\n${patch.note}`;
      }
      continue;
    }
    const before = state.existed ? state.original : '';
    const result = unifiedDiffAvoiding(state.path, before, state.text, run.hidden, { newFile: !state.existed });
    if ('blockedAt' in result) {
      // Each drift's own diff kept the secret out; only their combination cannot.
      for (const patch of patches) {
        if (!state.fingerprints.has(patch.fingerprint) || patch.status !== 'edit') continue;
        patch.status = 'explain';
        patch.files = [];
        patch.note = `${secretNote(state.path, result.blockedAt, before)} (Combined with other drifts' edits of ${state.path}.)\n${patch.note}`;
      }
      continue;
    }
    out.push({ path: state.path, before, after: state.text, diff: result.diff });
  }
  return out;
}
