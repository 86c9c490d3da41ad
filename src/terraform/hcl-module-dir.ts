// Where a local module lives, relative to the root module: Terraform treats a source that starts
// with ./ or ../ as a directory next to the calling module; anything else (registry, git, s3,
// http...) is downloaded by `terraform init` and not read here.
import { posix } from 'node:path';

export function isLocalSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../') || source.startsWith('.\\') || source.startsWith('..\\');
}

/** Directory of a local module relative to the root module dir ('' for the root itself). */
export function localModuleDir(parentDir: string, source: string): string {
  const joined = posix.normalize(posix.join(parentDir || '.', source.replaceAll('\\', '/')));
  const trimmed = joined.replace(/\/+$/, '');
  return trimmed === '.' ? '' : trimmed;
}

/** Directory part of a file path relative to the root module ('' for files in the root). */
export function fileDir(path: string): string {
  const dir = posix.dirname(path);
  return dir === '.' ? '' : dir;
}

/** Normalizes a relative file path to posix separators without a leading ./ */
export function normalizeFilePath(path: string): string {
  const normalized = posix.normalize(path.replaceAll('\\', '/'));
  return normalized.startsWith('./') ? normalized.slice(2) : normalized;
}
