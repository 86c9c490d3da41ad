// The local disk as a FileSource: paths are resolved against the working directory, symbolic
// links are followed (as Terraform follows them).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FileEntry, FileSource } from './file-source.js';

export function diskFileSource(): FileSource {
  return {
    origin: 'disk',
    label: 'the local disk',
    async list(dir) {
      const absolute = resolve(dir);
      const entries = await readdir(absolute, { withFileTypes: true }).catch(() => null);
      if (!entries) return null;
      const found: FileEntry[] = [];
      for (const entry of entries) {
        if (entry.isFile()) found.push({ name: entry.name, kind: 'file' });
        else if (entry.isDirectory()) found.push({ name: entry.name, kind: 'dir' });
        else if (entry.isSymbolicLink()) {
          const target = await stat(join(absolute, entry.name)).catch(() => null);
          if (target?.isFile()) found.push({ name: entry.name, kind: 'file' });
          else if (target?.isDirectory()) found.push({ name: entry.name, kind: 'dir' });
        }
      }
      return found;
    },
    async read(path) {
      try {
        return await readFile(resolve(path), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
  };
}
