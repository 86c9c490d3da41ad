// Independent checks of a patch, outside the engine: the diff applies with git to a copy of the
// configuration and gives exactly the patched text; the patched text parses as a whole with
// hcl2-parser and with tree-sitter.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import type { FileEdit } from '../../src/patch/types.js';
import { parseHcl2 } from '../../src/patch/hcl2-parse.js';

/** Applies the edits' diffs with `git apply` in a temporary repository holding the `before`
 * texts; returns the resulting texts by path (throws with git's message when it refuses). */
export function gitApply(edits: readonly FileEdit[]): Map<string, string> {
  if (edits.length === 0) return new Map();
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-patch-'));
  try {
    execFileSync('git', ['init', '-q'], { cwd: dir });
    for (const edit of edits) {
      if (edit.diff.includes('new file mode')) continue;
      mkdirSync(dirname(join(dir, edit.path)), { recursive: true });
      writeFileSync(join(dir, edit.path), edit.before);
    }
    const patch = edits.map((edit) => edit.diff).join('');
    writeFileSync(join(dir, 'change.patch'), patch);
    execFileSync('git', ['apply', '--check', 'change.patch'], { cwd: dir, stdio: 'pipe' });
    execFileSync('git', ['apply', 'change.patch'], { cwd: dir, stdio: 'pipe' });
    return new Map(edits.map((edit) => [edit.path, readFileSync(join(dir, edit.path), 'utf8')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** null when the whole text parses with hcl2-parser and tree-sitter, else what failed. */
export function parseProblem(text: string, parser: Parser): string | null {
  if (parseHcl2(text) === null) return 'hcl2-parser rejects the file';
  const tree = parser.parse(text);
  if (!tree) return 'tree-sitter returned no tree';
  const broken = tree.rootNode.hasError;
  tree.delete();
  return broken ? 'tree-sitter finds a syntax error' : null;
}

/** `git apply --check` of one diff text against the given files (paths relative to the root
 * module); throws with git's message when the diff does not apply. */
export function checkApplies(files: readonly { path: string; text: string }[], diff: string): void {
  applyChecker(files)([diff]);
}

/** A checker that runs `git apply --check` on each diff against the given files, in one
 * temporary repository; throws with git's message when one does not apply. */
export function applyChecker(files: readonly { path: string; text: string }[]): (diffs: readonly string[]) => void {
  return (diffs) => {
    if (diffs.length === 0) return;
    const dir = mkdtempSync(join(tmpdir(), 'driftwatch-check-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir });
      for (const file of files) {
        mkdirSync(dirname(join(dir, file.path)), { recursive: true });
        writeFileSync(join(dir, file.path), file.text);
      }
      diffs.forEach((diff, i) => {
        writeFileSync(join(dir, `change-${i}.patch`), diff);
        try {
          execFileSync('git', ['apply', '--check', `change-${i}.patch`], { cwd: dir, stdio: 'pipe' });
        } catch (error) {
          const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
          throw new Error(`git apply --check refuses the diff: ${stderr}\n${diff}`);
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** The diffs an output carries: each drift's `edit` diff (JSON, Markdown), or the one combined
 * patch (the text report's "Patch" section, a --patch-file). */
export function diffsIn(format: 'json' | 'markdown' | 'text' | 'patch-file', output: string): string[] {
  switch (format) {
    case 'json': {
      const report = JSON.parse(output) as { drifts: { patch: { status: string; diff: string } | null }[] };
      return report.drifts.flatMap((drift) => (drift.patch?.status === 'edit' ? [drift.patch.diff] : []));
    }
    case 'markdown':
      return [...output.matchAll(/^(`{3,})diff\n([\s\S]*?)^\1$/gm)].map((match) => match[2] as string);
    case 'text': {
      const at = output.search(/^Patch \((restore|accept)\):$/m);
      return at < 0 ? [] : [output.slice(output.indexOf('\n\n', at) + 2)];
    }
    case 'patch-file':
      return output === '' ? [] : [output];
  }
}
