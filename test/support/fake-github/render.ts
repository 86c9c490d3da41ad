// The fake's answers in GitHub's own shapes: the real-shape builders of test/github/
// github-responses.ts (and a real repository object from @octokit/webhooks-examples), given the
// fake's state, its ids and its URLs — GitHub Enterprise Server's layout, the API under /api/v3.
import examples from '@octokit/webhooks-examples';
import { branchJson, checkRunJson, commentJson, gitCommitJson, issueJson, labelJson, pullJson, refJson, userJson } from '../../github/github-responses.js';
import type { FakeCheckRun, FakeComment, FakeGitHub, FakeIssue, FakeLabel, FakeRepository } from './model.js';

type Json = Record<string, unknown>;

export interface Urls {
  /** http://127.0.0.1:<port>/api/v3 */
  api: string;
  /** http://127.0.0.1:<port> (html_url) */
  web: string;
}

/** github-responses.ts builds github.com URLs: the fake's instead. */
function rebase<T>(value: T, urls: Urls): T {
  return JSON.parse(JSON.stringify(value).replaceAll('https://api.github.com', urls.api).replaceAll('https://github.com', urls.web)) as T;
}

export function renderUser(fake: FakeGitHub, login: string, urls: Urls): Json {
  const user = fake.user(login);
  const json = rebase(userJson(user.login, user.id), urls);
  json.type = user.type;
  return json;
}

export function renderLabel(label: FakeLabel, repository: FakeRepository, urls: Urls): Json {
  return rebase(labelJson(label.name, { id: label.id, color: label.color, description: label.description }, repoRef(repository)), urls);
}

function repoRef(repository: FakeRepository) {
  return { owner: repository.owner, name: repository.name };
}

type Example = { name: string; examples: Json[] };
const pushRepository = (examples as unknown as Example[]).find((event) => event.name === 'push')!.examples[0]!.repository as Json;

/** A repository as GET /repos/{owner}/{repo} and webhook payloads show it. */
export function renderRepository(fake: FakeGitHub, repository: FakeRepository, urls: Urls): Json {
  const full = `${repository.owner}/${repository.name}`;
  const text = JSON.stringify(pushRepository).replaceAll('Codertocat/Hello-World', full).replaceAll('Codertocat', repository.owner).replaceAll('https://api.github.com', urls.api).replaceAll('https://github.com', urls.web);
  const json = JSON.parse(text) as Json;
  delete json.stargazers;
  delete json.master_branch;
  return {
    ...json,
    id: repository.id,
    node_id: Buffer.from(`010:Repository${repository.id}`).toString('base64'),
    name: repository.name,
    full_name: full,
    private: repository.private,
    visibility: repository.private ? 'private' : 'public',
    owner: renderUser(fake, repository.owner, urls),
    url: `${urls.api}/repos/${full}`,
    html_url: `${urls.web}/${full}`,
    default_branch: repository.defaultBranch,
    open_issues_count: [...repository.issues.values()].filter((issue) => issue.state === 'open').length,
    open_issues: [...repository.issues.values()].filter((issue) => issue.state === 'open').length,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
}

export function renderIssue(fake: FakeGitHub, repository: FakeRepository, issue: FakeIssue, urls: Urls): Json {
  const comments = repository.comments.filter((comment) => comment.issueNumber === issue.number).length;
  const json = rebase(
    issueJson(
      {
        number: issue.number,
        title: issue.title,
        body: issue.body,
        state: issue.state,
        stateReason: issue.stateReason,
        labels: [],
        user: issue.user,
        comments,
        createdAt: issue.createdAt,
        updatedAt: issue.updatedAt,
        closedAt: issue.closedAt,
        pullRequest: issue.pull !== undefined,
      },
      repoRef(repository),
    ),
    urls,
  );
  json.id = issue.id;
  json.user = renderUser(fake, issue.user, urls);
  json.labels = issue.labels.map((name) => repository.labels.find((label) => label.name.toLowerCase() === name.toLowerCase())).filter((label) => label !== undefined).map((label) => renderLabel(label, repository, urls));
  json.closed_by = issue.closedBy ? renderUser(fake, issue.closedBy, urls) : null;
  json.state_reason = issue.stateReason;
  if (issue.pull && json.pull_request) (json.pull_request as Json).merged_at = issue.pull.mergedAt;
  return json;
}

export function renderComment(fake: FakeGitHub, repository: FakeRepository, comment: FakeComment, urls: Urls): Json {
  const json = rebase(commentJson({ id: comment.id, issueNumber: comment.issueNumber, body: comment.body, user: comment.user, createdAt: comment.createdAt }, repoRef(repository)), urls);
  json.user = renderUser(fake, comment.user, urls);
  json.updated_at = comment.updatedAt;
  const reactions = json.reactions as Record<string, unknown>;
  for (const reaction of comment.reactions) {
    const key = reaction.content;
    reactions[key] = Number(reactions[key] ?? 0) + 1;
    reactions.total_count = Number(reactions.total_count) + 1;
  }
  return json;
}

export function renderPull(fake: FakeGitHub, repository: FakeRepository, issue: FakeIssue, urls: Urls): Json {
  const pull = issue.pull!;
  const json = rebase(
    pullJson(
      { number: issue.number, branch: pull.head, title: issue.title, body: issue.body, state: issue.state, mergedAt: pull.mergedAt, headSha: pull.headSha, updatedAt: issue.updatedAt, comments: repository.comments.filter((comment) => comment.issueNumber === issue.number).length },
      repoRef(repository),
    ),
    urls,
  );
  const repositoryJson = renderRepository(fake, repository, urls);
  const baseSha = repository.branches.get(pull.base) ?? '';
  json.id = issue.id;
  json.user = renderUser(fake, issue.user, urls);
  json.created_at = issue.createdAt;
  json.closed_at = issue.closedAt;
  json.merged = pull.mergedAt !== null;
  json.labels = issue.labels.map((name) => repository.labels.find((label) => label.name === name)).filter((label) => label !== undefined).map((label) => renderLabel(label, repository, urls));
  json.head = { label: `${repository.owner}:${pull.head}`, ref: pull.head, sha: pull.headSha, user: renderUser(fake, repository.owner, urls), repo: repositoryJson };
  json.base = { label: `${repository.owner}:${pull.base}`, ref: pull.base, sha: baseSha, user: renderUser(fake, repository.owner, urls), repo: repositoryJson };
  return json;
}

export function renderCheckRun(fake: FakeGitHub, repository: FakeRepository, run: FakeCheckRun, urls: Urls): Json {
  const json = rebase(checkRunJson({ id: run.id, name: run.name, headSha: run.headSha, status: run.status, conclusion: run.conclusion }, repoRef(repository)), urls);
  json.external_id = run.externalId;
  json.started_at = run.startedAt;
  json.completed_at = run.completedAt;
  json.output = { ...(json.output as Json), title: run.title, summary: run.summary, text: run.text, annotations_count: run.annotations.length };
  json.app = { ...(json.app as Json), id: run.appId, slug: fake.app.slug, name: fake.app.name };
  json.pull_requests = [...repository.issues.values()]
    .filter((issue) => issue.pull && issue.state === 'open' && issue.pull.headSha === run.headSha)
    .map((issue) => ({ url: `${urls.api}/repos/${repository.owner}/${repository.name}/pulls/${issue.number}`, id: issue.id, number: issue.number, head: { ref: issue.pull!.head, sha: issue.pull!.headSha }, base: { ref: issue.pull!.base, sha: repository.branches.get(issue.pull!.base) ?? '' } }));
  return json;
}

export function renderGitCommit(repository: FakeRepository, sha: string, urls: Urls): Json {
  const commit = repository.git.commits.get(sha)!;
  const json = rebase(gitCommitJson({ sha, treeSha: commit.tree, parent: commit.parents[0] ?? '', message: commit.message }, repoRef(repository)), urls);
  const api = `${urls.api}/repos/${repository.owner}/${repository.name}`;
  json.author = { ...commit.author };
  json.committer = { ...commit.author };
  json.parents = commit.parents.map((parent) => ({ sha: parent, url: `${api}/git/commits/${parent}`, html_url: `${urls.web}/${repository.owner}/${repository.name}/commit/${parent}` }));
  json.node_id = Buffer.from(`06:Commit${sha}`).toString('base64');
  return json;
}

/** GET /repos/{owner}/{repo}/commits/{ref} in the JSON media type. */
export function renderCommit(fake: FakeGitHub, repository: FakeRepository, sha: string, urls: Urls): Json {
  const git = renderGitCommit(repository, sha, urls);
  const api = `${urls.api}/repos/${repository.owner}/${repository.name}`;
  return {
    sha,
    node_id: git.node_id,
    commit: { author: git.author, committer: git.committer, message: git.message, tree: git.tree, url: git.url, comment_count: 0, verification: git.verification },
    url: `${api}/commits/${sha}`,
    html_url: `${urls.web}/${repository.owner}/${repository.name}/commit/${sha}`,
    comments_url: `${api}/commits/${sha}/comments`,
    author: null,
    committer: null,
    parents: git.parents,
  };
}

export function renderBranch(fake: FakeGitHub, repository: FakeRepository, name: string, urls: Urls): Json {
  const sha = repository.branches.get(name)!;
  const json = rebase(branchJson({ name, sha, treeSha: repository.git.commits.get(sha)!.tree }, repoRef(repository)), urls);
  const commit = renderCommit(fake, repository, sha, urls);
  json.commit = { ...(json.commit as Json), ...commit };
  json.protected = name === repository.defaultBranch;
  return json;
}

export function renderRef(repository: FakeRepository, branch: string, urls: Urls): Json {
  return rebase(refJson({ ref: `refs/heads/${branch}`, sha: repository.branches.get(branch)! }, repoRef(repository)), urls);
}

export function renderInstallation(fake: FakeGitHub, id: number, urls: Urls): Json {
  const installation = fake.installations.get(id)!;
  const account = fake.user(installation.account);
  return {
    id,
    account: renderUser(fake, account.login, urls),
    repository_selection: 'selected',
    access_tokens_url: `${urls.api}/app/installations/${id}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.web}/organizations/${account.login}/settings/installations/${id}`,
    app_id: fake.app.id,
    app_slug: fake.app.slug,
    target_id: account.id,
    target_type: account.type === 'Organization' ? 'Organization' : 'User',
    permissions: { checks: 'write', contents: 'write', issues: 'write', metadata: 'read', pull_requests: 'write' },
    events: ['check_run', 'issue_comment', 'issues', 'pull_request', 'push'],
    created_at: '2025-01-10T10:00:00Z',
    updated_at: '2025-01-10T10:00:00Z',
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

export function renderApp(fake: FakeGitHub, urls: Urls): Json {
  const checkRun = checkRunJson({ id: 1, headSha: '0'.repeat(40) });
  return rebase({ ...(checkRun.app as Json), id: fake.app.id, slug: fake.app.slug, name: fake.app.name, installations_count: fake.installations.size }, urls);
}

