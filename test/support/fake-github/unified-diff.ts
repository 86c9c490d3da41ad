// The `patch` field of GET pulls/{n}/files: a unified diff of one file without its headers, hunks
// with three lines of context, as GitHub computes it (line-based longest common subsequence; the
// fake's files are small).

interface Op {
  kind: ' ' | '-' | '+';
  text: string;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function diffOps(before: string[], after: string[]): Op[] {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      ops.push({ kind: ' ', text: before[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) ops.push({ kind: '-', text: before[i++]! });
    else ops.push({ kind: '+', text: after[j++]! });
  }
  while (i < n) ops.push({ kind: '-', text: before[i++]! });
  while (j < m) ops.push({ kind: '+', text: after[j++]! });
  return ops;
}

/** The hunks turning `before` into `after`; '' when they are equal. */
export function unifiedDiff(before: string, after: string, context = 3): string {
  const ops = diffOps(splitLines(before), splitLines(after));
  const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((index) => index >= 0);
  if (changed.length === 0) return '';
  // Group changes whose context windows touch into one hunk.
  const groups: [number, number][] = [];
  for (const index of changed) {
    const last = groups[groups.length - 1];
    if (last && index - last[1] <= context * 2) last[1] = index;
    else groups.push([index, index]);
  }
  const out: string[] = [];
  for (const [first, last] of groups) {
    const start = Math.max(0, first - context);
    const end = Math.min(ops.length - 1, last + context);
    let oldStart = 1;
    let newStart = 1;
    for (let index = 0; index < start; index++) {
      if (ops[index]!.kind !== '+') oldStart++;
      if (ops[index]!.kind !== '-') newStart++;
    }
    const slice = ops.slice(start, end + 1);
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    const range = (from: number, count: number) => (count === 1 ? `${from}` : `${count === 0 ? from - 1 : from},${count}`);
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const op of slice) out.push(`${op.kind}${op.text}`);
  }
  return out.join('\n');
}

/** Lines added and removed. */
export function diffStats(before: string, after: string): { additions: number; deletions: number } {
  const ops = diffOps(splitLines(before), splitLines(after));
  return { additions: ops.filter((op) => op.kind === '+').length, deletions: ops.filter((op) => op.kind === '-').length };
}
