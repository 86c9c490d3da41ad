// REST response bodies shaped as GitHub sends them (fields as in the REST docs' examples and
// @octokit/openapi-types), for the named nock routes in nock-github.ts.

export interface RepoRef {
  owner: string;
  name: string;
}

export const REPO: RepoRef = { owner: 'acme', name: 'infra' };
export const BOT = 'driftwatch[bot]';
const API = 'https://api.github.com';
const WEB = 'https://github.com';
const T0 = '2025-06-02T09:00:00Z';

type Json = Record<string, unknown>;

export function userJson(login: string = BOT, id = 158712345): Json {
  const bot = login.endsWith('[bot]');
  const slug = login.replace(/\[bot\]$/, '');
  return {
    login,
    id,
    node_id: bot ? 'BOT_kgDOCXXeXg' : 'MDQ6VXNlcjU4MzIzMQ==',
    avatar_url: `https://avatars.githubusercontent.com/${bot ? 'in/98765' : `u/${id}`}?v=4`,
    gravatar_id: '',
    url: `${API}/users/${encodeURIComponent(login)}`,
    html_url: bot ? `${WEB}/apps/${slug}` : `${WEB}/${login}`,
    followers_url: `${API}/users/${encodeURIComponent(login)}/followers`,
    following_url: `${API}/users/${encodeURIComponent(login)}/following{/other_user}`,
    gists_url: `${API}/users/${encodeURIComponent(login)}/gists{/gist_id}`,
    starred_url: `${API}/users/${encodeURIComponent(login)}/starred{/owner}{/repo}`,
    subscriptions_url: `${API}/users/${encodeURIComponent(login)}/subscriptions`,
    organizations_url: `${API}/users/${encodeURIComponent(login)}/orgs`,
    repos_url: `${API}/users/${encodeURIComponent(login)}/repos`,
    events_url: `${API}/users/${encodeURIComponent(login)}/events{/privacy}`,
    received_events_url: `${API}/users/${encodeURIComponent(login)}/received_events`,
    type: bot ? 'Bot' : 'User',
    user_view_type: 'public',
    site_admin: false,
  };
}

const LABEL_COLORS: Record<string, string> = { drift: '5319e7', 'severity:critical': 'b60205', 'severity:high': 'd93f0b', 'severity:medium': 'fbca04', 'severity:low': '0e8a16' };

export function labelJson(name: string, options: { color?: string; description?: string | null; id?: number } = {}, repo: RepoRef = REPO): Json {
  return {
    id: options.id ?? 208045946 + name.length * 31 + (name.charCodeAt(name.length - 1) || 0),
    node_id: 'MDU6TGFiZWwyMDgwNDU5NDY=',
    url: `${API}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(name)}`,
    name,
    color: options.color ?? LABEL_COLORS[name] ?? 'ededed',
    default: false,
    description: options.description ?? null,
  };
}

export interface IssueOptions {
  number: number;
  title?: string;
  body?: string | null;
  state?: 'open' | 'closed';
  stateReason?: 'completed' | 'not_planned' | 'reopened' | null;
  labels?: string[];
  user?: string;
  comments?: number;
  createdAt?: string;
  updatedAt?: string;
  closedAt?: string | null;
  pullRequest?: boolean;
}

export function issueJson(options: IssueOptions, repo: RepoRef = REPO): Json {
  const { number } = options;
  const repoApi = `${API}/repos/${repo.owner}/${repo.name}`;
  const state = options.state ?? 'open';
  const closedAt = options.closedAt ?? (state === 'closed' ? '2025-06-01T12:00:00Z' : null);
  const issue: Json = {
    id: 2300000000 + number,
    node_id: 'I_kwDOJk3tK86HpYxQ',
    url: `${repoApi}/issues/${number}`,
    repository_url: repoApi,
    labels_url: `${repoApi}/issues/${number}/labels{/name}`,
    comments_url: `${repoApi}/issues/${number}/comments`,
    events_url: `${repoApi}/issues/${number}/events`,
    html_url: `${WEB}/${repo.owner}/${repo.name}/${options.pullRequest ? 'pull' : 'issues'}/${number}`,
    number,
    state,
    title: options.title ?? `Issue ${number}`,
    body: options.body ?? null,
    user: userJson(options.user ?? BOT),
    labels: (options.labels ?? []).map((name) => labelJson(name, {}, repo)),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: options.comments ?? 0,
    closed_at: closedAt,
    created_at: options.createdAt ?? '2025-05-30T08:15:42Z',
    updated_at: options.updatedAt ?? closedAt ?? '2025-05-30T08:15:42Z',
    closed_by: state === 'closed' ? userJson(options.user ?? BOT) : null,
    author_association: 'NONE',
    state_reason: options.stateReason ?? (state === 'closed' ? 'completed' : null),
    type: null,
    sub_issues_summary: { total: 0, completed: 0, percent_completed: 0 },
    timeline_url: `${repoApi}/issues/${number}/timeline`,
    performed_via_github_app: null,
    reactions: { url: `${repoApi}/issues/${number}/reactions`, total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
  };
  if (options.pullRequest) {
    issue.pull_request = {
      url: `${repoApi}/pulls/${number}`,
      html_url: `${WEB}/${repo.owner}/${repo.name}/pull/${number}`,
      diff_url: `${WEB}/${repo.owner}/${repo.name}/pull/${number}.diff`,
      patch_url: `${WEB}/${repo.owner}/${repo.name}/pull/${number}.patch`,
      merged_at: null,
    };
  }
  return issue;
}

/** An item of GET /search/issues: an issue plus its score. */
export function searchItemJson(options: IssueOptions, repo: RepoRef = REPO): Json {
  return { ...issueJson(options, repo), score: 1 };
}

export function searchResultJson(items: Json[]): Json {
  return { total_count: items.length, incomplete_results: false, items };
}

export function commentJson(options: { id: number; issueNumber: number; body: string; user?: string; createdAt?: string }, repo: RepoRef = REPO): Json {
  const repoApi = `${API}/repos/${repo.owner}/${repo.name}`;
  const at = options.createdAt ?? T0;
  return {
    id: options.id,
    node_id: 'IC_kwDOJk3tK86a0bXc',
    url: `${repoApi}/issues/comments/${options.id}`,
    html_url: `${WEB}/${repo.owner}/${repo.name}/issues/${options.issueNumber}#issuecomment-${options.id}`,
    body: options.body,
    user: userJson(options.user ?? BOT),
    created_at: at,
    updated_at: at,
    issue_url: `${repoApi}/issues/${options.issueNumber}`,
    author_association: 'NONE',
    performed_via_github_app: null,
    reactions: { url: `${repoApi}/issues/comments/${options.id}/reactions`, total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
  };
}

export function checkRunJson(options: { id: number; name?: string; headSha: string; status?: string; conclusion?: string | null; output?: Json }, repo: RepoRef = REPO): Json {
  const repoApi = `${API}/repos/${repo.owner}/${repo.name}`;
  const output = options.output ?? {};
  return {
    id: options.id,
    head_sha: options.headSha,
    node_id: 'CR_kwDOJk3tK88AAAAJ',
    external_id: '',
    url: `${repoApi}/check-runs/${options.id}`,
    html_url: `${WEB}/${repo.owner}/${repo.name}/runs/${options.id}`,
    details_url: `${WEB}/apps/driftwatch`,
    status: options.status ?? 'completed',
    conclusion: options.conclusion ?? null,
    started_at: T0,
    completed_at: options.status === 'in_progress' ? null : T0,
    output: {
      title: output.title ?? null,
      summary: output.summary ?? null,
      text: output.text ?? null,
      annotations_count: Array.isArray(output.annotations) ? output.annotations.length : 0,
      annotations_url: `${repoApi}/check-runs/${options.id}/annotations`,
    },
    name: options.name ?? 'driftwatch',
    check_suite: { id: 5 },
    app: { id: 98765, slug: 'driftwatch', node_id: 'A_kwHOAAAB', owner: userJson(repo.owner, 9919), name: 'driftwatch', description: '', external_url: 'https://driftwatch.example', html_url: `${WEB}/apps/driftwatch`, created_at: '2025-01-10T10:00:00Z', updated_at: '2025-01-10T10:00:00Z', permissions: { checks: 'write', contents: 'write', issues: 'write', metadata: 'read', pull_requests: 'write' }, events: ['check_run', 'issue_comment', 'issues', 'pull_request', 'push'] },
    pull_requests: [],
  };
}

function repositoryJson(repo: RepoRef = REPO): Json {
  return {
    id: 644245094,
    node_id: 'R_kgDOJmZcZg',
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    private: true,
    owner: userJson(repo.owner, 9919),
    html_url: `${WEB}/${repo.owner}/${repo.name}`,
    description: 'Terraform for the shop',
    fork: false,
    url: `${API}/repos/${repo.owner}/${repo.name}`,
    default_branch: 'main',
    visibility: 'private',
  };
}

export function branchJson(options: { name: string; sha: string; treeSha: string }, repo: RepoRef = REPO): Json {
  const repoApi = `${API}/repos/${repo.owner}/${repo.name}`;
  return {
    name: options.name,
    commit: {
      sha: options.sha,
      node_id: 'C_kwDOJmZcZtoAKDZkYzFi',
      commit: {
        author: { name: 'Mona Lisa', email: 'mona@acme.example', date: '2025-05-29T16:02:11Z' },
        committer: { name: 'GitHub', email: 'noreply@github.com', date: '2025-05-29T16:02:11Z' },
        message: 'Merge pull request #41 from acme/network-tags',
        tree: { sha: options.treeSha, url: `${repoApi}/git/trees/${options.treeSha}` },
        url: `${repoApi}/git/commits/${options.sha}`,
        comment_count: 0,
        verification: { verified: true, reason: 'valid', signature: null, payload: null, verified_at: '2025-05-29T16:02:12Z' },
      },
      url: `${repoApi}/commits/${options.sha}`,
      html_url: `${WEB}/${repo.owner}/${repo.name}/commit/${options.sha}`,
      comments_url: `${repoApi}/commits/${options.sha}/comments`,
      author: userJson('monalisa', 2),
      committer: userJson('web-flow', 19864447),
      parents: [{ sha: '7638417db6d59f3c431d3e1f261cc637155684cd', url: `${repoApi}/commits/7638417db6d59f3c431d3e1f261cc637155684cd`, html_url: `${WEB}/${repo.owner}/${repo.name}/commit/7638417db6d59f3c431d3e1f261cc637155684cd` }],
    },
    _links: { self: `${repoApi}/branches/${options.name}`, html: `${WEB}/${repo.owner}/${repo.name}/tree/${options.name}` },
    protected: true,
    protection: { enabled: true, required_status_checks: { enforcement_level: 'non_admins', contexts: ['driftwatch'], checks: [{ context: 'driftwatch', app_id: 98765 }] } },
    protection_url: `${repoApi}/branches/${options.name}/protection`,
  };
}

export function treeJson(options: { sha: string; entries: { path: string; content?: string }[] }, repo: RepoRef = REPO): Json {
  const repoApi = `${API}/repos/${repo.owner}/${repo.name}`;
  return {
    sha: options.sha,
    url: `${repoApi}/git/trees/${options.sha}`,
    tree: options.entries.map((entry, index) => {
      const sha = `${(index + 1).toString(16).padStart(2, '0')}${'b'.repeat(38)}`;
      return { path: entry.path, mode: '100644', type: 'blob', sha, size: entry.content?.length ?? 0, url: `${repoApi}/git/blobs/${sha}` };
    }),
    truncated: false,
  };
}

export function gitCommitJson(options: { sha: string; treeSha: string; parent: string; message: string }, repo: RepoRef = REPO): Json {
  const repoApi = `${API}/repos/${repo.owner}/${repo.name}`;
  return {
    sha: options.sha,
    node_id: 'C_kwDOJmZcZtoAKGQ0ZTg',
    url: `${repoApi}/git/commits/${options.sha}`,
    html_url: `${WEB}/${repo.owner}/${repo.name}/commit/${options.sha}`,
    author: { name: 'driftwatch[bot]', email: '158712345+driftwatch[bot]@users.noreply.github.com', date: T0 },
    committer: { name: 'GitHub', email: 'noreply@github.com', date: T0 },
    tree: { sha: options.treeSha, url: `${repoApi}/git/trees/${options.treeSha}` },
    message: options.message,
    parents: [{ sha: options.parent, url: `${repoApi}/git/commits/${options.parent}`, html_url: `${WEB}/${repo.owner}/${repo.name}/commit/${options.parent}` }],
    verification: { verified: true, reason: 'valid', signature: '-----BEGIN PGP SIGNATURE-----\n…\n-----END PGP SIGNATURE-----\n', payload: 'tree …', verified_at: T0 },
  };
}

export function refJson(options: { ref: string; sha: string }, repo: RepoRef = REPO): Json {
  const repoApi = `${API}/repos/${repo.owner}/${repo.name}`;
  return {
    ref: options.ref,
    node_id: 'REF_kwDOJmZcZrdyZWZzL2hlYWRzL2RyaWZ0d2F0Y2g',
    url: `${repoApi}/git/${options.ref}`,
    object: { sha: options.sha, type: 'commit', url: `${repoApi}/git/commits/${options.sha}` },
  };
}

export interface PullOptions {
  number: number;
  branch: string;
  title?: string;
  body?: string | null;
  state?: 'open' | 'closed';
  mergedAt?: string | null;
  headSha?: string;
  updatedAt?: string;
  comments?: number;
}

export function pullJson(options: PullOptions, repo: RepoRef = REPO): Json {
  const repoApi = `${API}/repos/${repo.owner}/${repo.name}`;
  const state = options.state ?? 'open';
  const n = options.number;
  return {
    url: `${repoApi}/pulls/${n}`,
    id: 1900000000 + n,
    node_id: 'PR_kwDOJmZcZs5pXy3Q',
    html_url: `${WEB}/${repo.owner}/${repo.name}/pull/${n}`,
    diff_url: `${WEB}/${repo.owner}/${repo.name}/pull/${n}.diff`,
    patch_url: `${WEB}/${repo.owner}/${repo.name}/pull/${n}.patch`,
    issue_url: `${repoApi}/issues/${n}`,
    commits_url: `${repoApi}/pulls/${n}/commits`,
    review_comments_url: `${repoApi}/pulls/${n}/comments`,
    review_comment_url: `${repoApi}/pulls/comments{/number}`,
    comments_url: `${repoApi}/issues/${n}/comments`,
    statuses_url: `${repoApi}/statuses/${options.headSha ?? 'c'.repeat(40)}`,
    number: n,
    state,
    locked: false,
    title: options.title ?? `Fix drift (${options.branch})`,
    user: userJson(BOT),
    body: options.body ?? null,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: '2025-05-30T08:16:03Z',
    updated_at: options.updatedAt ?? '2025-05-30T08:16:03Z',
    closed_at: state === 'closed' ? '2025-06-01T12:00:00Z' : null,
    merged_at: options.mergedAt ?? null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: { label: `${repo.owner}:${options.branch}`, ref: options.branch, sha: options.headSha ?? 'c'.repeat(40), user: userJson(repo.owner, 9919), repo: repositoryJson(repo) },
    base: { label: `${repo.owner}:main`, ref: 'main', sha: 'a'.repeat(40), user: userJson(repo.owner, 9919), repo: repositoryJson(repo) },
    _links: {
      self: { href: `${repoApi}/pulls/${n}` },
      html: { href: `${WEB}/${repo.owner}/${repo.name}/pull/${n}` },
      issue: { href: `${repoApi}/issues/${n}` },
      comments: { href: `${repoApi}/issues/${n}/comments` },
    },
    author_association: 'NONE',
    auto_merge: null,
    draft: false,
    ...(options.comments === undefined ? {} : { comments: options.comments }),
  };
}

/** The JSON error body GitHub sends with a 4xx/5xx. */
export function errorJson(message: string, status: number, documentation = 'https://docs.github.com/rest'): Json {
  return { message, documentation_url: documentation, status: String(status) };
}
