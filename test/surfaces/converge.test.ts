// The reconcile loop end to end, without a network: desired surfaces from real scans, planned
// against what a GitHub that applied the previous writes holds. A rescan of an unchanged account
// plans nothing; a changed drift plans one issue write; a resolved one closes its issue; a
// person's close stands.
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceReport } from '../../src/repository/types.js';
import { dashboardWorkspaceFromReport } from '../../src/surfaces/dashboard-workspace.js';
import { desiredDashboard } from '../../src/surfaces/desired-dashboard.js';
import { desiredFixPr } from '../../src/surfaces/desired-fix-pr.js';
import { desiredIssues } from '../../src/surfaces/desired-issues.js';
import { parseMarker } from '../../src/surfaces/marker.js';
import { surfacePlanners } from '../../src/surfaces/planners.js';
import { identityKey } from '../../src/surfaces/resource-key.js';
import { resolutionScope } from '../../src/surfaces/resolution-scope.js';
import type { ActualDashboard, ActualFixPr, ActualIssue, DashboardMarker, DashboardWrite, DriftIssueMarker, FixPrMarker, FixPrWrite, IssueWrite } from '../../src/surfaces/types.js';
import { shopReport } from './fixtures/shop-report.js';

const LIVE_TYPES: Record<string, string> = {
  aws_iam_role: 'aws_iam_role',
  aws_security_group: 'aws_security_group',
  aws_instance: 'aws_instance',
  aws_s3_bucket_public_access_block: 'aws_s3_bucket',
  aws_s3_bucket: 'aws_s3_bucket',
  aws_db_instance: 'aws_db_instance',
};

/** What GitHub holds, changed only through the planned writes. */
class FakeGitHub {
  issues: ActualIssue[] = [];
  dashboard: ActualDashboard | null = null;
  fixPr: ActualFixPr | null = null;
  private next = 1;

  applyIssues(writes: readonly IssueWrite[]): void {
    for (const write of writes) {
      if (write.kind === 'create-issue') {
        const number = this.next++;
        this.issues.push({ number, state: 'open', title: write.title, labels: write.labels, body: write.body, marker: parseMarker(write.body) as DriftIssueMarker, url: `https://github.com/acme/infra/issues/${number}` });
        continue;
      }
      const issue = this.issues.find((candidate) => candidate.number === write.number);
      if (!issue) throw new Error(`no issue #${write.number}`);
      issue.body = write.body;
      issue.marker = parseMarker(write.body) as DriftIssueMarker;
      if (write.kind === 'close-issue') issue.state = 'closed';
      else {
        issue.title = write.title;
        issue.labels = write.labels;
        if (write.kind === 'reopen-issue') issue.state = 'open';
      }
    }
  }

  applyDashboard(write: DashboardWrite | null): void {
    if (write === null) return;
    const number = write.kind === 'create-dashboard' ? this.next++ : write.number;
    this.dashboard = { number, state: 'open', body: write.body, marker: parseMarker(write.body) as DashboardMarker, url: `https://github.com/acme/infra/issues/${number}` };
  }

  applyFixPr(write: FixPrWrite | null): void {
    if (write === null) return;
    if (write.kind === 'close-fix-pr') {
      if (this.fixPr) this.fixPr = { ...this.fixPr, state: 'closed', body: write.body, marker: parseMarker(write.body) as FixPrMarker };
      return;
    }
    const number = write.kind === 'create-fix-pr' ? this.next++ : write.number;
    this.fixPr = { number, state: 'open', merged: false, branch: write.desired.branch, body: write.desired.body, marker: parseMarker(write.desired.body) as FixPrMarker, url: `https://github.com/acme/infra/pull/${number}` };
  }
}

interface Planned {
  issues: IssueWrite[];
  dashboard: DashboardWrite | null;
  fixPr: FixPrWrite | null;
}

/** One scan's surfaces, planned against `github` and applied to it. */
function reconcile(github: FakeGitHub, report: WorkspaceReport, now: string): Planned {
  const issues = desiredIssues({ reports: [report], dashboardUrl: github.dashboard?.url ?? null });
  const scope = resolutionScope({ reports: [report], liveTypeOf: (type) => LIVE_TYPES[type], commitSha: report.commitSha, at: now });
  const issueWrites = surfacePlanners.planIssues({ desired: issues, actual: github.issues, scope });
  github.applyIssues(issueWrites);
  const numbers = new Map(github.issues.filter((issue) => issue.marker !== null).map((issue) => [identityKey(issue.marker as DriftIssueMarker), issue.number]));
  const dashboard = desiredDashboard({ workspaces: [dashboardWorkspaceFromReport(report, { trigger: 'schedule', actor: null, detail: null })], issueNumbers: numbers, history: [], now });
  const dashboardWrite = surfacePlanners.planDashboard({ desired: dashboard, actual: github.dashboard, now });
  github.applyDashboard(dashboardWrite);
  const fix = desiredFixPr({ report, direction: 'accept', selection: { kind: 'min-severity', severity: 'high' } });
  const fixWrite = surfacePlanners.planFixPr({ desired: fix.desired, actual: github.fixPr });
  github.applyFixPr(fixWrite);
  return { issues: issueWrites, dashboard: dashboardWrite, fixPr: fixWrite };
}

function later(report: WorkspaceReport, finishedAt: string, commitSha = report.commitSha): WorkspaceReport {
  return { ...report, finishedAt, commitSha, result: report.result === null ? null : { ...report.result, scannedAt: finishedAt } };
}

let first: WorkspaceReport;
beforeAll(async () => {
  first = await shopReport();
});

describe('reconciling the surfaces', () => {
  it('writes everything once, then nothing for an unchanged account, and converges on changes', () => {
    const github = new FakeGitHub();
    const initial = reconcile(github, first, '2025-05-02T09:30:30Z');
    expect(initial.issues.map((write) => write.kind)).toEqual(Array(7).fill('create-issue'));
    expect(initial.dashboard?.kind).toBe('create-dashboard');
    expect(initial.fixPr?.kind).toBe('create-fix-pr');

    // The same account an hour later, at another commit: nothing to write.
    const again = reconcile(github, later(first, '2025-05-02T10:30:00Z', 'b'.repeat(40)), '2025-05-02T10:30:30Z');
    expect(again).toEqual({ issues: [], dashboard: null, fixPr: null });

    // A day later the dashboard's times are refreshed, once.
    const nextDay = reconcile(github, later(first, '2025-05-03T09:31:00Z'), '2025-05-03T09:31:30Z');
    expect(nextDay.issues).toEqual([]);
    expect(nextDay.dashboard).toMatchObject({ kind: 'update-dashboard', reopen: false });
    expect(reconcile(github, later(first, '2025-05-03T10:31:00Z'), '2025-05-03T10:31:30Z').dashboard).toBeNull();

    // One drift changed: one issue write.
    const drifts = first.result!.drifts.map((drift) => (drift.address === 'aws_db_instance.orders' ? { ...drift, changes: [{ path: 'backup_retention_period', declared: 7, live: 0 }], fingerprint: 'c'.repeat(64) } : drift));
    const changed = { ...later(first, '2025-05-03T11:00:00Z'), result: { ...first.result!, drifts } };
    const oneChange = reconcile(github, changed, '2025-05-03T11:00:30Z');
    expect(oneChange.issues.map((write) => write.kind)).toEqual(['update-issue']);
    expect(oneChange.fixPr).toBeNull();

    // A person closes the public access block's issue: it stays closed while the drift is the same.
    const closedByPerson = github.issues.find((issue) => issue.marker?.resource === 'aws_s3_bucket_public_access_block.assets')!;
    closedByPerson.state = 'closed';
    expect(reconcile(github, changed, '2025-05-03T11:10:00Z').issues).toEqual([]);

    // The bucket tag drift is reverted: its issue is closed, nothing else.
    const reverted = { ...changed, result: { ...changed.result!, drifts: drifts.filter((drift) => drift.address !== 'aws_s3_bucket.assets') } };
    const resolved = reconcile(github, reverted, '2025-05-03T12:00:00Z');
    expect(resolved.issues.map((write) => [write.kind, write.identity.resource])).toEqual([['close-issue', 'aws_s3_bucket.assets']]);

    // It drifts again: the issue the app closed is reopened, saying when it was resolved.
    const back = reconcile(github, changed, '2025-05-04T06:00:00Z');
    expect(back.issues).toHaveLength(1);
    expect(back.issues[0]).toMatchObject({ kind: 'reopen-issue', identity: { resource: 'aws_s3_bucket.assets' } });
    expect(back.issues[0]?.kind === 'reopen-issue' ? back.issues[0].comment : '').toContain('last resolved on 2025-05-03 12:00 UTC');

    // And from there, nothing again.
    expect(reconcile(github, changed, '2025-05-04T06:10:00Z')).toEqual({ issues: [], dashboard: null, fixPr: null });
  });
});
