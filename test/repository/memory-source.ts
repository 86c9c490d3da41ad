// A repository tree held in memory as a FileSource: paths relative to its root, as the GitHub App
// reads them (the real one, over the Git Data API, is tested in test/github/).
import { readdir, readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { FileEntry, FileSource } from '../../src/terraform/file-source.js';

export function repositorySource(files: Record<string, string>): FileSource & { reads: string[] } {
  const reads: string[] = [];
  const inside = (path: string) => {
    const normalized = posix.normalize(path);
    return normalized === '.' ? '' : normalized;
  };
  return {
    origin: 'repository',
    label: 'acme/infra at 1a2b3c4',
    reads,
    async list(dir) {
      const prefix = inside(dir);
      if (prefix.startsWith('..')) return null;
      const entries = new Map<string, FileEntry>();
      for (const path of Object.keys(files)) {
        if (prefix !== '' && !path.startsWith(`${prefix}/`)) continue;
        const rest = prefix === '' ? path : path.slice(prefix.length + 1);
        const [name, ...more] = rest.split('/');
        entries.set(name!, { name: name!, kind: more.length > 0 ? 'dir' : 'file' });
      }
      return entries.size > 0 ? [...entries.values()] : null;
    },
    async read(path) {
      reads.push(inside(path));
      return files[inside(path)] ?? null;
    },
  };
}


/** Every file under a directory on disk, keyed by `prefix/relative path`. */
export async function filesOnDisk(dir: string, prefix: string, skip: (relative: string) => boolean = () => false): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const absolute = posix.join(entry.parentPath, entry.name);
    const relative = posix.relative(dir, absolute);
    if (skip(relative)) continue;
    out[posix.join(prefix, relative)] = await readFile(absolute, 'utf8');
  }
  return out;
}
