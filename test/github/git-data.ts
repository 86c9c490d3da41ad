// A repository served through nock the way GitHub's Git Data API serves it: objects hashed as git
// hashes them (so shas are real and identical content has one sha), trees and blobs in the
// shapes of GET git/trees/{sha}[?recursive=1] and GET git/blobs/{sha}, and every call counted.
import { createHash } from 'node:crypto';
import nock from 'nock';
import { ProbotOctokit } from 'probot';
import type { GitHubClient } from '../../src/github/octokit.js';

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

export interface GitCalls {
  trees: string[];
  recursiveTrees: string[];
  blobs: string[];
  commits: string[];
  /** Most blob requests in flight at one time. */
  maxConcurrentBlobs: number;
}

export function client(): GitHubClient {
  return new ProbotOctokit({ auth: { token: 't' }, retry: { enabled: false }, throttle: { enabled: false } });
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

function treeEntries(fixture: GitFixture, treeSha: string, prefix: string, recursive: boolean, owner: string, repo: string): object[] {
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

export interface ServeOptions {
  /** Answer the recursive listing with only this many entries and truncated: true. */
  truncateAt?: number;
  /** Branches and tags: ref → commit sha, answered by GET commits/{ref} (sha media type). */
  refs?: Record<string, string>;
  /** Milliseconds before each answer. */
  delayMs?: number;
  /** Blob shas answered with this status instead. */
  failBlobs?: Map<string, number>;
}

/** Serves these commits of owner/repo until nock is cleaned; returns the calls made. */
export function serveGitData(owner: string, repo: string, commits: GitFixture[], options: ServeOptions = {}): GitCalls {
  const calls: GitCalls = { trees: [], recursiveTrees: [], blobs: [], commits: [], maxConcurrentBlobs: 0 };
  let inFlight = 0;
  const byCommit = new Map(commits.map((fixture) => [fixture.commitSha, fixture]));
  const delay = options.delayMs ?? 0;
  const scope = nock(API).persist();
  scope.get(new RegExp(`^/repos/${owner}/${repo}/commits/([^/?]+)$`)).reply(function (uri) {
    const ref = decodeURIComponent(uri.split('/').pop()!);
    calls.commits.push(ref);
    const sha = options.refs?.[ref];
    if (!sha) return [422, { message: `No commit found for SHA: ${ref}`, documentation_url: 'https://docs.github.com/rest/commits/commits#get-a-commit', status: '422' }];
    return [200, sha, { 'content-type': 'application/vnd.github.sha; charset=utf-8' }];
  });
  scope
    .get(new RegExp(`^/repos/${owner}/${repo}/git/trees/([0-9a-f]{40})(\\?recursive=1)?$`))
    .delay(delay)
    .reply(function (uri) {
      const [, sha, recursive] = /trees\/([0-9a-f]{40})(\?recursive=1)?/.exec(uri)!;
      const commit = byCommit.get(sha!);
      const treeSha = commit ? commit.treeSha : sha!;
      const fixture = commit ?? commits.find((candidate) => candidate.trees.has(sha!));
      if (recursive) calls.recursiveTrees.push(sha!);
      else calls.trees.push(sha!);
      if (!fixture) return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/git/trees#get-a-tree', status: '404' }];
      let tree = treeEntries(fixture, treeSha, '', Boolean(recursive), owner, repo);
      let truncated = false;
      if (recursive && options.truncateAt !== undefined && tree.length > options.truncateAt) {
        tree = tree.slice(0, options.truncateAt);
        truncated = true;
      }
      return [200, { sha: treeSha, url: `${API}/repos/${owner}/${repo}/git/trees/${treeSha}`, tree, truncated }];
    });
  scope
    .get(new RegExp(`^/repos/${owner}/${repo}/git/blobs/([0-9a-f]{40})$`))
    .reply(function (uri, _body, callback) {
      const sha = uri.split('/').pop()!;
      calls.blobs.push(sha);
      inFlight++;
      calls.maxConcurrentBlobs = Math.max(calls.maxConcurrentBlobs, inFlight);
      setTimeout(() => {
        inFlight--;
        const status = options.failBlobs?.get(sha);
        if (status) return callback(null, [status, { message: 'Server Error' }]);
        const body = commits.map((fixture) => fixture.blobs.get(sha)).find(Boolean);
        if (!body) return callback(null, [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/git/blobs#get-a-blob', status: '404' }]);
        // GitHub wraps base64 content at 60 characters.
        const content = (body.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
        callback(null, [200, { sha, node_id: `B_${sha.slice(0, 12)}`, size: body.length, url: `${API}/repos/${owner}/${repo}/git/blobs/${sha}`, content, encoding: 'base64' }]);
      }, delay);
    });
  return calls;
}
