// The fake GitHub through Probot's own clients, as the app reaches it: app authentication (a JWT,
// then the installation token exchange) against GHE_HOST, then the routes the app calls.
import { generateKeyPairSync } from 'node:crypto';
import { Probot } from 'probot';
import { PacedProbotOctokit } from '../../../src/github/paced-octokit.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubClient } from '../../../src/github/octokit.js';
import { deliver, installationCreated, issueCommentCreated, pullRequest, push, seedRepository, serveFakeGitHub, type FakeGitHubServer } from './index.js';
import { unifiedDiff } from './unified-diff.js';

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const INSTALLATION = 31337;
const REPO = 'acme/infra';
const FILES = {
  '.github/driftwatch.yml': 'workspaces:\n  - name: prod\n    dir: infra/prod\n',
  'infra/prod/main.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n}\n',
  'README.md': '# infra\n',
};

let server: FakeGitHubServer;
let octokit: GitHubClient;

async function installationClient(fake: FakeGitHubServer): Promise<GitHubClient> {
  const probot = new Probot({ appId: fake.github.app.id, privateKey, baseUrl: fake.apiUrl, Octokit: PacedProbotOctokit, logLevel: 'fatal' });
  return (await probot.auth(INSTALLATION)) as unknown as GitHubClient;
}

beforeEach(async () => {
  server = await serveFakeGitHub();
  seedRepository(server.github, REPO, FILES, { installationId: INSTALLATION, collaborators: { dana: 'write', reader: 'read', maya: 'maintain' } });
  octokit = await installationClient(server);
});
afterEach(async () => {
  await server.close();
});

const repo = { owner: 'acme', repo: 'infra' };

describe('the fake GitHub', () => {
  it('exchanges the app JWT for an installation token and refuses unknown tokens', async () => {
    const { data } = await octokit.rest.repos.get(repo);
    expect(server.requests.map((request) => [request.route, request.status, request.installationId])).toEqual([
      ['POST /app/installations/{installation_id}/access_tokens', 201, null],
      ['GET /repos/{owner}/{repo}', 200, INSTALLATION],
    ]);
    expect(data).toMatchObject({ full_name: REPO, default_branch: 'main', private: true, url: `${server.apiUrl}/repos/${REPO}` });
    const stranger = new PacedProbotOctokit({ auth: { token: 'ghs_stolen' }, baseUrl: server.apiUrl });
    await expect(stranger.rest.repos.get(repo)).rejects.toMatchObject({ status: 401 });
    // A repository the installation cannot see is as absent as one that does not exist.
    server.github.createRepository('acme/secret', { 'a.txt': 'x' });
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'secret' })).rejects.toMatchObject({ status: 404 });
    const app = new Probot({ appId: server.github.app.id, privateKey, baseUrl: server.apiUrl, logLevel: 'fatal' });
    const { data: me } = await (await app.auth()).rest.apps.getAuthenticated();
    expect(me).toMatchObject({ id: server.github.app.id, slug: 'driftwatch' });
  });

  it('serves the configuration the way Probot\'s config plugin reads it, and 404 for a missing file', async () => {
    const got = await octokit.config.get({ ...repo, path: '.github/driftwatch.yml' });
    expect(got.config).toEqual({ workspaces: [{ name: 'prod', dir: 'infra/prod' }] });
    // The plugin then looks in the organization's .github repository, which does not exist.
    const missing = await octokit.config.get({ ...repo, path: '.github/other.yml' });
    expect(missing.config).toEqual({});
    expect(server.requests.filter((request) => request.path === '/repos/acme/.github/contents/.github/other.yml')).toHaveLength(1);
  });

  it('serves the Git Data API with real shas, and answers 422 for an existing ref', async () => {
    const { data: sha } = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}', { ...repo, ref: 'main', mediaType: { format: 'sha' } });
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    const { data: tree } = await octokit.rest.git.getTree({ ...repo, tree_sha: String(sha), recursive: '1' });
    expect(tree.tree.map((entry) => entry.path)).toEqual(['.github', '.github/driftwatch.yml', 'README.md', 'infra', 'infra/prod', 'infra/prod/main.tf']);
    // `printf '# infra\n' | git hash-object --stdin`
    expect(tree.tree.find((entry) => entry.path === 'README.md')?.sha).toBe('2fead8d6410b23e9a893a6eb80360040b59a18be');
    const blob = await octokit.rest.git.getBlob({ ...repo, file_sha: tree.tree.find((entry) => entry.path === 'infra/prod/main.tf')!.sha! });
    expect(Buffer.from(blob.data.content, 'base64').toString('utf8')).toBe(FILES['infra/prod/main.tf']);

    const { data: branch } = await octokit.rest.repos.getBranch({ ...repo, branch: 'main' });
    const { data: newTree } = await octokit.rest.git.createTree({ ...repo, base_tree: branch.commit.commit.tree.sha, tree: [{ path: 'infra/prod/main.tf', mode: '100644', type: 'blob', content: 'changed\n' }] });
    const { data: commit } = await octokit.rest.git.createCommit({ ...repo, message: 'fix', tree: newTree.sha, parents: [branch.commit.sha] });
    await octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/driftwatch/prod/restore', sha: commit.sha });
    await expect(octokit.rest.git.createRef({ ...repo, ref: 'refs/heads/driftwatch/prod/restore', sha: commit.sha })).rejects.toMatchObject({ status: 422, message: expect.stringContaining('Reference already exists') });
    expect(server.github.files(REPO, 'driftwatch/prod/restore')).toEqual({ ...FILES, 'infra/prod/main.tf': 'changed\n' });
    // The same content on another branch hashes to the same tree.
    const { data: again } = await octokit.rest.git.createTree({ ...repo, base_tree: branch.commit.commit.tree.sha, tree: [{ path: 'infra/prod/main.tf', mode: '100644', type: 'blob', content: 'changed\n' }] });
    expect(again.sha).toBe(newTree.sha);
  });

  it('lists issues page by page with Link headers, pull requests included, as GitHub does', async () => {
    for (let index = 0; index < 7; index++) await octokit.rest.issues.create({ ...repo, title: `Drift ${index}`, labels: ['drift'] });
    server.github.commit(REPO, { 'README.md': 'changed\n' }, { branch: 'feature' });
    server.github.openPullRequest(REPO, { head: 'feature', title: 'A change', user: 'dana' });
    const first = await octokit.rest.issues.listForRepo({ ...repo, per_page: 3 });
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain(`${server.apiUrl}/repos/${REPO}/issues?per_page=3&page=2`);
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, per_page: 3 });
    expect(all).toHaveLength(8);
    expect(all.filter((issue) => issue.pull_request)).toHaveLength(1);
    const bot = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, creator: 'driftwatch[bot]', labels: 'drift' });
    expect(bot.map((issue) => issue.title)).toEqual(['Drift 6', 'Drift 5', 'Drift 4', 'Drift 3', 'Drift 2', 'Drift 1', 'Drift 0']);
    expect(server.github.repository(REPO).labels.map((label) => label.name)).toEqual(['drift']);
  });

  it('searches issues by body token and title, and can lag behind writes', async () => {
    await octokit.rest.issues.create({ ...repo, title: 'Drift Dashboard', body: 'dashboard <!-- token-abc -->' });
    server.github.indexSearch();
    await octokit.rest.issues.create({ ...repo, title: 'Drift: aws_s3_bucket.logs', body: 'issue <!-- token-def -->' });
    const q = `repo:${REPO} is:issue in:body token-abc OR token-def`;
    expect((await octokit.rest.search.issuesAndPullRequests({ q })).data.items.map((item) => item.number)).toEqual([1]);
    server.github.searchCatchesUp();
    expect((await octokit.rest.search.issuesAndPullRequests({ q })).data.items.map((item) => item.number)).toEqual([2, 1]);
    const titled = await octokit.rest.search.issuesAndPullRequests({ q: `repo:${REPO} is:issue in:title "Drift Dashboard"` });
    expect(titled.data).toMatchObject({ total_count: 1, incomplete_results: false, items: [{ number: 1, score: 1 }] });
  });

  it('keeps comments, reactions and collaborator permissions', async () => {
    const issue = server.github.createIssue(REPO, { title: 'Drift', user: 'driftwatch[bot]' });
    const comment = server.github.addComment(REPO, issue.number, '/drift fix', 'dana');
    await octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: comment.id, content: 'eyes' });
    expect(comment.reactions).toMatchObject([{ content: 'eyes', user: 'driftwatch[bot]' }]);
    const { data: listed } = await octokit.rest.issues.listComments({ ...repo, issue_number: issue.number, since: '2000-01-01T00:00:00Z' });
    expect(listed).toMatchObject([{ id: comment.id, body: '/drift fix', user: { login: 'dana' }, reactions: { eyes: 1, total_count: 1 } }]);
    const permission = async (username: string) => (await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username })).data;
    expect(await permission('dana')).toMatchObject({ permission: 'write', role_name: 'write' });
    expect(await permission('maya')).toMatchObject({ permission: 'write', role_name: 'maintain' });
    expect(await permission('reader')).toMatchObject({ permission: 'read' });
    await expect(permission('nobody-at-all')).rejects.toMatchObject({ status: 404 });
  });

  it('opens pull requests and lists their files with unified diffs', async () => {
    const pushed = server.github.commit(REPO, { 'infra/prod/main.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs-2"\n}\n', 'infra/prod/new.tf': 'locals {}\n' }, { branch: 'rename' });
    const { data: pull } = await octokit.rest.pulls.create({ ...repo, head: 'rename', base: 'main', title: 'Rename the bucket' });
    expect(pull).toMatchObject({ number: 1, state: 'open', head: { ref: 'rename', sha: pushed.sha }, base: { ref: 'main' } });
    await expect(octokit.rest.pulls.create({ ...repo, head: 'rename', base: 'main', title: 'again' })).rejects.toMatchObject({ status: 422, message: expect.stringContaining('already exists') });
    const { data: files } = await octokit.rest.pulls.listFiles({ ...repo, pull_number: 1 });
    expect(files.map((file) => [file.filename, file.status, file.additions, file.deletions])).toEqual([
      ['infra/prod/main.tf', 'modified', 1, 1],
      ['infra/prod/new.tf', 'added', 1, 0],
    ]);
    expect(files[0]?.patch).toBe(' resource "aws_s3_bucket" "logs" {\n-  bucket = "acme-logs"\n+  bucket = "acme-logs-2"\n }'.replace(/^/, '@@ -1,3 +1,3 @@\n'));
    const open = await octokit.rest.pulls.list({ ...repo, head: 'acme:rename', state: 'all' });
    expect(open.data.map((item) => item.number)).toEqual([1]);
  });

  it('keeps check runs, adding each request\'s annotations, and refuses more than 50 at once', async () => {
    const sha = server.github.repository(REPO).branches.get('main')!;
    const annotation = (line: number) => ({ path: 'infra/prod/main.tf', start_line: line, end_line: line, annotation_level: 'warning' as const, message: `line ${line}` });
    const { data: run } = await octokit.rest.checks.create({ ...repo, name: 'driftwatch', head_sha: sha, status: 'in_progress' });
    await octokit.rest.checks.update({ ...repo, check_run_id: run.id, conclusion: 'failure', output: { title: 'Drift', summary: 's', annotations: [annotation(1)] } });
    await octokit.rest.checks.update({ ...repo, check_run_id: run.id, output: { title: 'Drift', summary: 's', annotations: [annotation(2)] } });
    expect(server.github.repository(REPO).checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure', title: 'Drift', annotations: [{ start_line: 1 }, { start_line: 2 }] });
    await expect(octokit.rest.checks.update({ ...repo, check_run_id: run.id, output: { title: 'x', summary: 'y', annotations: Array.from({ length: 51 }, (_, index) => annotation(index + 1)) } })).rejects.toMatchObject({ status: 422 });
  });

  it('records every request and fails the next ones as asked (a secondary rate limit)', async () => {
    server.secondaryRateLimit('POST /repos/{owner}/{repo}/issues', 1, 7);
    const failed = await octokit.rest.issues.create({ ...repo, title: 'x' }).catch((error: { status: number; response: { headers: Record<string, string> } }) => error);
    expect(failed).toMatchObject({ status: 403, response: { headers: { 'retry-after': '7' } } });
    await octokit.rest.issues.create({ ...repo, title: 'x' });
    expect(server.writes({ route: 'POST /repos/{owner}/{repo}/issues' }).map((request) => [request.status, request.body])).toEqual([
      [403, { title: 'x' }],
      [201, { title: 'x' }],
    ]);
    expect(server.github.issues(REPO)).toHaveLength(1);
    await octokit.request('GET /repos/{owner}/{repo}/hooks', repo).catch(() => undefined);
    expect(server.unhandled.map((request) => request.path)).toEqual(['/repos/acme/infra/hooks']);
  });
});

describe('webhook deliveries', () => {
  it('signs payloads built from the fake\'s state, which a receiver can verify', async () => {
    const { createServer } = await import('node:http');
    const { verify } = await import('@octokit/webhooks-methods');
    const received: { event: string; body: string; signature: string }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ event: String(req.headers['x-github-event']), body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['x-hub-signature-256']) });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/api/github/webhooks`;
    try {
      const pushed = server.github.commit(REPO, { 'infra/prod/main.tf': 'changed\n' });
      await deliver(url, 's3cret', 'installation', installationCreated(server, INSTALLATION, 'dana'));
      await deliver(url, 's3cret', 'push', push(server, INSTALLATION, REPO, pushed, { sender: 'dana' }));
      const feature = server.github.commit(REPO, { 'README.md': 'more\n' }, { branch: 'docs' });
      const pull = server.github.openPullRequest(REPO, { head: 'docs', title: 'Docs', user: 'dana' });
      await deliver(url, 's3cret', 'pull_request', pullRequest(server, INSTALLATION, REPO, pull, 'opened', 'dana'));
      const comment = server.github.addComment(REPO, pull.number, '/drift scan', 'dana');
      await deliver(url, 's3cret', 'issue_comment', issueCommentCreated(server, INSTALLATION, REPO, pull, comment));
      expect(received.map((delivery) => delivery.event)).toEqual(['installation', 'push', 'pull_request', 'issue_comment']);
      for (const delivery of received) expect(await verify('s3cret', delivery.body, delivery.signature)).toBe(true);
      const [installation, pushPayload, pullPayload, commentPayload] = received.map((delivery) => JSON.parse(delivery.body));
      expect(installation).toMatchObject({ action: 'created', installation: { id: INSTALLATION, app_id: server.github.app.id }, repositories: [{ full_name: REPO }] });
      expect(pushPayload).toMatchObject({ ref: 'refs/heads/main', after: pushed.sha, before: pushed.before, commits: [{ modified: ['infra/prod/main.tf'] }], repository: { full_name: REPO, default_branch: 'main' }, installation: { id: INSTALLATION } });
      expect(pullPayload).toMatchObject({ action: 'opened', number: pull.number, pull_request: { head: { sha: feature.sha, ref: 'docs' } } });
      expect(commentPayload).toMatchObject({ action: 'created', issue: { number: pull.number, pull_request: expect.any(Object) }, comment: { id: comment.id, body: '/drift scan', user: { login: 'dana' } } });
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

describe('unifiedDiff', () => {
  it('groups nearby changes into hunks with three lines of context', () => {
    const before = Array.from({ length: 20 }, (_, index) => `line ${index + 1}`).join('\n') + '\n';
    const after = before.replace('line 2\n', 'line two\n').replace('line 18\n', '');
    expect(unifiedDiff(before, after)).toBe(
      ['@@ -1,5 +1,5 @@', ' line 1', '-line 2', '+line two', ' line 3', ' line 4', ' line 5', '@@ -15,6 +15,5 @@', ' line 15', ' line 16', ' line 17', '-line 18', ' line 19', ' line 20'].join('\n'),
    );
    expect(unifiedDiff('a\n', 'a\n')).toBe('');
    expect(unifiedDiff('', 'new\n')).toBe('@@ -0,0 +1 @@\n+new');
  });
});
