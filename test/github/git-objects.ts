// Git objects of a working tree, hashed as git hashes them (so shas are real and identical
// content has one sha), and the bodies GitHub's Git Data API answers with for them. No network:
// the tests serve them through nock (git-data.ts), the benchmark through a local HTTP server.
import { createHash } from 'node:crypto';

export const API = 'https://api.github.com';

/** A file's text, or a symbolic link to a path, or a submodule at a commit. */
export type FixtureFile = string | { symlink: string } | { submodule: string };

interface TreeObject {
  sha: string;
  entries: { name: string; mode: string; type: 'blob' | 'tree' | 'commit'; sha: string; size?: number }[];
}

export interface GitFixture {
  commitSha: string;
  treeSha: string;
  trees: Map<string, TreeObject>;
  blobs: Map<string, Buffer>;
  /** sha of the blob at a path. */
  blobSha(path: string): string;
}

function gitHash(type: string, body: Buffer): string {
  return createHash('sha1').update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body])).digest('hex');
}

/** Builds the git objects of a working tree. `commitSalt` tells commits of one tree apart. */
export function gitFixture(files: Record<string, FixtureFile>, commitSalt = ''): GitFixture {
  const blobs = new Map<string, Buffer>();
  const trees = new Map<string, TreeObject>();
  const byPath = new Map<string, string>();
  interface Dir {
    files: Map<string, { mode: string; type: 'blob' | 'commit'; sha: string; size?: number }>;
    dirs: Map<string, Dir>;
  }
  const root: Dir = { files: new Map(), dirs: new Map() };
  for (const [path, file] of Object.entries(files)) {
    const parts = path.split('/');
    const name = parts.pop()!;
    let dir = root;
    for (const part of parts) {
      if (!dir.dirs.has(part)) dir.dirs.set(part, { files: new Map(), dirs: new Map() });
      dir = dir.dirs.get(part)!;
    }
    if (typeof file === 'object' && 'submodule' in file) {
      dir.files.set(name, { mode: '160000', type: 'commit', sha: file.submodule });
      continue;
    }
    const body = Buffer.from(typeof file === 'string' ? file : file.symlink);
    const sha = gitHash('blob', body);
    blobs.set(sha, body);
    byPath.set(path, sha);
    dir.files.set(name, { mode: typeof file === 'string' ? '100644' : '120000', type: 'blob', sha, size: body.length });
  }
  const hashDir = (dir: Dir): string => {
    const entries: TreeObject['entries'] = [];
    for (const [name, child] of dir.dirs) entries.push({ name, mode: '040000', type: 'tree', sha: hashDir(child) });
    for (const [name, file] of dir.files) entries.push({ name, ...file });
    // Git orders entries by name, a directory's name as if it ended in "/".
    entries.sort((a, b) => Buffer.compare(Buffer.from(a.type === 'tree' ? `${a.name}/` : a.name), Buffer.from(b.type === 'tree' ? `${b.name}/` : b.name)));
    const body = Buffer.concat(entries.map((entry) => Buffer.concat([Buffer.from(`${entry.mode.replace(/^0/, '')} ${entry.name}\0`), Buffer.from(entry.sha, 'hex')])));
    const sha = gitHash('tree', body);
    trees.set(sha, { sha, entries });
    return sha;
  };
  const treeSha = hashDir(root);
  const commitSha = gitHash('commit', Buffer.from(`tree ${treeSha}\nauthor Dana <dana@example.com> 1765000000 +0000\n\n${commitSalt || 'initial'}\n`));
  return {
    commitSha,
    treeSha,
    trees,
    blobs,
    blobSha(path) {
      const sha = byPath.get(path);
      if (!sha) throw new Error(`no blob at ${path}`);
      return sha;
    },
  };
}

/** Entries of GET git/trees/{sha}, recursive or not, as GitHub lists them. */
export function treeEntries(fixture: GitFixture, treeSha: string, prefix: string, recursive: boolean, owner: string, repo: string): object[] {
  const tree = fixture.trees.get(treeSha)!;
  const out: object[] = [];
  for (const entry of tree.entries) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    const url = entry.type === 'commit' ? undefined : `${API}/repos/${owner}/${repo}/git/${entry.type}s/${entry.sha}`;
    out.push({ path, mode: entry.mode, type: entry.type, sha: entry.sha, ...(entry.size !== undefined ? { size: entry.size } : {}), ...(url ? { url } : {}) });
    if (recursive && entry.type === 'tree') out.push(...treeEntries(fixture, entry.sha, path, true, owner, repo));
  }
  return out;
}

/** The body of GET git/blobs/{sha}: base64 wrapped at 60 characters, as GitHub sends it. */
export function blobResponse(body: Buffer, sha: string, owner: string, repo: string): object {
  const content = (body.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
  return { sha, node_id: `B_${sha.slice(0, 12)}`, size: body.length, url: `${API}/repos/${owner}/${repo}/git/blobs/${sha}`, content, encoding: 'base64' };
}
