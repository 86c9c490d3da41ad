// Golden tests over the corpus: for each configuration style and both directions, the merged
// diff and the per-drift notes are compared with the checked-in expectations, and every patched
// file is checked independently (git apply gives exactly the patched text; the whole file parses
// with hcl2-parser and tree-sitter; every edit diff the reports carry, scrubbed of the state's
// secrets as the CLI writes them, passes git apply --check). Set DRIFTWATCH_UPDATE_GOLDEN=1 to rewrite the expectations
// after reviewing a change.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPatchSet, loadPatchEngine } from '../../src/patch/build-patch-set.js';
import type { PatchEngine } from '../../src/patch/build-patch-set.js';
import type { PatchDirection, PatchSet } from '../../src/patch/types.js';
import { scrubSecrets } from '../../src/drift/redact.js';
import { renderJson } from '../../src/report/render-json.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import type { ScanResult } from '../../src/report/types.js';
import { checkApplies, diffsIn, gitApply, parseProblem } from './apply-check.js';
import { CORPUS_DIR, loadCase } from './corpus-case.js';
import type { CorpusCase } from './corpus-case.js';

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

/** A report of the case's drifts carrying their patches, as the scan hands it to the renderers. */
function reportOf(corpus: CorpusCase, set: PatchSet): ScanResult {
  return {
    version: 1,
    status: 'complete',
    workspace: corpus.name,
    scannedAt: '2026-11-22T09:00:00.000Z',
    coverage: { managed: corpus.targets.length, unmanaged: 0, percent: 100 },
    unknown: [],
    summary: { critical: 0, high: 0, medium: corpus.targets.length, low: 0 },
    postureScore: 90,
    notes: [],
    configErrors: [],
    drifts: corpus.targets.map((target, i) => ({
      fingerprint: target.fingerprint,
      kind: target.kind,
      address: target.address,
      type: target.type,
      id: target.id,
      region: 'us-east-1',
      changes: target.changes,
      signals: [],
      live: null,
      declared: null,
      severity: 'medium',
      title: `${target.address ?? target.id} drifted`,
      controls: { cis: [], mitre: [] },
      costDeltaMonthly: null,
      attribution: null,
      location: target.block ? { file: target.block.file, line: target.block.startLine } : null,
      patch: set.patches[i] ?? null,
    })),
  };
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
    const set = await buildPatchSet({ direction, files: corpus.files, model: corpus.model, targets: corpus.targets, engine, secrets: corpus.secrets });
    expect(set.patches).toHaveLength(corpus.targets.length);
    golden(caseName, `${direction}.diff`, set.files.map((file) => file.diff).join(''));
    golden(caseName, `${direction}.md`, renderNotes(set));
  });

  it.each(DIRECTIONS)('%s: every patched file applies with git and parses again', async (direction) => {
    const corpus = loadCase(caseName, parser);
    const set = await buildPatchSet({ direction, files: corpus.files, model: corpus.model, targets: corpus.targets, engine, secrets: corpus.secrets });
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

  it.each(DIRECTIONS)('%s: every edit diff the JSON and Markdown reports and the combined patch carry applies with git', async (direction) => {
    const corpus = loadCase(caseName, parser);
    const set = await buildPatchSet({ direction, files: corpus.files, model: corpus.model, targets: corpus.targets, engine, secrets: corpus.secrets });
    const report = reportOf(corpus, set);
    const edits = set.patches.filter((patch) => patch.status === 'edit').length;
    // As the CLI writes them: scrubbed of the state's secrets.
    const outputs = { json: scrubSecrets(renderJson(report), corpus.secrets), markdown: scrubSecrets(renderMarkdown(report), corpus.secrets) };
    for (const [format, output] of Object.entries(outputs) as ['json' | 'markdown', string][]) {
      const diffs = diffsIn(format, output);
      // Markdown leaves out a diff it cannot show exactly (CRLF), and says so.
      if (format === 'json') expect(diffs).toHaveLength(edits);
      else expect(diffs.length).toBeLessThanOrEqual(edits);
      for (const diff of diffs) expect(() => checkApplies(corpus.files, diff), `${format}:\n${diff}`).not.toThrow();
    }
    const combined = scrubSecrets(set.files.map((file) => file.diff).join(''), corpus.secrets);
    if (combined !== '') expect(() => checkApplies(corpus.files, combined)).not.toThrow();
  });
});
