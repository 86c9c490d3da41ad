// Every REST route driftwatch calls (and the few Probot calls for it), answering as GitHub does:
// 201 on creation, 404 where GitHub hides or lacks a thing, 422 for an existing ref or label, a
// second open pull request from one branch, annotations past 50 a request; lists paginated with
// Link headers; issue listings that include pull requests; search that may lag behind writes.
import { randomBytes } from 'node:crypto';
import { GitError, type TreeWrite } from './git-store.js';
import { bodyObject, compileRoute, HttpError, notFound, page, requireString, validationFailed, type FakeRequest, type FakeResponse, type Route } from './http.js';
import { type FakeCheckRun, type FakeGitHub, type FakeIssue, type FakeRepository } from './model.js';
import { renderApp, renderBranch, renderCheckRun, renderComment, renderCommit, renderGitCommit, renderInstallation, renderIssue, renderLabel, renderPull, renderRef, renderRepository, renderUser, type Urls } from './render.js';
import { diffStats, unifiedDiff } from './unified-diff.js';

export interface RouteContext {
  fake: FakeGitHub;
  request: FakeRequest;
  urls: Urls;
  /** The installation whose token made the request (null: the app's JWT, or none). */
  installationId: number | null;
  /** Who writes: the app's bot for an installation token. */
  actor: string;
}

type Handler = (context: RouteContext, repository: FakeRepository) => FakeResponse;
type AppHandler = (context: RouteContext) => FakeResponse;

export interface RouteDefinition {
  route: Route;
  /** Who may call it: the app's JWT, an installation token, or an installation token that can see
   * the repository in the path. */
  auth: 'app' | 'installation' | 'repository';
  handle: (context: RouteContext) => FakeResponse;
}

const routes: RouteDefinition[] = [];

function app(spec: string, handle: AppHandler): void {
  routes.push({ route: compileRoute(spec), auth: 'app', handle });
}
function installation(spec: string, handle: AppHandler): void {
  routes.push({ route: compileRoute(spec), auth: 'installation', handle });
}
function repo(spec: string, handle: Handler): void {
  routes.push({
    route: compileRoute(spec),
    auth: 'repository',
    handle: (context) => {
      const repository = context.fake.findRepository(context.request.params.owner ?? '', context.request.params.repo ?? '');
      if (!repository) throw notFound();
      return handle(context, repository);
    },
  });
}

export function allRoutes(): readonly RouteDefinition[] {
  return routes;
}

const ok = (body: unknown, headers: Record<string, string> = {}): FakeResponse => ({ status: 200, body, headers });
const created = (body: unknown): FakeResponse => ({ status: 201, body });

function issueOf(repository: FakeRepository, raw: string | undefined): FakeIssue {
  const issue = repository.issues.get(Number(raw));
  if (!issue) throw notFound();
  return issue;
}

function pullOf(repository: FakeRepository, raw: string | undefined): FakeIssue {
  const issue = issueOf(repository, raw);
  if (!issue.pull) throw notFound();
  return issue;
}

function gitCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof GitError) throw new HttpError(error.status, error.message);
    throw error;
  }
}

// --- the app and its installations ---------------------------------------------------------------

app('GET /app', ({ fake, urls }) => ok(renderApp(fake, urls)));
app('GET /app/installations', ({ fake, urls, request }) => {
  const listed = page(request, [...fake.installations.keys()].map((id) => renderInstallation(fake, id, urls)));
  return ok(listed.items, listed.headers);
});
app('GET /app/installations/{installation_id}', ({ fake, urls, request }) => {
  const id = Number(request.params.installation_id);
  if (!fake.installations.has(id)) throw notFound();
  return ok(renderInstallation(fake, id, urls));
});
app('POST /app/installations/{installation_id}/access_tokens', ({ fake, request }) => {
  const id = Number(request.params.installation_id);
  const found = fake.installations.get(id);
  if (!found) throw notFound();
  const token = `ghs_${randomBytes(18).toString('base64url')}`;
  fake.tokens.set(token, id);
  return created({
    token,
    expires_at: new Date(Date.now() + 60 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    permissions: { checks: 'write', contents: 'write', issues: 'write', metadata: 'read', pull_requests: 'write' },
    repository_selection: 'selected',
  });
});
app('GET /repos/{owner}/{repo}/installation', ({ fake, urls, request }) => {
  const full = `${request.params.owner}/${request.params.repo}`.toLowerCase();
  const found = [...fake.installations.values()].find((candidate) => candidate.repositories.some((name) => name.toLowerCase() === full));
  if (!found) throw notFound();
  return ok(renderInstallation(fake, found.id, urls));
});

installation('GET /installation/repositories', ({ fake, urls, request, installationId }) => {
  const found = fake.installations.get(installationId ?? -1);
  const repositories = (found?.repositories ?? []).map((name) => fake.repository(name)).map((repository) => renderRepository(fake, repository, urls));
  const listed = page(request, repositories);
  return ok({ total_count: repositories.length, repository_selection: 'selected', repositories: listed.items }, listed.headers);
});

// --- search -------------------------------------------------------------------------------------

installation('GET /search/issues', ({ fake, urls, request, installationId }) => {
  const q = request.query.get('q');
  if (!q) throw validationFailed('Validation Failed', [{ resource: 'Search', field: 'q', code: 'missing' }]);
  const query = parseSearch(q);
  const visible = fake.installations.get(installationId ?? -1)?.repositories.map((name) => name.toLowerCase()) ?? [];
  const repositories = [...fake.repositories.values()].filter((repository) => {
    const key = `${repository.owner}/${repository.name}`.toLowerCase();
    return visible.includes(key) && (query.repos.length === 0 || query.repos.includes(key));
  });
  const items: Record<string, unknown>[] = [];
  for (const repository of repositories) {
    for (const issue of fake.searchable(repository)) {
      if (query.type === 'issue' && issue.pull) continue;
      if (query.type === 'pr' && !issue.pull) continue;
      if (query.state && issue.state !== query.state) continue;
      if (query.author && issue.user.toLowerCase() !== query.author) continue;
      if (query.labels.some((label) => !issue.labels.some((name) => name.toLowerCase() === label))) continue;
      const comments = query.in.includes('comments') ? repository.comments.filter((comment) => comment.issueNumber === issue.number).map((comment) => comment.body) : [];
      const fields = [...(query.in.includes('title') ? [issue.title] : []), ...(query.in.includes('body') ? [issue.body ?? ''] : []), ...comments].map((text) => text.toLowerCase());
      const matches = query.alternatives.length === 0 || query.alternatives.some((terms) => terms.every((term) => fields.some((field) => field.includes(term))));
      if (matches) items.push({ ...renderIssue(fake, repository, issue, urls), score: 1 });
    }
  }
  items.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)) || Number(b.number) - Number(a.number));
  const listed = page(request, items);
  return ok({ total_count: items.length, incomplete_results: false, items: listed.items }, listed.headers);
});

interface SearchQuery {
  repos: string[];
  type: 'issue' | 'pr' | null;
  state: 'open' | 'closed' | null;
  author: string | null;
  labels: string[];
  in: ('title' | 'body' | 'comments')[];
  /** Terms ANDed within a group, groups ORed. */
  alternatives: string[][];
}

/** The qualifiers driftwatch uses (repo:, is:, in:, author:, label:, state:), quoted phrases, and
 * OR between terms. */
export function parseSearch(q: string): SearchQuery {
  const query: SearchQuery = { repos: [], type: null, state: null, author: null, labels: [], in: [], alternatives: [[]] };
  const tokens = q.match(/"[^"]*"|\S+/g) ?? [];
  for (const token of tokens) {
    const [, key, value] = /^(\w+):(.+)$/.exec(token) ?? [];
    if (key && value) {
      const unquoted = value.replace(/^"|"$/g, '').toLowerCase();
      if (key === 'repo') query.repos.push(unquoted);
      else if (key === 'is' && (unquoted === 'issue' || unquoted === 'pr')) query.type = unquoted;
      else if ((key === 'is' || key === 'state') && (unquoted === 'open' || unquoted === 'closed')) query.state = unquoted;
      else if (key === 'author') query.author = unquoted;
      else if (key === 'label') query.labels.push(unquoted);
      else if (key === 'in') query.in.push(...(unquoted.split(',') as SearchQuery['in']));
      continue;
    }
    if (token === 'OR') {
      query.alternatives.push([]);
      continue;
    }
    if (token === 'AND') continue;
    query.alternatives[query.alternatives.length - 1]!.push(token.replace(/^"|"$/g, '').toLowerCase());
  }
  query.alternatives = query.alternatives.filter((terms) => terms.length > 0);
  if (query.in.length === 0) query.in = ['title', 'body', 'comments'];
  return query;
}

// --- repositories, contents, commits ------------------------------------------------------------

repo('GET /repos/{owner}/{repo}', ({ fake, urls }, repository) => ok(renderRepository(fake, repository, urls)));

repo('GET /repos/{owner}/{repo}/commits/{ref}', ({ fake, urls, request }, repository) => {
  const sha = fake.resolveRef(repository, request.params.ref ?? '');
  if (!sha) throw new HttpError(422, `No commit found for SHA: ${request.params.ref}`);
  if (String(request.headers.accept ?? '').includes('sha')) return { status: 200, body: sha, headers: { 'content-type': 'application/vnd.github.sha; charset=utf-8' } };
  return ok(renderCommit(fake, repository, sha, urls));
});

repo('GET /repos/{owner}/{repo}/branches/{+branch}', ({ fake, urls, request }, repository) => {
  const name = request.params.branch ?? '';
  if (!repository.branches.has(name)) throw new HttpError(404, 'Branch not found');
  return ok(renderBranch(fake, repository, name, urls));
});

repo('GET /repos/{owner}/{repo}/contents/{+path}', ({ fake, urls, request }, repository) => {
  const ref = request.query.get('ref') ?? repository.defaultBranch;
  const sha = fake.resolveRef(repository, ref);
  if (!sha) throw new HttpError(404, `No commit found for the ref ${ref}`);
  const path = (request.params.path ?? '').replace(/^\/+|\/+$/g, '');
  const tree = repository.git.commits.get(sha)!.tree;
  const entry = repository.git.entryAt(tree, path);
  if (!entry) throw notFound();
  const api = `${urls.api}/repos/${repository.owner}/${repository.name}`;
  const describe = (entryPath: string, found: { type: string; sha: string }) => ({
    name: entryPath.split('/').pop(),
    path: entryPath,
    sha: found.sha,
    size: found.type === 'blob' ? (repository.git.blobs.get(found.sha)?.length ?? 0) : 0,
    url: `${api}/contents/${entryPath}?ref=${encodeURIComponent(ref)}`,
    html_url: `${urls.web}/${repository.owner}/${repository.name}/${found.type === 'tree' ? 'tree' : 'blob'}/${ref}/${entryPath}`,
    git_url: `${api}/git/${found.type === 'tree' ? 'trees' : 'blobs'}/${found.sha}`,
    download_url: found.type === 'blob' ? `${urls.web}/raw/${repository.owner}/${repository.name}/${ref}/${entryPath}` : null,
    type: found.type === 'tree' ? 'dir' : found.type === 'commit' ? 'submodule' : 'file',
  });
  if (entry.type === 'tree') {
    const listing = (repository.git.trees.get(entry.sha) ?? []).map((child) => describe(path ? `${path}/${child.name}` : child.name, child));
    return { status: 200, body: listing, headers: { 'content-type': 'application/json; charset=utf-8' } };
  }
  const content = repository.git.blobs.get(entry.sha) ?? Buffer.alloc(0);
  if (String(request.headers.accept ?? '').includes('raw')) return { status: 200, body: content.toString('utf8'), headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' } };
  return ok({ ...describe(path, entry), content: (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n', encoding: 'base64' });
});

repo('GET /repos/{owner}/{repo}/collaborators/{username}/permission', ({ fake, urls, request }, repository) => {
  const login = request.params.username ?? '';
  if (!fake.users.has(login.toLowerCase())) throw new HttpError(404, `${login} is not a user`);
  const role = repository.collaborators.get(login.toLowerCase()) ?? (repository.private ? 'none' : 'read');
  // GitHub reports maintain as "write" and triage as "read" in `permission`; `role_name` names it.
  const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
  return ok({ permission, role_name: role, user: { ...renderUser(fake, login, urls), permissions: { admin: role === 'admin', maintain: role === 'admin' || role === 'maintain', push: ['admin', 'maintain', 'write'].includes(role), triage: role !== 'read' && role !== 'none', pull: role !== 'none' }, role_name: role } });
});


// --- git data -------------------------------------------------------------------------------------

repo('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', ({ urls, request }, repository) => {
  const ref = request.params.tree_sha ?? '';
  const commit = repository.git.commits.get(ref) ?? repository.git.commits.get(repository.branches.get(ref) ?? '');
  const treeSha = commit ? commit.tree : ref;
  if (!repository.git.trees.has(treeSha)) throw notFound();
  const recursive = request.query.has('recursive');
  const api = `${urls.api}/repos/${repository.owner}/${repository.name}`;
  const entries: Record<string, unknown>[] = [];
  const walk = (sha: string, prefix: string) => {
    for (const entry of repository.git.trees.get(sha) ?? []) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      const size = entry.type === 'blob' ? { size: repository.git.blobs.get(entry.sha)?.length ?? 0 } : {};
      const url = entry.type === 'commit' ? {} : { url: `${api}/git/${entry.type}s/${entry.sha}` };
      entries.push({ path, mode: entry.mode, type: entry.type, sha: entry.sha, ...size, ...url });
      if (recursive && entry.type === 'tree') walk(entry.sha, path);
    }
  };
  walk(treeSha, '');
  return ok({ sha: treeSha, url: `${api}/git/trees/${treeSha}`, tree: entries, truncated: false });
});

repo('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', ({ urls, request }, repository) => {
  const sha = request.params.file_sha ?? '';
  const body = repository.git.blobs.get(sha);
  if (!body) throw notFound();
  const content = (body.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n';
  return ok({ sha, node_id: `B_${sha.slice(0, 12)}`, size: body.length, url: `${urls.api}/repos/${repository.owner}/${repository.name}/git/blobs/${sha}`, content, encoding: 'base64' });
});

repo('POST /repos/{owner}/{repo}/git/trees', ({ urls, request }, repository) => {
  const body = bodyObject(request);
  if (!Array.isArray(body.tree)) throw validationFailed('Invalid tree info', [{ resource: 'Tree', field: 'tree', code: 'missing' }]);
  const base = typeof body.base_tree === 'string' ? body.base_tree : null;
  const sha = gitCall(() => repository.git.applyWrites(base, body.tree as TreeWrite[]));
  const api = `${urls.api}/repos/${repository.owner}/${repository.name}`;
  const tree = (repository.git.trees.get(sha) ?? []).map((entry) => ({ path: entry.name, mode: entry.mode, type: entry.type, sha: entry.sha, url: `${api}/git/${entry.type}s/${entry.sha}` }));
  return created({ sha, url: `${api}/git/trees/${sha}`, tree, truncated: false });
});

repo('POST /repos/{owner}/{repo}/git/commits', ({ fake, urls, request }, repository) => {
  const body = bodyObject(request);
  const tree = requireString(body, 'tree');
  const message = requireString(body, 'message');
  const parents = Array.isArray(body.parents) ? body.parents.map(String) : [];
  const sha = gitCall(() => repository.git.writeCommit({ tree, parents, message, author: { name: `${fake.app.slug}[bot]`, email: `${fake.app.id}+${fake.app.slug}[bot]@users.noreply.github.com`, date: fake.now() } }));
  return created(renderGitCommit(repository, sha, urls));
});

repo('GET /repos/{owner}/{repo}/git/ref/{+ref}', ({ urls, request }, repository) => {
  const branch = (request.params.ref ?? '').replace(/^heads\//, '');
  if (!repository.branches.has(branch)) throw notFound();
  return ok(renderRef(repository, branch, urls));
});

repo('POST /repos/{owner}/{repo}/git/refs', ({ urls, request }, repository) => {
  const body = bodyObject(request);
  const ref = requireString(body, 'ref');
  const sha = requireString(body, 'sha');
  if (!/^refs\/heads\/.+/.test(ref)) throw new HttpError(422, 'Reference name must start with refs/heads/ in this fake');
  const branch = ref.slice('refs/heads/'.length);
  if (repository.branches.has(branch)) throw new HttpError(422, 'Reference already exists');
  if (!repository.git.commits.has(sha)) throw new HttpError(422, 'Object does not exist');
  repository.branches.set(branch, sha);
  return created(renderRef(repository, branch, urls));
});

repo('PATCH /repos/{owner}/{repo}/git/refs/{+ref}', ({ urls, request }, repository) => {
  const body = bodyObject(request);
  const sha = requireString(body, 'sha');
  const branch = (request.params.ref ?? '').replace(/^heads\//, '');
  const current = repository.branches.get(branch);
  if (!current) throw new HttpError(422, 'Reference does not exist');
  if (!repository.git.commits.has(sha)) throw new HttpError(422, 'Object does not exist');
  if (body.force !== true && !ancestors(repository, sha).has(current)) throw new HttpError(422, 'Update is not a fast forward');
  repository.branches.set(branch, sha);
  return ok(renderRef(repository, branch, urls));
});

repo('DELETE /repos/{owner}/{repo}/git/refs/{+ref}', ({ request }, repository) => {
  const branch = (request.params.ref ?? '').replace(/^heads\//, '');
  if (!repository.branches.has(branch)) throw new HttpError(422, 'Reference does not exist');
  if (branch === repository.defaultBranch) throw new HttpError(422, 'Cannot delete the default branch');
  repository.branches.delete(branch);
  return { status: 204 };
});

function ancestors(repository: FakeRepository, sha: string): Set<string> {
  const seen = new Set<string>();
  const stack = [sha];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(repository.git.commits.get(next)?.parents ?? []));
  }
  return seen;
}

// --- labels -----------------------------------------------------------------------------------------

repo('GET /repos/{owner}/{repo}/labels', ({ urls, request }, repository) => {
  const listed = page(request, repository.labels.map((label) => renderLabel(label, repository, urls)));
  return ok(listed.items, listed.headers);
});

repo('POST /repos/{owner}/{repo}/labels', ({ fake, urls, request }, repository) => {
  const body = bodyObject(request);
  const name = requireString(body, 'name');
  const { label, created: isNew } = fake.ensureLabel(repository, name, { color: typeof body.color === 'string' ? body.color : undefined, description: typeof body.description === 'string' ? body.description : null });
  if (!isNew) throw validationFailed('Validation Failed', [{ resource: 'Label', code: 'already_exists', field: 'name' }]);
  return created(renderLabel(label, repository, urls));
});

// --- issues and comments ----------------------------------------------------------------------------

repo('GET /repos/{owner}/{repo}/issues', ({ fake, urls, request }, repository) => {
  const state = request.query.get('state') ?? 'open';
  const creator = request.query.get('creator')?.toLowerCase();
  const labels = (request.query.get('labels') ?? '').split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  const since = request.query.get('since');
  const direction = request.query.get('direction') ?? 'desc';
  const sort = request.query.get('sort') ?? 'created';
  const issues = [...repository.issues.values()].filter(
    (issue) =>
      (state === 'all' || issue.state === state) &&
      (!creator || issue.user.toLowerCase() === creator) &&
      labels.every((label) => issue.labels.some((name) => name.toLowerCase() === label)) &&
      (!since || issue.updatedAt >= since),
  );
  const key = (issue: FakeIssue) => (sort === 'updated' ? issue.updatedAt : issue.createdAt);
  issues.sort((a, b) => (direction === 'asc' ? 1 : -1) * (key(a).localeCompare(key(b)) || a.number - b.number));
  const listed = page(request, issues.map((issue) => renderIssue(fake, repository, issue, urls)));
  return ok(listed.items, listed.headers);
});

repo('POST /repos/{owner}/{repo}/issues', ({ fake, urls, request, actor }, repository) => {
  const body = bodyObject(request);
  const title = requireString(body, 'title');
  const labels = Array.isArray(body.labels) ? body.labels.map((label) => (typeof label === 'string' ? label : String((label as { name?: unknown }).name))) : [];
  const issue = fake.createIssue(`${repository.owner}/${repository.name}`, { title, body: typeof body.body === 'string' ? body.body : null, labels, user: actor });
  return created(renderIssue(fake, repository, issue, urls));
});

repo('GET /repos/{owner}/{repo}/issues/comments/{comment_id}', ({ fake, urls, request }, repository) => {
  const comment = repository.comments.find((candidate) => candidate.id === Number(request.params.comment_id));
  if (!comment) throw notFound();
  return ok(renderComment(fake, repository, comment, urls));
});

repo('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', ({ fake, urls, request, actor }, repository) => {
  const comment = repository.comments.find((candidate) => candidate.id === Number(request.params.comment_id));
  if (!comment) throw notFound();
  const content = requireString(bodyObject(request), 'content');
  if (!['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'].includes(content)) throw validationFailed('Validation Failed', [{ resource: 'Reaction', code: 'invalid', field: 'content' }]);
  const existing = comment.reactions.find((reaction) => reaction.content === content && reaction.user === actor);
  const reaction = existing ?? { id: fake.nextId(), content, user: actor };
  if (!existing) comment.reactions.push(reaction);
  const json = { id: reaction.id, node_id: `REA_${reaction.id}`, user: renderUser(fake, actor, urls), content, created_at: fake.now() };
  return existing ? ok(json) : created(json);
});

repo('GET /repos/{owner}/{repo}/issues/{issue_number}', ({ fake, urls, request }, repository) => ok(renderIssue(fake, repository, issueOf(repository, request.params.issue_number), urls)));

repo('PATCH /repos/{owner}/{repo}/issues/{issue_number}', ({ fake, urls, request, actor }, repository) => {
  const issue = issueOf(repository, request.params.issue_number);
  const body = bodyObject(request);
  if (body.state !== undefined && body.state !== 'open' && body.state !== 'closed') throw validationFailed('Validation Failed', [{ resource: 'Issue', code: 'invalid', field: 'state' }]);
  const labels = Array.isArray(body.labels) ? body.labels.map((label) => (typeof label === 'string' ? label : String((label as { name?: unknown }).name))) : undefined;
  fake.updateIssue(
    `${repository.owner}/${repository.name}`,
    issue.number,
    {
      ...(typeof body.title === 'string' ? { title: body.title } : {}),
      ...(body.body !== undefined ? { body: body.body as string | null } : {}),
      ...(body.state !== undefined ? { state: body.state as 'open' | 'closed' } : {}),
      ...(body.state_reason !== undefined ? { state_reason: body.state_reason as string | null } : {}),
      ...(labels ? { labels } : {}),
    },
    actor,
  );
  return ok(renderIssue(fake, repository, issue, urls));
});

repo('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', ({ fake, urls, request }, repository) => {
  const issue = issueOf(repository, request.params.issue_number);
  const since = request.query.get('since');
  // GitHub compares whole seconds.
  const sinceKey = since ? new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
  const comments = repository.comments.filter((comment) => comment.issueNumber === issue.number && (!sinceKey || comment.updatedAt >= sinceKey));
  const listed = page(request, comments.map((comment) => renderComment(fake, repository, comment, urls)));
  return ok(listed.items, listed.headers);
});

repo('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', ({ fake, urls, request, actor }, repository) => {
  const issue = issueOf(repository, request.params.issue_number);
  const body = requireString(bodyObject(request), 'body');
  if (body.length > 65_536) throw validationFailed('Validation Failed', [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }]);
  const comment = fake.addComment(`${repository.owner}/${repository.name}`, issue.number, body, actor);
  return created(renderComment(fake, repository, comment, urls));
});

// --- pull requests ------------------------------------------------------------------------------------

repo('GET /repos/{owner}/{repo}/pulls', ({ fake, urls, request }, repository) => {
  const state = request.query.get('state') ?? 'open';
  const head = request.query.get('head');
  const base = request.query.get('base');
  const direction = request.query.get('direction') ?? 'desc';
  const [headOwner, headBranch] = head?.includes(':') ? head.split(/:(.*)/s) : [repository.owner, head ?? undefined];
  const pulls = [...repository.issues.values()].filter(
    (issue) =>
      issue.pull &&
      (state === 'all' || issue.state === state) &&
      (!headBranch || (headOwner?.toLowerCase() === repository.owner.toLowerCase() && issue.pull.head === headBranch)) &&
      (!base || issue.pull.base === base),
  );
  pulls.sort((a, b) => (direction === 'asc' ? a.number - b.number : b.number - a.number));
  const listed = page(request, pulls.map((issue) => renderPull(fake, repository, issue, urls)));
  return ok(listed.items, listed.headers);
});

repo('POST /repos/{owner}/{repo}/pulls', ({ fake, urls, request, actor }, repository) => {
  const body = bodyObject(request);
  const head = requireString(body, 'head').replace(new RegExp(`^${repository.owner}:`, 'i'), '');
  const base = requireString(body, 'base');
  const title = requireString(body, 'title');
  const issue = gitCall(() => fake.openPullRequest(`${repository.owner}/${repository.name}`, { head, base, title, body: typeof body.body === 'string' ? body.body : null, user: actor }));
  return created(renderPull(fake, repository, issue, urls));
});

repo('GET /repos/{owner}/{repo}/pulls/{pull_number}', ({ fake, urls, request }, repository) => ok(renderPull(fake, repository, pullOf(repository, request.params.pull_number), urls)));

repo('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', ({ fake, urls, request, actor }, repository) => {
  const issue = pullOf(repository, request.params.pull_number);
  const body = bodyObject(request);
  if (body.state === 'open' && issue.state === 'closed') {
    const head = repository.branches.get(issue.pull!.head);
    if (!head || issue.pull!.mergedAt) throw validationFailed('Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `state cannot be changed. The ${issue.pull!.head} branch has been deleted.` }]);
    issue.pull!.headSha = head;
  }
  fake.updateIssue(
    `${repository.owner}/${repository.name}`,
    issue.number,
    { ...(typeof body.title === 'string' ? { title: body.title } : {}), ...(body.body !== undefined ? { body: body.body as string | null } : {}), ...(body.state === 'open' || body.state === 'closed' ? { state: body.state } : {}) },
    actor,
  );
  return ok(renderPull(fake, repository, issue, urls));
});

repo('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', ({ urls, request }, repository) => {
  const issue = pullOf(repository, request.params.pull_number);
  const head = issue.pull!.headSha;
  const baseTip = repository.branches.get(issue.pull!.base)!;
  // GitHub diffs against the merge base, so commits on the base since the branch left are not
  // the pull request's.
  const headAncestors = ancestors(repository, head);
  let mergeBase = baseTip;
  for (const candidate of [...ancestors(repository, baseTip)]) {
    if (headAncestors.has(candidate)) {
      mergeBase = candidate;
      break;
    }
  }
  const before = repository.git.flatten(repository.git.commits.get(mergeBase)!.tree);
  const after = repository.git.flatten(repository.git.commits.get(head)!.tree);
  const text = (sha: string | undefined) => (sha ? (repository.git.blobs.get(sha)?.toString('utf8') ?? '') : '');
  const files: Record<string, unknown>[] = [];
  const api = `${urls.api}/repos/${repository.owner}/${repository.name}`;
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const old = before.get(path);
    const next = after.get(path);
    if (old?.sha === next?.sha) continue;
    const status = !old ? 'added' : !next ? 'removed' : 'modified';
    const stats = diffStats(text(old?.sha), text(next?.sha));
    files.push({
      sha: next?.sha ?? old?.sha,
      filename: path,
      status,
      additions: stats.additions,
      deletions: stats.deletions,
      changes: stats.additions + stats.deletions,
      blob_url: `${urls.web}/${repository.owner}/${repository.name}/blob/${head}/${path}`,
      raw_url: `${urls.web}/${repository.owner}/${repository.name}/raw/${head}/${path}`,
      contents_url: `${api}/contents/${path}?ref=${head}`,
      patch: unifiedDiff(text(old?.sha), text(next?.sha)),
    });
  }
  const listed = page(request, files);
  return ok(listed.items, listed.headers);
});

// --- check runs ---------------------------------------------------------------------------------------

function applyCheckRun(fake: FakeGitHub, run: FakeCheckRun, body: Record<string, unknown>): void {
  const output = (body.output ?? undefined) as Record<string, unknown> | undefined;
  const annotations = Array.isArray(output?.annotations) ? (output.annotations as Record<string, unknown>[]) : [];
  if (annotations.length > 50) throw validationFailed('Validation Failed', [{ resource: 'CheckRun', code: 'custom', field: 'annotations', message: 'Only 50 annotations may be sent in one request' }]);
  for (const annotation of annotations) {
    for (const field of ['path', 'start_line', 'end_line', 'annotation_level', 'message']) {
      if (annotation[field] === undefined) throw validationFailed(`Invalid request.\n\n"${field}" wasn't supplied.`);
    }
  }
  const actions = Array.isArray(body.actions) ? (body.actions as Record<string, unknown>[]) : undefined;
  if (actions && actions.length > 3) throw validationFailed('Validation Failed', [{ resource: 'CheckRun', code: 'custom', field: 'actions', message: 'Only 3 actions may be set' }]);
  if (typeof body.name === 'string') run.name = body.name;
  if (typeof body.external_id === 'string') run.externalId = body.external_id;
  if (typeof body.started_at === 'string') run.startedAt = body.started_at;
  if (body.status === 'queued' || body.status === 'in_progress' || body.status === 'completed') run.status = body.status;
  if (typeof body.conclusion === 'string') {
    run.conclusion = body.conclusion;
    run.status = 'completed';
  }
  if (run.status === 'completed') {
    if (!run.conclusion) throw validationFailed('Invalid request.\n\n"conclusion" wasn\'t supplied.');
    run.completedAt = typeof body.completed_at === 'string' ? body.completed_at : (run.completedAt ?? fake.now());
  }
  if (output) {
    if (typeof output.title === 'string') run.title = output.title;
    if (typeof output.summary === 'string') run.summary = output.summary;
    if (typeof output.text === 'string') run.text = output.text;
    // GitHub adds each request's annotations to those already there.
    run.annotations.push(...annotations);
  }
  if (actions) run.actions = actions;
}

repo('POST /repos/{owner}/{repo}/check-runs', ({ fake, urls, request }, repository) => {
  const body = bodyObject(request);
  const name = requireString(body, 'name');
  const headSha = requireString(body, 'head_sha');
  if (!repository.git.commits.has(headSha)) throw validationFailed('No commit found for SHA: ' + headSha);
  const run: FakeCheckRun = { id: 4000000000 + fake.nextId(), name, headSha, status: 'queued', conclusion: null, externalId: '', startedAt: fake.now(), completedAt: null, title: null, summary: null, text: null, annotations: [], actions: [], appId: fake.app.id };
  applyCheckRun(fake, run, body);
  repository.checkRuns.push(run);
  return created(renderCheckRun(fake, repository, run, urls));
});

repo('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', ({ fake, urls, request }, repository) => {
  const run = repository.checkRuns.find((candidate) => candidate.id === Number(request.params.check_run_id));
  if (!run) throw notFound();
  applyCheckRun(fake, run, bodyObject(request));
  return ok(renderCheckRun(fake, repository, run, urls));
});

repo('GET /repos/{owner}/{repo}/check-runs/{check_run_id}', ({ fake, urls, request }, repository) => {
  const run = repository.checkRuns.find((candidate) => candidate.id === Number(request.params.check_run_id));
  if (!run) throw notFound();
  return ok(renderCheckRun(fake, repository, run, urls));
});

repo('GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations', ({ request }, repository) => {
  const run = repository.checkRuns.find((candidate) => candidate.id === Number(request.params.check_run_id));
  if (!run) throw notFound();
  const listed = page(request, run.annotations.map((annotation) => ({ title: null, raw_details: null, blob_href: '', ...annotation, start_column: annotation.start_column ?? null, end_column: annotation.end_column ?? null })));
  return ok(listed.items, listed.headers);
});

repo('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', ({ fake, urls, request }, repository) => {
  const sha = fake.resolveRef(repository, request.params.ref ?? '');
  if (!sha) throw new HttpError(422, `No commit found for SHA: ${request.params.ref}`);
  const name = request.query.get('check_name');
  const runs = repository.checkRuns.filter((run) => run.headSha === sha && (!name || run.name === name)).reverse();
  const listed = page(request, runs.map((run) => renderCheckRun(fake, repository, run, urls)));
  return ok({ total_count: runs.length, check_runs: listed.items }, listed.headers);
});

