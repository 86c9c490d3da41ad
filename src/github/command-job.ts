// The job behind a /drift comment: who asked (write, maintain or admin only), a 👀 on receipt, the
// work through scanRepository, and one reply with the outcome. A person without write access gets
// one short reply saying who may run it, and nothing runs.
import { escapeMarkdown, codeSpan } from '../report/escape-markdown.js';
import { scanRepository, type RepositoryServices, type ScanRepositoryResult } from '../repository/scan-repository.js';
import type { RepoName, ScanRepositoryRequest } from '../repository/types.js';
import type { JobDefinition } from '../jobs/types.js';
import { isDriftwatchError } from '../errors.js';
import { addIgnoreRule } from './add-ignore-rule.js';
import { helpText, type DriftCommand } from './commands.js';
import { commentOnce, commentTag } from './comment-once.js';
import { createGitHubSession, type GitHubSession } from './github-session.js';
import { loginOf } from './issue-facts.js';
import type { GitHubClient } from './octokit.js';
import { COMMAND_JOB, type CommandJobData } from './webhook-jobs.js';
import { emptyWriteReport } from './write-report.js';
import { refPath, readBaseCommit } from './write-fix-pr.js';
import { createHash } from 'node:crypto';
import { CONFIG_PATH } from '../config/repo-config.js';

const WRITERS = new Set(['admin', 'maintain', 'write']);

/** write, maintain or admin on the repository (GitHub reports maintain as "write" in
 * `permission` and names it in `role_name`). Anyone else, or no collaborator at all: false. */
export async function canWrite(octokit: GitHubClient, repo: RepoName, login: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: repo.owner, repo: repo.name, username: login });
    return WRITERS.has(data.permission) || WRITERS.has((data as { role_name?: string }).role_name ?? '');
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}

export function commandJob(services: RepositoryServices): JobDefinition<CommandJobData> {
  return { name: COMMAND_JOB, run: (data) => runCommands(data, services) };
}

async function runCommands(data: CommandJobData, services: RepositoryServices): Promise<void> {
  const octokit = await services.octokit(data.installationId);
  const session = createGitHubSession({ octokit, repo: data.repo, botLogin: services.botLogin(), log: services.log, now: services.now, report: emptyWriteReport() });
  const tag = `command:${data.commentId}`;
  const reply = (text: string) => commentOnce(session, { number: data.issueNumber, comments: null, updatedAt: null }, text, tag);
  // A comment is answered once: a redelivery that arrives after the first run finished (the
  // queue coalesces only what overlaps) finds the reply and does nothing again.
  if (await alreadyAnswered(session, data, tag)) {
    services.log.info({ repo: `${data.repo.owner}/${data.repo.name}`, comment: data.commentId }, '/drift comment already answered; not run again');
    return;
  }

  if (!(await canWrite(octokit, data.repo, data.actor))) {
    services.log.info({ repo: `${data.repo.owner}/${data.repo.name}`, actor: data.actor }, '/drift command refused: no write access');
    await reply(`Sorry @${data.actor}, \`/drift\` commands can only be run by people with write, maintain or admin access to this repository. A maintainer can run it for you.`);
    return;
  }
  await octokit.rest.reactions.createForIssueComment({ owner: data.repo.owner, repo: data.repo.name, comment_id: data.commentId, content: 'eyes' }).catch((error: unknown) => {
    services.log.warn({ err: error }, 'could not react to a /drift comment');
  });

  const parts: string[] = [];
  if (data.errors.length > 0 || data.commands.some((command) => command.kind === 'help')) {
    const problems = data.errors.map((error) => `- ${codeSpan(error.line)}: ${escapeMarkdown(error.message)}`);
    parts.push([...(problems.length > 0 ? ['Some commands could not be read:', '', ...problems, ''] : []), helpText()].join('\n'));
  }
  for (const command of data.commands) {
    if (command.kind === 'help') continue;
    try {
      parts.push(await runCommand(command, data, services, octokit));
    } catch (error) {
      if (!isDriftwatchError(error)) throw error;
      parts.push(`${codeSpan(commandText(command))} could not run: ${escapeMarkdown(error.message)}`);
    }
  }
  await reply(parts.join('\n\n---\n\n'));
}

async function alreadyAnswered(session: GitHubSession, data: CommandJobData, tag: string): Promise<boolean> {
  const hidden = commentTag(tag);
  const params = { issue_number: data.issueNumber, per_page: 100, ...(data.commentCreatedAt ? { since: data.commentCreatedAt } : {}) };
  for await (const page of session.pages('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', params)) {
    for (const item of page) {
      const comment = item as { body?: unknown; user?: unknown };
      const author = loginOf(comment.user);
      const ours = session.botLogin === null || author?.toLowerCase() === session.botLogin.toLowerCase();
      if (ours && typeof comment.body === 'string' && comment.body.includes(hidden)) return true;
    }
  }
  return false;
}

async function runCommand(command: Exclude<DriftCommand, { kind: 'help' }>, data: CommandJobData, services: RepositoryServices, octokit: GitHubClient): Promise<string> {
  const base = { installationId: data.installationId, repo: data.repo, reason: { trigger: 'command' as const, actor: data.actor, detail: commandText(command) } };
  switch (command.kind) {
    case 'scan': {
      let request: ScanRepositoryRequest;
      if (data.isPullRequest) {
        const { data: pull } = await octokit.rest.pulls.get({ owner: data.repo.owner, repo: data.repo.name, pull_number: data.issueNumber });
        request = { ...base, ref: pull.head.sha, target: { kind: 'pull-request', number: data.issueNumber, headSha: pull.head.sha } };
      } else {
        request = { ...base, target: { kind: 'default-branch' } };
      }
      if (command.workspace) request.workspaces = [command.workspace];
      return scanReply(command, await scanRepository(request, services));
    }
    case 'fix': {
      const addresses = command.addresses.length > 0 ? command.addresses : data.issueDrift ? [data.issueDrift.resource] : [];
      const request: ScanRepositoryRequest = { ...base, target: { kind: 'fix', direction: command.direction, addresses } };
      if (data.issueDrift) request.workspaces = [data.issueDrift.workspace];
      return fixReply(command, await scanRepository(request, services));
    }
    case 'ignore':
      return openIgnorePr(command, data, services, octokit);
  }
}

function commandText(command: DriftCommand): string {
  switch (command.kind) {
    case 'scan':
      return `/drift scan${command.workspace ? ` ${command.workspace}` : ''}`;
    case 'fix':
      return `/drift ${command.direction === 'restore' ? 'fix' : 'accept'}${command.addresses.map((address) => ` ${address}`).join('')}`;
    case 'ignore':
      return `/drift ignore ${command.pattern}${command.reason ? ` ${command.reason}` : ''}`;
    case 'help':
      return '/drift help';
  }
}

function outcomeLines(result: ScanRepositoryResult): string[] {
  const lines: string[] = [];
  if (result.configError) lines.push(`The configuration is not valid, so nothing was scanned: the "driftwatch config" check run on ${codeSpan(result.commitSha.slice(0, 7))} says where.`);
  if (result.unknownWorkspaces.length > 0) {
    lines.push(`No workspace named ${result.unknownWorkspaces.map((name) => codeSpan(name)).join(', ')}; this repository has ${result.workspaces.map((name) => codeSpan(name)).join(', ') || 'none'}.`);
  }
  for (const report of result.reports) {
    const drifts = report.result?.drifts.length ?? 0;
    const status = report.status === 'failed' ? `could not be scanned: ${escapeMarkdown(report.error ?? 'unknown error')}` : report.status === 'disabled' ? 'is disabled (`enabled: false`)' : `${drifts} ${drifts === 1 ? 'drift' : 'drifts'}${report.status === 'partial' ? ' (partial: some resources could not be read)' : ''}`;
    lines.push(`- ${codeSpan(report.workspace)} ${status}`);
  }
  for (const link of result.links) lines.push(`- [${escapeMarkdown(link.label)}](${link.url})`);
  if (result.writes.failures.length > 0) lines.push(`Some GitHub writes failed (${result.writes.failures.length}); they are retried.`);
  return lines;
}

function scanReply(command: Extract<DriftCommand, { kind: 'scan' }>, result: ScanRepositoryResult): string {
  const head = `Scanned at ${codeSpan(result.commitSha.slice(0, 7))} (${codeSpan(commandText(command))}):`;
  const lines = outcomeLines(result);
  if (result.reports.length === 0 && !result.configError && result.unknownWorkspaces.length === 0) lines.push('No workspace to scan.');
  return [head, '', ...lines].join('\n');
}

function fixReply(command: Extract<DriftCommand, { kind: 'fix' }>, result: ScanRepositoryResult): string {
  const prs = result.writes.fixPrs.filter((pr) => pr.direction === command.direction && pr.state === 'open');
  const lines = [`${command.direction === 'restore' ? 'Restore' : 'Accept'} (${codeSpan(commandText(command))}):`, ''];
  for (const pr of prs) lines.push(`- ${codeSpan(pr.workspace)}: ${pr.url}`);
  for (const reply of result.fixReplies) lines.push(`- ${codeSpan(reply.workspace)}: ${reply.reply}`);
  if (prs.length === 0 && result.fixReplies.length === 0) lines.push(...outcomeLines(result), result.reports.some((report) => (report.result?.drifts.length ?? 0) > 0) ? 'No drift matched.' : 'No drift to fix.');
  return lines.join('\n');
}

async function openIgnorePr(command: Extract<DriftCommand, { kind: 'ignore' }>, data: CommandJobData, services: RepositoryServices, octokit: GitHubClient): Promise<string> {
  const { repo } = data;
  const session = createGitHubSession({ octokit, repo, botLogin: services.botLogin(), log: services.log, now: services.now, report: emptyWriteReport() });
  const { data: repository } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.name });
  const current = await readConfigText(octokit, repo, repository.default_branch);
  const edit = addIgnoreRule(current, command.pattern, command.reason);
  if (edit.kind === 'present') return `${codeSpan(command.pattern)} is already in \`${CONFIG_PATH}\`'s ignore list.`;
  const branch = `driftwatch/ignore/${createHash('sha256').update(command.pattern).digest('hex').slice(0, 12)}`;
  const title = `driftwatch: ignore ${command.pattern}`.slice(0, 250);
  const open = await octokit.rest.pulls.list({ owner: repo.owner, repo: repo.name, head: `${repo.owner}:${branch}`, state: 'open' });
  if (open.data[0]) return `A pull request that ignores ${codeSpan(command.pattern)} is already open: ${open.data[0].html_url}`;
  const base = await readBaseCommit(session, repository.default_branch);
  const { data: tree } = await octokit.rest.git.createTree({ owner: repo.owner, repo: repo.name, base_tree: base.treeSha, tree: [{ path: CONFIG_PATH, mode: '100644', type: 'blob', content: edit.text }] });
  const { data: commit } = await octokit.rest.git.createCommit({ owner: repo.owner, repo: repo.name, message: title, tree: tree.sha, parents: [base.sha] });
  try {
    await octokit.rest.git.createRef({ owner: repo.owner, repo: repo.name, ref: `refs/heads/${branch}`, sha: commit.sha });
  } catch (error) {
    if ((error as { status?: number }).status !== 422) throw error;
    await octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{+ref}', { owner: repo.owner, repo: repo.name, ref: refPath(branch), sha: commit.sha, force: true });
  }
  const body = [
    `Adds ${codeSpan(command.pattern)} to the ignore rules in \`${CONFIG_PATH}\`, as @${data.actor} asked in #${data.issueNumber}.`,
    command.reason ? `\nReason: ${escapeMarkdown(command.reason)}` : '',
    '\nOnce merged, drifts matching it are no longer reported, and their issues close on the next scan.',
  ].join('\n');
  const { data: pull } = await octokit.rest.pulls.create({ owner: repo.owner, repo: repo.name, title, head: branch, base: repository.default_branch, body });
  return `Opened ${pull.html_url} to ignore ${codeSpan(command.pattern)}.`;
}

/** The repository's own configuration file at the default branch, or null when it has none. */
async function readConfigText(octokit: GitHubClient, repo: RepoName, ref: string): Promise<string | null> {
  try {
    const { data } = await octokit.rest.repos.getContent({ owner: repo.owner, repo: repo.name, path: CONFIG_PATH, ref, mediaType: { format: 'raw' } });
    return typeof data === 'string' ? data : String(data);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}
