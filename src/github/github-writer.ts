// The one adapter that writes GitHub surfaces, the way a Kubernetes controller reconciles: for
// each part of the desired surfaces, read what GitHub holds (found by hidden markers), let the
// pure planner compare, apply the minimal writes, and remember issue and pull request numbers in
// the store. Writes go one at a time (the installation's pacer spaces them); a failed one is
// reported with what failed and the others still happen, so the caller can retry the reconcile,
// which converges. Reconciles of one repository run one after another (in this process, or across
// workers with a Redis lock), so two workspaces scanned at once never both create the dashboard.
import { createKeyedLock, type KeyedLock } from '../jobs/keyed-lock.js';
import type { JobLogger } from '../jobs/types.js';
import type { RepoName } from '../repository/types.js';
import type { DesiredCheckRun, DesiredDashboard, DesiredSurfaces, SurfacePlanners } from '../surfaces/types.js';
import { createGitHubSession, type GitHubSession } from './github-session.js';
import type { GitHubClient } from './octokit.js';
import { identityKey, readIssueSurfaces } from './read-issue-surfaces.js';
import { applyDashboardWrite } from './write-dashboard.js';
import { startCheckRun, writeCheckRun, type CheckRunRef, type StartCheckRunInput } from './write-check-run.js';
import { applyFixPrWrite, readBaseCommit, readFixPr, type BaseCommit, type FixPrContext } from './write-fix-pr.js';
import { applyIssueWrites } from './write-issues.js';
import { emptyWriteReport, type KnownIssue, type WriteReport } from './write-report.js';
import type { WriterStore } from './writer-store.js';

export interface GitHubWriterOptions {
  /** The installation's client, with the pacer attached (createPacer().attach). */
  octokit: GitHubClient;
  repo: RepoName;
  /** Fix branches start from it and fix pull requests target it. */
  defaultBranch: string;
  /** The app's login, `<slug>[bot]`: its open issues are listed by creator. null: listed by the
   * `drift` label instead, and the dashboard is then found by search only (which lags writes). */
  botLogin: string | null;
  /** Where issue and pull request numbers are remembered; null: GitHub is searched instead. */
  store: WriterStore | null;
  planners: SurfacePlanners;
  log: JobLogger;
  /** Serializes the reconciles of one repository. Default: in this process. With workers on
   * several processes (REDIS_URL), the Redis lock (createRedisLock), or a fix job and a
   * default-branch scan of one repository on two workers could both create the dashboard. */
  lock?: KeyedLock;
  now?: () => Date;
}

export interface ReconcileOptions {
  /** A check run started earlier with startCheckRun: it is completed instead of a new one made. */
  checkRunId?: number;
  /** Renders the dashboard once the issue writes are done, from every drift issue then known
   * (numbers of issues created by this reconcile included). Used instead of surfaces.dashboard. */
  renderDashboard?: (issues: KnownIssue[]) => DesiredDashboard;
}

export interface GitHubWriter {
  reconcile(surfaces: DesiredSurfaces, options?: ReconcileOptions): Promise<WriteReport>;
  /** Creates an in_progress check run (for a pull request scan that takes a while). */
  startCheckRun(input: StartCheckRunInput): Promise<{ checkRun: CheckRunRef | null; report: WriteReport }>;
  /** Completes a started check run with its conclusion, output and annotations. */
  completeCheckRun(id: number, desired: DesiredCheckRun): Promise<WriteReport>;
}

export type { CheckRunRef, StartCheckRunInput } from './write-check-run.js';
export type { WriteReport } from './write-report.js';

/** The default lock, shared by every writer of this process (Probot makes one client per event). */
const inProcess = createKeyedLock();

export function createGitHubWriter(options: GitHubWriterOptions): GitHubWriter {
  const now = options.now ?? (() => new Date());
  const lockKey = `${options.octokit.request.endpoint.DEFAULTS.baseUrl}/${options.repo.owner}/${options.repo.name}`.toLowerCase();
  const lock = options.lock ?? inProcess;

  function session(): GitHubSession {
    return createGitHubSession({ octokit: options.octokit, repo: options.repo, botLogin: options.botLogin, log: options.log, now, report: emptyWriteReport() });
  }

  async function reconcile(surfaces: DesiredSurfaces, reconcileOptions: ReconcileOptions = {}): Promise<WriteReport> {
    return lock.withLock(lockKey, async () => {
      const current = session();
      if (surfaces.issues || surfaces.dashboard || reconcileOptions.renderDashboard) await reconcileIssues(current, surfaces, reconcileOptions.renderDashboard);
      if (surfaces.fixPrs && surfaces.fixPrs.length > 0) await reconcileFixPrs(current, surfaces.fixPrs);
      if (surfaces.checkRun) await writeCheckRun(current, surfaces.checkRun, reconcileOptions.checkRunId ?? null);
      const { report } = current;
      options.log.info(
        { repo: current.repoKey, reads: report.requests.reads, writes: report.requests.writes, links: report.links.length, failures: report.failures.length },
        report.failures.length > 0 ? 'GitHub surfaces reconciled with failures' : 'GitHub surfaces reconciled',
      );
      return report;
    });
  }

  async function reconcileIssues(current: GitHubSession, surfaces: DesiredSurfaces, renderDashboard: ReconcileOptions['renderDashboard']): Promise<void> {
    const desired = surfaces.issues?.desired ?? [];
    const wantsDashboard = surfaces.dashboard !== undefined || renderDashboard !== undefined;
    let read;
    try {
      read = await readIssueSurfaces(current, options.store, { desired, dashboard: wantsDashboard });
    } catch (error) {
      // Without the listing nothing can be planned: creating blind would duplicate issues.
      current.fail('read-issues', current.repoKey, error);
      return;
    }

    const known = new Map<string, KnownIssue>();
    for (const issue of read.issues) {
      if (issue.marker) known.set(identityKey(issue.marker), { workspace: issue.marker.workspace, resource: issue.marker.resource, number: issue.number, url: issue.url, state: issue.state });
    }

    if (surfaces.issues) {
      const unresolved = new Set(read.unresolved.map(identityKey));
      const plannable = desired.filter((issue) => !unresolved.has(identityKey(issue)));
      const writes = plan(current, 'plan-issues', () => options.planners.planIssues({ desired: plannable, actual: read.issues, scope: surfaces.issues!.scope }));
      if (writes && writes.length > 0) await applyIssueWrites(current, options.store, writes, read.facts, known);
    }
    current.report.issues = [...known.values()];

    if (!wantsDashboard) return;
    if (read.dashboard) current.report.dashboard = { number: read.dashboard.number, url: read.dashboard.url };
    if (read.dashboardUnresolved) return;
    const desiredDashboard = renderDashboard ? plan(current, 'render-dashboard', () => renderDashboard(current.report.issues)) : surfaces.dashboard;
    if (!desiredDashboard) return;
    const write = plan(current, 'plan-dashboard', () => options.planners.planDashboard({ desired: desiredDashboard, actual: read.dashboard, now: now().toISOString() }));
    if (write) await applyDashboardWrite(current, write);
  }

  async function reconcileFixPrs(current: GitHubSession, entries: NonNullable<DesiredSurfaces['fixPrs']>): Promise<void> {
    let base: Promise<BaseCommit> | null = null;
    const context: FixPrContext = {
      session: current,
      store: options.store,
      defaultBranch: options.defaultBranch,
      base: () => {
        base ??= readBaseCommit(current, options.defaultBranch);
        return base;
      },
    };
    for (const entry of entries) {
      const state = await current.attempt('read-fix-pr', `${entry.workspace} ${entry.direction}`, () => readFixPr(context, entry));
      if (state === undefined || state === null) continue;
      const write = plan(current, 'plan-fix-pr', () => options.planners.planFixPr({ desired: entry.desired, actual: state.actual }));
      if (write) {
        await applyFixPrWrite(context, entry, write, state);
        continue;
      }
      if (state.actual) current.report.fixPrs.push({ workspace: entry.workspace, direction: entry.direction, number: state.actual.number, url: state.actual.url, state: state.actual.state });
    }
  }

  return {
    reconcile,
    async startCheckRun(input) {
      const current = session();
      const checkRun = await startCheckRun(current, input);
      return { checkRun, report: current.report };
    },
    async completeCheckRun(id, desired) {
      const current = session();
      await writeCheckRun(current, desired, id);
      return current.report;
    },
  };
}

/** A planner that throws is a bug: reported as a failure, so the other parts are still written. */
function plan<T>(current: GitHubSession, kind: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    current.fail(kind, current.repoKey, error);
    return undefined;
  }
}
