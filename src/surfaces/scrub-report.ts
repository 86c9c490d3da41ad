// A secret from the state never reaches GitHub. Every text of a report is scrubbed before any
// surface renders it — before escaping and cutting, which would hide a secret from a scrub of the
// finished body (`hunter2_x` escapes to `hunter2\_x`, a long value is cut mid-secret) — and
// every finished text is scrubbed again as the last step.
import { secretScrubber } from '../drift/redact.js';
import type { DriftPatch, PatchSet } from '../patch/types.js';
import type { WorkspaceReport } from '../repository/types.js';
import type { ReportDrift, ScanResult } from '../report/types.js';

/**
 * The report with every string scrubbed of its secrets, object keys included. Left as they are:
 * fingerprints (hashes, and the identities every surface keys on) and the full file contents of
 * patches (`FileEdit.before`/`after`), which are the repository's own files and are committed
 * as they are: a fix pull request refuses an edit that would add a secret (desiredFixPr).
 */
type Scrub = (text: string) => string;

export function scrubReport(report: WorkspaceReport): WorkspaceReport {
  if (report.secrets.length === 0) return report;
  const scrub = secretScrubber(report.secrets);
  const patches: WorkspaceReport['patches'] = {};
  for (const direction of ['restore', 'accept'] as const) {
    const set = report.patches[direction];
    if (set) patches[direction] = scrubPatchSet(set, scrub);
  }
  return {
    ...report,
    error: report.error === null ? null : scrub(report.error),
    result: report.result === null ? null : scrubResult(report.result, scrub),
    patches,
  };
}

function scrubResult(result: ScanResult, scrub: Scrub): ScanResult {
  const { drifts, ...rest } = result;
  return { ...scrubValue(rest, scrub), drifts: drifts.map((drift) => scrubDrift(drift, scrub)) };
}

function scrubDrift(drift: ReportDrift, scrub: Scrub): ReportDrift {
  const { fingerprint, patch, ...rest } = drift;
  return { ...scrubValue(rest, scrub), fingerprint, patch: patch === null ? null : scrubPatch(patch, scrub) };
}

function scrubPatchSet(set: PatchSet, scrub: Scrub): PatchSet {
  return {
    direction: set.direction,
    patches: set.patches.map((patch) => scrubPatch(patch, scrub)),
    files: set.files.map((file) => ({ ...file, path: scrub(file.path), diff: scrub(file.diff) })),
  };
}

function scrubPatch(patch: DriftPatch, scrub: Scrub): DriftPatch {
  return {
    ...patch,
    note: scrub(patch.note),
    remediation: patch.remediation === null ? null : scrub(patch.remediation),
    files: patch.files.map((file) => ({ ...file, path: scrub(file.path), diff: scrub(file.diff) })),
  };
}

function scrubValue<T>(value: T, scrub: Scrub): T {
  if (typeof value === 'string') return scrub(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => scrubValue(item, scrub)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[scrub(key)] = scrubValue(item, scrub);
    return out as T;
  }
  return value;
}
