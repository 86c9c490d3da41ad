// Named nock routes for the GitHub REST API, one per call the app makes, answering with real
// response shapes (github-responses.ts). Every request a route answers is recorded in `sent`, in
// order, so tests assert what was written and in which order. Each helper returns its nock scope.
import nock from 'nock';
import {
  BOT,
  REPO,
  branchJson,
  checkRunJson,
  commentJson,
  errorJson,
  gitCommitJson,
  issueJson,
  labelJson,
  pullJson,
  refJson,
  searchResultJson,
  treeJson,
  type IssueOptions,
} from './github-responses.js';

export const API = 'https://api.github.com';

export interface SentRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

type Json = Record<string, unknown>;
type Headers = Record<string, string>;

/** A failure answer for any route: status, GitHub's JSON error body, headers. */
export interface Failure {
  status: number;
  body: Json;
  headers?: Headers;
}

export function secondaryRateLimit(retryAfterSeconds?: number): Failure {
  return {
    status: 403,
    body: errorJson('You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 8C3A:2D3F:1A2B3C:4D5E6F:66A1B2C3.', 403, 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'),
    headers: {
      ...(retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }),
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4890',
      'x-ratelimit-used': '110',
      'x-ratelimit-resource': 'core',
    },
  };
}

export function tooManyRequests(retryAfterSeconds: number): Failure {
  return { status: 429, body: errorJson('Too Many Requests', 429), headers: { 'retry-after': String(retryAfterSeconds) } };
}

export function primaryRateLimit(resetEpochSeconds: number): Failure {
  return {
    status: 403,
    body: errorJson('API rate limit exceeded for installation ID 4242.', 403, 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit'),
    headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': String(resetEpochSeconds), 'x-ratelimit-resource': 'core' },
  };
}

export function serverError(status = 500): Failure {
  return { status, body: status === 502 ? { message: 'Server Error' } : errorJson('Server Error', status) };
}

export function notAccessible(): Failure {
  return { status: 403, body: errorJson('Resource not accessible by integration', 403, 'https://docs.github.com/rest/issues/issues#create-an-issue') };
}

export function validationFailed(message: string, errors: Json[] = []): Failure {
  return { status: 422, body: { ...errorJson(message, 422), errors } };
}

export function mockGitHub(repo: { owner: string; name: string } = REPO) {
  const sent: SentRequest[] = [];
  const base = `/repos/${repo.owner}/${repo.name}`;
  const api = () => nock(API);

  function record(method: string, uri: string, body: unknown) {
    const parsed = typeof body === 'string' && body !== '' ? (JSON.parse(body) as Json) : body && typeof body === 'object' ? (body as Json) : null;
    sent.push({ method, path: decodeURIComponent(uri), body: parsed });
    return parsed ?? {};
  }

  /** Answers with `failure` if given, else with `answer(body)` and `status`. */
  function reply(scope: nock.Interceptor, method: string, status: number, answer: (body: Json, uri: string) => Json | Json[] | string, failure?: Failure, headers?: Headers) {
    return scope.reply((uri, body) => {
      const parsed = record(method, uri, body);
      if (failure) return [failure.status, failure.body, failure.headers ?? {}];
      return [status, answer(parsed, uri), headers ?? {}];
    });
  }

  return {
    sent,
    /** Everything but GET: what was written, in order. */
    writes: () => sent.filter((request) => request.method !== 'GET'),
    reads: () => sent.filter((request) => request.method === 'GET'),

    /** GET /repos/{o}/{r}/issues?creator=<bot>&state=open, one page per array, linked by `link`. */
    listOpenIssues(pages: IssueOptions[][] | IssueOptions[], options: { creator?: string; failure?: Failure } = {}) {
      const list = (Array.isArray(pages[0]) ? pages : [pages]) as IssueOptions[][];
      const scope = api();
      list.forEach((page, index) => {
        const query: Record<string, string> = { creator: options.creator ?? BOT, state: 'open', per_page: '100', ...(index > 0 ? { page: String(index + 1) } : {}) };
        const next = index + 1 < list.length ? { link: `<${API}${base}/issues?creator=${encodeURIComponent(options.creator ?? BOT)}&state=open&per_page=100&page=${index + 2}>; rel="next", <${API}${base}/issues?creator=${encodeURIComponent(options.creator ?? BOT)}&state=open&per_page=100&page=${list.length}>; rel="last"` } : undefined;
        reply(scope.get(`${base}/issues`).query(query), 'GET', 200, () => page.map((issue) => issueJson(issue, repo)), options.failure, next);
      });
      return scope;
    },

    /** GET /repos/{o}/{r}/issues?labels=drift&state=open: the listing without a bot login. */
    /** The app's issues closed since `since`: where search's lag is covered. */
    listRecentlyClosedIssues(since: string, issues: IssueOptions[], options: { creator?: string | null; failure?: Failure } = {}) {
      const who = options.creator === null ? { labels: 'drift' } : { creator: options.creator ?? BOT };
      return reply(api().get(`${base}/issues`).query({ ...who, state: 'closed', since, per_page: '100' }), 'GET', 200, () => issues.map((issue) => issueJson(issue, repo)), options.failure);
    },

    listOpenIssuesByLabel(issues: IssueOptions[]) {
      return reply(api().get(`${base}/issues`).query({ labels: 'drift', state: 'open', per_page: '100' }), 'GET', 200, () => issues.map((issue) => issueJson(issue, repo)));
    },

    getIssue(issue: IssueOptions, failure?: Failure) {
      return reply(api().get(`${base}/issues/${issue.number}`), 'GET', 200, () => issueJson(issue, repo), failure);
    },

    /** GET /search/issues: answers `items` to a query on this repository; the query is in `sent`. */
    searchIssues(items: IssueOptions[], failure?: Failure) {
      const scope = api()
        .get('/search/issues')
        .query((query) => typeof query.q === 'string' && query.q.startsWith(`repo:${repo.owner}/${repo.name} is:issue `));
      return reply(scope, 'GET', 200, () => searchResultJson(items.map((item) => ({ ...issueJson(item, repo), score: 1 }))), failure);
    },

    listLabels(names: string[]) {
      return reply(api().get(`${base}/labels`).query({ per_page: '100' }), 'GET', 200, () => names.map((name) => labelJson(name, {}, repo)));
    },

    createLabel(times = 1) {
      return reply(api().post(`${base}/labels`).times(times), 'POST', 201, (body) => labelJson(String(body.name), { color: String(body.color), description: (body.description as string | undefined) ?? null }, repo));
    },

    createIssue(number: number, failure?: Failure) {
      return reply(api().post(`${base}/issues`), 'POST', 201, (body) => issueJson({ number, title: String(body.title), body: (body.body as string) ?? null, labels: (body.labels as string[]) ?? [] }, repo), failure);
    },

    /** PATCH /repos/{o}/{r}/issues/{n}: answers the issue with the fields sent. */
    updateIssue(number: number, current: Omit<IssueOptions, 'number'> = {}, failure?: Failure) {
      return reply(
        api().patch(`${base}/issues/${number}`),
        'PATCH',
        200,
        (body) =>
          issueJson(
            {
              ...current,
              number,
              ...(body.title === undefined ? {} : { title: String(body.title) }),
              ...(body.body === undefined ? {} : { body: String(body.body) }),
              ...(body.labels === undefined ? {} : { labels: body.labels as string[] }),
              ...(body.state === undefined ? {} : { state: body.state as 'open' | 'closed' }),
            },
            repo,
          ),
        failure,
      );
    },

    listComments(number: number, comments: { id: number; body: string; user?: string; createdAt?: string }[]) {
      return reply(api().get(`${base}/issues/${number}/comments`).query(true), 'GET', 200, () => comments.map((comment) => commentJson({ ...comment, issueNumber: number }, repo)));
    },

    createComment(number: number, failure?: Failure) {
      let id = 2871000000 + number * 10;
      return reply(api().post(`${base}/issues/${number}/comments`), 'POST', 201, (body) => commentJson({ id: id++, issueNumber: number, body: String(body.body) }, repo), failure);
    },

    createCheckRun(id: number, failure?: Failure) {
      return reply(api().post(`${base}/check-runs`), 'POST', 201, (body) => checkRunJson({ id, name: String(body.name), headSha: String(body.head_sha), status: String(body.status ?? 'queued'), conclusion: (body.conclusion as string) ?? null, output: body.output as Json }, repo), failure);
    },

    updateCheckRun(id: number, options: { times?: number; headSha?: string } = {}, failure?: Failure) {
      return reply(api().patch(`${base}/check-runs/${id}`).times(options.times ?? 1), 'PATCH', 200, (body) => checkRunJson({ id, headSha: options.headSha ?? 'f'.repeat(40), status: String(body.status ?? 'completed'), conclusion: (body.conclusion as string) ?? 'neutral', output: body.output as Json }, repo), failure);
    },

    getBranch(name: string, head: { sha: string; treeSha: string }) {
      return reply(api().get(`${base}/branches/${name}`), 'GET', 200, () => branchJson({ name, ...head }, repo));
    },

    createTree(sha: string, failure?: Failure) {
      return reply(api().post(`${base}/git/trees`), 'POST', 201, (body) => treeJson({ sha, entries: (body.tree as { path: string; content?: string }[]) ?? [] }, repo), failure);
    },

    createCommit(sha: string) {
      return reply(api().post(`${base}/git/commits`), 'POST', 201, (body) => gitCommitJson({ sha, treeSha: String(body.tree), parent: String((body.parents as string[])[0]), message: String(body.message) }, repo));
    },

    createRef(failure?: Failure) {
      return reply(api().post(`${base}/git/refs`), 'POST', 201, (body) => refJson({ ref: String(body.ref), sha: String(body.sha) }, repo), failure);
    },

    updateRef(branch: string, failure?: Failure) {
      return reply(api().patch(`${base}/git/refs/heads/${branch}`), 'PATCH', 200, (body) => refJson({ ref: `refs/heads/${branch}`, sha: String(body.sha) }, repo), failure);
    },

    deleteRef(branch: string, failure?: Failure) {
      return reply(api().delete(`${base}/git/refs/heads/${branch}`), 'DELETE', 204, () => '', failure);
    },

    /** GET /repos/{o}/{r}/pulls?head=<owner>:<branch>&state=all, newest first. */
    listPulls(branch: string, pulls: Omit<PullOptionsLite, 'branch'>[], state: 'all' | 'open' = 'all') {
      return reply(
        api().get(`${base}/pulls`).query({ head: `${repo.owner}:${branch}`, state, sort: 'created', direction: 'desc', per_page: '100' }),
        'GET',
        200,
        () => pulls.map((pull) => pullJson({ ...pull, branch }, repo)),
      );
    },

    createPull(number: number, failure?: Failure) {
      return reply(api().post(`${base}/pulls`), 'POST', 201, (body) => pullJson({ number, branch: String(body.head), title: String(body.title), body: (body.body as string) ?? null }, repo), failure);
    },

    updatePull(number: number, branch: string, failure?: Failure) {
      return reply(
        api().patch(`${base}/pulls/${number}`),
        'PATCH',
        200,
        (body) => pullJson({ number, branch, ...(body.title === undefined ? {} : { title: String(body.title) }), ...(body.body === undefined ? {} : { body: String(body.body) }), state: (body.state as 'open' | 'closed') ?? 'open' }, repo),
        failure,
      );
    },
  };
}

type PullOptionsLite = Parameters<typeof pullJson>[0];

export type GitHubMock = ReturnType<typeof mockGitHub>;

/**
 * A small stateful GitHub issue tracker for one repository, answered by nock:
 * listing (state, creator, labels; 100 a page), get, create and update issues, comments, labels,
 * and search by word or quoted title phrase. Search lags writes as GitHub's does: it sees only
 * issues that existed at the last `indexSearch()` (the tracker's creation included).
 */
export function fakeIssueTracker(options: { repo?: { owner: string; name: string }; issues?: IssueOptions[]; labels?: string[] } = {}) {
  const repo = options.repo ?? REPO;
  const base = `/repos/${repo.owner}/${repo.name}`;
  const issues = new Map<number, IssueOptions>((options.issues ?? []).map((issue) => [issue.number, { ...issue }]));
  const labels = new Set((options.labels ?? []).map((label) => label.toLowerCase()));
  const comments = new Map<number, { id: number; body: string; user: string; createdAt: string }[]>();
  const routes: Record<string, number> = {};
  let indexed = new Set(issues.keys());
  let next = Math.max(0, ...issues.keys()) + 1;
  let commentId = 3000000000;
  const count = (route: string) => (routes[route] = (routes[route] ?? 0) + 1);
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const json = (issue: IssueOptions) => issueJson(issue, repo);

  const scope = nock(API)
    .persist()
    .get(`${base}/issues`)
    .query(true)
    .reply((uri) => {
      count('GET /repos/{owner}/{repo}/issues');
      const query = new URL(`${API}${uri}`).searchParams;
      const state = query.get('state') ?? 'open';
      const matching = [...issues.values()]
        .filter((issue) => (state === 'all' || (issue.state ?? 'open') === state) && (!query.get('creator') || (issue.user ?? BOT) === query.get('creator')) && (!query.get('labels') || (issue.labels ?? []).includes(query.get('labels')!)))
        .sort((a, b) => b.number - a.number);
      const page = Number(query.get('page') ?? '1');
      const items = matching.slice((page - 1) * 100, page * 100);
      const headers: Record<string, string> = {};
      if (page * 100 < matching.length) {
        query.set('page', String(page + 1));
        headers.link = `<${API}${base}/issues?${query.toString()}>; rel="next"`;
      }
      return [200, items.map(json), headers];
    })
    .get(new RegExp(`^${base}/issues/(\\d+)$`))
    .reply((uri) => {
      count('GET /repos/{owner}/{repo}/issues/{issue_number}');
      const issue = issues.get(Number(uri.split('/').pop()));
      return issue ? [200, json(issue)] : [404, errorJson('Not Found', 404)];
    })
    .post(`${base}/issues`)
    .reply((_uri, body) => {
      count('POST /repos/{owner}/{repo}/issues');
      const sent = body as { title: string; body?: string; labels?: string[] };
      for (const label of sent.labels ?? []) labels.add(label.toLowerCase());
      const issue: IssueOptions = { number: next++, title: sent.title, body: sent.body ?? null, labels: sent.labels ?? [], createdAt: now(), updatedAt: now() };
      issues.set(issue.number, issue);
      return [201, json(issue)];
    })
    .patch(new RegExp(`^${base}/issues/(\\d+)$`))
    .reply((uri, body) => {
      count('PATCH /repos/{owner}/{repo}/issues/{issue_number}');
      const issue = issues.get(Number(uri.split('/').pop()));
      if (!issue) return [404, errorJson('Not Found', 404)];
      const sent = body as { title?: string; body?: string; labels?: string[]; state?: 'open' | 'closed'; state_reason?: 'completed' };
      Object.assign(issue, {
        ...(sent.title === undefined ? {} : { title: sent.title }),
        ...(sent.body === undefined ? {} : { body: sent.body }),
        ...(sent.labels === undefined ? {} : { labels: sent.labels }),
        ...(sent.state === undefined ? {} : { state: sent.state, stateReason: sent.state === 'closed' ? (sent.state_reason ?? 'completed') : 'reopened', closedAt: sent.state === 'closed' ? now() : null }),
        updatedAt: now(),
      });
      for (const label of sent.labels ?? []) labels.add(label.toLowerCase());
      return [200, json(issue)];
    })
    .get(new RegExp(`^${base}/issues/(\\d+)/comments`))
    .reply((uri) => {
      count('GET /repos/{owner}/{repo}/issues/{issue_number}/comments');
      const number = Number(/issues\/(\d+)\/comments/.exec(uri)![1]);
      const since = new URL(`${API}${uri}`).searchParams.get('since');
      return [200, (comments.get(number) ?? []).filter((comment) => !since || comment.createdAt >= since).map((comment) => commentJson({ ...comment, issueNumber: number }, repo))];
    })
    .post(new RegExp(`^${base}/issues/(\\d+)/comments$`))
    .reply((uri, body) => {
      count('POST /repos/{owner}/{repo}/issues/{issue_number}/comments');
      const number = Number(/issues\/(\d+)\/comments/.exec(uri)![1]);
      const issue = issues.get(number);
      if (!issue) return [404, errorJson('Not Found', 404)];
      const comment = { id: commentId++, body: (body as { body: string }).body, user: BOT, createdAt: now() };
      comments.set(number, [...(comments.get(number) ?? []), comment]);
      Object.assign(issue, { comments: (issue.comments ?? 0) + 1, updatedAt: comment.createdAt });
      return [201, commentJson({ ...comment, issueNumber: number }, repo)];
    })
    .get(`${base}/labels`)
    .query(true)
    .reply(() => {
      count('GET /repos/{owner}/{repo}/labels');
      return [200, [...labels].map((name) => labelJson(name, {}, repo))];
    })
    .post(`${base}/labels`)
    .reply((_uri, body) => {
      count('POST /repos/{owner}/{repo}/labels');
      const sent = body as { name: string; color: string; description?: string };
      if (labels.has(sent.name.toLowerCase())) return [422, { ...errorJson('Validation Failed', 422), errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] }];
      labels.add(sent.name.toLowerCase());
      return [201, labelJson(sent.name, { color: sent.color, description: sent.description ?? null }, repo)];
    })
    .get('/search/issues')
    .query(true)
    .reply((uri) => {
      count('GET /search/issues');
      const q = new URL(`${API}${uri}`).searchParams.get('q') ?? '';
      const phrase = /in:title "([^"]+)"/.exec(q)?.[1];
      const words = q.replace(/\S+:("[^"]*"|\S+)/g, ' ').split(/\s+/).filter((word) => word !== '' && word !== 'OR');
      const items = [...issues.values()].filter((issue) => {
        if (!indexed.has(issue.number) || !q.startsWith(`repo:${repo.owner}/${repo.name} `)) return false;
        if (phrase) return (issue.title ?? '').includes(phrase);
        return words.some((word) => new RegExp(`(^|[^\\w-])${word}($|[^\\w-])`).test(issue.body ?? ''));
      });
      return [200, searchResultJson(items.map(json))];
    });

  return {
    issues,
    labels,
    comments,
    /** Requests answered, by route template. */
    routes,
    reads: () => Object.entries(routes).filter(([route]) => route.startsWith('GET ')).reduce((sum, [, n]) => sum + n, 0),
    writes: () => Object.entries(routes).filter(([route]) => !route.startsWith('GET ')).reduce((sum, [, n]) => sum + n, 0),
    resetCounts: () => Object.keys(routes).forEach((route) => delete routes[route]),
    /** Search catches up with every write so far. */
    indexSearch: () => (indexed = new Set(issues.keys())),
    /** Stops answering (test/setup.ts cleans every interceptor after each test anyway). */
    stop: () => scope.persist(false),
  };
}
