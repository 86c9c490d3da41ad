// scanRepository: the one entry point webhooks, commands and the scheduler call. Steps:
//   1. the installation's client, the repository's default branch
//   2. a pull request's check run, started at once (people see "in progress")
//   3. the tree at the commit (one recursive call, blobs cached by sha) as the scan's FileSource
//   4. the configuration (Probot's config plugin: _extends, the org's .github); an invalid one
//      fails the "driftwatch config" check run on the commit and nothing is scanned
//   5. the workspaces: the config's, or every root module with a backend; narrowed to those asked
//      for, those a push or pull request touched, and the enabled ones
//   6. each workspace through the engine, one at a time per repository and workspace
//   7. the store: scans and findings' lifecycle (default branch only: a pull request's head is not
//      history)
//   8. the surfaces: the check run for a pull request; otherwise drift issues, the dashboard and
//      fix pull requests, reconciled by the one writer
//   9. Slack, from the store's transitions
import type { RepoConfig, WorkspaceConfig } from '../config/repo-config.js';
import type { Settings } from '../config/settings.js';
import { isDriftwatchError } from '../errors.js';
import { createGitHubWriter, type WriteReport } from '../github/github-writer.js';
import { loadRepoConfig, type RepoConfigLoad } from '../github/load-repo-config.js';
import type { GitHubClient } from '../github/octokit.js';
import type { RepoReader } from '../github/repo-reader.js';
import { treeFileSource } from '../github/tree-file-source.js';
import { mergeWriteReports, type KnownIssue } from '../github/write-report.js';
import type { KeyedLock } from '../jobs/keyed-lock.js';
import type { JobLogger } from '../jobs/types.js';
import type { PatchDirection } from '../patch/types.js';
import { familyForType } from '../resources/index.js';
import type { scan } from '../scan.js';
import type { ScanWorkspaceFunction } from '../scan/scan-pool.js';
import type { RecordScanResult, ScanRecord, Store } from '../store/types.js';
import { configCheckRun } from '../surfaces/config-check-run.js';
import { dashboardWorkspaceFromReport, dashboardWorkspaceFromStore, type DashboardWorkspace } from '../surfaces/dashboard-workspace.js';
import { desiredCheckRun } from '../surfaces/desired-check-run.js';
import { desiredDashboard } from '../surfaces/desired-dashboard.js';
import { desiredFixPr, type FixSelection } from '../surfaces/desired-fix-pr.js';
import { desiredIssues } from '../surfaces/desired-issues.js';
import { changedLineRanges, type LineRange, type PullRequestFile } from '../surfaces/patch-line-ranges.js';
import { resolutionScope } from '../surfaces/resolution-scope.js';
import { identityKey, resourceKey } from '../surfaces/resource-key.js';
import type { DesiredCheckRun, DesiredSurfaces, SurfacePlanners } from '../surfaces/types.js';
import type { FileSource } from '../terraform/file-source.js';
import { loadModuleFiles } from '../terraform/load-module.js';
import { discoverWorkspaces } from './discover-workspaces.js';
import { findingsOf, scanRecordOf } from './findings-of.js';
import { scanWorkspace, workspaceDir } from './scan-workspace.js';
import { touchedWorkspaces } from './touched-workspaces.js';
import type { RepoName, ScanRepositoryOutcome, ScanRepositoryRequest, WorkspaceReport } from './types.js';

export interface RepositoryServices {
  /** The installation's client, paced (createPacer().attach). */
  octokit(installationId: number): Promise<GitHubClient>;
  reader: RepoReader;
  store: Store;
  /** One scan per repository and workspace at a time. */
  lock: KeyedLock;
  settings: Settings;
  /** The app's `<slug>[bot]` login, once known. */
  botLogin(): string | null;
  planners: SurfacePlanners;
  log: JobLogger;
  now(): Date;
  /** Slack and other notifications, after the store recorded a workspace scan. Never throws. */
  notify?(input: NotifyInput): Promise<void>;
  /** The engine (a test may wrap it). */
  scan?: typeof scan;
  /** Where each workspace's scan runs: a scan thread (scan-pool.ts); default: this thread. */
  scanWorkspace?: ScanWorkspaceFunction;
}

export interface NotifyInput {
  installationId: number;
  repo: RepoName;
  config: RepoConfig;
  report: WorkspaceReport;
  recorded: RecordScanResult;
  /** Drift issue URLs by resource key (this workspace's). */
  issueUrls: ReadonlyMap<string, string>;
  dashboardUrl: string | null;
}

export interface ScanRepositoryResult extends ScanRepositoryOutcome {
  /** What the writer did (requests counted, failures to retry). */
  writes: WriteReport;
  /** Workspace names the request asked for that the repository does not have. */
  unknownWorkspaces: string[];
  /** Replies for a fix request that opened no pull request (nothing to edit, say), by workspace. */
  fixReplies: { workspace: string; reply: string }[];
  /** The default branch's name. */
  defaultBranch: string;
  /** Every workspace the repository has (configured or found). */
  workspaces: string[];
}

const CHECK_NAME = 'driftwatch';

export async function scanRepository(request: ScanRepositoryRequest, services: RepositoryServices): Promise<ScanRepositoryResult> {
  const { repo, target } = request;
  const repoKey = `${repo.owner}/${repo.name}`;
  const log = services.log;

  // 1. client and repository
  const octokit = await services.octokit(request.installationId);
  const { data: repository } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.name });
  const defaultBranch = repository.default_branch;
  // The same lock as the workspaces' (Redis across workers): one reconcile of a repository at a time.
  const writer = createGitHubWriter({ octokit, repo, defaultBranch, botLogin: services.botLogin(), store: services.store, planners: services.planners, log, lock: services.lock, now: services.now });
  const reports: WriteReport[] = [];

  // 2. a pull request's check run shows at once
  let checkRunId: number | null = null;
  if (target.kind === 'pull-request') {
    const started = await writer.startCheckRun({ name: CHECK_NAME, headSha: target.headSha, title: 'Scanning for drift', summary: 'driftwatch is comparing the workspaces this pull request touches with live AWS.' });
    reports.push(started.report);
    checkRunId = started.checkRun?.id ?? null;
  }

  // 3. the tree
  const ref = target.kind === 'pull-request' ? target.headSha : (request.ref ?? defaultBranch);
  const tree = await services.reader.readTree(octokit, repo, ref);
  const files = treeFileSource(tree);
  const commitSha = tree.commitSha;
  const outcome = (extra: Partial<ScanRepositoryResult>): ScanRepositoryResult => ({
    repo,
    commitSha,
    configError: null,
    reports: [],
    links: [],
    writes: mergeWriteReports(...reports),
    unknownWorkspaces: [],
    fixReplies: [],
    defaultBranch,
    workspaces: [],
    ...extra,
  });

  // 4. the configuration, at the scanned commit
  const slackChannels = services.settings.slack.channels;
  const load = await loadRepoConfig({ octokit, repo, ref: commitSha, files, slackChannels });
  if (!load.ok) {
    log.warn({ repo: repoKey, commit: commitSha, problems: load.errors.length }, 'invalid driftwatch configuration: nothing scanned');
    reports.push(await writer.reconcile({ checkRun: configCheckRun({ headSha: commitSha, errors: load.errors }) }));
    if (checkRunId !== null) reports.push(await writer.completeCheckRun(checkRunId, notScannedCheck(commitSha, load.message)));
    return outcome({ configError: load.message, writes: mergeWriteReports(...reports), links: linksOf(reports) });
  }
  // A pull request is checked with the default branch's configuration: a change to it cannot
  // point the app at other roles or states before it is merged (it is validated above).
  const effective = target.kind === 'pull-request' ? await baseConfig(octokit, repo, defaultBranch, slackChannels, load) : load;
  const config = effective.config;

  // 5. the workspaces
  const notes: string[] = [];
  let workspaces: WorkspaceConfig[];
  if (effective.workspacesListed) workspaces = config.workspaces;
  else {
    const discovery = await discoverWorkspaces(files, repo.name);
    workspaces = discovery.workspaces.map((found) => found.workspace);
    for (const path of discovery.unreadable) notes.push(`${path} could not be read, so whether its directory is a root module is unknown.`);
  }
  const unknownWorkspaces = (request.workspaces ?? []).filter((name) => !workspaces.some((workspace) => workspace.name === name));
  let selected = request.workspaces ? workspaces.filter((workspace) => request.workspaces!.includes(workspace.name)) : workspaces;

  let changedLines: ReadonlyMap<string, readonly LineRange[]> = new Map();
  let changedPaths = request.changedPaths;
  if (target.kind === 'pull-request') {
    const pullFiles = await pullRequestFiles(octokit, repo, target.number);
    changedLines = changedLineRanges(pullFiles);
    changedPaths = pullFiles.flatMap((file) => (file.previous_filename ? [file.filename, file.previous_filename] : [file.filename]));
  }
  if (changedPaths) {
    const touched = new Set(touchedWorkspaces(changedPaths, await workspaceFiles(selected, files)));
    selected = selected.filter((workspace) => touched.has(workspace.name));
  }

  // 6. scan each workspace
  const openAccept = await openFixPrs(services.store, repoKey, selected, 'accept');
  const wantsAccept = (workspace: string) =>
    (target.kind === 'fix' && target.direction === 'accept') || config.autofix.mode === 'accept' || openAccept.has(workspace);
  const workspaceReports: WorkspaceReport[] = [];
  for (const workspace of selected) {
    const report = await services.lock.withLock(`${repoKey}:${workspace.name}`, async () => {
      // Both lines while the lock is held: together they say when each scan of a workspace ran,
      // in whichever process.
      const meta = { repo: repoKey, workspace: workspace.name, commit: commitSha, target: target.kind };
      log.info(meta, 'scanning a workspace');
      const scanned = await (services.scanWorkspace ?? scanWorkspace)(
        { workspace, all: workspaces, config, files, commitSha, accept: wantsAccept(workspace.name), externalId: services.settings.externalId },
        {
          now: services.now,
          awsSettings: services.settings.aws,
          defaultRegion: services.settings.defaultRegion,
          scan: services.scan,
          onUnexpectedError: (error) => log.error({ repo: repoKey, workspace: workspace.name, err: error }, 'unexpected error scanning a workspace'),
        },
      );
      log.info({ ...meta, status: scanned.status, drifts: scanned.result?.drifts.length ?? 0, apiCalls: scanned.apiCalls }, 'workspace scanned');
      return scanned;
    });
    if (report.result) report.result.notes.push(...notes);
    workspaceReports.push(report);
  }

  // 8a. a pull request: its check run, and nothing else
  if (target.kind === 'pull-request') {
    const check: DesiredCheckRun = {
      ...desiredCheckRun({ headSha: target.headSha, reports: workspaceReports, failOn: config.fail_on, changedLines }),
      externalId: workspaceReports.map((report) => report.workspace).join(','),
    };
    reports.push(checkRunId !== null ? await writer.completeCheckRun(checkRunId, check) : await writer.reconcile({ checkRun: check }));
    return outcome({ reports: workspaceReports, writes: mergeWriteReports(...reports), links: linksOf(reports), unknownWorkspaces, workspaces: workspaces.map((workspace) => workspace.name) });
  }

  // 7. the store
  const recorded = new Map<string, RecordScanResult>();
  for (const report of workspaceReports) {
    try {
      recorded.set(report.workspace, await services.store.recordScan(scanRecordOf(repo, request.installationId, report, request.reason), findingsOf(report)));
    } catch (error) {
      // GitHub still gets the scan: the writer finds its surfaces by marker without the store.
      log.error({ repo: repoKey, workspace: report.workspace, err: error }, 'could not record the scan in the store');
    }
  }

  // 8b. issues, the dashboard, fix pull requests
  const fixReplies: ScanRepositoryResult['fixReplies'] = [];
  const surfaces = await defaultBranchSurfaces({ request, config, reports: workspaceReports, services, repoKey, commitSha, fixReplies });
  // A push's (and the first scan's) commit gets the check too: the default branch's history
  // shows which commits had drift, and a state that cannot be read fails it.
  if ((request.reason.trigger === 'push' || request.reason.trigger === 'installation') && workspaceReports.length > 0) {
    surfaces.checkRun = {
      ...desiredCheckRun({ headSha: commitSha, reports: workspaceReports, failOn: config.fail_on, changedLines: new Map(), subject: 'push' }),
      externalId: workspaceReports.map((report) => report.workspace).join(','),
    };
  }
  const storeView = await dashboardData(services.store, repoKey, log);
  const secrets = workspaceReports.flatMap((report) => report.secrets);
  const written = await writer.reconcile(surfaces, {
    renderDashboard: (known: KnownIssue[]) =>
      desiredDashboard({
        workspaces: dashboardWorkspaces(workspaces, workspaceReports, storeView, request),
        issueNumbers: new Map(known.map((issue) => [identityKey(issue), issue.number])),
        history: storeView.history,
        now: services.now().toISOString(),
        secrets,
      }),
  });
  reports.push(written);

  // 9. notifications
  if (services.notify) {
    for (const report of workspaceReports) {
      const record = recorded.get(report.workspace);
      if (!record) continue;
      const issueUrls = new Map(written.issues.filter((issue) => issue.workspace === report.workspace).map((issue) => [issue.resource, issue.url]));
      await services.notify({ installationId: request.installationId, repo, config, report, recorded: record, issueUrls, dashboardUrl: written.dashboard?.url ?? null });
    }
  }

  return outcome({
    reports: workspaceReports,
    writes: mergeWriteReports(...reports),
    links: linksOf(reports),
    unknownWorkspaces,
    fixReplies,
    workspaces: workspaces.map((workspace) => workspace.name),
  });
}

/** The default branch's configuration for a pull request's check; the head's when the default
 * branch's own cannot be used (it is the default branch's problem, reported on its commits). */
async function baseConfig(octokit: GitHubClient, repo: RepoName, defaultBranch: string, slackChannels: readonly string[], head: Extract<RepoConfigLoad, { ok: true }>): Promise<Extract<RepoConfigLoad, { ok: true }>> {
  const base = await loadRepoConfig({ octokit, repo, ref: defaultBranch, slackChannels });
  return base.ok ? base : head;
}

/** A renamed file changed both its paths. */
type ChangedFile = PullRequestFile & { previous_filename?: string };

async function pullRequestFiles(octokit: GitHubClient, repo: RepoName, number: number): Promise<ChangedFile[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: repo.owner, repo: repo.name, pull_number: number, per_page: 100 });
  return files.map((file) => ({ filename: file.filename, status: file.status, ...(file.patch === undefined ? {} : { patch: file.patch }), ...(file.previous_filename === undefined ? {} : { previous_filename: file.previous_filename }) }));
}

/** What each workspace reads, for deciding which ones a change touched. A configuration that
 * cannot be read lists nothing: then any change under its directory touches it. */
async function workspaceFiles(workspaces: WorkspaceConfig[], files: FileSource) {
  const out = [];
  for (const workspace of workspaces) {
    const dir = workspaceDir(workspace);
    let read: string[] = [];
    try {
      read = (await loadModuleFiles(dir || '.', files)).map((file) => file.path);
    } catch (error) {
      if (!isDriftwatchError(error)) throw error;
    }
    const statePath = workspace.state && !workspace.state.startsWith('s3://') ? workspace.state : null;
    out.push({ name: workspace.name, dir, files: read, statePath });
  }
  return out;
}

async function openFixPrs(store: Store, repoKey: string, workspaces: WorkspaceConfig[], direction: PatchDirection): Promise<Set<string>> {
  const open = new Set<string>();
  for (const workspace of workspaces) {
    const record = await store.fixPr(repoKey, workspace.name, direction).catch(() => null);
    if (record?.state === 'open') open.add(workspace.name);
  }
  return open;
}

interface SurfaceInput {
  request: ScanRepositoryRequest;
  config: RepoConfig;
  reports: WorkspaceReport[];
  services: RepositoryServices;
  repoKey: string;
  commitSha: string;
  fixReplies: ScanRepositoryResult['fixReplies'];
}

async function defaultBranchSurfaces(input: SurfaceInput): Promise<DesiredSurfaces> {
  const { config, reports, services, repoKey } = input;
  const findings = await services.store.findings({ repo: repoKey }).catch(() => []);
  const desired = desiredIssues({ reports, labels: config.labels, findings });
  const scope = resolutionScope({ reports, liveTypeOf: (type) => familyForType(type)?.liveType, commitSha: input.commitSha, at: services.now().toISOString() });

  const fixPrs: NonNullable<DesiredSurfaces['fixPrs']> = [];
  const scanned = reports.filter((report) => report.result !== null && (report.status === 'complete' || report.status === 'partial'));
  for (const report of scanned) {
    for (const direction of ['restore', 'accept'] as const) {
      const entry = await fixPrFor(report, direction, input, services.store, repoKey);
      if (entry) fixPrs.push(entry);
    }
  }
  return { issues: { desired, scope }, fixPrs };
}

/** The fix pull request a workspace and direction should have after this scan, or undefined to
 * leave it alone. Asked for (a command, a button, a checkbox) or autofix: the PR for the selection.
 * Otherwise an open one is kept to the drifts still there, and closed once none is. */
async function fixPrFor(report: WorkspaceReport, direction: PatchDirection, input: SurfaceInput, store: Store, repoKey: string): Promise<NonNullable<DesiredSurfaces['fixPrs']>[number] | undefined> {
  const { request, config } = input;
  const drifts = report.result?.drifts ?? [];
  const asked = request.target.kind === 'fix' && request.target.direction === direction;
  const autofix = config.autofix.mode === direction;
  let selection: FixSelection | null = null;
  if (asked && request.target.kind === 'fix') selection = request.target.addresses.length > 0 ? { kind: 'addresses', addresses: request.target.addresses } : { kind: 'all' };
  else if (autofix) selection = { kind: 'min-severity', severity: config.autofix.min_severity };
  else {
    const record = await store.fixPr(repoKey, report.workspace, direction).catch(() => null);
    if (record?.state !== 'open') return undefined;
    const still = drifts.filter((drift) => record.fingerprints.includes(drift.fingerprint));
    if (still.length === 0) return { workspace: report.workspace, direction, desired: null };
    selection = { kind: 'addresses', addresses: [...new Set(still.map(resourceKey))] };
  }
  if (direction === 'accept' && !report.patches.accept) return undefined;
  const plan = desiredFixPr({ report, direction, selection });
  if (plan.desired) return { workspace: report.workspace, direction, desired: plan.desired };
  if (asked) {
    input.fixReplies.push({ workspace: report.workspace, reply: plan.reply });
    return undefined;
  }
  // Autofix or upkeep with nothing left to edit: the pull request has nothing to carry.
  return { workspace: report.workspace, direction, desired: null };
}

interface StoreView {
  latest: ScanRecord[];
  open: Awaited<ReturnType<Store['findings']>>;
  history: ScanRecord[];
}

/** The store's view of the repository for the dashboard: every workspace's latest scan, the open
 * findings, and the recent scans for the trend. Without it the dashboard shows this scan only. */
async function dashboardData(store: Store, repoKey: string, log: JobLogger): Promise<StoreView> {
  try {
    const latest = await store.latestScans(repoKey);
    const open = await store.findings({ repo: repoKey, status: 'open' });
    const history: ScanRecord[] = [];
    for (const scan of latest) history.push(...(await store.recentScans(repoKey, scan.workspace, 30)));
    return { latest, open, history };
  } catch (error) {
    log.error({ repo: repoKey, err: error }, 'could not read the store for the dashboard');
    return { latest: [], open: [], history: [] };
  }
}

function dashboardWorkspaces(workspaces: WorkspaceConfig[], reports: WorkspaceReport[], store: StoreView, request: ScanRepositoryRequest): DashboardWorkspace[] {
  const out: DashboardWorkspace[] = [];
  for (const workspace of workspaces) {
    const report = reports.find((candidate) => candidate.workspace === workspace.name);
    if (report) {
      out.push(dashboardWorkspaceFromReport(report, request.reason));
      continue;
    }
    const latest = store.latest.find((scan) => scan.workspace === workspace.name);
    if (latest) out.push(dashboardWorkspaceFromStore(latest, store.open, { dir: workspaceDir(workspace) }));
  }
  return out;
}

function notScannedCheck(headSha: string, message: string): DesiredCheckRun {
  return {
    name: CHECK_NAME,
    headSha,
    conclusion: 'neutral',
    output: {
      title: 'Not scanned: the driftwatch configuration is not valid',
      summary: `Nothing was scanned because \`.github/driftwatch.yml\` is not valid; the "driftwatch config" check says where.\n\n${'```'}text\n${message.replaceAll('```', "'''")}\n${'```'}`.slice(0, 60_000),
      text: '',
    },
    annotations: [],
    actions: [],
  };
}

function linksOf(reports: WriteReport[]): ScanRepositoryOutcome['links'] {
  const links: ScanRepositoryOutcome['links'] = [];
  for (const report of reports) {
    for (const link of report.links) links.push({ kind: link.kind, url: link.url, label: link.label });
  }
  return links;
}
