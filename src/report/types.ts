// The neutral report model: every renderer (text, json, markdown, sarif, slack) reads this.
import type { AssessedDrift, Severity } from '../drift/types.js';
import type { DriftPatch } from '../patch/types.js';

export interface ReportDrift extends AssessedDrift {
  patch: DriftPatch | null;
}

export interface ScanResult {
  version: 1;
  status: 'complete' | 'partial';
  workspace: string;
  scannedAt: string;
  coverage: { managed: number; unmanaged: number; percent: number };
  unknown: { type: string; reason: string }[];
  summary: Record<Severity, number>;
  postureScore: number;
  drifts: ReportDrift[];
  /** Things worth knowing that are not drift: deposed objects, tainted resources, files that did
   * not parse, resources in regions that were not scanned. */
  notes: string[];
}
