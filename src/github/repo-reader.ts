// Reads a repository at one commit through the Git Data API, never a clone and never one contents
// call per file: one recursive tree per commit, then only the blobs a scan reads.
//
// Caches, shared by every installation the process serves:
// - blobs by sha: content-addressed, so an unchanged file is never fetched twice, in any
//   repository. Sharing across repositories leaks nothing: a blob is only asked for by the sha a
//   tree the caller could read lists.
// - recursive listings by repository and commit sha. The repository is part of the key because
//   a commit sha alone could name a commit of another repository in the same fork network, whose
//   listing this installation may not read.
// - directory listings of a truncated tree by tree sha (content-addressed, like blobs).
// Both are bounded (blobs by size, listings by entry count) and evict the least recently used.
import { posix } from 'node:path';
import type { RepoName } from '../repository/types.js';
import { concurrencyLimit } from './concurrency-limit.js';
import { lruCache } from './lru-cache.js';
import type { GitHubClient } from './octokit.js';

export interface RepoTreeEntry {
  /** Repository-relative path. */
  path: string;
  name: string;
  /** Git file mode: 100644 / 100755 a file, 120000 a symbolic link, 040000 a directory, 160000 a
   * submodule. */
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

/** A repository's tree at one commit. */
export interface RepoTree {
  readonly repo: RepoName;
  readonly commitSha: string;
  /** GitHub cut the recursive listing short (over 100,000 entries or 7 MB): directories are then
   * listed with one non-recursive call each, as they are needed. */
  readonly truncated: boolean;
  /** Entries of a directory ('' for the root), symbolic links not followed; null when there is
   * no such directory. */
  list(dir: string): Promise<RepoTreeEntry[] | null>;
  /** A blob's text (UTF-8), from the cache or GitHub. Throws when GitHub does not give it. */
  readBlob(sha: string): Promise<string>;
}

export interface RepoReadCounts {
  /** GET commits/{ref}: a branch or tag resolved to its commit. */
  commitCalls: number;
  /** GET git/trees: recursive listings, and directories of truncated trees. */
  treeCalls: number;
  blobCalls: number;
  treeCacheHits: number;
  blobCacheHits: number;
}

export interface RepoReaderOptions {
  /** Blob text kept in memory, in characters (bytes for ASCII text). Default 64 MiB. */
  blobCacheBytes?: number;
  /** Tree entries kept in memory, over every cached listing. Default 500,000. */
  treeCacheEntries?: number;
  /** Blob reads in flight at once per tree. Default 8. */
  concurrency?: number;
}

export interface RepoReader {
  /** The tree of `ref`: a commit sha costs one call (none once cached); a branch or tag one more,
   * to resolve it (branches move, so that is never cached). */
  readTree(octokit: GitHubClient, repo: RepoName, ref: string): Promise<RepoTree>;
  /** Calls made and cache hits since the reader was created. */
  counts(): RepoReadCounts;
}

const COMMIT_SHA = /^[0-9a-f]{40}$/i;
const SYMLINK_MODE = '120000';

/** A cached recursive listing: complete (every directory indexed) or truncated (what GitHub
 * gave, used to find subtree shas without walking from the root). */
interface Listing {
  treeSha: string;
  truncated: boolean;
  dirs: Map<string, RepoTreeEntry[]>;
  subtrees: Map<string, string>;
  size: number;
}

interface RawTreeEntry {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string;
}

export function createRepoReader(options: RepoReaderOptions = {}): RepoReader {
  const blobs = lruCache<string, string>({ maxWeight: options.blobCacheBytes ?? 64 * 1024 * 1024, weigh: (text) => text.length });
  const listings = lruCache<string, Listing>({ maxWeight: options.treeCacheEntries ?? 500_000, weigh: (listing) => listing.size + 1 });
  const pending = new Map<string, Promise<unknown>>();
  const counts: RepoReadCounts = { commitCalls: 0, treeCalls: 0, blobCalls: 0, treeCacheHits: 0, blobCacheHits: 0 };
  const concurrency = options.concurrency ?? 8;

  /** One request per key at a time: concurrent scans of one commit share it. */
  function shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    const inFlight = pending.get(key) as Promise<T> | undefined;
    if (inFlight) return inFlight;
    const started = load().finally(() => pending.delete(key));
    pending.set(key, started);
    return started;
  }

  async function resolveCommit(octokit: GitHubClient, repo: RepoName, ref: string): Promise<string> {
    if (COMMIT_SHA.test(ref)) return ref.toLowerCase();
    counts.commitCalls++;
    // The sha media type answers with the 40 hex digits alone, not the commit and its diff.
    const response = await octokit
      .request('GET /repos/{owner}/{repo}/commits/{ref}', { owner: repo.owner, repo: repo.name, ref, mediaType: { format: 'sha' } })
      .catch((error: unknown) => {
        throw githubError(error, `resolve ${ref} in ${repoKey(repo)}`, 'check that the branch, tag or commit exists and the app is installed on the repository');
      });
    const sha = String(response.data as unknown).trim();
    if (!COMMIT_SHA.test(sha)) throw new Error(`GitHub did not answer ${ref} in ${repoKey(repo)} with a commit sha; run the scan again.`);
    return sha.toLowerCase();
  }

  async function recursiveListing(octokit: GitHubClient, repo: RepoName, commitSha: string): Promise<Listing> {
    const key = `commit:${repoKey(repo).toLowerCase()}@${commitSha}`;
    const cached = listings.get(key);
    if (cached) {
      counts.treeCacheHits++;
      return cached;
    }
    return shared(key, async () => {
      counts.treeCalls++;
      // git/trees takes the commit sha itself (a tree-ish): no call to find the commit's tree.
      const { data } = await octokit.rest.git
        .getTree({ owner: repo.owner, repo: repo.name, tree_sha: commitSha, recursive: '1' })
        .catch((error: unknown) => {
          throw githubError(error, `read the tree of ${repoKey(repo)} at ${commitSha.slice(0, 7)}`, 'check that the commit exists and the app can read the repository contents');
        });
      const listing = indexListing(data.sha, data.truncated, data.tree.map(toEntry).filter((entry) => entry !== null));
      listings.set(key, listing);
      return listing;
    });
  }

  async function directory(octokit: GitHubClient, repo: RepoName, treeSha: string, dir: string): Promise<RepoTreeEntry[]> {
    const key = `tree:${treeSha}`;
    const cached = listings.get(key);
    let names: RepoTreeEntry[];
    if (cached) {
      counts.treeCacheHits++;
      names = cached.dirs.get('') ?? [];
    } else {
      names = await shared(key, async () => {
        counts.treeCalls++;
        const { data } = await octokit.rest.git.getTree({ owner: repo.owner, repo: repo.name, tree_sha: treeSha }).catch((error: unknown) => {
          throw githubError(error, `read the directory ${dir || '/'} of ${repoKey(repo)}`, 'run the scan again');
        });
        const entries = data.tree.map(toEntry).filter((entry) => entry !== null);
        listings.set(key, { treeSha, truncated: false, dirs: new Map([['', entries]]), subtrees: new Map(), size: entries.length });
        return entries;
      });
    }
    // Cached relative to the subtree (it may sit at other paths in other commits).
    return dir === '' ? names : names.map((entry) => ({ ...entry, path: `${dir}/${entry.name}` }));
  }

  async function readBlob(octokit: GitHubClient, repo: RepoName, sha: string, limit: ReturnType<typeof concurrencyLimit>): Promise<string> {
    const cached = blobs.get(sha);
    if (cached !== undefined) {
      counts.blobCacheHits++;
      return cached;
    }
    return shared(`blob:${sha}`, () =>
      limit(async () => {
        counts.blobCalls++;
        const { data } = await octokit.rest.git.getBlob({ owner: repo.owner, repo: repo.name, file_sha: sha }).catch((error: unknown) => {
          throw githubError(error, `read blob ${sha.slice(0, 7)} of ${repoKey(repo)}`, 'run the scan again; if it keeps failing, check the app can read the repository contents');
        });
        const text = data.encoding === 'base64' ? Buffer.from(data.content, 'base64').toString('utf8') : data.content;
        blobs.set(sha, text);
        return text;
      }),
    );
  }

  return {
    async readTree(octokit, repo, ref) {
      const commitSha = await resolveCommit(octokit, repo, ref);
      const listing = await recursiveListing(octokit, repo, commitSha);
      const limit = concurrencyLimit(concurrency);
      const blob = (sha: string) => readBlob(octokit, repo, sha, limit);
      if (!listing.truncated) {
        return { repo, commitSha, truncated: false, list: async (dir) => listing.dirs.get(dir) ?? null, readBlob: blob };
      }
      // Truncated: the partial listing still gives true shas for the subtrees it reached; each
      // directory's full entries come from one non-recursive call, made when it is first listed.
      const listed = new Map<string, Promise<RepoTreeEntry[] | null>>();
      const list = (dir: string): Promise<RepoTreeEntry[] | null> => {
        let found = listed.get(dir);
        if (!found) {
          found = (async () => {
            const sha = dir === '' ? listing.treeSha : (listing.subtrees.get(dir) ?? (await subtreeSha(list, dir)));
            return sha === null ? null : directory(octokit, repo, sha, dir);
          })();
          listed.set(dir, found);
        }
        return found;
      };
      return { repo, commitSha, truncated: true, list, readBlob: blob };
    },
    counts: () => ({ ...counts }),
  };
}

async function subtreeSha(list: (dir: string) => Promise<RepoTreeEntry[] | null>, dir: string): Promise<string | null> {
  const parent = posix.dirname(dir);
  const entries = await list(parent === '.' ? '' : parent);
  const entry = entries?.find((candidate) => candidate.name === posix.basename(dir));
  return entry?.type === 'tree' ? entry.sha : null;
}

function indexListing(treeSha: string, truncated: boolean, entries: RepoTreeEntry[]): Listing {
  const dirs = new Map<string, RepoTreeEntry[]>([['', []]]);
  const subtrees = new Map<string, string>();
  for (const entry of entries) {
    if (entry.type === 'tree') {
      subtrees.set(entry.path, entry.sha);
      if (!dirs.has(entry.path)) dirs.set(entry.path, []);
    }
    const parent = posix.dirname(entry.path);
    const key = parent === '.' ? '' : parent;
    const siblings = dirs.get(key);
    if (siblings) siblings.push(entry);
    else dirs.set(key, [entry]);
  }
  // A truncated listing's directories may be missing entries: only its subtree shas are used.
  return { treeSha, truncated, dirs: truncated ? new Map() : dirs, subtrees, size: entries.length };
}

function toEntry(raw: RawTreeEntry): RepoTreeEntry | null {
  if (!raw.path || !raw.sha || !raw.mode) return null;
  if (raw.type !== 'blob' && raw.type !== 'tree' && raw.type !== 'commit') return null;
  return { path: raw.path, name: posix.basename(raw.path), mode: raw.mode, type: raw.type, sha: raw.sha };
}

function repoKey(repo: RepoName): string {
  return `${repo.owner}/${repo.name}`;
}

export function isSymlink(entry: RepoTreeEntry): boolean {
  return entry.type === 'blob' && entry.mode === SYMLINK_MODE;
}

/** GitHub's answer, worded for the reader: what failed, the status, and what to do. */
function githubError(error: unknown, what: string, fix: string): Error {
  const status = (error as { status?: number } | null)?.status;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const answered = status ? `GitHub answered ${status}: ${message}` : message;
  return Object.assign(new Error(`cannot ${what} (${answered}); ${fix}`, { cause: error }), status ? { status } : {});
}
