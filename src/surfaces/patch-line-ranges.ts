// Which lines of the head version of each file a pull request changes, from the `patch` field of
// GET /repos/{owner}/{repo}/pulls/{n}/files (a unified diff without file headers). The check run
// uses them to tell when a pull request edits a block that drifted.

export interface LineRange {
  /** 1-based, inclusive, in the head version of the file. */
  start: number;
  end: number;
}

/** The fields of a pulls/{n}/files item this reads (outside data: only what is used). */
export interface PullRequestFile {
  filename: string;
  status?: string;
  /** Absent for binary files and diffs GitHub considers too large. */
  patch?: string;
  changes?: number;
}

/** A range meaning "somewhere in this file": GitHub gave no patch to say where. */
export const WHOLE_FILE: LineRange = { start: 1, end: Number.MAX_SAFE_INTEGER };

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/**
 * Added lines, and for removed lines the head line that now stands where they were (the next
 * line, or the one before at the end of a hunk), merged into sorted ranges.
 */
export function patchLineRanges(patch: string): LineRange[] {
  const lines: number[] = [];
  let next = 0;
  let end = 0;
  let inHunk = false;
  let pendingDeletion = false;
  const flushDeletion = (line: number): void => {
    if (pendingDeletion) lines.push(Math.max(1, line));
    pendingDeletion = false;
  };
  for (const line of patch.split(/\r?\n/)) {
    const hunk = HUNK.exec(line);
    if (hunk) {
      flushDeletion(next - 1);
      next = Number(hunk[1]);
      end = next + (hunk[2] === undefined ? 1 : Number(hunk[2]));
      inHunk = true;
      continue;
    }
    if (!inHunk || line.startsWith('\\')) continue;
    if (line.startsWith('-')) {
      pendingDeletion = true;
      continue;
    }
    if (line.startsWith('+')) {
      pendingDeletion = false;
      lines.push(next);
      next += 1;
      continue;
    }
    if (next >= end) continue;
    flushDeletion(next);
    next += 1;
  }
  flushDeletion(next - 1);
  return mergeLines(lines);
}

/** Changed ranges per repository-relative path in the head, from the pulls/{n}/files items.
 * Removed files have no head lines; a file GitHub gave no patch for counts as changed throughout. */
export function changedLineRanges(files: readonly PullRequestFile[]): Map<string, LineRange[]> {
  const out = new Map<string, LineRange[]>();
  for (const file of files) {
    if (file.status === 'removed') continue;
    if (file.patch === undefined || file.patch === null) {
      out.set(file.filename, file.changes === 0 ? [] : [WHOLE_FILE]);
      continue;
    }
    out.set(file.filename, patchLineRanges(file.patch));
  }
  return out;
}

/** Whether any range touches [start, end]. */
export function touches(ranges: readonly LineRange[] | undefined, start: number, end: number): boolean {
  return (ranges ?? []).some((range) => range.start <= end && start <= range.end);
}

/** The first line of [start, end] that a range covers, or null. */
export function firstTouched(ranges: readonly LineRange[] | undefined, start: number, end: number): number | null {
  let first: number | null = null;
  for (const range of ranges ?? []) {
    if (range.start > end || range.end < start) continue;
    const line = Math.max(range.start, start);
    if (first === null || line < first) first = line;
  }
  return first;
}

function mergeLines(lines: number[]): LineRange[] {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const out: LineRange[] = [];
  for (const line of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && line <= last.end + 1) last.end = Math.max(last.end, line);
    else out.push({ start: line, end: line });
  }
  return out;
}
