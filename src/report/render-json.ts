// The JSON report, contract version 1 (docs/report-json.md). Objects are built key by key in
// the documented order so reports diff cleanly; internal fields (region, signals, live) stay
// out of the contract.
import type { Attribution } from '../drift/types.js';
import type { DriftPatch } from '../patch/types.js';
import { patchDiff } from './patch-diff.js';
import { redactChange } from './redact-change.js';
import { SEVERITIES, sortBySeverity } from './severity-order.js';
import type { ReportDrift, ScanResult } from './types.js';

export function renderJson(result: ScanResult): string {
  const report = {
    version: 1,
    status: result.status,
    workspace: result.workspace,
    scannedAt: result.scannedAt,
    coverage: {
      managed: result.coverage.managed,
      unmanaged: result.coverage.unmanaged,
      percent: result.coverage.percent,
    },
    unknown: result.unknown.map((family) => ({ type: family.type, reason: family.reason })),
    configErrors: result.configErrors.map((error) => ({ file: error.file, line: error.line, column: error.column, message: error.message })),
    summary: Object.fromEntries(SEVERITIES.map((severity) => [severity, result.summary[severity] ?? 0])),
    postureScore: result.postureScore,
    drifts: sortBySeverity(result.drifts).map(jsonDrift),
    notes: [...result.notes],
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

function jsonDrift(drift: ReportDrift) {
  return {
    fingerprint: drift.fingerprint,
    kind: drift.kind,
    address: drift.kind === 'unmanaged' ? null : drift.address,
    type: drift.type,
    id: drift.id,
    severity: drift.severity,
    title: drift.title,
    changes: drift.changes.map(redactChange).map((change) => ({
      path: change.path,
      // undefined would make JSON.stringify drop the key and break the contract.
      declared: change.declared ?? null,
      live: change.live ?? null,
    })),
    controls: { cis: [...drift.controls.cis], mitre: [...drift.controls.mitre] },
    costDeltaMonthly: drift.costDeltaMonthly !== null && Number.isFinite(drift.costDeltaMonthly) ? drift.costDeltaMonthly : null,
    attribution: drift.attribution === null ? null : jsonAttribution(drift.attribution),
    location: drift.location === null ? null : { file: drift.location.file, line: drift.location.line },
    patch: drift.patch === null ? null : jsonPatch(drift.patch),
    remediation: drift.patch?.remediation ?? null,
  };
}

function jsonAttribution(attribution: Attribution) {
  return {
    actor: attribution.actor,
    actorType: attribution.actorType,
    role: attribution.role,
    sessionName: attribution.sessionName,
    eventName: attribution.eventName,
    eventTime: attribution.eventTime,
    sourceIp: attribution.sourceIp,
    console: attribution.console,
    eventId: attribution.eventId,
  };
}

function jsonPatch(patch: DriftPatch) {
  return { direction: patch.direction, status: patch.status, note: patch.note, diff: patchDiff(patch) };
}
