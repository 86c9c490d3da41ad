import { describe, expect, it } from 'vitest';
import type { ScanReason } from '../../src/repository/types.js';
import type { ReportDrift } from '../../src/report/types.js';
import type { FindingRecord, ScanRecord } from '../../src/store/types.js';
import { dashboardRequests } from '../../src/surfaces/dashboard-requests.js';
import { dashboardWorkspaceFromReport, dashboardWorkspaceFromStore, type DashboardWorkspace } from '../../src/surfaces/dashboard-workspace.js';
import { desiredDashboard, type DesiredDashboardInput } from '../../src/surfaces/desired-dashboard.js';
import { parseMarker, withoutMarker } from '../../src/surfaces/marker.js';
import { identityKey } from '../../src/surfaces/resource-key.js';
import { hostileDrift, imdsReenabled, partial, quiet, resultWith, tagsOnly } from '../report/fixtures/scan-results.js';
import { expectInert, PAYLOADS } from '../report/markdown-structure.js';
import { disabledReport, failedReport, kilnReport } from './fixtures/reports.js';

const PUSH: ScanReason = { trigger: 'push', actor: 'alice', detail: 'push of 3 commits to main' };
const SCHEDULE: ScanReason = { trigger: 'schedule', actor: null, detail: null };
const NOW = '2025-05-03T06:00:00Z';

function scanRecord(id: number, workspace: string, finishedAt: string, counts: ScanRecord['counts'], status: ScanRecord['status'] = 'complete'): ScanRecord {
  return {
    id,
    repo: 'acme/infra',
    installationId: 4242,
    workspace,
    commitSha: '8c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d',
    trigger: 'schedule',
    status,
    error: status === 'failed' ? 'The state could not be read' : null,
    startedAt: finishedAt,
    finishedAt,
    counts,
    postureScore: 60,
    apiCalls: 120,
    unknown: [],
    durationMs: 41_000,
  };
}

const HISTORY: ScanRecord[] = [
  scanRecord(1, 'kiln-production', '2025-04-30T06:00:41Z', { critical: 0, high: 1, medium: 1, low: 0 }),
  scanRecord(2, 'kiln-staging', '2025-04-30T06:02:10Z', { critical: 0, high: 1, medium: 0, low: 0 }),
  scanRecord(3, 'kiln-production', '2025-05-01T06:00:39Z', { critical: 1, high: 2, medium: 1, low: 1 }),
  scanRecord(4, 'kiln-staging', '2025-05-01T06:01:55Z', { critical: 0, high: 0, medium: 0, low: 0 }, 'failed'),
  scanRecord(5, 'kiln-production', '2025-05-02T09:30:00Z', { critical: 1, high: 2, medium: 1, low: 1 }),
];

function workspaces(): DashboardWorkspace[] {
  return [
    dashboardWorkspaceFromReport(kilnReport(), PUSH),
    dashboardWorkspaceFromReport(kilnReport({ workspace: 'kiln-staging', dir: 'infra/staging' }, { ...partial, workspace: 'kiln-staging' }), SCHEDULE),
    dashboardWorkspaceFromReport(failedReport('kiln-dr', 'The state could not be read from s3://kiln-tfstate/dr.tfstate: AccessDenied. Give the role driftwatch-reader s3:GetObject on that key.'), SCHEDULE),
    dashboardWorkspaceFromReport(disabledReport('legacy'), null),
  ];
}

function input(overrides: Partial<DesiredDashboardInput> = {}): DesiredDashboardInput {
  return {
    workspaces: workspaces(),
    issueNumbers: new Map([
      [identityKey({ workspace: 'kiln-production', resource: 'aws_instance.worker' }), 12],
      [identityKey({ workspace: 'kiln-production', resource: 'aws_vpc_security_group_ingress_rule.worker_ssh' }), 11],
    ]),
    history: HISTORY,
    now: NOW,
    ...overrides,
  };
}

describe('desiredDashboard', () => {
  it('renders every workspace: drifts by severity with their issues, a partial and a failed scan with what to fix, a disabled one, and the trend', async () => {
    const dashboard = desiredDashboard(input());
    expect(dashboard.title).toBe('Drift Dashboard');
    await expect(dashboard.body).toMatchFileSnapshot('__snapshots__/dashboard.md');
  });

  it('links each drift to its issue, and says when it has none yet', () => {
    const { body } = desiredDashboard(input());
    expect(body).toContain('- `aws_instance.worker`: Instance metadata service accepts IMDSv1 \\(session tokens not required\\) · #12\n');
    expect(body).toContain('- `aws_security_group.lb`: Tags changed: Name, Owner · _no issue yet_\n');
  });

  it('says when and why each workspace was last scanned', () => {
    const { body } = desiredDashboard(input());
    expect(body).toContain('Last scanned 2025-05-02 09:30 UTC at `8c1d2e3f4a5b`, because of a push (push of 3 commits to main) by `alice`.');
    expect(body).toContain('Last scan attempted 2025-05-02 09:30 UTC at `8c1d2e3f4a5b`, because of its schedule.');
  });

  it('says what a partial scan could not read and what to fix, and what a failed one needs', () => {
    const { body } = desiredDashboard(input());
    expect(body).toContain('> - `aws_db_instance`: AccessDenied: User: arn:aws:sts::123456789012:assumed-role/driftwatch-readonly/driftwatch is not authorized to perform: rds:DescribeDBInstances');
    expect(body).toContain("> **To fix:** give driftwatch's role the read-only permissions in `docs/iam-policy.json`, then tick Rescan.");
    expect(body).toContain('❌ **Could not be scanned.**');
    expect(body).toContain('Give the role driftwatch-reader s3:GetObject on that key.');
    expect(body).toContain('⏸️ **Disabled** (`enabled: false` in `.github/driftwatch.yml`): not scanned.');
  });

  it('offers a restore and an accept box per drift (accept only for an unmanaged one), and rescan, fix all, accept all per workspace', () => {
    const { body } = desiredDashboard(input({ workspaces: [dashboardWorkspaceFromReport(kilnReport(), PUSH)] }));
    const ticked = body.replace(/- \[ \]/g, '- [x]');
    expect(dashboardRequests(body, ticked)).toEqual([
      { kind: 'fix', direction: 'restore', workspace: 'kiln-production', resource: 'aws_vpc_security_group_ingress_rule.worker_ssh' },
      { kind: 'fix', direction: 'accept', workspace: 'kiln-production', resource: 'aws_vpc_security_group_ingress_rule.worker_ssh' },
      { kind: 'fix', direction: 'restore', workspace: 'kiln-production', resource: 'aws_s3_bucket.artifacts' },
      { kind: 'fix', direction: 'accept', workspace: 'kiln-production', resource: 'aws_s3_bucket.artifacts' },
      { kind: 'fix', direction: 'restore', workspace: 'kiln-production', resource: 'aws_instance.worker' },
      { kind: 'fix', direction: 'accept', workspace: 'kiln-production', resource: 'aws_instance.worker' },
      { kind: 'fix', direction: 'accept', workspace: 'kiln-production', resource: 'aws_instance:i-0f3a9c2b7d1e4a5b6' },
      { kind: 'fix', direction: 'restore', workspace: 'kiln-production', resource: 'aws_security_group.lb' },
      { kind: 'fix', direction: 'accept', workspace: 'kiln-production', resource: 'aws_security_group.lb' },
      { kind: 'rescan', workspace: 'kiln-production' },
      { kind: 'fix', direction: 'restore', workspace: 'kiln-production', resource: null },
      { kind: 'fix', direction: 'accept', workspace: 'kiln-production', resource: null },
    ]);
  });

  it('offers only a rescan for a failed workspace, and nothing for a disabled one', () => {
    const { body } = desiredDashboard(input({ workspaces: workspaces().slice(2) }));
    expect(dashboardRequests(body, body.replace(/- \[ \]/g, '- [x]'))).toEqual([{ kind: 'rescan', workspace: 'kiln-dr' }]);
  });

  it('says plainly when nothing drifted', () => {
    const { body } = desiredDashboard(input({ workspaces: [dashboardWorkspaceFromReport(kilnReport({}, quiet), SCHEDULE)] }));
    expect(body).toContain('✅ **No drift** in the workspace.');
    expect(body).toContain('✅ **No drift** · posture score **100**/100.');
  });

  describe('the content hash', () => {
    const base = desiredDashboard(input());

    it('ignores the "last scanned" times, reasons and the trend', () => {
      const later = desiredDashboard(input({
        workspaces: workspaces().map((workspace) => ({ ...workspace, scannedAt: '2025-05-04T06:00:00Z', commitSha: 'ffffffffffffffffffffffffffffffffffffffff', reason: SCHEDULE })),
        history: [...HISTORY, scanRecord(6, 'kiln-production', '2025-05-04T06:00:00Z', { critical: 1, high: 2, medium: 1, low: 1 })],
        now: '2025-05-04T06:01:00Z',
      }));
      expect(later.body).not.toBe(base.body);
      expect(later.marker.contentHash).toBe(base.marker.contentHash);
      expect(later.marker.refreshedAt).toBe('2025-05-04T06:01:00Z');
    });

    it.each<[string, () => DesiredDashboardInput]>([
      ['a drift appears', () => input({ workspaces: [dashboardWorkspaceFromReport(kilnReport({}, resultWith([imdsReenabled])), PUSH), ...workspaces().slice(1)] })],
      ['an issue number is known', () => input({ issueNumbers: new Map([[identityKey({ workspace: 'kiln-production', resource: 'aws_security_group.lb' }), 14]]) })],
      ['a workspace fails', () => input({ workspaces: [dashboardWorkspaceFromReport(failedReport('kiln-production', 'AWS did not answer'), PUSH), ...workspaces().slice(1)] })],
    ])('changes when %s', (_name, make) => {
      expect(desiredDashboard(make()).marker.contentHash).not.toBe(base.marker.contentHash);
    });

    it('is the marker in the body', () => {
      expect(parseMarker(base.body)).toEqual(base.marker);
      expect(base.marker).toMatchObject({ kind: 'dashboard', v: 1, refreshedAt: NOW });
    });
  });

  it('shows workspaces this scan did not cover from the store', () => {
    const findings: FindingRecord[] = [
      {
        repo: 'acme/infra', workspace: 'kiln-staging', resourceKey: 'aws_instance.worker', fingerprint: imdsReenabled.fingerprint, address: 'aws_instance.worker', type: 'aws_instance',
        cloudId: imdsReenabled.id, region: 'us-east-1', liveType: 'aws_instance', kind: 'modified', severity: 'high', title: imdsReenabled.title, attribution: null, costDeltaMonthly: 2.1,
        status: 'open', firstSeenAt: '2025-04-30T06:02:10Z', lastSeenAt: '2025-05-01T06:01:55Z', resolvedAt: null, lastResolvedAt: null, episode: 1, issueNumber: 15,
      },
      {
        repo: 'acme/infra', workspace: 'kiln-staging', resourceKey: 'aws_s3_bucket.old', fingerprint: 'a'.repeat(64), address: 'aws_s3_bucket.old', type: 'aws_s3_bucket',
        cloudId: 'kiln-old', region: 'us-east-1', liveType: 'aws_s3_bucket', kind: 'deleted', severity: 'high', title: 'gone', attribution: null, costDeltaMonthly: null,
        status: 'resolved', firstSeenAt: '2025-04-01T06:00:00Z', lastSeenAt: '2025-04-02T06:00:00Z', resolvedAt: '2025-04-03T06:00:00Z', lastResolvedAt: null, episode: 1, issueNumber: 9,
      },
    ];
    const scan = { ...scanRecord(4, 'kiln-staging', '2025-05-01T06:01:55Z', { critical: 0, high: 1, medium: 0, low: 0 }, 'partial'), unknown: [{ liveType: 'aws_db_instance', region: 'eu-west-1', reason: 'AccessDenied' }] };
    const staging = dashboardWorkspaceFromStore(scan, findings, { dir: 'infra/staging' });
    expect(staging).toMatchObject({ workspace: 'kiln-staging', status: 'partial', unknown: [{ type: 'aws_db_instance', reason: 'eu-west-1: AccessDenied' }], reason: { trigger: 'schedule', actor: null, detail: null } });
    expect(staging.drifts.map((drift) => drift.resource)).toEqual(['aws_instance.worker']);
    const { body } = desiredDashboard(input({ workspaces: [staging], issueNumbers: new Map([[identityKey({ workspace: 'kiln-staging', resource: 'aws_instance.worker' }), 15]]) }));
    expect(body).toContain('- `aws_instance.worker`: Instance metadata service accepts IMDSv1 \\(session tokens not required\\) · #15');
    expect(body).toContain('Last scanned 2025-05-01 06:01 UTC at `8c1d2e3f4a5b`, because of its schedule.');
  });

  describe('the trend', () => {
    it('sums every workspace\'s latest counts after each scan, skipping scans that read nothing', () => {
      const { body } = desiredDashboard(input());
      expect(body).toContain('  x-axis ["04-30 06:00", "04-30 06:02", "05-01 06:00", "05-02 09:30"]');
      expect(body).toContain('  y-axis "Drifts" 0 --> 3');
      // critical, high, medium, low, each after scans 1, 2, 3 and 5
      expect(body).toContain('  line [0, 0, 1, 1]\n  line [1, 2, 3, 3]\n  line [1, 1, 1, 1]\n  line [0, 0, 1, 1]\n```');
    });

    it('shows the last N scans', () => {
      const { body } = desiredDashboard(input({ trendLength: 2 }));
      expect(body).toContain('title "Drifts per severity, last 2 scans"');
      expect(body).toContain('x-axis ["05-01 06:00", "05-02 09:30"]');
    });

    it('waits for two scans', () => {
      expect(desiredDashboard(input({ history: HISTORY.slice(0, 1) })).body).toContain('_The trend shows once two scans have finished._');
    });
  });

  it('stays under 65,536 characters for thousands of drifts: drops the per-drift boxes, then cuts with a note', () => {
    const many: ReportDrift[] = Array.from({ length: 3_000 }, (_, index) => ({ ...tagsOnly, address: `aws_security_group.sg_${index}`, fingerprint: index.toString(16).padStart(64, '0') }));
    const { body, marker } = desiredDashboard(input({ workspaces: [dashboardWorkspaceFromReport(kilnReport({}, resultWith(many)), PUSH), ...workspaces().slice(1)] }));
    expect(body.length).toBeLessThan(65_536);
    expect(body).not.toContain('open a restore pull request\n');
    expect(body).toContain("> This dashboard was cut to fit GitHub's limit of 65,536 characters.");
    expect(parseMarker(body)).toEqual(marker);
  });

  it('keeps the per-drift boxes while they fit', () => {
    const some: ReportDrift[] = Array.from({ length: 60 }, (_, index) => ({ ...tagsOnly, address: `aws_security_group.sg_${index}`, fingerprint: index.toString(16).padStart(64, '0') }));
    const { body } = desiredDashboard(input({ workspaces: [dashboardWorkspaceFromReport(kilnReport({}, resultWith(some)), PUSH)] }));
    expect(body.match(/open a restore pull request$/gm)).toHaveLength(60);
  });

  it('never shows a secret from the state', () => {
    const secret = 'FIXTURE-rds-master-Pw-77';
    const drift = { ...imdsReenabled, title: `IMDSv1 on ${secret}`, id: `i-${secret}` };
    const report = kilnReport({ secrets: [secret], error: null }, resultWith([drift], { status: 'partial', unknown: [{ type: 'aws_db_instance', reason: `denied for ${secret}` }] }));
    const failed = failedReport('kiln-dr', `state read failed: password ${secret} rejected`, { secrets: [secret] });
    const { body } = desiredDashboard(input({ workspaces: [dashboardWorkspaceFromReport(report, { ...PUSH, detail: `/drift scan ${secret}` }), dashboardWorkspaceFromReport(failed, SCHEDULE)], secrets: [secret] }));
    expect(body).not.toContain(secret);
    expect(body).toContain('(sensitive)');
  });

  describe.each(PAYLOADS)('with cloud data %j everywhere', (payload) => {
    function hostile(text: string) {
      const drift = hostileDrift(text, { address: `aws_security_group.${text}` });
      const report = kilnReport({}, resultWith([drift, { ...imdsReenabled, kind: 'unmanaged', address: null, type: text, id: text }], { status: 'partial', unknown: [{ type: text, reason: text }] }));
      const failed = failedReport('kiln-dr', text);
      return desiredDashboard(input({ workspaces: [dashboardWorkspaceFromReport(report, { trigger: 'command', actor: text, detail: text }), dashboardWorkspaceFromReport(failed, SCHEDULE)], history: [] }));
    }

    it('renders it inert, and no box it injects is read as a request', () => {
      const dashboard = hostile(payload);
      expectInert(withoutMarker(dashboard.body), withoutMarker(hostile('benign').body));
      const requests = dashboardRequests(dashboard.body, dashboard.body.replace(/- \[ \]/g, '- [x]'));
      expect(requests.every((request) => request.workspace === 'kiln-production' || request.workspace === 'kiln-dr')).toBe(true);
      // Restore and accept for the modified drift, accept for the unmanaged one, three workspace boxes, rescan of the failed one.
      expect(requests).toHaveLength(7);
    });
  });
});
