// What the dashboard shows of one workspace, from either source: this scan's report, or, for a
// workspace this scan did not cover (a push rescans only what it touched), the store's latest scan
// and open findings.
import type { DriftKind, Severity } from '../drift/types.js';
import type { ScanReason, WorkspaceReport } from '../repository/types.js';
import { sortBySeverity } from '../report/severity-order.js';
import type { FindingRecord, ScanRecord } from '../store/types.js';
import { resourceKey } from './resource-key.js';
import { scrubReport } from './scrub-report.js';

export interface DashboardDrift {
  /** Resource key: `address`, or `type:id` when unmanaged. */
  resource: string;
  severity: Severity;
  title: string;
  kind: DriftKind;
  address: string | null;
  type: string;
  id: string;
}

export interface DashboardWorkspace {
  workspace: string;
  /** Root module directory, repository-relative; null when not known (a store-only workspace). */
  dir: string | null;
  status: WorkspaceReport['status'];
  /** failed: what went wrong and what to fix. */
  error: string | null;
  /** Resource types a partial scan could not read, with why. */
  unknown: { type: string; reason: string }[];
  /** When the last scan finished, at which commit and why; null when never scanned. */
  scannedAt: string | null;
  commitSha: string | null;
  reason: ScanReason | null;
  postureScore: number | null;
  /** Current drifts, most severe first. */
  drifts: DashboardDrift[];
}

/** The workspace as this scan's report tells it (scrubbed of the report's secrets). */
export function dashboardWorkspaceFromReport(raw: WorkspaceReport, reason: ScanReason | null): DashboardWorkspace {
  const report = scrubReport(raw);
  const result = report.status === 'complete' || report.status === 'partial' ? report.result : null;
  return {
    workspace: report.workspace,
    dir: report.dir,
    status: report.status,
    error: report.error,
    unknown: result?.unknown ?? [],
    scannedAt: report.status === 'disabled' ? null : report.finishedAt,
    commitSha: report.status === 'disabled' ? null : report.commitSha,
    reason: report.status === 'disabled' ? null : reason,
    postureScore: result?.postureScore ?? null,
    drifts: sortBySeverity(result?.drifts ?? []).map((drift) => ({
      resource: resourceKey(drift),
      severity: drift.severity,
      title: drift.title,
      kind: drift.kind,
      address: drift.address,
      type: drift.type,
      id: drift.id,
    })),
  };
}

/** The workspace as the store remembers it: its latest scan and its open findings. */
export function dashboardWorkspaceFromStore(scan: ScanRecord, findings: readonly FindingRecord[], options: { dir?: string | null; reason?: ScanReason | null } = {}): DashboardWorkspace {
  const open = findings.filter((finding) => finding.workspace === scan.workspace && finding.status === 'open');
  return {
    workspace: scan.workspace,
    dir: options.dir ?? null,
    status: scan.status,
    error: scan.error,
    unknown: scan.unknown.map((family) => ({ type: family.liveType, reason: family.region === undefined ? family.reason : `${family.region}: ${family.reason}` })),
    scannedAt: scan.status === 'disabled' ? null : scan.finishedAt,
    commitSha: scan.status === 'disabled' ? null : scan.commitSha,
    reason: options.reason ?? (scan.status === 'disabled' ? null : { trigger: scan.trigger, actor: null, detail: null }),
    postureScore: scan.postureScore,
    drifts: sortBySeverity(open).map((finding) => ({
      resource: finding.resourceKey,
      severity: finding.severity,
      title: finding.title,
      kind: finding.kind,
      address: finding.address,
      type: finding.type,
      id: finding.cloudId,
    })),
  };
}
