// Unified diffs that `git apply` accepts: a/ and b/ prefixes, three lines of context, and the
// "\ No newline at end of file" marker wherever a side's last line has no newline. A diff may be
// asked to leave some lines out (lines that hold a secret from the state): their neighbours get
// less context instead, which git still applies, as long as every hunk keeps a line of context
// after its change (a hunk without one must end the file).

export interface UnifiedDiffOptions {
  /** The file does not exist yet: the diff creates it (`--- /dev/null`, `new file mode`). */
  newFile?: boolean;
}

/** One run of the edit script: lines [beforeStart, beforeEnd) become [afterStart, afterEnd). */
export interface LineHunk {
  beforeStart: number;
  beforeEnd: number;
  afterStart: number;
  afterEnd: number;
}

/** A line a diff cannot leave out: 1-based, in the text before or after the edit. */
export interface BlockedLine {
  side: 'before' | 'after';
  line: number;
}

const CONTEXT = 3;

/** The unified diff of before → after for one file; '' when nothing changed. */
export function unifiedDiff(path: string, before: string, after: string, options: UnifiedDiffOptions = {}): string {
  const result = unifiedDiffAvoiding(path, before, after, () => false, options);
  return 'diff' in result ? result.diff : '';
}

/** The unified diff of before → after that shows no line for which `hidden` holds, or the first
 * such line it cannot leave out (a changed line, or the only line after a change). */
export function unifiedDiffAvoiding(
  path: string,
  before: string,
  after: string,
  hidden: (line: string) => boolean,
  options: UnifiedDiffOptions = {},
): { diff: string } | { blockedAt: BlockedLine } {
  if (before === after && !options.newFile) return { diff: '' };
  const a = splitLines(before);
  const b = splitLines(after);
  const hunks = diffLines(a, b);
  for (const hunk of hunks) {
    for (let i = hunk.beforeStart; i < hunk.beforeEnd; i++) if (hidden(a[i] as string)) return { blockedAt: { side: 'before', line: i + 1 } };
    for (let i = hunk.afterStart; i < hunk.afterEnd; i++) if (hidden(b[i] as string)) return { blockedAt: { side: 'after', line: i + 1 } };
  }
  let out = `diff --git a/${path} b/${path}\n`;
  if (options.newFile) out += 'new file mode 100644\n--- /dev/null\n';
  else out += `--- a/${path}\n`;
  out += `+++ b/${path}\n`;
  const isHidden = (i: number): boolean => hidden(a[i] as string);
  for (const group of groupHunks(hunks, isHidden)) {
    const rendered = renderGroup(group, a, b, isHidden);
    if (typeof rendered !== 'string') return { blockedAt: rendered };
    out += rendered;
  }
  return { diff: out };
}

/** Lines with their terminator kept, so that a last line without a newline differs from one with. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  const out = lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line));
  if (out[out.length - 1] === '') out.pop();
  return out;
}

/** Myers' O(ND) diff over lines, after trimming the common head and tail. */
export function diffLines(a: readonly string[], b: readonly string[]): LineHunk[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  if (n === 0 && m === 0) return [];
  if (n === 0 || m === 0) return [{ beforeStart: head, beforeEnd: head + n, afterStart: head, afterEnd: head + m }];

  const max = n + m;
  const offset = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))) x = v[offset + k + 1] ?? 0;
      else x = (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[head + x] === b[head + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }

  // Walk the trace back into single-line steps, then merge adjacent steps into hunks.
  const steps: { kind: 'del' | 'ins'; x: number; y: number }[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (prev[offset + k - 1] ?? 0) < (prev[offset + k + 1] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = prev[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
    }
    if (down) steps.push({ kind: 'ins', x: prevX, y: prevY });
    else steps.push({ kind: 'del', x: prevX, y: prevY });
    x = prevX;
    y = prevY;
  }
  steps.reverse();

  const hunks: LineHunk[] = [];
  for (const step of steps) {
    const beforeStart = head + step.x;
    const afterStart = head + step.y;
    const last = hunks[hunks.length - 1];
    const adds = step.kind === 'ins' ? 1 : 0;
    const dels = step.kind === 'del' ? 1 : 0;
    if (last && last.beforeEnd === beforeStart && last.afterEnd === afterStart) {
      last.beforeEnd += dels;
      last.afterEnd += adds;
    } else {
      hunks.push({ beforeStart, beforeEnd: beforeStart + dels, afterStart, afterEnd: afterStart + adds });
    }
  }
  return hunks;
}

function groupHunks(hunks: LineHunk[], isHidden: (line: number) => boolean): LineHunk[][] {
  const groups: LineHunk[][] = [];
  for (const hunk of hunks) {
    const group = groups[groups.length - 1];
    const last = group?.[group.length - 1];
    if (group && last && hunk.beforeStart - last.beforeEnd <= 2 * CONTEXT && !someHidden(last.beforeEnd, hunk.beforeStart, isHidden)) group.push(hunk);
    else groups.push([hunk]);
  }
  return groups;
}

function someHidden(from: number, to: number, isHidden: (line: number) => boolean): boolean {
  for (let i = from; i < to; i++) if (isHidden(i)) return true;
  return false;
}

function renderGroup(group: LineHunk[], a: readonly string[], b: readonly string[], isHidden: (line: number) => boolean): string | BlockedLine {
  const first = group[0];
  const last = group[group.length - 1];
  if (!first || !last) return '';
  let leading = 0;
  while (leading < CONTEXT && first.beforeStart - leading > 0 && !isHidden(first.beforeStart - leading - 1)) leading++;
  let trailing = 0;
  while (trailing < CONTEXT && last.beforeEnd + trailing < a.length && !isHidden(last.beforeEnd + trailing)) trailing++;
  // git anchors a hunk without trailing context at the end of the file.
  if (trailing === 0 && last.beforeEnd < a.length) return { side: 'before', line: last.beforeEnd + 1 };
  const beforeFrom = first.beforeStart - leading;
  const beforeTo = last.beforeEnd + trailing;
  // A hunk with no line of the old file at all is named by the line before it; git anchors one
  // named `-1,0` at the top of the file, so lines added right after a hidden first line cannot be
  // placed without showing it.
  if (beforeTo === beforeFrom && beforeFrom === 1) return { side: 'before', line: 1 };
  const afterFrom = first.afterStart - leading;
  const afterTo = last.afterEnd + trailing;
  const body: string[] = [];
  let cursor = beforeFrom;
  for (const hunk of group) {
    for (let i = cursor; i < hunk.beforeStart; i++) body.push(line(' ', a[i] ?? ''));
    for (let i = hunk.beforeStart; i < hunk.beforeEnd; i++) body.push(line('-', a[i] ?? ''));
    for (let i = hunk.afterStart; i < hunk.afterEnd; i++) body.push(line('+', b[i] ?? ''));
    cursor = hunk.beforeEnd;
  }
  for (let i = cursor; i < beforeTo; i++) body.push(line(' ', a[i] ?? ''));
  return `@@ -${range(beforeFrom, beforeTo - beforeFrom)} +${range(afterFrom, afterTo - afterFrom)} @@\n${body.join('')}`;
}

function range(start: number, count: number): string {
  // An empty side names the line before it (0 for the top of the file).
  if (count === 0) return `${start},0`;
  if (count === 1) return `${start + 1}`;
  return `${start + 1},${count}`;
}

function line(prefix: string, text: string): string {
  if (text.endsWith('\n')) return `${prefix}${text}`;
  return `${prefix}${text}\n\\ No newline at end of file\n`;
}
