// The neutral report model: every renderer (text, json, markdown, sarif, slack) reads this.
import type { AssessedDrift, Severity } from '../drift/types.js';
import type { DriftPatch } from '../patch/types.js';

export interface ReportDrift extends AssessedDrift {
  patch: DriftPatch | null;
}

/** A place in the configuration that could not be read (a syntax error, a block hcl2-parser
 * rejects): what it declares was skipped. */
export interface ConfigError {
  /** Relative to the root module. */
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface ScanResult {
  version: 1;
  /** partial: something the scan needs could not be read, live (`unknown`) or configuration
   * (`configErrors`). */
  status: 'complete' | 'partial';
  workspace: string;
  scannedAt: string;
  coverage: { managed: number; unmanaged: number; percent: number };
  unknown: { type: string; reason: string }[];
  /** Every error in the configuration, in file order: resources written in what was skipped
   * have no location or patch, and a provider or backend written there is unknown. */
  configErrors: ConfigError[];
  summary: Record<Severity, number>;
  postureScore: number;
  drifts: ReportDrift[];
  /** Things worth knowing that are not drift: deposed objects, tainted resources, resources in
   * regions that were not scanned. */
  notes: string[];
}
