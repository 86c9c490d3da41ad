// A secret from the state never reaches GitHub. Every text of a report is scrubbed before any
// surface renders it — before escaping and cutting, which would hide a secret from a scrub of the
// finished body (`hunter2_x` escapes to `hunter2\_x`, a long value is cut mid-secret) — and
// every finished text is scrubbed again as the last step.
import { scrubSecrets } from '../drift/redact.js';
import type { DriftPatch, PatchSet } from '../patch/types.js';
import type { WorkspaceReport } from '../repository/types.js';
import type { ReportDrift, ScanResult } from '../report/types.js';

/**
 * The report with every string scrubbed of its secrets, object keys included. Left as they are:
 * fingerprints (hashes, and the identities every surface keys on) and the full file contents of
 * patches (`FileEdit.before`/`after`), which are the repository's own files and are committed
 * as they are: a fix pull request refuses an edit that would add a secret (desiredFixPr).
 */
export function scrubReport(report: WorkspaceReport): WorkspaceReport {
  const { secrets } = report;
  if (secrets.length === 0) return report;
  const patches: WorkspaceReport['patches'] = {};
  for (const direction of ['restore', 'accept'] as const) {
    const set = report.patches[direction];
    if (set) patches[direction] = scrubPatchSet(set, secrets);
  }
  return {
    ...report,
    error: report.error === null ? null : scrubSecrets(report.error, secrets),
    result: report.result === null ? null : scrubResult(report.result, secrets),
    patches,
  };
}

function scrubResult(result: ScanResult, secrets: readonly string[]): ScanResult {
  const { drifts, ...rest } = result;
  return { ...scrubValue(rest, secrets), drifts: drifts.map((drift) => scrubDrift(drift, secrets)) };
}

function scrubDrift(drift: ReportDrift, secrets: readonly string[]): ReportDrift {
  const { fingerprint, patch, ...rest } = drift;
  return { ...scrubValue(rest, secrets), fingerprint, patch: patch === null ? null : scrubPatch(patch, secrets) };
}

function scrubPatchSet(set: PatchSet, secrets: readonly string[]): PatchSet {
  return {
    direction: set.direction,
    patches: set.patches.map((patch) => scrubPatch(patch, secrets)),
    files: set.files.map((file) => ({ ...file, path: scrubSecrets(file.path, secrets), diff: scrubSecrets(file.diff, secrets) })),
  };
}

function scrubPatch(patch: DriftPatch, secrets: readonly string[]): DriftPatch {
  return {
    ...patch,
    note: scrubSecrets(patch.note, secrets),
    remediation: patch.remediation === null ? null : scrubSecrets(patch.remediation, secrets),
    files: patch.files.map((file) => ({ ...file, path: scrubSecrets(file.path, secrets), diff: scrubSecrets(file.diff, secrets) })),
  };
}

function scrubValue<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return scrubSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => scrubValue(item, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[scrubSecrets(key, secrets)] = scrubValue(item, secrets);
    return out as T;
  }
  return value;
}
