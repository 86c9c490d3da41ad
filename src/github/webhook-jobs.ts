// What each webhook asks for, as jobs: pure functions of the payload, so the handlers only
// enqueue (GitHub gets its answer at once) and every decision here is testable with real payloads.
import type { DashboardRequest } from '../surfaces/types.js';
import { parseMarker } from '../surfaces/marker.js';
import type { RepoName, ScanRepositoryRequest, ScanTarget } from '../repository/types.js';
import { parseCommands, type DriftCommand, type ParsedCommands } from './commands.js';

export const SCAN_JOB = 'scan-repository';
export const COMMAND_JOB = 'drift-command';
export const DASHBOARD_JOB = 'dashboard-request';

export interface JobRequest {
  name: string;
  data: unknown;
  /** Coalescing key (see JobQueue.enqueue). */
  id?: string;
  /** With the id, what makes a delivery the same request (see EnqueueOptions.revision). */
  revision?: string;
}

/** A drift command comment, run by the command job (permission check, 👀, the work, one reply). */
export interface CommandJobData {
  installationId: number;
  repo: RepoName;
  issueNumber: number;
  isPullRequest: boolean;
  commentId: number;
  /** When the comment was written: the job looks for its own earlier reply from then on. */
  commentCreatedAt: string | null;
  actor: string;
  commands: DriftCommand[];
  errors: ParsedCommands['errors'];
  /** The drift the comment's issue tracks (from its marker): `/drift fix` alone means it. */
  issueDrift: { workspace: string; resource: string } | null;
}

export interface DashboardJobData {
  installationId: number;
  repo: RepoName;
  issueNumber: number;
  actor: string;
  requests: DashboardRequest[];
}

interface Sender {
  type?: string;
  login?: string;
}

/** Events the app causes itself (its comments, its issue edits) must never start work: nothing loops. */
export function isFromBot(sender: Sender | null | undefined, botLogin: string | null): boolean {
  if (!sender) return false;
  return sender.type === 'Bot' || (botLogin !== null && sender.login === botLogin);
}

export function scanJob(request: ScanRepositoryRequest): JobRequest {
  const job: JobRequest = { name: SCAN_JOB, data: request, id: scanJobId(request.repo, request.target) };
  // The commit and what asked for it: a redelivered push or a second replica's copy is the same
  // request; "Re-run" on a check of the same commit is a new one.
  if (request.ref !== undefined) job.revision = `${request.reason.trigger}@${request.ref}`;
  return job;
}

/** One default-branch scan per repository waits at a time; a pull request's check per PR. */
export function scanJobId(repo: RepoName, target: ScanTarget): string {
  const key = target.kind === 'default-branch' ? 'default' : target.kind === 'pull-request' ? `pr-${target.number}` : `fix-${target.direction}`;
  return `scan:${repo.owner}/${repo.name}:${key}`;
}

/** Two requests for the same scan job while one waits: one scan covering both. */
export function mergeScanRequests(waiting: ScanRepositoryRequest, incoming: ScanRepositoryRequest): ScanRepositoryRequest {
  const union = (a: string[] | undefined, b: string[] | undefined) => (a === undefined || b === undefined ? undefined : [...new Set([...a, ...b])].sort());
  const merged: ScanRepositoryRequest = {
    ...incoming,
    workspaces: union(waiting.workspaces, incoming.workspaces),
    changedPaths: union(waiting.changedPaths, incoming.changedPaths),
  };
  if (waiting.target.kind === 'fix' && incoming.target.kind === 'fix') {
    const addresses = waiting.target.addresses.length === 0 || incoming.target.addresses.length === 0 ? [] : [...new Set([...waiting.target.addresses, ...incoming.target.addresses])];
    merged.target = { ...incoming.target, addresses };
  }
  if (merged.workspaces === undefined) delete merged.workspaces;
  if (merged.changedPaths === undefined) delete merged.changedPaths;
  return merged;
}

/** GitHub's payload types allow a null owner (a deleted account); such a repository has no owner
 * to scan for, and its full name still names it. */
interface PayloadRepository {
  name: string;
  full_name?: string;
  owner: { login: string } | null;
}

function repoOf(repository: PayloadRepository): RepoName {
  if (repository.owner) return { owner: repository.owner.login, name: repository.name };
  return fullNameRepo(repository.full_name ?? `/${repository.name}`);
}

function fullNameRepo(fullName: string): RepoName {
  const [owner = '', name = ''] = fullName.split('/');
  return { owner, name };
}

// --- installation, installation_repositories --------------------------------------------------

export function installationJobs(payload: { action: string; installation: { id: number }; repositories?: { full_name: string }[]; sender?: Sender }): JobRequest[] {
  if (payload.action !== 'created') return [];
  return (payload.repositories ?? []).map((repository) =>
    scanJob({
      installationId: payload.installation.id,
      repo: fullNameRepo(repository.full_name),
      reason: { trigger: 'installation', actor: payload.sender?.login ?? null, detail: 'driftwatch was installed' },
      target: { kind: 'default-branch' },
    }),
  );
}

export function installationRepositoriesJobs(payload: { action: string; installation: { id: number }; repositories_added?: { full_name: string }[]; sender?: Sender }): JobRequest[] {
  if (payload.action !== 'added') return [];
  return (payload.repositories_added ?? []).map((repository) =>
    scanJob({
      installationId: payload.installation.id,
      repo: fullNameRepo(repository.full_name),
      reason: { trigger: 'installation', actor: payload.sender?.login ?? null, detail: 'the repository was added to driftwatch' },
      target: { kind: 'default-branch' },
    }),
  );
}

// --- push --------------------------------------------------------------------------------------

/** GitHub lists at most this many commits in a push payload; a longer push names no files. */
const PUSH_COMMIT_LIMIT = 2048;

interface PushPayload {
  ref: string;
  after: string;
  deleted?: boolean;
  commits?: { added?: string[]; modified?: string[]; removed?: string[] }[];
  repository: PayloadRepository & { default_branch?: string };
  installation?: { id: number };
  pusher?: { name?: string };
  sender?: Sender;
}

export function pushJobs(payload: PushPayload): JobRequest[] {
  const defaultBranch = payload.repository.default_branch;
  if (!payload.installation || !defaultBranch || payload.ref !== `refs/heads/${defaultBranch}` || payload.deleted) return [];
  const commits = payload.commits ?? [];
  // Without every commit's files (a huge push), the push may have touched any workspace.
  const complete = commits.length > 0 && commits.length < PUSH_COMMIT_LIMIT;
  const changedPaths = complete ? [...new Set(commits.flatMap((commit) => [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])]))].sort() : undefined;
  const request: ScanRepositoryRequest = {
    installationId: payload.installation.id,
    repo: repoOf(payload.repository),
    ref: payload.after,
    reason: {
      trigger: 'push',
      actor: payload.sender?.login ?? payload.pusher?.name ?? null,
      detail: `push of ${commits.length} ${commits.length === 1 ? 'commit' : 'commits'} to ${defaultBranch}`,
    },
    target: { kind: 'default-branch' },
  };
  if (changedPaths) request.changedPaths = changedPaths;
  return [scanJob(request)];
}

// --- pull_request ------------------------------------------------------------------------------

interface PullRequestPayload {
  action: string;
  number: number;
  pull_request: { head: { sha: string }; base: { ref: string } };
  repository: PayloadRepository;
  installation?: { id: number };
  sender?: Sender;
}

export function pullRequestJobs(payload: PullRequestPayload): JobRequest[] {
  if (!payload.installation || !['opened', 'synchronize', 'reopened'].includes(payload.action)) return [];
  return [
    scanJob({
      installationId: payload.installation.id,
      repo: repoOf(payload.repository),
      ref: payload.pull_request.head.sha,
      reason: { trigger: 'pull_request', actor: payload.sender?.login ?? null, detail: `pull request #${payload.number} ${payload.action}` },
      target: { kind: 'pull-request', number: payload.number, headSha: payload.pull_request.head.sha },
    }),
  ];
}

// --- check_run ---------------------------------------------------------------------------------

interface CheckRunPayload {
  action: string;
  check_run: { name: string; head_sha: string; external_id?: string | null; app?: { id: number } | null; pull_requests?: { number: number }[] };
  requested_action?: { identifier?: string };
  repository: PayloadRepository;
  installation?: { id: number };
  sender?: Sender;
}

export function checkRunJobs(payload: CheckRunPayload, appId: number | null): JobRequest[] {
  const run = payload.check_run;
  if (!payload.installation || run.name !== 'driftwatch') return [];
  // Another app may name a check "driftwatch": its buttons are not ours.
  if (appId !== null && run.app && run.app.id !== appId) return [];
  const repo = repoOf(payload.repository);
  const actor = payload.sender?.login ?? null;
  const installationId = payload.installation.id;
  const pulls = run.pull_requests ?? [];
  const workspaces = (run.external_id ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  const rescan = (detail: string): JobRequest[] => {
    if (pulls.length > 0) {
      return pulls.map((pull) => scanJob({ installationId, repo, ref: run.head_sha, reason: { trigger: 'check_run', actor, detail }, target: { kind: 'pull-request', number: pull.number, headSha: run.head_sha } }));
    }
    // A push's check on the default branch: its workspaces, scanned again.
    const request: ScanRepositoryRequest = { installationId, repo, reason: { trigger: 'check_run', actor, detail }, target: { kind: 'default-branch' } };
    if (workspaces.length > 0) request.workspaces = workspaces;
    return [scanJob(request)];
  };
  if (payload.action === 'rerequested') return rescan('check run re-run');
  if (payload.action !== 'requested_action') return [];
  if (payload.requested_action?.identifier === 'rescan') return rescan('"Rescan" on the check run');
  if (payload.requested_action?.identifier === 'fix') {
    // The check names the workspaces it covered: the button fixes those, not every workspace.
    const request: ScanRepositoryRequest = { installationId, repo, reason: { trigger: 'check_run', actor, detail: '"Open fix PR" on the check run' }, target: { kind: 'fix', direction: 'restore', addresses: [] } };
    if (workspaces.length > 0) request.workspaces = workspaces;
    return [scanJob(request)];
  }
  return [];
}

// --- issue_comment -----------------------------------------------------------------------------

interface IssueCommentPayload {
  action: string;
  comment: { id: number; body: string; user: { login: string } | null; created_at?: string };
  issue: { number: number; body?: string | null; pull_request?: unknown };
  repository: PayloadRepository;
  installation?: { id: number };
  sender?: Sender;
}

export function issueCommentJobs(payload: IssueCommentPayload): JobRequest[] {
  if (!payload.installation || payload.action !== 'created') return [];
  const parsed = parseCommands(payload.comment.body);
  if (parsed.commands.length === 0 && parsed.errors.length === 0) return [];
  const marker = parseMarker(payload.issue.body);
  const data: CommandJobData = {
    installationId: payload.installation.id,
    repo: repoOf(payload.repository),
    issueNumber: payload.issue.number,
    isPullRequest: payload.issue.pull_request !== undefined && payload.issue.pull_request !== null,
    commentId: payload.comment.id,
    commentCreatedAt: payload.comment.created_at ?? null,
    actor: payload.comment.user?.login ?? payload.sender?.login ?? 'unknown',
    commands: parsed.commands,
    errors: parsed.errors,
    issueDrift: marker?.kind === 'drift-issue' ? { workspace: marker.workspace, resource: marker.resource } : null,
  };
  // Keyed by the comment: a redelivery of it (GitHub's, or the same event reaching two replicas)
  // coalesces with it or, on Redis, is dropped; every comment still gets its own job and reply.
  const repo = data.repo;
  return [{ name: COMMAND_JOB, data, id: `command:${repo.owner}/${repo.name}:${payload.comment.id}`, revision: 'created' }];
}

// --- issues (the dashboard's checkboxes) -------------------------------------------------------

interface IssuesPayload {
  action: string;
  issue: { number: number; body?: string | null; updated_at?: string };
  changes?: { body?: { from?: string } } | object;
  repository: PayloadRepository;
  installation?: { id: number };
  sender?: Sender;
}

export function dashboardJobs(payload: IssuesPayload, readRequests: (before: string, after: string) => DashboardRequest[]): JobRequest[] {
  if (!payload.installation || payload.action !== 'edited') return [];
  const before = payload.changes && 'body' in payload.changes ? (payload.changes.body as { from?: string } | undefined)?.from : undefined;
  const after = payload.issue.body ?? '';
  if (before === undefined || parseMarker(after)?.kind !== 'dashboard') return [];
  const requests = readRequests(before, after);
  if (requests.length === 0) return [];
  const data: DashboardJobData = {
    installationId: payload.installation.id,
    repo: repoOf(payload.repository),
    issueNumber: payload.issue.number,
    actor: payload.sender?.login ?? 'unknown',
    requests,
  };
  // Keyed by the edit (the issue and its update time): a redelivery of it waits behind the first
  // run, which unticks the boxes, and then finds nothing ticked to take.
  const repo = data.repo;
  const edit = `${payload.issue.number}@${payload.issue.updated_at ?? after.length}`;
  return [{ name: DASHBOARD_JOB, data, id: `dashboard:${repo.owner}/${repo.name}:${edit}`, revision: 'edited' }];
}
