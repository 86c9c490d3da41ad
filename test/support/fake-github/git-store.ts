// A repository's git objects, hashed as git hashes them: a blob's sha is the sha-1 of
// "blob <size>\0<bytes>", a tree's of its sorted binary entries, a commit's of its text. So the
// shas the fake answers with are real (identical content has one sha, a changed file changes
// every tree above it), and what the app caches by sha behaves as it does against GitHub.
import { createHash } from 'node:crypto';

export type EntryType = 'blob' | 'tree' | 'commit';

export interface TreeEntry {
  name: string;
  /** 100644 file, 100755 executable, 120000 symbolic link, 040000 directory, 160000 submodule. */
  mode: string;
  type: EntryType;
  sha: string;
}

export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: { name: string; email: string; date: string };
}

/** One entry of POST git/trees: content (a new blob), a sha, or null (delete the path). */
export interface TreeWrite {
  path: string;
  mode: string;
  type: EntryType;
  content?: string;
  sha?: string | null;
}

export class GitError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function gitHash(type: string, body: Buffer): string {
  return createHash('sha1').update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body])).digest('hex');
}

function sortKey(entry: TreeEntry): Buffer {
  // Git orders entries by name, a directory's name as if it ended in "/".
  return Buffer.from(entry.type === 'tree' ? `${entry.name}/` : entry.name);
}

export class GitStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly commits = new Map<string, GitCommit>();

  writeBlob(content: Buffer | string): string {
    const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const sha = gitHash('blob', body);
    this.blobs.set(sha, body);
    return sha;
  }

  writeTree(entries: TreeEntry[]): string {
    const sorted = [...entries].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
    const body = Buffer.concat(sorted.map((entry) => Buffer.concat([Buffer.from(`${entry.mode.replace(/^0/, '')} ${entry.name}\0`), Buffer.from(entry.sha, 'hex')])));
    const sha = gitHash('tree', body);
    this.trees.set(sha, sorted);
    return sha;
  }

  writeCommit(input: { tree: string; parents: string[]; message: string; author: GitCommit['author'] }): string {
    if (!this.trees.has(input.tree)) throw new GitError(422, 'Tree SHA does not exist');
    for (const parent of input.parents) if (!this.commits.has(parent)) throw new GitError(422, 'Parent SHA does not exist or is not a commit object');
    const seconds = Math.floor(Date.parse(input.author.date) / 1000);
    const who = `${input.author.name} <${input.author.email}> ${seconds} +0000`;
    const text = [`tree ${input.tree}`, ...input.parents.map((parent) => `parent ${parent}`), `author ${who}`, `committer ${who}`, '', input.message].join('\n');
    const sha = gitHash('commit', Buffer.from(text));
    this.commits.set(sha, { sha, tree: input.tree, parents: [...input.parents], message: input.message, author: input.author });
    return sha;
  }

  /** The tree of a whole working tree given as path → text. */
  treeOfFiles(files: Record<string, string>): string {
    return this.applyWrites(null, Object.entries(files).map(([path, content]) => ({ path, mode: '100644', type: 'blob', content })));
  }

  /** POST git/trees: `writes` on top of `baseTree` (null: an empty tree). */
  applyWrites(baseTree: string | null, writes: TreeWrite[]): string {
    if (baseTree !== null && !this.trees.has(baseTree)) throw new GitError(422, 'Invalid tree info');
    const files = new Map<string, { mode: string; type: EntryType; sha: string }>();
    if (baseTree !== null) for (const [path, entry] of this.flatten(baseTree)) files.set(path, entry);
    for (const write of writes) {
      if (write.path === '' || write.path.startsWith('/') || write.path.endsWith('/')) throw new GitError(422, `tree.path contains a malformed path component`);
      if (write.sha === null) {
        files.delete(write.path);
        continue;
      }
      const sha = write.content !== undefined ? this.writeBlob(write.content) : write.sha;
      if (sha === undefined) throw new GitError(422, 'Must supply tree.sha or tree.content');
      if (write.type === 'blob' && !this.blobs.has(sha)) throw new GitError(422, `tree.sha ${sha} is not a valid blob`);
      files.set(write.path, { mode: write.mode, type: write.type, sha });
    }
    return this.build(files);
  }

  /** Every file under a tree, by path (directories expanded). */
  flatten(treeSha: string, prefix = ''): Map<string, { mode: string; type: EntryType; sha: string }> {
    const out = new Map<string, { mode: string; type: EntryType; sha: string }>();
    for (const entry of this.trees.get(treeSha) ?? []) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.type === 'tree') for (const [inner, value] of this.flatten(entry.sha, path)) out.set(inner, value);
      else out.set(path, { mode: entry.mode, type: entry.type, sha: entry.sha });
    }
    return out;
  }

  /** Every file's text under a commit's tree (submodules left out). */
  filesOf(commitSha: string): Record<string, string> {
    const commit = this.commits.get(commitSha);
    if (!commit) throw new GitError(404, 'No commit found');
    const out: Record<string, string> = {};
    for (const [path, entry] of this.flatten(commit.tree)) if (entry.type === 'blob') out[path] = this.blobs.get(entry.sha)?.toString('utf8') ?? '';
    return out;
  }

  /** The entry at a path of a tree ('' is the tree itself). */
  entryAt(treeSha: string, path: string): { mode: string; type: EntryType; sha: string } | null {
    if (path === '') return { mode: '040000', type: 'tree', sha: treeSha };
    let current = treeSha;
    const parts = path.split('/');
    for (let index = 0; index < parts.length; index++) {
      const entry = (this.trees.get(current) ?? []).find((candidate) => candidate.name === parts[index]);
      if (!entry) return null;
      if (index === parts.length - 1) return { mode: entry.mode, type: entry.type, sha: entry.sha };
      if (entry.type !== 'tree') return null;
      current = entry.sha;
    }
    return null;
  }

  private build(files: Map<string, { mode: string; type: EntryType; sha: string }>): string {
    interface Dir {
      entries: TreeEntry[];
      dirs: Map<string, Dir>;
    }
    const root: Dir = { entries: [], dirs: new Map() };
    for (const [path, file] of files) {
      const parts = path.split('/');
      const name = parts.pop()!;
      let dir = root;
      for (const part of parts) {
        let next = dir.dirs.get(part);
        if (!next) {
          next = { entries: [], dirs: new Map() };
          dir.dirs.set(part, next);
        }
        dir = next;
      }
      dir.entries.push({ name, ...file });
    }
    const write = (dir: Dir): string => this.writeTree([...dir.entries, ...[...dir.dirs].map(([name, child]) => ({ name, mode: '040000', type: 'tree' as const, sha: write(child) }))]);
    return write(root);
  }
}
