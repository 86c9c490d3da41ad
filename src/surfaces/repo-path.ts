// Paths in reports are relative to the root module (`network.tf`, `../modules/net/main.tf`);
// GitHub wants them relative to the repository (`infra/network.tf`).
import { posix } from 'node:path';

/** `file` (relative to the root module in `dir`) relative to the repository root, or null when it
 * lies outside the repository. */
export function repoPath(dir: string, file: string): string | null {
  const joined = posix.normalize(posix.join(dir === '' ? '.' : dir, file));
  if (joined === '..' || joined.startsWith('../') || posix.isAbsolute(joined)) return null;
  return joined === '.' ? null : joined;
}

/** A unified diff whose `a/` and `b/` paths are relative to the root module, made relative to
 * the repository: what `git apply` at the repository root takes. Only header lines are rewritten
 * (from `diff --git` to the first hunk), never a removed line that looks like one. */
export function rebaseDiff(diff: string, dir: string): string {
  if (dir === '' || dir === '.') return diff;
  let header = false;
  return diff
    .split('\n')
    .map((line) => {
      const git = /^diff --git a\/(\S+) b\/(\S+)$/.exec(line);
      if (git) {
        header = true;
        return `diff --git a/${rebase(dir, git[1] ?? '')} b/${rebase(dir, git[2] ?? '')}`;
      }
      if (line.startsWith('@@')) header = false;
      if (!header) return line;
      const side = /^(--- a\/|\+\+\+ b\/)(.+)$/.exec(line);
      return side ? `${side[1] ?? ''}${rebase(dir, side[2] ?? '')}` : line;
    })
    .join('\n');
}

function rebase(dir: string, path: string): string {
  return repoPath(dir, path) ?? path;
}
