// Golden tests over the corpus: for each configuration style and both directions, the merged
// diff and the per-drift notes are compared with the checked-in expectations, and every patched
// file is checked independently (git apply gives exactly the patched text; the whole file parses
// with hcl2-parser and tree-sitter). Set DRIFTWATCH_UPDATE_GOLDEN=1 to rewrite the expectations
// after reviewing a change.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPatchSet, loadPatchEngine } from '../../src/patch/build-patch-set.js';
import type { PatchEngine } from '../../src/patch/build-patch-set.js';
import type { PatchDirection, PatchSet } from '../../src/patch/types.js';
import { gitApply, parseProblem } from './apply-check.js';
import { CORPUS_DIR, loadCase } from './corpus-case.js';

const UPDATE = process.env.DRIFTWATCH_UPDATE_GOLDEN === '1';
const CASES = readdirSync(CORPUS_DIR).filter((name) => existsSync(join(CORPUS_DIR, name, 'case.json'))).sort();
const DIRECTIONS: PatchDirection[] = ['restore', 'accept'];

let engine: PatchEngine;
let parser: Parser;
beforeAll(async () => {
  engine = await loadPatchEngine();
  parser = engine.parser;
});

function renderNotes(set: PatchSet): string {
  return set.patches
    .map((patch) => {
      const lines = [`## ${patch.fingerprint} [${patch.status}]`, patch.note];
      if (patch.remediation) lines.push(`remediation: ${patch.remediation}`);
      if (patch.files.length > 0) lines.push(`files: ${patch.files.map((file) => file.path).join(', ')}`);
      return lines.join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

function golden(caseName: string, file: string, actual: string): void {
  const path = join(CORPUS_DIR, caseName, 'expected', file);
  if (UPDATE) {
    mkdirSync(join(CORPUS_DIR, caseName, 'expected'), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(existsSync(path), `${path} is missing: review the output and run with DRIFTWATCH_UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe.each(CASES)('corpus case %s', (caseName) => {
  it.each(DIRECTIONS)('%s matches the golden diff and notes', async (direction) => {
    const corpus = loadCase(caseName, parser);
    const set = await buildPatchSet({ direction, files: corpus.files, model: corpus.model, targets: corpus.targets, engine });
    expect(set.patches).toHaveLength(corpus.targets.length);
    golden(caseName, `${direction}.diff`, set.files.map((file) => file.diff).join(''));
    golden(caseName, `${direction}.md`, renderNotes(set));
  });

  it.each(DIRECTIONS)('%s: every patched file applies with git and parses again', async (direction) => {
    const corpus = loadCase(caseName, parser);
    const set = await buildPatchSet({ direction, files: corpus.files, model: corpus.model, targets: corpus.targets, engine });
    const originals = new Map(corpus.files.map((file) => [file.path, file.text]));
    for (const edit of set.files) {
      expect(edit.before).toBe(originals.get(edit.path) ?? '');
      expect(parseProblem(edit.after, parser), `${direction} ${edit.path}`).toBeNull();
    }
    const merged = gitApply(set.files);
    for (const edit of set.files) expect(merged.get(edit.path)).toBe(edit.after);
    for (const patch of set.patches) {
      if (patch.status !== 'edit') {
        expect(patch.files).toEqual([]);
        continue;
      }
      expect(patch.files.length).toBeGreaterThan(0);
      const applied = gitApply(patch.files);
      for (const edit of patch.files) {
        expect(applied.get(edit.path)).toBe(edit.after);
        expect(parseProblem(edit.after, parser), `${patch.fingerprint} ${edit.path}`).toBeNull();
      }
    }
  });
});
