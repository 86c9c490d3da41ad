// A repository's tree at one commit as a FileSource, so the scan's loaders read the GitHub App's
// repositories exactly as they read the CLI's disk. Paths are relative to the repository root;
// a path that leaves the root reads as absent.
//
// Symbolic links (mode 120000) are followed within the repository, as Terraform follows them on
// disk: monorepos link a shared providers.tf or a modules directory into each root module. A
// link whose target leaves the repository, does not exist, or loops (more than 40 links) reads
// as absent and is not listed. Submodules (mode 160000) are another repository at another
// commit: they read as absent too.
import { posix } from 'node:path';
import type { FileEntry, FileSource } from '../terraform/file-source.js';
import { isSymlink, type RepoTree, type RepoTreeEntry } from './repo-reader.js';

export interface TreeFileSourceOptions {
  /** For messages; default "owner/name at 1a2b3c4". */
  label?: string;
  /** Files whose blobs are fetched, in parallel, as soon as their directory is listed: the
   * loaders list a directory, then read its Terraform files one after the other. Default: .tf,
   * .tf.json and variable files. */
  prefetch?: (name: string) => boolean;
}

/** Terraform reads these (and skips hidden and editor files). */
const TERRAFORM_FILE = /^[^.#].*(\.tf|\.tf\.json|\.tfvars|\.tfvars\.json)$/;
const MAX_LINKS = 40;
const ROOT: RepoTreeEntry = { path: '', name: '', mode: '040000', type: 'tree', sha: '' };

export function treeFileSource(tree: RepoTree, options: TreeFileSourceOptions = {}): FileSource {
  const label = options.label ?? `${tree.repo.owner}/${tree.repo.name} at ${tree.commitSha.slice(0, 7)}`;
  const prefetch = options.prefetch ?? ((name: string) => TERRAFORM_FILE.test(name));

  /** The entry at `path` with links in its directories followed, the last one not. */
  async function lookup(path: string, links: { count: number }): Promise<RepoTreeEntry | null> {
    const inside = insideRoot(path);
    if (inside === null) return null;
    if (inside === '') return ROOT;
    const parent = parentOf(inside);
    // A directory the tree lists is a real one (git keeps no paths below a link), so the fast
    // path needs no walk; otherwise a link sits above it and the parent is resolved first.
    let entries = await tree.list(parent);
    if (entries === null) {
      const resolved = await follow(parent, links);
      if (resolved?.type !== 'tree') return null;
      entries = await tree.list(resolved.path);
    }
    return entries?.find((entry) => entry.name === posix.basename(inside)) ?? null;
  }

  /** The entry at `path` with every link followed. */
  async function follow(path: string, links: { count: number }): Promise<RepoTreeEntry | null> {
    let entry = await lookup(path, links);
    while (entry && isSymlink(entry)) {
      if (++links.count > MAX_LINKS) return null;
      const target = await tree.readBlob(entry.sha);
      if (target.startsWith('/')) return null;
      const next = insideRoot(posix.join(parentOf(entry.path), target));
      if (next === null) return null;
      entry = await lookup(next, links);
    }
    return entry;
  }

  return {
    origin: 'repository',
    label,
    async list(dir) {
      const target = await follow(dir, { count: 0 });
      if (target?.type !== 'tree') return null;
      const entries = (await tree.list(target.path)) ?? [];
      const kinds = await Promise.all(
        entries.map(async (entry): Promise<FileEntry['kind'] | null> => {
          if (entry.type === 'tree') return 'dir';
          if (entry.type === 'commit') return null;
          if (!isSymlink(entry)) {
            // Started now, awaited by read(); a failure surfaces there, not here.
            if (prefetch(entry.name)) tree.readBlob(entry.sha).catch(() => undefined);
            return 'file';
          }
          const resolved = await follow(entry.path, { count: 0 });
          if (!resolved || resolved.type === 'commit') return null;
          return resolved.type === 'tree' ? 'dir' : 'file';
        }),
      );
      const found: FileEntry[] = [];
      entries.forEach((entry, index) => {
        const kind = kinds[index];
        if (kind) found.push({ name: entry.name, kind });
      });
      return found;
    },
    async read(path) {
      const entry = await follow(path, { count: 0 });
      if (!entry || entry.type === 'commit') return null;
      if (entry.type === 'tree') throw Object.assign(new Error(`${path} is a directory in ${label}, not a file`), { code: 'EISDIR' });
      // A blob GitHub does not give throws (the reader's error says why): never read as absent.
      return tree.readBlob(entry.sha);
    },
  };
}

/** Repository-relative posix path ('' for the root), or null when it leaves the repository. */
function insideRoot(path: string): string | null {
  const slashed = path.replaceAll('\\', '/');
  if (slashed.startsWith('/')) return null;
  const normalized = posix.normalize(slashed).replace(/\/+$/, '');
  if (normalized === '.' || normalized === '') return '';
  if (normalized === '..' || normalized.startsWith('../')) return null;
  return normalized;
}

function parentOf(path: string): string {
  const parent = posix.dirname(path);
  return parent === '.' ? '' : parent;
}
