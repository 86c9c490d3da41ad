// One workspace of a repository through the scan engine, read from the repository's tree at one
// commit: the same `scan()` the CLI runs, with the configuration, ignore files and a committed
// state read through the tree's FileSource. A scan that cannot run is a report with status
// `failed` and the reason (never an absent workspace, never "no drift").
import type { RepoConfig, WorkspaceConfig } from '../config/repo-config.js';
import { ignoreRulesFromList, parseIgnoreRules, type IgnoreRule } from '../drift/ignore.js';
import { isDriftwatchError } from '../errors.js';
import type { PatchDirection, PatchSet } from '../patch/types.js';
import { buildPatches, scan, type ScanDependencies, type WorkspaceSource } from '../scan.js';
import type { FileSource } from '../terraform/file-source.js';
import type { WorkspaceReport } from './types.js';

export interface ScanWorkspaceInput {
  workspace: WorkspaceConfig;
  /** Every workspace of the repository: what the others manage is never unmanaged here. */
  all: WorkspaceConfig[];
  config: RepoConfig;
  files: FileSource;
  commitSha: string;
  /** Patches to build besides restore (which issue bodies always show). */
  accept: boolean;
  externalId: string | null;
}

export interface ScanWorkspaceDependencies extends ScanDependencies {
  /** The engine; a test may wrap it. */
  scan?: typeof scan;
  /** A bug, not a user error: logged by the caller with its stack; the report only says where
   * to look (an unexpected message could hold anything, secrets included). */
  onUnexpectedError?: (error: unknown) => void;
}

/** Root module dir as reports carry it: repository-relative, '' for the root. */
export function workspaceDir(workspace: Pick<WorkspaceConfig, 'dir'>): string {
  const dir = workspace.dir.replace(/^\.\/+/, '').replace(/\/+$/, '');
  return dir === '.' ? '' : dir;
}

/** What a report says of a bug (an unexpected message could hold anything, secrets included). */
export const UNEXPECTED_SCAN_ERROR = 'driftwatch hit an unexpected error scanning this workspace; the server log has the details. This is a bug: please report it.';

/** A workspace's report before (or instead of) its scan: failed, with no error yet. */
export function failedReport(input: Pick<ScanWorkspaceInput, 'workspace' | 'commitSha'>, startedAt: string, error: string | null = null): WorkspaceReport {
  return {
    workspace: input.workspace.name,
    dir: workspaceDir(input.workspace),
    status: 'failed',
    error,
    result: null,
    patches: {},
    secrets: [],
    commitSha: input.commitSha,
    startedAt,
    finishedAt: startedAt,
    apiCalls: 0,
  };
}

export async function scanWorkspace(input: ScanWorkspaceInput, deps: ScanWorkspaceDependencies): Promise<WorkspaceReport> {
  const startedAt = deps.now().toISOString();
  const dir = workspaceDir(input.workspace);
  const base = failedReport(input, startedAt);
  if ((input.workspace as { enabled?: boolean }).enabled === false) return { ...base, status: 'disabled' };

  try {
    const ignore = await ignoreRules(input.config, input.files, dir);
    const others: WorkspaceSource[] = input.all
      .filter((other) => other.name !== input.workspace.name)
      .map((other) => ({ dir: workspaceDir(other) || '.', state: other.state, terraformWorkspace: other.terraform_workspace, files: input.files }));
    const outcome = await (deps.scan ?? scan)(
      {
        workspace: input.workspace.name,
        dir: dir || '.',
        files: input.files,
        state: input.workspace.state,
        terraformWorkspace: input.workspace.terraform_workspace,
        regions: input.workspace.regions,
        ignore,
        reportUnmanaged: input.config.unmanaged.report,
        attribution: { enabled: input.config.attribution.enabled, lookbackDays: input.config.attribution.lookback_days },
        patch: 'restore',
        otherWorkspaces: others,
        roleArn: input.workspace.role_arn,
        externalId: input.externalId ?? undefined,
      },
      deps,
    );
    const patches: Partial<Record<PatchDirection, PatchSet>> = {};
    if (outcome.patchSet) patches.restore = outcome.patchSet;
    if (input.accept && outcome.result.drifts.length > 0) patches.accept = await buildPatches(outcome, 'accept');
    return {
      ...base,
      status: outcome.result.status,
      result: outcome.result,
      patches,
      secrets: outcome.secrets,
      finishedAt: deps.now().toISOString(),
      apiCalls: outcome.apiCalls,
    };
  } catch (error) {
    const finishedAt = deps.now().toISOString();
    if (isDriftwatchError(error)) return { ...base, status: 'failed', error: error.message, finishedAt };
    deps.onUnexpectedError?.(error);
    return { ...base, status: 'failed', error: UNEXPECTED_SCAN_ERROR, finishedAt };
  }
}

/** The config's ignore list, then .driftignore in the repository root and in the root module. */
async function ignoreRules(config: RepoConfig, files: FileSource, dir: string): Promise<IgnoreRule[]> {
  const rules: IgnoreRule[] = [];
  for (const path of new Set(['.driftignore', dir === '' ? '.driftignore' : `${dir}/.driftignore`])) {
    const text = await files.read(path);
    if (text !== null) rules.push(...parseIgnoreRules(text, path));
  }
  if (config.ignore.length > 0) rules.push(...ignoreRulesFromList(config.ignore, '.github/driftwatch.yml ignore'));
  return rules;
}
