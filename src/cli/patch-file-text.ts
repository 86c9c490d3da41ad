// The --patch-file text: every file diff of the patch set with its paths seen from the directory
// the CLI runs in, so that `git apply` there takes it (the report's diffs are relative to the
// root module, which is where the JSON contract puts every path).
import path from 'node:path';

/** `prefix` for a root module `dir` seen from `cwd`: "infra/prod/", or "" when the module is
 * the working directory or outside it (then the diff applies from the module). */
export function pathPrefix(cwd: string, dir: string): string {
  const relative = path.relative(cwd, dir).split(path.sep).join('/');
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? '' : `${relative}/`;
}

export function patchFileText(files: readonly { path: string; diff: string }[], prefix: string): string {
  return files.map((file) => (prefix === '' ? file.diff : withPrefix(file.diff, file.path, prefix))).join('');
}

/** Rewrites the header lines (before the first hunk) that name the file. */
function withPrefix(diff: string, file: string, prefix: string): string {
  const lines = diff.split('\n');
  const replacements = new Map([
    [`diff --git a/${file} b/${file}`, `diff --git a/${prefix}${file} b/${prefix}${file}`],
    [`--- a/${file}`, `--- a/${prefix}${file}`],
    [`+++ b/${file}`, `+++ b/${prefix}${file}`],
  ]);
  for (let i = 0; i < lines.length && !(lines[i] as string).startsWith('@@'); i++) {
    lines[i] = replacements.get(lines[i] as string) ?? (lines[i] as string);
  }
  return lines.join('\n');
}
