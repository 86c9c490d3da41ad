// What one scan of a repository is asked to do, and what it found per workspace: the contract
// between the triggers (webhooks, commands, the scheduler), scanRepository, the surfaces and the
// store.
import type { PatchDirection, PatchSet } from '../patch/types.js';
import type { ScanResult } from '../report/types.js';

export interface RepoName {
  owner: string;
  name: string;
}

/** Why a scan ran: shown on the dashboard ("last scanned … because …") and stored. */
export type ScanTrigger = 'installation' | 'push' | 'pull_request' | 'command' | 'dashboard' | 'check_run' | 'schedule';

export interface ScanReason {
  trigger: ScanTrigger;
  /** GitHub login of who caused it (pusher, commenter), null for the scheduler and the app. */
  actor: string | null;
  /** One line for people: "push of 3 commits to main", "/drift scan prod". Plain text. */
  detail: string | null;
}

/** Where a scan's result goes. */
export type ScanTarget =
  /** The default branch: drift issues, the dashboard, autofix pull requests (and the store). */
  | { kind: 'default-branch' }
  /** A pull request's check run "driftwatch" on its head commit; nothing else is written. */
  | { kind: 'pull-request'; number: number; headSha: string }
  /** A fix pull request for these drifts (by address, or every drift when empty), besides the
   * default-branch surfaces. */
  | { kind: 'fix'; direction: PatchDirection; addresses: string[] };

export interface ScanRepositoryRequest {
  installationId: number;
  repo: RepoName;
  /** Branch, tag or commit sha to scan at; absent: the default branch's head. */
  ref?: string;
  /** Workspace names; default: every enabled workspace (or those `changedPaths` touch). */
  workspaces?: string[];
  /** Files a push or pull request changed (repository-relative): only the workspaces whose
   * files or local module sources they touch are scanned. Absent: no such filter. */
  changedPaths?: string[];
  reason: ScanReason;
  target: ScanTarget;
}

/** One workspace's outcome, as the surfaces and the store take it. */
export interface WorkspaceReport {
  workspace: string;
  /** Root module directory relative to the repository root ('' for the root). */
  dir: string;
  /**
   * complete / partial: the scan ran (`result` set; partial lists what could not be read).
   * failed: the scan could not run (state unreadable, AWS unreachable, configuration broken):
   *   `error` says what and what to fix; nothing may be resolved because of it.
   * disabled: `enabled: false` in the config; not scanned.
   */
  status: 'complete' | 'partial' | 'failed' | 'disabled';
  error: string | null;
  result: ScanResult | null;
  /** Patches by direction, when built. Restore is built for every scan that found drift. */
  patches: Partial<Record<PatchDirection, PatchSet>>;
  /** Secret values from the state: every text sent anywhere is scrubbed of them. Held in memory
   * only, never stored, logged or put in a job. */
  secrets: string[];
  commitSha: string;
  startedAt: string;
  finishedAt: string;
  /** AWS API calls the scan made (collection, state, attribution). */
  apiCalls: number;
}

export interface ScanRepositoryOutcome {
  repo: RepoName;
  commitSha: string;
  /** The configuration could not be read: the "driftwatch config" check run says why; nothing
   * was scanned. */
  configError: string | null;
  reports: WorkspaceReport[];
  /** Links written, for a command's reply. */
  links: { kind: 'issue' | 'dashboard' | 'check-run' | 'pull-request'; url: string; label: string }[];
}
