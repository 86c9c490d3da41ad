// One writer call's view of a repository on GitHub: requests with owner and repo filled in,
// counted by route into the call's report, and failures recorded instead of thrown, so one failed
// write never stops the others.
import type { JobLogger } from '../jobs/types.js';
import type { RepoName } from '../repository/types.js';
import type { GitHubClient } from './octokit.js';
import { countRequest, failureOf, type WriteReport } from './write-report.js';

export interface GitHubSession {
  readonly repo: RepoName;
  /** owner/name, as the store keys repositories. */
  readonly repoKey: string;
  readonly botLogin: string | null;
  readonly log: JobLogger;
  readonly now: () => Date;
  readonly report: WriteReport;
  /** One request ("METHOD /repos/{owner}/{repo}/…"), counted. Outside data: read what you use. */
  request(route: string, params?: Record<string, unknown>): Promise<{ status: number; data: unknown }>;
  /** Every page of a paginated list, each page counted as one request. */
  pages(route: string, params?: Record<string, unknown>): AsyncGenerator<unknown[]>;
  /** Runs `fn`; a throw becomes a failure in the report (and a warning), never an exception. */
  attempt<T>(kind: string, identity: string, fn: () => Promise<T>): Promise<T | undefined>;
  fail(kind: string, identity: string, error: unknown): void;
}

export function createGitHubSession(options: { octokit: GitHubClient; repo: RepoName; botLogin: string | null; log: JobLogger; now: () => Date; report: WriteReport }): GitHubSession {
  const { octokit, repo, report, log } = options;
  // Only routes under /repos/{owner}/{repo} take them: on any other GET they would become query
  // parameters.
  const scoped = (route: string, params: Record<string, unknown>) => (route.includes('{owner}') ? { owner: repo.owner, repo: repo.name, ...params } : params);

  async function request(route: string, params: Record<string, unknown> = {}) {
    countRequest(report.requests, route);
    const response = await octokit.request(route, scoped(route, params));
    return { status: response.status, data: response.data as unknown };
  }

  // Follows the `link` header itself (rather than octokit.paginate) so each page is counted as the
  // request it is.
  async function* pages(route: string, params: Record<string, unknown> = {}): AsyncGenerator<unknown[]> {
    countRequest(report.requests, route);
    let response = await octokit.request(route, scoped(route, params));
    yield asArray(response.data);
    for (let next = nextPage(response.headers.link); next; next = nextPage(response.headers.link)) {
      countRequest(report.requests, route);
      response = await octokit.request(`GET ${next}`);
      yield asArray(response.data);
    }
  }

  function fail(kind: string, identity: string, error: unknown) {
    const failure = failureOf(kind, identity, error);
    report.failures.push(failure);
    log.warn({ repo: `${repo.owner}/${repo.name}`, kind, identity, status: failure.status, retryAt: failure.retryAt }, 'GitHub write failed; the others go on');
  }

  async function attempt<T>(kind: string, identity: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      fail(kind, identity, error);
      return undefined;
    }
  }

  return { repo, repoKey: `${repo.owner}/${repo.name}`, botLogin: options.botLogin, log, now: options.now, report, request, pages, attempt, fail };
}

function nextPage(link: string | undefined): string | null {
  return link ? (/<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null) : null;
}

function asArray(data: unknown): unknown[] {
  return Array.isArray(data) ? data : [];
}
