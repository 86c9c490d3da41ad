// A workspace report as the store records it: the scan's row and one finding per drifted
// resource (a resource with several drifts is one finding whose fingerprint covers them all, as
// its issue's marker does).
import { createHash } from 'node:crypto';
import type { ReportDrift } from '../report/types.js';
import { familyForType } from '../resources/index.js';
import type { FindingInput, ScanRecordInput } from '../store/types.js';
import { resourceKey } from '../surfaces/resource-key.js';
import type { RepoName, ScanReason, WorkspaceReport } from './types.js';

export function scanRecordOf(repo: RepoName, installationId: number, report: WorkspaceReport, reason: ScanReason): ScanRecordInput {
  const result = report.result;
  return {
    repo: `${repo.owner}/${repo.name}`,
    installationId,
    workspace: report.workspace,
    commitSha: report.commitSha,
    trigger: reason.trigger,
    status: report.status,
    error: report.error,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    counts: result?.summary ?? { critical: 0, high: 0, medium: 0, low: 0 },
    postureScore: result?.postureScore ?? null,
    apiCalls: report.apiCalls,
    // The report folds a failed region into the reason: the whole family counts as unknown.
    unknown: (result?.unknown ?? []).map((family) => ({ liveType: family.type, reason: family.reason })),
  };
}

export function findingsOf(report: WorkspaceReport): FindingInput[] {
  if (report.result === null) return [];
  const byResource = new Map<string, ReportDrift[]>();
  for (const drift of report.result.drifts) {
    const key = resourceKey(drift);
    byResource.set(key, [...(byResource.get(key) ?? []), drift]);
  }
  return [...byResource].map(([key, drifts]) => {
    // Drifts come most severe first: the first one speaks for the resource.
    const main = drifts[0]!;
    return {
      workspace: report.workspace,
      resourceKey: key,
      fingerprint: drifts.length === 1 ? main.fingerprint : createHash('sha256').update(drifts.map((drift) => drift.fingerprint).sort().join('\n')).digest('hex'),
      address: main.address,
      type: main.type,
      cloudId: main.id,
      region: main.region,
      liveType: familyForType(main.type)?.liveType ?? main.type,
      kind: main.kind,
      severity: main.severity,
      title: main.title,
      attribution: drifts.map((drift) => drift.attribution).find((attribution) => attribution !== null) ?? null,
      costDeltaMonthly: sumCosts(drifts),
    };
  });
}

function sumCosts(drifts: ReportDrift[]): number | null {
  let total = 0;
  for (const drift of drifts) {
    if (drift.costDeltaMonthly === null) return null;
    total += drift.costDeltaMonthly;
  }
  return total;
}
