// A repository served through nock the way GitHub's Git Data API serves it: trees and blobs in
// the shapes of GET git/trees/{sha}[?recursive=1] and GET git/blobs/{sha}, every call counted.
import nock from 'nock';
import { ProbotOctokit } from 'probot';
import type { GitHubClient } from '../../src/github/octokit.js';
import { API, blobResponse, treeEntries, type GitFixture } from './git-objects.js';

export { API, gitFixture, type FixtureFile, type GitFixture } from './git-objects.js';

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
        callback(null, [200, blobResponse(body, sha, owner, repo)]);
      }, delay);
    });
  return calls;
}
