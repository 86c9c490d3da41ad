// Webhook deliveries as GitHub sends them: real payloads from @octokit/webhooks-examples with the
// fake's installation, repository, users and objects put in, signed with the app's webhook secret
// (X-Hub-Signature-256) and POSTed over HTTP to the app's webhook path.
import { randomUUID } from 'node:crypto';
import examples from '@octokit/webhooks-examples';
import { sign } from '@octokit/webhooks-methods';
import type { FakeComment, FakeIssue } from './model.js';
import { renderComment, renderInstallation, renderIssue, renderPull, renderRepository, renderUser, type Urls } from './render.js';
import type { FakeGitHubServer } from './server.js';

type Payload = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function example(name: string, action?: string): Payload {
  const event = (examples as unknown as { name: string; examples: Payload[] }[]).find((candidate) => candidate.name === name);
  const found = event?.examples.find((payload) => action === undefined || payload.action === action);
  if (!found) throw new Error(`no webhook example ${name}${action ? `.${action}` : ''}`);
  return structuredClone(found);
}

function urlsOf(server: FakeGitHubServer): Urls {
  return { api: server.apiUrl, web: server.url };
}

function installationRef(installationId: number): Payload {
  return { id: installationId, node_id: Buffer.from(`023:Integration Installation${installationId}`).toString('base64') };
}

/** installation.created: the app was installed on these repositories. */
export function installationCreated(server: FakeGitHubServer, installationId: number, sender: string): Payload {
  const { github } = server;
  const installation = github.installations.get(installationId);
  if (!installation) throw new Error(`no installation ${installationId}`);
  const payload = example('installation', 'created');
  payload.installation = renderInstallation(github, installationId, urlsOf(server));
  payload.repositories = installation.repositories.map((name) => {
    const repository = github.repository(name);
    return { id: repository.id, node_id: Buffer.from(`010:Repository${repository.id}`).toString('base64'), name: repository.name, full_name: `${repository.owner}/${repository.name}`, private: repository.private };
  });
  payload.requester = null;
  payload.sender = renderUser(github, sender, urlsOf(server));
  return payload;
}

/** push: `commit` (from FakeGitHub.commit) reached `branch`. */
export function push(server: FakeGitHubServer, installationId: number, fullName: string, commit: { sha: string; before: string; added: string[]; modified: string[]; removed: string[] }, options: { branch?: string; sender: string }): Payload {
  const { github } = server;
  const repository = github.repository(fullName);
  const branch = options.branch ?? repository.defaultBranch;
  const payload = example('push');
  const message = repository.git.commits.get(commit.sha)?.message ?? '';
  const author = { name: 'Dana Ops', email: 'dana@acme.example', username: options.sender };
  const headCommit = {
    id: commit.sha,
    tree_id: repository.git.commits.get(commit.sha)?.tree,
    distinct: true,
    message,
    timestamp: github.now(),
    url: `${server.url}/${fullName}/commit/${commit.sha}`,
    author,
    committer: author,
    added: commit.added,
    removed: commit.removed,
    modified: commit.modified,
  };
  Object.assign(payload, {
    ref: `refs/heads/${branch}`,
    before: commit.before,
    after: commit.sha,
    created: false,
    deleted: false,
    forced: false,
    compare: `${server.url}/${fullName}/compare/${commit.before.slice(0, 12)}...${commit.sha.slice(0, 12)}`,
    commits: [headCommit],
    head_commit: headCommit,
    repository: { ...renderRepository(github, repository, urlsOf(server)), master_branch: repository.defaultBranch },
    pusher: { name: options.sender, email: author.email },
    sender: renderUser(github, options.sender, urlsOf(server)),
    installation: installationRef(installationId),
  });
  return payload;
}

/** pull_request.<action> for a pull request of the fake. */
export function pullRequest(server: FakeGitHubServer, installationId: number, fullName: string, pull: FakeIssue, action: 'opened' | 'synchronize' | 'reopened' | 'closed', sender: string): Payload {
  const { github } = server;
  const repository = github.repository(fullName);
  const payload = example('pull_request', action === 'synchronize' ? 'synchronize' : action);
  payload.action = action;
  payload.number = pull.number;
  payload.pull_request = renderPull(github, repository, pull, urlsOf(server));
  payload.repository = renderRepository(github, repository, urlsOf(server));
  payload.sender = renderUser(github, sender, urlsOf(server));
  payload.installation = installationRef(installationId);
  return payload;
}

/** issue_comment.created for a comment of the fake. */
export function issueCommentCreated(server: FakeGitHubServer, installationId: number, fullName: string, issue: FakeIssue, comment: FakeComment): Payload {
  const { github } = server;
  const repository = github.repository(fullName);
  const payload = example('issue_comment', 'created');
  payload.issue = renderIssue(github, repository, issue, urlsOf(server));
  payload.comment = renderComment(github, repository, comment, urlsOf(server));
  payload.repository = renderRepository(github, repository, urlsOf(server));
  payload.sender = renderUser(github, comment.user, urlsOf(server));
  payload.installation = installationRef(installationId);
  return payload;
}

/** issues.<action> (closed, reopened, edited) for an issue of the fake. */
export function issuesEvent(server: FakeGitHubServer, installationId: number, fullName: string, issue: FakeIssue, action: 'closed' | 'reopened' | 'edited', sender: string, changes?: Payload): Payload {
  const { github } = server;
  const repository = github.repository(fullName);
  const payload = example('issues', action === 'closed' ? 'edited' : action);
  payload.action = action;
  payload.issue = renderIssue(github, repository, issue, urlsOf(server));
  payload.repository = renderRepository(github, repository, urlsOf(server));
  payload.sender = renderUser(github, sender, urlsOf(server));
  payload.installation = installationRef(installationId);
  if (changes) payload.changes = changes;
  else delete payload.changes;
  return payload;
}

export interface Delivery {
  id: string;
  status: number;
  body: string;
}

/** POSTs one delivery to the app's webhook URL, signed with `secret` (or a given signature). */
export async function deliver(webhookUrl: string, secret: string, event: string, payload: Payload, options: { id?: string; signature?: string } = {}): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const id = options.id ?? randomUUID();
  const response = await fetch(webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/fake',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-github-hook-id': '471905',
      'x-github-hook-installation-target-type': 'integration',
      'x-hub-signature-256': options.signature ?? (await sign(secret, body)),
    },
    body,
  });
  return { id, status: response.status, body: await response.text() };
}
