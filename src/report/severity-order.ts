// Most severe first: the order of every report.
import type { Severity } from '../drift/types.js';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export interface SeverityGroup<T> {
  severity: Severity;
  drifts: T[];
}

/** Non-empty groups, most severe first; drifts keep their input order inside a group. */
export function groupBySeverity<T extends { severity: Severity }>(drifts: readonly T[]): SeverityGroup<T>[] {
  return SEVERITIES.map((severity) => ({ severity, drifts: drifts.filter((drift) => drift.severity === severity) }))
    .filter((group) => group.drifts.length > 0);
}

/** The drifts in report order: most severe first, stable inside a severity. */
export function sortBySeverity<T extends { severity: Severity }>(drifts: readonly T[]): T[] {
  return groupBySeverity(drifts).flatMap((group) => group.drifts);
}
